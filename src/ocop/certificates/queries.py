"""Reading certificates with the status a reader sees today (computed in SQL from the stored status and dates)."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any

import psycopg
from django.conf import settings
from django.db import connections, router
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Case, CharField, Expression, F, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ocop.certificates.enums import DecisionState, Status
from ocop.certificates.models import Certificate, Decision, LogEntry
from ocop.certificates.rules import reader_status, shows_as_ocop


def _dates(today: dt.date | None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today, today + dt.timedelta(days=settings.OCOP_EXPIRY_WARN_DAYS)


def with_status(qs: QuerySet[Certificate], today: dt.date | None = None) -> QuerySet[Certificate]:
    """Annotate `reader_status`: a stored suspension, revocation or supersession; else expired, expiring, valid."""
    today, warn = _dates(today)
    return qs.annotate(
        reader_status=Case(
            When(~Q(status=Status.VALID), then=F("status")),
            When(valid_until__lt=today, then=Value(Status.EXPIRED.value)),
            When(valid_until__lte=warn, then=Value(Status.EXPIRING.value)),
            default=Value(Status.VALID.value),
            output_field=CharField(),
        )
    )


def status_q(status: str, today: dt.date | None = None, prefix: str = "") -> Q:
    """The certificates a reader sees in `status` today; "current" is valid or expiring (an OCOP product today).
    With `prefix="ocop_"` it reads a product's copy of its latest certificate (`ocop_status`, `ocop_until`)."""
    today, warn = _dates(today)
    stored, until = f"{prefix}status", f"{prefix}until" if prefix else "valid_until"
    valid = Q(**{stored: Status.VALID})
    return {
        "current": valid & Q(**{f"{until}__gte": today}),
        Status.VALID: valid & Q(**{f"{until}__gt": warn}),
        Status.EXPIRING: valid & Q(**{f"{until}__gte": today, f"{until}__lte": warn}),
        Status.EXPIRED: valid & Q(**{f"{until}__lt": today}),
    }.get(status, Q(**{stored: status}))


def _logged(key: str) -> Subquery:
    """A value as the certificate's first log entry recorded it: its issuance (or its entry from a recognition
    list), written in the transaction that issued it, from the same product row the signed claim was made of."""
    first = LogEntry.objects.filter(certificate=OuterRef("pk")).order_by("seq")
    return Subquery(first.annotate(value=KeyTextTransform(key, "data")).values("value")[:1], output_field=CharField())


def with_certified_names(qs: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """Annotate `certified_product` and `certified_producer`: the names as they stood at issue. A later rename of
    the product or its producer changes the registry's rows, never what was certified. (A certificate without a log
    entry, which no service makes, falls back to the names of today.)"""
    return qs.annotate(
        certified_product=Coalesce(_logged("product"), F("product__name")),
        certified_producer=Coalesce(_logged("producer"), F("producer__name")),
    )


def names_as_certified(pk: int) -> tuple[str, str]:
    """(product, producer) as certificate `pk` was issued to them."""
    names = with_certified_names(Certificate.objects.filter(pk=pk)).values_list(  # type: ignore[misc]  # annotations
        "certified_product", "certified_producer"
    )
    product, producer = names.get()
    return str(product), str(producer)


def packs_of(certificate: Certificate) -> list[dict[str, str]]:
    """The packs carrying the mark as issued: the certificate's copy, else (a certificate without one) the packs it
    links (prefetched by `by_code` and the API's listing)."""
    if certificate.issued_packs is not None:
        return list(certificate.issued_packs)
    return [{"name": p.name, "size": p.size, "gtin": p.gtin} for p in certificate.packs.all()]


def current_name(certified: str, live: str) -> str | None:
    """The name of today when it differs from the certified one (shown as "tên hiện tại"), else None."""
    return live if live != certified else None


def by_code(code: str) -> Certificate | None:
    """The certificate behind a QR code (codes are read case-insensitively), with what its page shows."""
    code = code.strip().upper()
    if not code or len(code) > 16:
        return None
    return (
        with_certified_names(with_status(Certificate.objects.filter(code=code)))
        .select_related("product__producer", "producer", "commune", "province", "decision", "superseded_by")
        .prefetch_related("packs")
        .first()
    )


SCAN_FIELDS = {
    "pk": "id", "code": "code", "number": "number", "stars": "stars", "issued_on": "issued_on",
    "valid_until": "valid_until", "stored_status": "status", "status_reason": "status_reason",
    "status_since": "status_since", "revocation_decision": "revocation_decision", "updated_at": "updated_at",
    "product": "certified_product", "producer": "certified_producer", "live_product": "product__name",
    "live_producer": "producer__name", "commune": "commune__name",
    "province": "province__name", "decision": "decision__number", "decision_on": "decision__signed_on",
    "issuing_body": "decision__issuing_body", "new_number": "superseded_by__number",
    "new_stars": "superseded_by__stars", "product_id": "product_id", "potential_five": "potential_five",
    "historical": "decision__historical", "approximate": "decision__date_approximate",
    "issued_packs": "issued_packs", "linked_packs": "linked_packs",
}  # fmt: skip
DATES = ("issued_on", "valid_until", "status_since", "decision_on")


def _dated(row: dict[str, Any]) -> dict[str, Any]:
    """Dates as dates: a raw SQLite cursor returns them as text (PostgreSQL already gives dates)."""
    for key in DATES:
        if isinstance(row[key], str):
            row[key] = dt.date.fromisoformat(row[key])
    if isinstance(row["updated_at"], str):
        row["updated_at"] = parse_datetime(row["updated_at"])
    return row


class LinkedPacks(Expression):
    """The packs a certificate links, as the text of a JSON array in the database's own dialect, for a certificate
    without its copy of the packs as issued (NULL for one with it): read in the same query as the row."""

    output_field = TextField()

    def _parts(self) -> dict[str, str]:
        through = Certificate.packs.through._meta
        pack = through.get_field("productpack").related_model._meta  # type: ignore[union-attr]
        return {
            "cert": Certificate._meta.db_table, "through": through.db_table, "pack": pack.db_table,
            "cert_id": through.get_field("certificate").column, "pack_id": through.get_field("productpack").column,
        }  # fmt: skip

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        t = self._parts()
        return (
            f'CASE WHEN "{t["cert"]}"."issued_packs" IS NULL THEN (SELECT json_group_array(json_object('
            f"'name', p.name, 'size', p.size, 'gtin', p.gtin)) FROM (SELECT pp.name, pp.size, pp.gtin "
            f'FROM "{t["through"]}" cp JOIN "{t["pack"]}" pp ON pp.id = cp."{t["pack_id"]}" '
            f'WHERE cp."{t["cert_id"]}" = "{t["cert"]}"."id" ORDER BY pp.id) p) END',
            (),
        )

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:  # PostgreSQL
        t = self._parts()
        return (
            f'CASE WHEN "{t["cert"]}"."issued_packs" IS NULL THEN (SELECT json_agg(json_build_object('
            f"'name', pp.name, 'size', pp.size, 'gtin', pp.gtin) ORDER BY pp.id)::text "
            f'FROM "{t["through"]}" cp JOIN "{t["pack"]}" pp ON pp.id = cp."{t["pack_id"]}" '
            f'WHERE cp."{t["cert_id"]}" = "{t["cert"]}"."id") END',
            (),
        )


def scan_values(qs: QuerySet[Certificate], *extra: str) -> QuerySet[Certificate, dict[str, Any]]:
    """The rows of SCAN_FIELDS (and the caller's `extra` annotations), packs and certified names included: one query."""
    return with_certified_names(qs).annotate(linked_packs=LinkedPacks()).values(*SCAN_FIELDS.values(), *extra)


def scan_rows(qs: QuerySet[Certificate], today: dt.date | None = None) -> list[dict[str, Any]]:
    """What the QR page shows, as plain rows (the status computed here), in one query. Packs are shown only for
    certificates that are OCOP today: as issued, or (a certificate without that copy) the packs it links."""
    today = today or timezone.localdate()
    return [finish_row({key: row[field] for key, field in SCAN_FIELDS.items()}, today) for row in scan_values(qs)]


def finish_row(row: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A row of `scan_values` (by SCAN_FIELDS' keys, from a raw cursor or from the ORM) as the page reads it."""
    row = _dated(row)
    # The page names the product and producer as certified; a later name shows beside them ("tên hiện tại").
    row["current_name"] = current_name(row["product"], row.pop("live_product"))
    row["current_producer"] = current_name(row["producer"], row.pop("live_producer"))
    row["status"] = reader_status(row["stored_status"], row["valid_until"], today, settings.OCOP_EXPIRY_WARN_DAYS)
    issued, linked = row.pop("issued_packs"), row.pop("linked_packs")
    packs = issued if issued is not None else linked
    packs = json.loads(packs) if isinstance(packs, str) else packs  # a raw cursor gives the JSON's text
    row["packs"] = list(packs or []) if shows_as_ocop(row["status"]) else []
    return row


CODE = "\x00code"  # stands for the code in the compiled query; no other parameter of it can be this


def compile_by_code(qs: QuerySet[Any], alias: str) -> tuple[str, tuple[Any, ...]]:
    """`qs` (filtered on code=CODE) compiled for `alias`, to run with the code put in: the QR page's query is the
    hottest path of the public site, so it is compiled once per process (and day, when it depends on it). On SQLite
    its parameters are named: Django's cursor then fills in their names instead of running a regular expression over
    the whole query at each call (half of the query's cost)."""
    sql, params = qs.query.get_compiler(alias).as_sql()
    assert list(params).count(CODE) == 1
    if connections[alias].vendor == "sqlite":
        numbers = iter(range(len(params)))
        sql = FORMAT_QMARK_REGEX.sub(lambda _match: f"%(p{next(numbers)})s", sql)
    return str(sql), tuple(params)


@lru_cache(maxsize=4)
def _by_code_sql(alias: str) -> tuple[str, tuple[Any, ...]]:
    return compile_by_code(scan_values(Certificate.objects.filter(code=CODE)), alias)


def clean_code(code: str) -> str:
    """A code as stored (read case-insensitively), or "" when it cannot be one."""
    code = code.strip().upper()
    return code if len(code) <= 16 else ""


def fetch_by_code(sql: str, params: tuple[Any, ...], alias: str, code: str) -> tuple[Any, ...] | None:
    values = [code if p == CODE else p for p in params]
    connection = connections[alias]
    if connection.vendor == "sqlite":  # the two databases supported: SQLite, PostgreSQL
        with connection.cursor() as cursor:
            cursor.execute(sql, {f"p{n}": value for n, value in enumerate(values)})
            return cursor.fetchone()  # type: ignore[no-any-return]
    # PostgreSQL planned the QR page's query (seven tables, four subqueries) at each scan: 1.7 ms of planning for
    # 0.3 ms of running. Prepared on the connection (kept between requests, CONN_MAX_AGE), it is planned for its first
    # runs and then run from a generic plan: 3.3 ms -> 0.3 ms on the certificates bench. Django's cursors bind their
    # parameters on the client, which cannot prepare; this one binds on the server, wrapped as Django wraps its own
    # (errors, logging, execute wrappers). psycopg prepares nothing while prepare_threshold is None, Django's
    # default; 0 prepares a server-bound query at its first run, and this is the only server-bound cursor.
    connection.ensure_connection()
    raw = connection.connection
    raw.prepare_threshold = 0
    wrapper = CursorDebugWrapper if connection.queries_logged else CursorWrapper
    with wrapper(psycopg.Cursor(raw), connection) as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone()  # type: ignore[no-any-return]


def scan_row(code: str) -> dict[str, Any] | None:
    """The QR page's row for a code (codes are read case-insensitively), or None."""
    if not (code := clean_code(code)):
        return None
    alias = router.db_for_read(Certificate) or "default"
    found = fetch_by_code(*_by_code_sql(alias), alias, code)
    if found is None:
        return None
    return finish_row(dict(zip(SCAN_FIELDS, found, strict=True)), timezone.localdate())


def published_decisions() -> QuerySet[Decision]:
    """Recognition decisions as published legal documents, open to anyone: the issued ones (a draft is the office's
    work, read through `access.decisions_visible_to`)."""
    return Decision.objects.filter(state=DecisionState.ISSUED)
