"""A page's rows are planned with their joins as written on PostgreSQL, and the setting never outlives the page: not
after a page, not after a query that fails in a transaction (its rollback undoes it) or outside one."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from ocop.core.search import RankedSearch, joins_as_written
from ocop.registry.models import Product
from ocop.registry.queries import product_listing
from ocop.testing import make_producer, make_product


def _limit() -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


DEFAULT, AS_WRITTEN = ("8", "1") if connection.vendor == "postgresql" else (None, None)


def test_a_page_is_fetched_with_joins_as_written_and_the_setting_reset(db):
    producer = make_producer(name="HTX Đồng Tâm")
    for name in ["Bánh đa nem", "Bánh chưng", "Mật ong"]:
        make_product(producer=producer, name=name)
    seen: list[str | None] = []

    def spy(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.startswith('SELECT "registry_product"."id", "registry_product"."created_at"'):
            seen.append(_limit())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        page = product_listing(Product.objects.all(), "banh")[0:20]
    assert [p.name for p in page] == ["Bánh chưng", "Bánh đa nem"]
    assert [p.producer.name for p in page] == ["HTX Đồng Tâm", "HTX Đồng Tâm"]
    assert seen == [AS_WRITTEN]
    assert _limit() == DEFAULT


@pytest.mark.django_db(transaction=True)
def test_the_setting_is_reset_after_a_failed_query_in_autocommit():
    with pytest.raises(DatabaseError), joins_as_written("default"), connection.cursor() as cursor:
        assert _limit() == AS_WRITTEN
        cursor.execute("SELECT * FROM no_such_table")
    assert _limit() == DEFAULT


@pytest.mark.django_db(transaction=True)
def test_a_failed_transaction_undoes_the_setting():
    with pytest.raises(DatabaseError), transaction.atomic(), joins_as_written("default"), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert _limit() == DEFAULT
    assert RankedSearch(Product.objects.all(), "banh").count() == 0
