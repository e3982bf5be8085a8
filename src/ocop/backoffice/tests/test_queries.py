"""Query counts of list pages, the dashboard and exports: the same at 1 and at 3 items (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.conftest import client_for
from ocop.testing import make_document, make_producer, make_product


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# PostgreSQL: two more for a product page, the SET and RESET around its rows (core.search.joins_as_written).
PLANNED = 2 if connection.vendor == "postgresql" else 0


def _grow(world, n):
    for _ in range(n):
        producer = make_producer(commune_name="Bát Tràng")
        make_product(producer=producer, packs=[{"name": "Hộp", "size": "1 kg", "gtin": ""}])
        make_document(producer=producer)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("backoffice:producer_list", 7),
        ("backoffice:product_list", 11 + PLANNED),
        ("backoffice:document_list", 6),
        ("backoffice:dashboard", 15),
        # The exports: two of them for their title block's issuing body (the province, its settings).
        ("backoffice:producer_export", 6),
        ("backoffice:product_export", 7),
    ],
)
def test_query_count_is_flat(world, name, expected):
    """Every page holds the menu: the coordinator's work counted in one query (once per request)."""
    client = client_for(world.users["coordinator"])
    url = reverse(name)
    client.get(url)  # warm caches (content types, sessions)
    assert _count(client, url) == expected
    _grow(world, 2)
    assert _count(client, url) == expected
