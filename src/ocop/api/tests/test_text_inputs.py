"""API writes store text normalised (NFC, collapsed spaces); a control character is a 422 naming the field."""

import json

from ocop.conftest import client_for
from ocop.core.text import control_character_message
from ocop.evaluation.models import ScoreEntry, ScoreSheet
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier, scene  # noqa: F401  # the fixture
from ocop.registry.models import Producer, Product

HTX_NFD = "Ho\u031b\u0323p ta\u0301c xa\u0303"  # "Hợp tác xã", decomposed


def _send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_producer_and_product_text_is_stored_normalised(world):
    client = client_for(world.users["coordinator"])
    payload = {
        "kind": "cooperative",
        "name": f"  {HTX_NFD}   Gốm\u00a0Mới ",
        "identifier": " 0106060606 ",
        "legal_representative": "Lê\tVăn  Bình",
        "address": "Thôn 1,\u3000Bát Tràng",
        "commune_code": world.producer.commune.code,
    }
    response = _send(client, "post", "/api/v1/producers", payload)
    assert response.status_code == 201, response.json()
    producer = Producer.objects.get(pk=response.json()["id"])
    assert (producer.name, producer.identifier, producer.legal_representative, producer.address) == (
        "Hợp tác xã Gốm Mới",
        "0106060606",
        "Lê Văn Bình",
        "Thôn 1, Bát Tràng",
    )
    product = {
        "producer_id": producer.pk,
        "name": f"Bình  gốm {HTX_NFD}",
        "product_set_code": "4-02",
        "commune_code": world.producer.commune.code,
        "story": "Đoạn  một\r\n\r\n\r\nĐoạn hai ",
        "packs": [{"name": " Hộp\u00a0 ", "size": "1  chiếc", "gtin": ""}],
    }
    response = _send(client, "post", "/api/v1/products", product)
    assert response.status_code == 201, response.json()
    stored = Product.objects.get(pk=response.json()["id"])
    assert (stored.name, stored.story) == ("Bình gốm Hợp tác xã", "Đoạn một\n\nĐoạn hai")
    assert [(p.name, p.size) for p in stored.packs.all()] == [("Hộp", "1 chiếc")]
    response = _send(client, "patch", f"/api/v1/producers/{producer.pk}", {"address": f" Thôn  2,\u00a0{HTX_NFD} "})
    assert (response.status_code, response.json()["address"]) == (200, "Thôn 2, Hợp tác xã")


def test_max_length_counts_the_stored_characters(world):
    # 255 composed characters typed decomposed (510 code points) fit a 255-character name.
    client = client_for(world.users["coordinator"])
    name = "a\u0301" * 255
    response = _send(client, "patch", f"/api/v1/producers/{world.producer.pk}", {"name": name})
    assert response.status_code == 200, response.json()
    assert Producer.objects.get(pk=world.producer.pk).name == "á" * 255


def test_control_character_is_a_422_naming_the_field(world):
    client = client_for(world.users["coordinator"])
    url = f"/api/v1/producers/{world.producer.pk}"
    before = Producer.objects.get(pk=world.producer.pk).name
    for field, value, char in [("name", "HTX\u0000", "U+0000"), ("address", "Số 1\u0007", "U+0007")]:
        response = _send(client, "patch", url, {field: value})
        assert (response.status_code, response.json()) == (
            422,
            {
                "detail": [{"field": field, "message": control_character_message(field=field, char=char)}],
                "code": "invalid",
            },
        )
    response = _send(client, "post", "/api/v1/products", {
        "producer_id": world.producer.pk, "name": "Chè", "product_set_code": "1-12",
        "commune_code": world.producer.commune.code, "description": "x\u202ey",
        "packs": [{"name": "Hộp\u200b"}],
    })  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "description", "message": control_character_message(field="description", char="U+202E")},
        {"field": "packs.0.name", "message": control_character_message(field="packs.0.name", char="U+200B")},
    ]
    assert Producer.objects.get(pk=world.producer.pk).name == before


def test_the_message_is_vietnamese(world):
    client = client_for(world.users["coordinator"])
    response = _send(client, "patch", f"/api/v1/producers/{world.producer.pk}", {"name": "HTX\u0007"})
    message = response.json()["detail"][0]["message"]
    assert "“name”" in message and "U+0007" in message


def test_score_comments_and_reason(scene):  # noqa: F811
    dossier = ready_dossier(scene)
    council_of(scene)
    url = f"/api/v1/dossiers/{dossier.pk}/score"
    member = client_for(scene.members[0])
    bad = _send(member, "post", url, {"choices": BEST, "comments": {"C8": "Tốt\u0000"}})
    assert (bad.status_code, bad.json()) == (
        422,
        {
            "detail": [
                {"field": "comments.C8", "message": control_character_message(field="comments.C8", char="U+0000")}
            ],
            "code": "invalid",
        },
    )
    assert not ScoreSheet.objects.exists()
    done = _send(member, "post", url, {"choices": BEST, "comments": {"C8": " Tốt  lắm\r\n\r\n\r\nrất  tốt "}})
    assert done.status_code == 200, done.json()
    assert ScoreEntry.objects.get(sheet__dossier=dossier, line__code="C8").comment == "Tốt lắm\n\nrất tốt"
