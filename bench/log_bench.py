"""`ocop verify-log` at scale: 300,000 certificates (100,000 products, each with two superseded generations behind its
current certificate) and 1,000,000 transparency-log entries, hashed as log.append hashes them, with a signed checkpoint
every 500 entries (2,000, a few years of daily ones).

1. `ocop verify-log`: the chain, the replay against the certificates table, and the installation's own checkpoints.
2. `ocop verify-log --checkpoints FILE`: the same with the 2,000 checkpoints read from a file saved from the API.
Each runs in a fresh interpreter; prints its seconds and peak memory (goal ≤ 60 s).

The entries continue the log already there (the import bench's history), so the whole log is checked; the certificates
are in a series of their own ("LB") on products without one. Afterwards the bench removes everything it made, so the
benches that follow find the database as it was.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CERTIFICATES = 300_000
ENTRIES = 1_000_000
PRODUCTS = 100_000
PER_DECISION = 1_000
CHECKPOINT_EVERY = 500
# The first decision date of each generation; a generation's 100 decisions come three days apart.
FIRST_DAY = {1: dt.date(2019, 3, 1), 2: dt.date(2022, 3, 1), 3: dt.date(2025, 3, 1)}


def _insert(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    """Rows inserted as they are: the ORM's bulk_create spends most of its time preparing each value of each row."""
    from django.db import connection

    names = columns.split()
    marks = ", ".join("%s::jsonb" if n == "data" and connection.vendor == "postgresql" else "%s" for n in names)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows)


class _Log:
    """Entries appended in order after the log's head, hashed as log.append hashes them, written in batches."""

    def __init__(self) -> None:
        from ocop.certificates.log import GENESIS
        from ocop.certificates.models import LogHead

        head = LogHead.objects.filter(pk=1).first()
        self.seq, self.prev = (head.seq, head.hash) if head else (0, GENESIS)
        self.start, self.start_hash = self.seq, self.prev  # where the bench's entries begin, to remove them after
        self.decisions: list[int] = []
        self.batch: list[tuple[Any, ...]] = []
        self.marks: list[tuple[int, str, dt.datetime]] = []  # (seq, hash, time) every CHECKPOINT_EVERY entries

    def add(self, at: dt.datetime, event: str, certificate_id: int, number: str, data: dict[str, Any]) -> None:
        from ocop.certificates.log import entry_hash

        self.seq += 1
        digest = entry_hash(seq=self.seq, at=_stamp(at), event=event, number=number, data=data, prev_hash=self.prev)
        self.batch.append((self.seq, _db(at), event, certificate_id, json.dumps(data), self.prev, digest))
        self.prev = digest
        if self.seq % CHECKPOINT_EVERY == 0:
            self.marks.append((self.seq, digest, at))
        if len(self.batch) >= 20_000:
            self.flush()

    def flush(self) -> None:
        _insert("certificates_logentry", "seq at event certificate_id data prev_hash hash", self.batch)
        self.batch = []


@functools.cache
def _stamp(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.cache
def _db(value: dt.date | dt.datetime) -> Any:
    """A date or time as the database takes it (text on SQLite): a few hundred distinct values, each adapted once."""
    from django.db import connection

    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return connection.ops.adapt_datefield_value(value)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(2, 30), tzinfo=dt.UTC)  # 09:30 in Hà Nội


ITEM_COLUMNS = "id created_at updated_at decision_id product_id stars potential_five position stars_reason"
CERTIFICATE_COLUMNS = (
    "id created_at updated_at item_id decision_id product_id producer_id province_id commune_id number series year "
    "sequence stars potential_five issued_on valid_until code status status_reason status_since revocation_decision "
    "pdf claim key_id signature jws"
)


def _generate() -> _Log:
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from ocop.certificates import rules
    from ocop.certificates.models import Certificate, Decision, DecisionItem, LogHead
    from ocop.places.models import Province
    from ocop.registry.models import Product

    hanoi = Province.objects.get(code="01")
    products = list(
        Product.objects.filter(certificates__isnull=True)
        .order_by("id")
        .values_list("id", "name", "producer_id", "producer__name", "commune_id")[:PRODUCTS]
    )
    # Ids given here (above any row there), so that certificates and entries need no round trip for them.
    item_id = DecisionItem.objects.aggregate(m=Max("id"))["m"] or 0
    cert_id = Certificate.objects.aggregate(m=Max("id"))["m"] or 0
    now = _db(timezone.now())
    log = _Log()
    current: dict[int, tuple[int, str, dict[str, Any]]] = {}  # product → its current certificate (id, number, data)
    for gen in (1, 2, 3):
        for n, start in enumerate(range(0, len(products), PER_DECISION)):
            chunk = products[start : start + PER_DECISION]
            day = FIRST_DAY[gen] + dt.timedelta(days=3 * n)
            until = rules.valid_until(day)
            at, later = _at(day), _at(day + dt.timedelta(days=30))
            with transaction.atomic():
                decision = Decision.objects.create(
                    province=hanoi, level="province", issuing_body="Ủy ban nhân dân Thành phố Hà Nội",
                    number=f"LB-{n + 1}/QĐ-UBND", signed_on=day, year=day.year, legal_basis=rules.legal_basis_for(day),
                    state="issued",
                )  # fmt: skip
                log.decisions.append(decision.pk)
                items, certs = [], []
                for i, (pid, name, producer_id, producer, commune_id) in enumerate(chunk):
                    item_id, cert_id, sequence = item_id + 1, cert_id + 1, start + i + 1
                    stars = 3 if gen == 1 else 4 if gen == 2 else 3 + i % 3
                    revoked = gen == 3 and i % 20 == 0
                    status = "superseded" if gen < 3 else "revoked" if revoked else "valid"
                    number, code = f"LB-{day.year}-{sequence:06d}", f"L{gen}{sequence:08d}"
                    items.append((item_id, now, now, decision.pk, pid, stars, False, i, ""))
                    certs.append((
                        cert_id, now, now, item_id, decision.pk, pid, producer_id, hanoi.pk, commune_id, number, "LB",
                        day.year, sequence, stars, False, _db(day), _db(until), code, status, "", _db(day), "", "",
                        "(bench)", "bench", "-", "",
                    ))  # fmt: skip
                    data = {"code": code, "product": name, "producer": producer, "stars": stars,
                            "issued_on": day.isoformat(), "valid_until": until.isoformat()}  # fmt: skip
                    log.add(at, "issued", cert_id, number, {**data, "decision": decision.number})
                    if pid in current:
                        old_id, old_number, old = current[pid]
                        reason = f"Được thay thế bằng giấy chứng nhận {number}."
                        log.add(at, "superseded", old_id, old_number, {
                            **old, "status": "superseded", "reason": reason, "superseded_by": number})  # fmt: skip
                    current[pid] = (cert_id, number, data)
                    # Every certificate of the older generations, and half of the current ones, was suspended and
                    # the suspension lifted (or, for one in ten of those, the certificate revoked).
                    if gen < 3 or i % 2 == 0:
                        log.add(later, "suspended", cert_id, number,
                                {**data, "status": "suspended", "reason": "Kiểm tra định kỳ"})  # fmt: skip
                        if revoked:
                            log.add(later, "revoked", cert_id, number, {
                                **data, "status": "revoked", "reason": "Không duy trì chất lượng",
                                "revocation_decision": f"R{cert_id}/QĐ-UBND"})  # fmt: skip
                        else:
                            log.add(later, "lifted", cert_id, number, {**data, "status": "valid", "reason": ""})
                _insert("certificates_decisionitem", ITEM_COLUMNS, items)
                _insert("certificates_certificate", CERTIFICATE_COLUMNS, certs)
                log.flush()  # after the certificates its entries point to
    with connection.cursor() as cursor:  # PostgreSQL's id sequences move past the ids given here
        for sql in connection.ops.sequence_reset_sql(no_style(), [DecisionItem, Certificate]):
            cursor.execute(sql)
    LogHead.objects.update_or_create(pk=1, defaults={"seq": log.seq, "hash": log.prev})
    return log


def _remove(log: _Log, last_checkpoint: int) -> None:
    """Everything the bench made, in the order the foreign keys allow; on PostgreSQL with the log's guard off, as
    the database's owner (the bench is) may."""
    from django.db import connection, transaction

    from ocop.certificates.models import LogHead

    trigger = "certificates_logentry_append_only"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # first: no event of this transaction may be pending on the table
            cursor.execute(f"ALTER TABLE certificates_logentry DISABLE TRIGGER {trigger}")
        cursor.execute("DELETE FROM certificates_logentry WHERE seq > %s", [log.start])
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE certificates_logentry ENABLE TRIGGER {trigger}")
        cursor.execute("DELETE FROM certificates_checkpoint WHERE id > %s", [last_checkpoint])
        cursor.execute("DELETE FROM certificates_certificate WHERE series = 'LB'")
        ids = ", ".join(str(pk) for pk in log.decisions)
        cursor.execute(f"DELETE FROM certificates_decisionitem WHERE decision_id IN ({ids})")
        cursor.execute(f"DELETE FROM certificates_decision WHERE id IN ({ids})")
        LogHead.objects.filter(pk=1).update(seq=log.start, hash=log.start_hash)


def _checkpoints(log: _Log, out: Path) -> Path:
    """A checkpoint every CHECKPOINT_EVERY entries, signed with Hà Nội's key; the API's page of them saved."""
    from ocop.certificates import checkpoints, signing
    from ocop.certificates.models import Checkpoint
    from ocop.places.models import Province

    hanoi = Province.objects.get(code="01")
    signing.create_key(hanoi)  # as `ocop signing_keys create 01` does (kept if made already)
    key, private = signing.active_key(hanoi)
    rows = []
    for seq, digest, at in log.marks:
        text = checkpoints.signed_text(body="01", seq=seq, hash=digest, at=checkpoints.stamp(at))
        rows.append(Checkpoint(body=hanoi, seq=seq, hash=digest, at=at, key_id=key.key_id,
                               signature=signing.b64(private.sign(text.encode()))))  # fmt: skip
    Checkpoint.objects.bulk_create(rows, batch_size=1_000)
    path = out / "checkpoints.json"
    items = [c.as_dict() for c in checkpoints.published()]
    path.write_text(json.dumps({"count": len(items), "items": items}))
    return path


def _run(*args: str) -> tuple[float, float, int, str]:
    """`ocop verify-log ARGS` in a fresh interpreter: seconds, its peak memory in MB, exit status, last line."""
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.log_bench", "verify-log", *args], capture_output=True, text=True,
        env=os.environ.copy(), check=False, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    *lines, peak = (result.stdout + result.stderr).strip().splitlines()
    return seconds, int(peak.removeprefix("peak_kb=")) / 1024, result.returncode, lines[-1] if lines else ""


def run(out: Path) -> None:
    from django.db import connection

    from bench.data import settle
    from ocop.certificates.models import Certificate, Checkpoint, LogEntry
    from ocop.registry.models import Product

    started = time.perf_counter()
    if Product.objects.filter(certificates__isnull=True).count() < PRODUCTS:
        from bench.search_bench import _generate as generate_products

        generate_products()
    products = time.perf_counter() - started
    last_checkpoint = Checkpoint.objects.order_by("-id").values_list("id", flat=True).first() or 0
    log = _generate()
    path = _checkpoints(log, out)
    settle()  # as a database stands after a bulk load
    print(f"log: {Certificate.objects.count():,} certificates and {LogEntry.objects.count():,} log entries "
          f"({log.seq - log.start:,} of them generated in {time.perf_counter() - started - products:.0f} s), "
          f"{len(log.marks):,} checkpoints, on {connection.vendor}")  # fmt: skip
    connection.close()  # the verifier has the database to itself
    try:
        for label, args in (
            ("ocop verify-log (chain + replay + the installation's checkpoints)", ()),
            (f"ocop verify-log --checkpoints FILE (+ {len(log.marks):,} saved checkpoints)", ("--checkpoints",
                                                                                             str(path))),
        ):  # fmt: skip
            seconds, peak, code, last = _run(*args)
            print(f"log: {label}: {seconds:.1f} s, peak {peak:.0f} MB, exit {code} (goal ≤ 60 s)")
            print(f"log:   {last}")
    finally:
        _remove(log, last_checkpoint)


def _peak_kb() -> int:
    """This process's resident-memory high-water mark (VmHWM). Not getrusage: across exec it keeps the parent's."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))


if __name__ == "__main__":  # `python -m bench.log_bench verify-log ARGS`: the command, then its peak memory
    from ocop.cli import main

    sys.argv = ["ocop", *sys.argv[1:]]
    try:
        main()
    finally:
        print(f"peak_kb={_peak_kb()}", file=sys.stderr, flush=True)
