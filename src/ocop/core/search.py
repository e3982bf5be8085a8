"""Diacritic-insensitive, ranked search over a folded `search_text` column.

Every searchable table has a `search_text` column filled with `fold(...)`. On SQLite an FTS5 index
(external content, kept in step by triggers) answers word-prefix queries; on PostgreSQL a GIN index on the
column's words as a tsvector (`PG_WORDS`) answers the same prefix queries (`'word':*`). Both are created by
`ensure_search_indexes`, run after every `migrate`: SQLite drops a table's triggers when Django rebuilds the
table in a later migration, so they are re-created (and the index rebuilt) whenever they are missing.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from django.db import DatabaseError, connection, connections, models
from django.db.models import BooleanField, Case, IntegerField, Max, Q, Value, When
from django.db.models.expressions import RawSQL

from ocop.core.text import fold_tokens

SEARCH_TABLES: list[str] = []


def register_search_table(table: str) -> None:
    if table not in SEARCH_TABLES:
        SEARCH_TABLES.append(table)


# Words indexes over part of a table, on PostgreSQL: (table, index name, the rows' predicate in SQL). A search that
# asks for PART_WORDS (RankedSearch's `part_words`) reads such an index when its filter implies the predicate: the
# public catalogue searches the certified products, a third of the table, whose index is a third of the whole one.
# PART_WORDS is PG_WORDS written another way (empty words dropped as NULLs), so that only these indexes are built on
# it: the planner, whose estimates for word prefixes are rough, cannot prefer the whole table's index.
PARTIAL_WORDS_INDEXES: list[tuple[str, str, str]] = []


def register_partial_words_index(table: str, name: str, predicate: str) -> None:
    if (table, name, predicate) not in PARTIAL_WORDS_INDEXES:
        PARTIAL_WORDS_INDEXES.append((table, name, predicate))


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
                    _pg_binary_order(cursor, table)
                    # Trigrams serve `search_text LIKE '%words%'` (outlets, documents); the words index the search.
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} "
                        "USING gin (search_text gin_trgm_ops)"
                    )
                    # fastupdate off: rows go straight into the index, not into a pending list that every search
                    # would scan until the next vacuum (a bulk import left 375 pending pages, 25 ms a search).
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {table}_search_words ON {table} "
                        f"USING gin ({PG_WORDS.format(column='search_text')}) WITH (fastupdate = off)"
                    )
            for table, name, predicate in PARTIAL_WORDS_INDEXES:
                if table in conn.introspection.table_names(cursor):
                    cursor.execute(
                        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin "
                        f"({PART_WORDS.format(column='search_text')}) WITH (fastupdate = off) WHERE {predicate}"
                    )


def _pg_binary_order(cursor: Any, table: str) -> None:
    """search_text sorts byte by byte, as on SQLite, whatever the database's locale: an en_US or ICU collation
    would rank "ab c" after "abb" (spaces weigh nothing there) and put "banhda" inside the range of rows opening
    with "banh da". Re-applied after every migrate, since Django's ALTER of the column would drop the collation."""
    cursor.execute(
        "SELECT format_type(a.atttypid, a.atttypmod), c.collname FROM pg_attribute a "
        "LEFT JOIN pg_collation c ON c.oid = a.attcollation WHERE a.attrelid = %s::regclass AND a.attname = %s",
        [table, "search_text"],
    )
    row = cursor.fetchone()
    if row is not None and row[1] != "C":
        cursor.execute(f'ALTER TABLE {table} ALTER COLUMN search_text TYPE {row[0]} COLLATE "C"')


# On PostgreSQL the words of search_text as a tsvector, split on its single spaces: to_tsvector's parser would
# split some words differently from `fold_tokens` ("1e5x" is a number "1e5" then a word "x" to it, so "x" would
# find it). The query side is a tsquery literal of quoted prefixes, which no parser touches either.
PG_WORDS = "array_to_tsvector(array_remove(string_to_array({column}, ' '), ''))"
PART_WORDS = "array_to_tsvector(array_remove(string_to_array({column}, ' ', ''), NULL))"


def _tsquery(tokens: list[str]) -> str:
    """Every token as a word prefix: 'banh':* & 'da':* (tokens are [0-9a-z]+, nothing to escape)."""
    return " & ".join(f"'{t}':*" for t in tokens)


def _pg_match(model: type[models.Model], tokens: list[str], words: str = PG_WORDS) -> RawSQL:
    column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name('search_text')}"
    # The table and column names are ours; the user's words travel as a bound parameter.
    return RawSQL(f"{words.format(column=column)} @@ %s::tsquery", [_tsquery(tokens)], output_field=BooleanField())  # noqa: S611


def _matching[M: models.Model](qs: models.QuerySet[M], tokens: list[str], words: str = PG_WORDS) -> models.QuerySet[M]:
    """Rows whose every query word starts a word of search_text."""
    if connection.vendor == "sqlite":
        table = qs.model._meta.db_table
        # The table name is ours; the user's words travel as a bound parameter.
        fts = RawSQL(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s", [_fts_match(tokens)])  # noqa: S611
        return qs.filter(pk__in=fts)
    return qs.filter(_pg_match(qs.model, tokens, words))


def _fts_match(tokens: list[str]) -> str:
    return " ".join(f'"{t}"*' for t in tokens)


def _opening(phrase: str) -> Q:
    """search_text starts with the phrase, as a range the search_text index serves (folded text is ASCII)."""
    return Q(search_text__gte=phrase, search_text__lt=phrase + "\U0010ffff")


def search[M: models.Model](qs: models.QuerySet[M], q: str | None, words: str = PG_WORDS) -> models.QuerySet[M]:
    """Filter `qs` to rows whose every query word starts a word of search_text; best matches first.

    Order: rows whose text opens with the query's words as typed ("banh da" → "Bánh đa nem"), then the
    others; within each, by the folded text (the name comes first in it), then by id.
    """
    tokens = fold_tokens(q)
    if not tokens:
        return qs
    return _matching(qs, tokens, words).annotate(search_rank=_rank(tokens)).order_by("search_rank", "search_text", "pk")  # type: ignore[return-value]  # annotate widens the type


def _rank(tokens: list[str]) -> Case:
    """0 for a row whose text opens with the query's words as typed, 1 for the others."""
    return Case(When(_opening(" ".join(tokens)), then=Value(0)), default=Value(1), output_field=IntegerField())


# A walk along the search_text index beats sorting every match when matches are dense: with one row in
# k matching, a page of 20 needs about 20·k index entries. Beyond this many entries, sort instead.
WALK_LIMIT = 20_000
# A one-pass search keeps this many of its first ids: a few pages of a public list.
ONE_PASS_HEAD = 96
# ... and reads this many matches at most (past them, the two-step plan).
ONE_PASS_LIMIT = 2500


class RankedSearch[M: models.Model]:
    """The rows of `search(qs, q)` as a lazy sequence for a paginated list: `count()` and slices.

    Each page is two steps: the page's ids in rank order, then those rows with their related rows
    (`select`, `prefetch`, `only`), so the ranking never drags wide joined rows through a sort. The ids
    come from a small plan of our own (docs/decisions.md, "Search speed"): the rows opening with the query
    from a range of the search_text index, then the rest; on SQLite either by walking that index (many
    matches) or by sorting the matches (few), on PostgreSQL as its planner chooses ("Search on
    PostgreSQL"). On SQLite an unfiltered count comes straight from the FTS index.
    """

    def __init__(
        self,
        qs: models.QuerySet[M],
        q: str | None,
        *,
        select: Sequence[str] = (),
        prefetch: Sequence[str | models.Prefetch] = (),
        only: Sequence[str] = (),
        walk_limit: int = WALK_LIMIT,
        one_pass: bool = False,
        part_words: bool = False,
        fixed_join_order: bool = False,
    ) -> None:
        self._qs = qs
        self._fixed_join_order = fixed_join_order  # PostgreSQL: the page's rows joined as written (joins_as_written)
        self._words = PART_WORDS if part_words else PG_WORDS
        self._walk_limit = walk_limit
        self._tokens = fold_tokens(q)
        self._select, self._prefetch, self._only = select, prefetch, only
        self._count: int | None = None
        self._at_least = 0  # a capped count that hit its cap: the exact count is at least this
        self._opening_count: int | None = None
        # The two-tier page plan (`_ids`) needs the index on search_text; SQLite also counts from its FTS table.
        self._fast = bool(self._tokens) and _walk_index(qs.model) is not None
        self._fts = self._fast and connection.vendor == "sqlite"
        self._ordered = search(qs, q, self._words) if self._tokens else qs
        # PostgreSQL, a filtered search (the public catalogue): the count and the first ids from one scan of the
        # matches (docs/decisions.md, "The catalogue in one pass"); the words index is the costly part of both.
        self._one_pass = one_pass and bool(self._tokens) and connection.vendor == "postgresql"
        self._head: list[Any] | None = None  # the first ids in rank order, from that scan

    def count(self) -> int:
        if self._count is None:
            if self._fts and not self._qs.query.where:
                table = self._qs.model._meta.db_table
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH %s", [_fts_match(self._tokens)]
                    )
                    self._count = int(cursor.fetchone()[0])
            elif self._fts:  # driven from the FTS index, each match joined to its row: faster than `id IN (...)`
                self._count = _fts_capped_count(self._qs.order_by(), self._tokens, None)
            elif self._tokens:
                self._count = _matching(self._qs.order_by(), self._tokens, self._words).count()
            else:
                self._count = self._qs.count()
        return self._count

    def capped_count(self, cap: int) -> int:
        """The count, up to `cap`: exact below it, `cap` when there are at least that many (the catalogue shows
        "1,000+" then), which spares counting every match of a common word under a filter."""
        if self._count is None and self._fts and not self._qs.query.where:
            self.count()  # straight from the FTS index: cheap
        if self._count is None and self._one_pass:
            self._scan_once()
            if self._count is None and cap <= ONE_PASS_LIMIT:  # more matches than the one pass reads: past the cap
                self._at_least = cap
                return cap
        if self._count is not None:
            return min(self._count, cap)
        plain = self._qs.order_by()
        if self._fts:
            found = _fts_capped_count(plain, self._tokens, cap)
        else:
            found = (_matching(plain, self._tokens, self._words) if self._tokens else plain).values("pk")[:cap].count()
        if found < cap:
            self._count = found
        else:
            self._at_least = cap
        return found

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[M]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("RankedSearch takes slices only")
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        if stop <= start:
            return []
        head = self._head
        if head is not None and (stop <= len(head) or len(head) == self._count):
            ids = head[start:stop]
        elif self._fast:
            ids = self._ids(start, stop)
        else:
            ids = list(self._ordered.values_list("pk", flat=True)[start:stop])
        rows = self._qs.model._default_manager.filter(pk__in=ids).order_by()  # put in rank order below
        if self._only:
            rows = rows.only(*self._only)
        if self._select:
            rows = rows.select_related(*self._select)
        if self._prefetch:
            rows = rows.prefetch_related(*self._prefetch)
        with joins_as_written(rows.db) if self._fixed_join_order else nullcontext():
            by_id = {row.pk: row for row in rows}
        return [by_id[i] for i in ids if i in by_id]  # a row deleted between the two reads is left out

    def _scan_once(self) -> None:
        """The exact count and the first ONE_PASS_HEAD ids in rank order, in one query, when the matches are at most
        ONE_PASS_LIMIT: up to one more of them are read (in no order), counted (COUNT(*) OVER (), computed before
        ORDER BY and LIMIT) and the first sorted. Past the limit nothing is kept: a short common word ("b") matches
        tens of thousands of rows, which the capped count and the walked page read far fewer of."""
        inner = (
            _matching(self._qs.order_by(), self._tokens, self._words)
            .annotate(search_rank=_rank(self._tokens))
            .values_list("pk", "search_rank", "search_text")[: ONE_PASS_LIMIT + 1]
        )
        sql, params = inner.query.get_compiler(using=inner.db).as_sql()
        with connections[inner.db].cursor() as cursor:
            cursor.execute(
                f"SELECT m.pk, count(*) OVER () FROM ({sql}) AS m (pk, search_rank, search_text) "  # our SQL
                f'ORDER BY m.search_rank, m.search_text COLLATE "C", m.pk LIMIT {int(ONE_PASS_HEAD)}',
                params,
            )
            rows = cursor.fetchall()
        matches = rows[0][1] if rows else 0
        if matches <= ONE_PASS_LIMIT:
            self._count = matches
            self._head = [pk for pk, _matches in rows]

    def _ids(self, start: int, stop: int) -> list[Any]:
        qs = self._qs.order_by()
        phrase = " ".join(self._tokens)
        # Folded text is words of [0-9a-z] between single spaces, so a text that opens with the phrase
        # matches every query word: these rows need no FTS lookup.
        opening = qs.filter(_opening(phrase))
        ids: list[Any] = []
        if self._opening_count is None or start < self._opening_count:
            ids = list(opening.order_by("search_text", "pk").values_list("pk", flat=True)[start:stop])
            if len(ids) == stop - start:
                return ids
            # A short slice tells where the opening rows end, unless it started past them.
            if ids or start == 0:
                self._opening_count = start + len(ids)
            elif self._opening_count is None:
                self._opening_count = opening.count()
        first = self._opening_count or 0
        if stop > first:
            rest = (
                _matching(qs, self._tokens, self._words)
                .exclude(_opening(phrase))
                .order_by("search_text", "pk")
                .values_list("pk", flat=True)
            )
            lo, hi = max(0, start - first), stop - first
            if not self._fts:  # PostgreSQL's planner chooses between walking the index and sorting by itself
                return ids + list(rest[lo:hi])
            total = self._count if self._count is not None else (self._at_least or self.count())
            remaining = total - first
            highest = self._qs.model._default_manager.aggregate(m=Max("pk"))["m"] or 0
            if remaining > 0 and hi * highest / remaining <= self._walk_limit:
                ids += _walk(rest[lo:hi])
            else:
                ids += rest[lo:hi]
        return ids


@contextmanager
def joins_as_written(using: str) -> Iterator[None]:
    """On PostgreSQL, the queries run inside join their tables in the order the query writes them: a page's rows by
    id, then each related table by its key. Left to choose, the planner weighs every order of a product row's seven
    tables, 1.7 ms to plan a query that runs in 0.6 (docs/decisions.md, "Search on PostgreSQL"); the SET and RESET
    cost two round trips, worth it for such a join only. A SET made in a transaction that fails is undone by its
    rollback, so the RESET after an error may fail quietly."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        yield
        return
    with conn.cursor() as cursor:
        cursor.execute("SET join_collapse_limit = 1")
    try:
        yield
    finally:
        failed = sys.exc_info()[0] is not None
        try:
            with conn.cursor() as cursor:
                cursor.execute("RESET join_collapse_limit")
        except DatabaseError:
            if not failed:
                raise  # else the transaction failed: its rollback undoes the SET


def _walk_index(model: type[models.Model]) -> str | None:
    """The name of the model's index on search_text alone, which the SQLite page plan walks."""
    for index in model._meta.indexes:
        if list(index.fields) == ["search_text"]:
            return index.name
    return None


def _fts_capped_count(qs: models.QuerySet[Any], tokens: list[str], cap: int | None) -> int:
    """Count matches up to `cap` (all of them when None), driving from the FTS index (rowid order) so that it stops at
    the cap instead of collecting every match first, as `pk IN (FTS rows)` would."""
    sql, params = qs.values("pk").query.get_compiler(using=qs.db).as_sql()
    table = qs.model._meta.db_table
    quoted = connection.ops.quote_name(table)
    joined = f"FROM {table}_fts JOIN {quoted} ON {quoted}.id = {table}_fts.rowid"
    match = f"{table}_fts MATCH %s"
    sql = sql.replace(f"FROM {quoted}", joined, 1)
    # The MATCH opens the WHERE clause, so its parameter comes first (a plain SELECT has none before WHERE).
    sql = sql.replace(" WHERE ", f" WHERE {match} AND ", 1) if " WHERE " in sql else f"{sql} WHERE {match}"
    with connection.cursor() as cursor:
        limit = "" if cap is None else f" LIMIT {int(cap)}"
        cursor.execute(f"SELECT count(*) FROM ({sql}{limit})", [_fts_match(tokens), *params])
        return int(cursor.fetchone()[0])


def _walk(qs: models.QuerySet[Any]) -> list[Any]:
    """Run `qs` (ids ordered by search_text) walking the search_text index instead of sorting."""
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    table = connection.ops.quote_name(qs.model._meta.db_table)
    index = connection.ops.quote_name(_walk_index(qs.model) or "")
    walked = sql.replace(f"FROM {table}", f"FROM {table} INDEXED BY {index}", 1)
    with connection.cursor() as cursor:
        cursor.execute(walked, params)
        return [row[0] for row in cursor.fetchall()]
