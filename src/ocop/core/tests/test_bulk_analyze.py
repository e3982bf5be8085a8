"""core.bulk.analyze: the planner's statistics after a bulk load count the rows just loaded."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from ocop.core.bulk import analyze
from ocop.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _load(count: int) -> int:
    kind = ContentType.objects.get_for_model(AuditEntry)
    AuditEntry.objects.bulk_create(
        AuditEntry(action="create", content_type=kind, object_id=str(n), object_repr=f"Sản phẩm {n}")
        for n in range(count)
    )
    return AuditEntry.objects.count()


def _counted() -> set[int]:
    """The row count the planner holds for the audit table (PostgreSQL: pg_class; SQLite: each index's stat)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'core_auditentry'")
            return {int(value) for (value,) in cursor.fetchall()}
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return set()
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'core_auditentry'")
        return {int(stat.split()[0]) for (stat,) in cursor.fetchall()}


def test_analyze_counts_the_rows_just_loaded():
    total = _load(120)
    analyze(AuditEntry, sqlite=True)
    assert _counted() == {total}
    total = _load(30)  # a second load: the statistics follow
    analyze(AuditEntry, sqlite=True)
    assert _counted() == {total}


def test_without_asking_sqlite_keeps_no_statistics_postgresql_always_gets_them():
    total = _load(75)
    analyze(AuditEntry)
    assert _counted() == ({total} if connection.vendor == "postgresql" else set())


def test_every_table_when_none_is_named():
    total = _load(40)
    analyze(sqlite=True)
    assert _counted() == {total}
