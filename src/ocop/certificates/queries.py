"""Reading certificates with the status a reader sees today (computed in SQL from the stored status and dates)."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, F, OuterRef, Q, QuerySet, Subquery, Value, When
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
    "issued_packs": "issued_packs",
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


def scan_rows(qs: QuerySet[Certificate], today: dt.date | None = None) -> list[dict[str, Any]]:
    """What the QR page shows, as plain rows (the status computed here). Packs are shown only for certificates that
    are OCOP today: as issued, or (a certificate without that copy) with a second query of the packs it links."""
    today = today or timezone.localdate()
    values = with_certified_names(qs).values(*SCAN_FIELDS.values())
    rows = [{key: row[field] for key, field in SCAN_FIELDS.items()} for row in values]
    return _finish([_dated(row) for row in rows], today)


def _finish(rows: list[dict[str, Any]], today: dt.date) -> list[dict[str, Any]]:
    current: dict[int, dict[str, Any]] = {}  # OCOP today and without a copy of its packs: the packs it links are read
    for row in rows:
        # The page names the product and producer as certified; a later name shows beside them ("tên hiện tại").
        row["current_name"] = current_name(row["product"], row.pop("live_product"))
        row["current_producer"] = current_name(row["producer"], row.pop("live_producer"))
        row["status"] = reader_status(row["stored_status"], row["valid_until"], today, settings.OCOP_EXPIRY_WARN_DAYS)
        issued = row.pop("issued_packs")
        issued = json.loads(issued) if isinstance(issued, str) else issued  # a raw cursor gives the JSON's text
        ocop = shows_as_ocop(row["status"])
        row["packs"] = list(issued or []) if ocop else []
        if ocop and issued is None:
            current[row["pk"]] = row
    if current:
        through = Certificate.packs.through.objects.filter(certificate_id__in=current)
        for cert_id, name, size, gtin in through.values_list(
            "certificate_id", "productpack__name", "productpack__size", "productpack__gtin"
        ).order_by("productpack__id"):
            current[cert_id]["packs"].append({"name": name, "size": size, "gtin": gtin})
    return rows


CODE = "\x00code"  # stands for the code in the compiled query; no other parameter of it can be this


@lru_cache(maxsize=2)
def _by_code_sql(vendor: str) -> tuple[str, tuple[Any, ...]]:
    """The page's query, compiled once per process: it is the hottest path of the public site. Its parameters are
    the code and the keys read from the log's first entry."""
    qs = with_certified_names(Certificate.objects.filter(code=CODE)).values(*SCAN_FIELDS.values())
    sql, params = qs.query.sql_with_params()
    assert list(params).count(CODE) == 1
    return str(sql), tuple(params)


def scan_row(code: str) -> dict[str, Any] | None:
    """The QR page's row for a code (codes are read case-insensitively), or None."""
    code = code.strip().upper()
    if not code or len(code) > 16:
        return None
    sql, params = _by_code_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [code if p == CODE else p for p in params])
        found = cursor.fetchone()
    if found is None:
        return None
    row = _dated(dict(zip(SCAN_FIELDS, found, strict=True)))
    return _finish([row], timezone.localdate())[0]


def published_decisions() -> QuerySet[Decision]:
    """Recognition decisions as published legal documents, open to anyone: the issued ones (a draft is the office's
    work, read through `access.decisions_visible_to`)."""
    return Decision.objects.filter(state=DecisionState.ISSUED)
