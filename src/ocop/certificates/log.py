"""The transparency log: every issuance, suspension, lift, revocation and supersession, hash-chained.

Each entry's hash covers its sequence number, time, event, certificate number, data and the previous entry's hash;
the head row holds the last sequence and hash, so an edited, removed or reordered entry breaks the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
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


@dataclass(frozen=True)
class LogProblem:
    seq: int
    message: str


def verify(rows: Iterator[dict[str, Any]] | None = None, head: tuple[int, str] | None = None) -> list[LogProblem]:
    """Check the whole chain (the database's, or rows served by the API with the head they end at)."""
    if rows is None:
        rows = entries()
        stored = LogHead.objects.filter(pk=1).first()
        head = (stored.seq, stored.hash) if stored else (0, GENESIS)
    problems: list[LogProblem] = []
    expected_seq, prev = 1, GENESIS
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            message = _("Entry %(seq)s comes where entry %(want)s should be: entries were removed or reordered.")
            problems.append(LogProblem(seq, message % {"seq": seq, "want": expected_seq}))
        if row["prev_hash"] != prev:
            problems.append(LogProblem(seq, _("Entry %(seq)s does not follow the entry before it.") % {"seq": seq}))
        digest = entry_hash(
            seq=seq, at=row["at"], event=row["event"], number=row["certificate"], data=row["data"],
            prev_hash=row["prev_hash"],
        )  # fmt: skip
        if digest != row["hash"]:
            problems.append(LogProblem(seq, _("Entry %(seq)s was edited: its hash does not match.") % {"seq": seq}))
        expected_seq, prev = seq + 1, row["hash"]
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


@dataclass(frozen=True)
class StateProblem:
    number: str
    message: str


def replay() -> list[StateProblem]:
    """Replay the log (each certificate's last entry carries its code, stars, dates and the status it left) and
    compare the result with the certificates table: a row edited behind the application's back (stars raised, a
    revoked certificate set valid again, a date moved) differs from what was logged when it changed."""
    last: dict[int, tuple[str, dict[str, Any]]] = {}
    rows = LogEntry.objects.order_by("seq").values_list("certificate_id", "event", "data")
    for certificate_id, event, data in rows.iterator(chunk_size=5000):
        last[certificate_id] = (event, data)
    problems: list[StateProblem] = []
    fields = ("pk", "number", "status", *COMPARED)
    for pk, number, status, *values in (
        Certificate.objects.order_by("pk").values_list(*fields).iterator(chunk_size=5000)
    ):
        logged = last.pop(pk, None)
        if logged is None:
            problems.append(StateProblem(number, _("Certificate %(number)s is not in the log.") % {"number": number}))
            continue
        event, data = logged
        data = data if isinstance(data, dict) else {}  # an entry rewritten into a list or a number: no field matches
        table = dict(zip(COMPARED, values, strict=True))
        table["issued_on"], table["valid_until"] = table["issued_on"].isoformat(), table["valid_until"].isoformat()
        for name in COMPARED:
            if data.get(name) != table[name]:
                label = getattr(Certificate._meta.get_field(name), "verbose_name", name)
                problems.append(StateProblem(number, _(
                    "Certificate %(number)s: %(field)s is %(table)s in the table but %(log)s in the log."
                ) % {"number": number, "field": label, "table": table[name], "log": data.get(name, "—")}))  # fmt: skip
        expected = STATUS_AFTER.get(event)  # an event no service writes leaves no status: reported, never a crash
        if status != expected:
            problems.append(StateProblem(number, _(
                "Certificate %(number)s: the table says %(table)s but the log's last entry leaves it %(log)s."
            ) % {"number": number, "table": _label(status), "log": _label(expected or event)}))  # fmt: skip
    return problems


def _label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else str(status)
