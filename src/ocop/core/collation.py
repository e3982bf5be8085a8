"""Vietnamese alphabetical order in the database: `order_by(vi("name"))` on PostgreSQL and SQLite alike.

Both databases know a collation named "vi": on PostgreSQL the ICU collation for vi-VN, created by core's migration
0002; on SQLite a function registered on every new connection, comparing `core.text.vi_sort_key`. Places are sorted
by their short name ("Hà Nội", not "Thành phố Hà Nội"), so that "Tỉnh"/"Thành phố"/"Xã"/"Phường" do not group them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.db.models.expressions import Combinable
from django.db.models.functions import Collate

from ocop.core.text import vi_sort_key

VI = "vi"


def vi(field: str | Combinable) -> Collate:
    """The field in Vietnamese order, for `order_by` (`vi("name")`, `vi("name").desc()`)."""
    return Collate(F(field) if isinstance(field, str) else field, VI)


def compare(a: str | None, b: str | None) -> int:
    ka, kb = vi_sort_key(a), vi_sort_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: teach a new SQLite connection the "vi" collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI, compare)
