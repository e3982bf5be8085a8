"""Plain multi-row inserts for append-only rows whose ids nobody needs back (audit entries, packs).

`bulk_create` builds a model instance and walks the query compiler for every value; for the tens of
thousands of rows of an import that is most of the time spent. Here each value goes through its
field's own `get_db_prep_save` (the same conversion Django applies) and the rows through one
`executemany` per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any, cast

from django.db import connection, models

_PLAIN = {
    str: (models.CharField, models.TextField),
    int: (models.IntegerField, models.BigIntegerField, models.PositiveIntegerField, models.ForeignKey),
}


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """`field.get_db_prep_save`, skipped where Django would hand the value over unchanged (None, a str
    for a text column, an int for an integer column), and not repeated for the same object twice running
    (an import stamps every row with one timestamp)."""
    prep = field.get_db_prep_save
    last: list[Any] = [object(), None]

    def convert(value: Any) -> Any:
        if value is None or isinstance(field, _PLAIN.get(type(value), ())):
            return value
        if value is not last[0]:
            last[0], last[1] = value, prep(value, connection)
        return last[1]

    return convert


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], batch: int = 1000
) -> int:
    """Insert `rows` (values in the order of `fields`, by field name or attname) into `model`'s table."""
    meta = model._meta
    columns = [cast(models.Field[Any, Any], meta.get_field(name)) for name in fields]
    ops = connection.ops
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        ops.quote_name(meta.db_table),
        ", ".join(ops.quote_name(f.column or f.name) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )
    converters = [_converter(f) for f in columns]
    prepared = (tuple(c(v) for c, v in zip(converters, row, strict=True)) for row in rows)
    total = 0
    with connection.cursor() as cursor:
        while chunk := list(islice(prepared, batch)):
            cursor.executemany(sql, chunk)
            total += len(chunk)
    return total
