"""Plain multi-row inserts for append-only rows whose ids nobody needs back (audit entries, packs).

`bulk_create` builds a model instance and walks the query compiler for every value; for the tens of
thousands of rows of an import that is most of the time spent. Here each value goes through its
field's own `get_db_prep_save` (the same conversion Django applies) and the rows through one
`executemany` per batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any, cast

from django.db import connection, models


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
    prepared = (tuple(f.get_db_prep_save(v, connection) for f, v in zip(columns, row, strict=True)) for row in rows)
    total = 0
    with connection.cursor() as cursor:
        while chunk := list(islice(prepared, batch)):
            cursor.executemany(sql, chunk)
            total += len(chunk)
    return total
