"""Diacritic-insensitive, ranked search over a folded `search_text` column.

Every searchable table has a `search_text` column filled with `fold(...)`. On SQLite an FTS5 index
(external content, kept in step by triggers) answers word-prefix queries; on PostgreSQL a pg_trgm GIN
index serves the same word-prefix regular expressions. Both are created by `ensure_search_indexes`,
run after every `migrate`: SQLite drops a table's triggers when Django rebuilds the table in a later
migration, so they are re-created (and the index rebuilt) whenever they are missing.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import Exact

from ocop.core.text import fold_tokens

SEARCH_TABLES: list[str] = []


def register_search_table(table: str) -> None:
    if table not in SEARCH_TABLES:
        SEARCH_TABLES.append(table)


def _sqlite_fts(cursor: Any, table: str) -> None:
    fts = f"{table}_fts"
    existing = {
        name
        for (name,) in cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (?, ?, ?, ?)",
            [fts, f"{fts}_ai", f"{fts}_ad", f"{fts}_au"],
        ).fetchall()
    }
    if len(existing) == 4:
        return
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        f"search_text, content='{table}', content_rowid='id', tokenize='unicode61', prefix='1 2 3')"
    )
    cursor.execute(
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    cursor.execute(
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"
    )
    cursor.execute(
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def ensure_search_indexes(using: str = "default", **_: Any) -> None:
    from django.db import connections

    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            raw = cursor.cursor
            for table in SEARCH_TABLES:
                if table in conn.introspection.table_names(cursor):
                    _sqlite_fts(raw, table)
        elif conn.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for table in SEARCH_TABLES:
                if table in conn.introspection.table_names(cursor):
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} "
                        "USING gin (search_text gin_trgm_ops)"
                    )


def search[M: models.Model](qs: models.QuerySet[M], q: str | None) -> models.QuerySet[M]:
    """Filter `qs` to rows whose every query word starts a word of search_text; best matches first."""
    tokens = fold_tokens(q)
    if not tokens:
        return qs
    table = qs.model._meta.db_table
    if connection.vendor == "sqlite":
        match = " ".join(f'"{t}"*' for t in tokens)
        # The table name is ours; the user's words travel as a bound parameter.
        fts = RawSQL(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s", [match])  # noqa: S611
        qs = qs.filter(pk__in=fts)
    else:
        for token in tokens:
            qs = qs.filter(search_text__regex=rf"\m{token}")
    # Rank: the phrase opens the text (the name starts with it) → 0; the phrase appears later → 1;
    # the words match apart → 2. One string search per row keeps this cheap on large result sets.
    position = StrIndex("search_text", Value(" ".join(tokens)))
    rank = Case(
        When(Exact(position, 1), then=Value(0)),
        When(Exact(position, 0), then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    ordering = [str(o) for o in qs.model._meta.ordering or []]
    return qs.annotate(search_rank=rank).order_by("search_rank", *ordering)  # type: ignore[return-value]  # annotate widens the type
