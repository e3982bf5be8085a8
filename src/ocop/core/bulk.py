"""Plain multi-row inserts for append-only rows whose ids nobody needs back (audit entries, packs).

`bulk_create` builds a model instance and walks the query compiler for every value; for the tens of
thousands of rows of an import that is most of the time spent. Here each value goes through its
field's own `get_db_prep_save` (the same conversion Django applies) and the rows through one
`executemany` per batch.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any, cast

from django.db import connection, models
from django.utils import timezone


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a bulk job that builds hundreds of thousands of objects without cycles
    (an import's tables of products, rows and model instances): each of its passes walks them all again, a third
    of such a job's time. It runs once at the end, so any cycle made meanwhile is still freed."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()


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


def update_rows(
    model: type[models.Model], fields: Sequence[str], objs: Iterable[models.Model], batch: int = 1000
) -> int:
    """Write `fields` of `objs` back with one prepared UPDATE per row, executed many at a time. `bulk_update` builds a
    CASE over every row for every field instead, which SQLite evaluates row by row: 28 s for 5,000 products."""
    meta = model._meta
    columns = [cast(models.Field[Any, Any], meta.get_field(name)) for name in fields]
    ops = connection.ops
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        ops.quote_name(meta.db_table),
        ", ".join(f"{ops.quote_name(cast(str, f.column))} = %s" for f in columns),
        ops.quote_name(cast(str, cast(models.Field[Any, Any], meta.pk).column)),
    )
    converters = [_converter(f) for f in columns]
    names = [f.attname for f in columns]
    prepared = ((*(c(getattr(obj, n)) for c, n in zip(converters, names, strict=True)), obj.pk) for obj in objs)
    total = 0
    with connection.cursor() as cursor:
        while chunk := list(islice(prepared, batch)):
            cursor.executemany(sql, chunk)
            total += len(chunk)
    return total


def create_rows(model: type[models.Model], objs: Sequence[models.Model], batch: int = 500) -> None:
    """Insert model instances and give them their ids (INSERT … RETURNING, many rows a statement): what bulk_create
    does, without its compiler's per-value work (1.4 s of a 10,000-row import). Falls back to bulk_create where
    the database cannot return the rows of a multi-row insert."""
    if not objs:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(objs, batch_size=batch)
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    columns = [cast(models.Field[Any, Any], f) for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for obj in objs:
        for field in columns:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                setattr(obj, field.attname, now)
    ops = connection.ops
    head = "INSERT INTO {} ({}) VALUES ".format(
        ops.quote_name(meta.db_table), ", ".join(ops.quote_name(cast(str, f.column)) for f in columns)
    )
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    converters = [(_converter(f), f.attname) for f in columns]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            chunk = objs[start : start + batch]
            params = [convert(getattr(obj, name)) for obj in chunk for convert, name in converters]
            sql = head + ", ".join([row] * len(chunk)) + f" RETURNING {ops.quote_name(cast(str, pk.column))}"
            cursor.execute(sql, params)
            for obj, (new_id,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = new_id
                obj._state.adding, obj._state.db = False, connection.alias


def analyze(*models_: type[models.Model], sqlite: bool = False) -> None:
    """End a bulk load as a real one should: ANALYZE the tables just filled (every table when none is named), so the
    planner's statistics count their rows. On PostgreSQL always: autovacuum gets there only minutes later, and a plan
    chosen meanwhile on an empty table's statistics reads whole tables (a dashboard recount 6.5 s instead of 0.5 s).
    On SQLite only when asked (`sqlite=True`, the benches): it keeps no statistics until a first ANALYZE, and its
    small installations and the tests run on the plans it makes without them."""
    if connection.vendor != "postgresql" and not sqlite:
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models_)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" or not models_:
            cursor.execute(f"ANALYZE {tables}".strip())
        else:  # SQLite analyses one table a statement
            for model in models_:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
