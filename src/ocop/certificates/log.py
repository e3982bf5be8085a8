"""The transparency log: every issuance, suspension, lift, revocation and supersession, hash-chained.

Each entry's hash covers its sequence number, time, event, certificate number, data and the previous entry's hash;
the head row holds the last sequence and hash, so an edited, removed or reordered entry breaks the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import transaction
from django.db.models import Max, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates.enums import LogEvent, Status
from ocop.certificates.models import Certificate, LogEntry, LogHead

GENESIS = "0" * 64


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(*, seq: int, at: str, event: str, number: str, data: dict[str, Any], prev_hash: str) -> str:
    body = {"seq": seq, "at": at, "event": event, "certificate": number, "data": data, "prev": prev_hash}
    return hashlib.sha256(canonical(body)).hexdigest()


def _quick_hash(*, seq: int, at: str, event: str, number: str, data: Any, prev_hash: str) -> str | None:
    """entry_hash, written by orjson (several times faster: the verifier hashes a million entries); None when orjson
    cannot write the data (an integer beyond 64 bits). Where both can write a value, orjson writes the same canonical
    text (sorted keys, no spaces, UTF-8, the same escapes). A match needs the very text first hashed, which only the
    same value gives, so a match is sound; a mismatch is checked again with entry_hash before anything is reported."""
    body = {"seq": seq, "at": at, "event": event, "certificate": number, "data": data, "prev": prev_hash}
    try:
        return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()
    except (orjson.JSONEncodeError, TypeError):
        return None


# orjson reads an integer beyond 64 bits as a float, silently; a text with 19 digits in a row is read by json instead.
_LONG_NUMBER = re.compile(r"\d{19}")


def _loads(text: Any) -> Any:
    """An entry's stored data, as the JSON field reads it (json.loads; the text itself if it is not JSON), read by
    orjson where it gives the very same values (several times faster), else by json."""
    if not isinstance(text, str):
        return text  # a driver that hands JSON over decoded
    if _LONG_NUMBER.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass  # NaN, an infinity, a lone surrogate: json reads them
    try:
        return json.loads(text)
    except ValueError:
        return text


def _at(entry: LogEntry) -> str:
    return entry.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def append(*, event: LogEvent, certificate: Certificate, data: dict[str, Any]) -> LogEntry:
    """Append one entry; must run inside the transaction that makes the change (it locks the head row)."""
    assert transaction.get_connection().in_atomic_block, "log.append runs inside the change's transaction"
    LogHead.objects.get_or_create(pk=1)
    head = LogHead.objects.select_for_update().get(pk=1)
    entry = LogEntry(
        seq=head.seq + 1,
        at=timezone.now().replace(microsecond=0),
        event=event,
        certificate=certificate,
        data=data,
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(
        seq=entry.seq, at=_at(entry), event=event, number=certificate.number, data=data, prev_hash=head.hash
    )
    entry.save()
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])
    return entry


def append_many(items: list[tuple[LogEvent, Certificate, dict[str, Any]]]) -> None:
    """Append entries in order with one lock, one insert and one head update (an import logs thousands at once)."""
    if not items:
        return
    assert transaction.get_connection().in_atomic_block, "log.append_many runs inside the change's transaction"
    LogHead.objects.get_or_create(pk=1)
    head = LogHead.objects.select_for_update().get(pk=1)
    at = timezone.now().replace(microsecond=0)
    stamp = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    seq, prev = head.seq, head.hash
    entries = []
    for event, certificate, data in items:
        seq += 1
        digest = entry_hash(seq=seq, at=stamp, event=event, number=certificate.number, data=data, prev_hash=prev)
        entries.append(
            LogEntry(seq=seq, at=at, event=event, certificate=certificate, data=data, prev_hash=prev, hash=digest)
        )
        prev = digest
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])


def as_dict(entry: LogEntry, number: str) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": _at(entry),
        "event": entry.event,
        "certificate": number,
        "data": entry.data,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def entries(*, after: int = 0, limit: int | None = None) -> Iterator[dict[str, Any]]:
    qs = LogEntry.objects.filter(seq__gt=after).select_related("certificate").order_by("seq")
    if limit is not None:
        qs = qs[:limit]
    for entry in qs.iterator(chunk_size=2000):
        yield as_dict(entry, entry.certificate.number)


Row = tuple[int, str, str, str, Any, str, str]  # seq, at, event, certificate number, data, prev_hash, hash


def _stored() -> Iterator[Row]:
    """The stored entries in order, as plain values: the verifier reads a million of them, and model objects (with
    the certificate's) would cost it most of its time."""
    rows = (
        LogEntry.objects.order_by("seq")
        .annotate(text=Cast("data", TextField()))  # the stored text, read by _loads rather than the field
        .values_list("seq", "at", "event", "certificate__number", "text", "prev_hash", "hash")
    )
    for seq, at, event, number, text, prev_hash, digest in rows.iterator(chunk_size=5000):
        # As _at() writes it; isoformat is several times faster than strftime, and entries have no microseconds.
        stamp = at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat() + "Z"
        yield seq, stamp, event, number, _loads(text), prev_hash, digest


@dataclass(frozen=True)
class LogProblem:
    seq: int
    message: str


def verify(rows: Iterator[dict[str, Any]] | None = None, head: tuple[int, str] | None = None) -> list[LogProblem]:
    """Check the whole chain (the database's, or rows served by the API with the head they end at)."""
    chain: Iterator[Row]
    if rows is None:
        chain = _stored()
        stored = LogHead.objects.filter(pk=1).first()
        head = (stored.seq, stored.hash) if stored else (0, GENESIS)
    else:
        chain = ((r["seq"], r["at"], r["event"], r["certificate"], r["data"], r["prev_hash"], r["hash"]) for r in rows)
    problems: list[LogProblem] = []
    expected_seq, prev = 1, GENESIS
    for seq, at, event, number, data, prev_hash, digest in chain:
        if seq != expected_seq:
            message = _("Entry %(seq)s comes where entry %(want)s should be: entries were removed or reordered.")
            problems.append(LogProblem(seq, message % {"seq": seq, "want": expected_seq}))
        if prev_hash != prev:
            problems.append(LogProblem(seq, _("Entry %(seq)s does not follow the entry before it.") % {"seq": seq}))
        fields = {"seq": seq, "at": at, "event": event, "number": number, "data": data, "prev_hash": prev_hash}
        if _quick_hash(**fields) != digest and entry_hash(**fields) != digest:
            problems.append(LogProblem(seq, _("Entry %(seq)s was edited: its hash does not match.") % {"seq": seq}))
        expected_seq, prev = seq + 1, digest
    if head is not None and (expected_seq - 1, prev) != head:
        problems.append(
            LogProblem(
                expected_seq - 1,
                _("The log does not end at its recorded head: entries were removed or replaced at the end."),
            )
        )
    return problems


# ---- the state: the certificates table replayed from the log -------------------------------------------------

STATUS_AFTER: dict[str, Status] = {
    LogEvent.ISSUED: Status.VALID,
    LogEvent.IMPORTED: Status.VALID,
    LogEvent.SUSPENDED: Status.SUSPENDED,
    LogEvent.LIFTED: Status.VALID,
    LogEvent.REVOKED: Status.REVOKED,
    LogEvent.SUPERSEDED: Status.SUPERSEDED,
}
COMPARED = ("code", "stars", "issued_on", "valid_until")
# The events whose day is a decided fact, which the reports of a past period count from (`asof`): the revocation
# decision's date, the successor's issue date. A suspension or a lift dates from the day it was logged (the entry's
# own time says when).
DATED_EVENTS = (LogEvent.REVOKED, LogEvent.SUPERSEDED)


@dataclass(frozen=True)
class StateProblem:
    number: str
    message: str


def _last_entries() -> Iterator[tuple[int, str, Any]]:
    """Each certificate's last entry (certificate id, event, data), in the order of certificate ids. The database
    finds them (the highest sequence number of each), so only one entry a certificate is read and held."""
    last = LogEntry.objects.order_by().values("certificate_id").annotate(last=Max("seq")).values("last")
    rows = LogEntry.objects.filter(seq__in=Subquery(last)).order_by("certificate_id")
    yield from rows.values_list("certificate_id", "event", "data").iterator(chunk_size=5000)


def replay() -> list[StateProblem]:
    """Replay the log (each certificate's last entry carries its code, product, producer, stars, dates and the status
    it left, with the day a revocation or supersession dates from) and compare the result with the certificates
    table: a row edited behind the application's back (stars raised, a revoked certificate set valid again, a date
    moved, the certificate given to another product) differs from what was logged when it changed. Both sides are
    read in the order of certificate ids and walked together, so memory stays flat however long the log. Entries
    written before the log carried the product's and producer's ids and the status's day (December 2026) are
    compared on the rest: they name the product by a name, which a rename may since have changed."""
    logged = _last_entries()
    pending = next(logged, None)
    problems: list[StateProblem] = []
    fields = ("pk", "number", "status", "status_since", "product_id", "producer_id", *COMPARED)
    for pk, number, status, since, product_id, producer_id, *values in (
        Certificate.objects.order_by("pk").values_list(*fields).iterator(chunk_size=5000)
    ):
        while pending is not None and pending[0] < pk:  # an entry of a certificate no longer in the table
            pending = next(logged, None)
        if pending is None or pending[0] != pk:
            problems.append(StateProblem(number, _("Certificate %(number)s is not in the log.") % {"number": number}))
            continue
        _id, event, data = pending
        pending = next(logged, None)
        data = data if isinstance(data, dict) else {}  # an entry rewritten into a list or a number: no field matches
        table = dict(zip(COMPARED, values, strict=True))
        table["issued_on"], table["valid_until"] = table["issued_on"].isoformat(), table["valid_until"].isoformat()
        for name in COMPARED:
            if data.get(name) != table[name]:
                label = getattr(Certificate._meta.get_field(name), "verbose_name", name)
                problems.append(StateProblem(number, _(
                    "Certificate %(number)s: %(field)s is %(table)s in the table but %(log)s in the log."
                ) % {"number": number, "field": label, "table": table[name], "log": data.get(name, "—")}))  # fmt: skip
        for key, table_id, label in (
            ("product_id", product_id, _("product")),
            ("producer_id", producer_id, _("producer")),
        ):
            if key in data and data[key] != table_id:
                problems.append(StateProblem(number, _(
                    "Certificate %(number)s: %(field)s is #%(table)s in the table but #%(log)s in the log."
                ) % {"number": number, "field": label, "table": table_id, "log": data[key]}))  # fmt: skip
        since_text = since.isoformat() if since else "—"
        if event in DATED_EVENTS and "status_since" in data and data["status_since"] != since_text:
            problems.append(StateProblem(number, _(
                "Certificate %(number)s: its status dates from %(table)s in the table but from %(log)s in the log."
            ) % {"number": number, "table": since_text, "log": data["status_since"]}))  # fmt: skip
        expected = STATUS_AFTER.get(event)  # an event no service writes leaves no status: reported, never a crash
        if status != expected:
            problems.append(StateProblem(number, _(
                "Certificate %(number)s: the table says %(table)s but the log's last entry leaves it %(log)s."
            ) % {"number": number, "table": _label(status), "log": _label(expected or event)}))  # fmt: skip
    return problems


def _label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else str(status)
