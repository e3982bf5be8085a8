"""The OpenAPI document's description tells a client's author, in a few sentences, what the API covers and how it is
used: the token header, pages, the error shape, the JWKS, the GS1 Digital Link resolver and where the guide is."""

from django.test import Client

from ocop.api.urls import api


def test_the_description_covers_the_whole_api(db):
    info = Client().get("/api/v1/openapi.json", secure=True).json()["info"]
    assert (info["title"], info["version"], info["description"]) == ("OCOP Hub API", "1", api.description)
    text = info["description"]
    for token in (
        "`Authorization: Bearer <token>`",
        "`page`, `page_size` ≤ 200, `next`/`previous`",
        "`{detail, code}`",
        "`/.well-known/jwks.json`",
        "`/01/<GTIN>`",
        "docs/api.md",
        "recognition decisions, plans and targets, inspections and consumer reports",
        "outlets with their shelves and monthly sales, events and trainings, periodic reports and status webhooks",
    ):
        assert token in text, token
    assert text.count(". ") + 1 == 3  # three sentences
    assert "Administrative units, producers, products, their evaluation and certificates" not in text
