"""The open data files: the register of certificates (CSV, JSON and its Table Schema), the public catalogue of OCOP
products (CSV, JSON, schema), the sales points (GeoJSON) and the transparency log's signed checkpoints.

They are made on the task worker only, never inside a web request:
- after a change that moves them (the handlers call `schedule_rebuild`: certificates issued or changing status,
  product, producer or unit renames, sales points changing), as one rebuild queued `DELAY` seconds ahead that
  every change of the burst joins (so a file follows a change within a minute, and 1,000 changes make one rebuild);
- at each local midnight (statuses follow the date: `expiring`, `expired`), a rebuild every build queues for the
  next midnight, and `ocop build_open_data` from cron;
- when a reader finds the files behind the log, the day, the last checkpoint or the public address, or written by
  an earlier version (`stale`): a rebuild is queued, unless one already is (a read: the common case writes nothing),
  and the reader gets the files as they are. Queuing is best-effort: a database that refuses the write (SQLite's
  write lock held past its timeout) is logged, never an error for the reader.

The files are kept in the "default" storage under opendata/ (a local folder, or the bucket of OCOP_STORAGE_URL).
Each is written as a stream (row by row from a chunked iterator, the JSON array too) to a temporary file, and all of
them are put in place after the last row (ocop.core.storage.replace: renamed over the last on a local disk, one put
each in a bucket): a reader always opens a complete file, the previous one until the new one is whole. meta.json, put
in place last, describes the set, with each file's size."""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.core.files.storage import Storage, storages
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from ocop.certificates import checkpoints
from ocop.certificates.models import Checkpoint, LogHead
from ocop.core.excel import FORMULA_PREFIXES, csv_cell
from ocop.core.storage import discard, replace, spool
from ocop.reporting import opendata_sets as sets

log = logging.getLogger(__name__)
# The version of the files' layout, in meta.json: files written by another version (other keys, other columns) are
# stale, so an upgrade rebuilds them. Bump it with any change to the files or to meta.json's keys.
FORMAT = 3  # 3: meta.json tells each file's size (a bucket is not asked for them)
DELAY = dt.timedelta(seconds=20)  # changes within this window share one rebuild; a rebuild of 300,000 takes < 30 s
TASK_PATH = "ocop.reporting.opendata.refresh_register"
FILES = {  # name: content type
    "certificates.csv": "text/csv; charset=utf-8",
    "certificates.json": "application/json",
    "certificates.schema.json": "application/json",
    "products.csv": "text/csv; charset=utf-8",
    "products.json": "application/json",
    "products.schema.json": "application/json",
    "sales-points.geojson": "application/geo+json",
    "checkpoints.json": "application/json",
}
BUFFER = 1 << 20
STARTS = frozenset(FORMULA_PREFIXES)  # one character each
assert all(len(p) == 1 for p in FORMULA_PREFIXES)


def storage() -> Storage:
    """Where the files are: the "default" storage, under opendata/ (a local folder, or a bucket)."""
    return storages["default"]


def stored_name(name: str) -> str:
    return f"opendata/{name}"


def read(name: str) -> bytes:
    """One file's bytes as last built (FileNotFoundError before)."""
    with storage().open(stored_name(name), "rb") as fh:
        return bytes(fh.read())


def state() -> tuple[int, str, int, str]:
    """What the files follow: the log's entry count, today's date (statuses), the last signed checkpoint and the
    public address their links are made from (OCOP_PUBLIC_BASE_URL)."""
    head = LogHead.objects.filter(pk=1).values_list("seq", flat=True).first()
    last = Checkpoint.objects.order_by("-id").values_list("id", flat=True).first()
    return head or 0, timezone.localdate().isoformat(), last or 0, sets.base_url()


def current() -> dict[str, Any] | None:
    """The description of the last complete set of files, or None before the first build. Never builds."""
    try:
        meta: dict[str, Any] = json.loads(read("meta.json"))
    except (OSError, ValueError):
        return None
    return meta


def stale(meta: dict[str, Any]) -> bool:
    """Files of another version, or behind what they follow."""
    if meta.get("format") != FORMAT:
        return True
    return (meta.get("log_seq"), meta.get("day"), meta.get("checkpoint_id"), meta.get("base_url")) != state()


# --- writing -------------------------------------------------------------------------------------------------------


@contextmanager
def _writing(
    names: list[str], encodings: dict[str, str], sizes: dict[str, int] | None = None
) -> Iterator[dict[str, IO[str]]]:
    """Temporary files for `names`, put in place together when the block ends without an error, else removed
    (ocop.core.storage: beside the files on a local disk, renamed over them; uploaded to a bucket, one put each).
    Their sizes in bytes go into `sizes`, if given."""
    where = storage()
    opened: dict[str, tuple[IO[str], str]] = {}
    try:
        for name in names:
            fd, tmp = spool(where, stored_name(name))
            fh: IO[str] = os.fdopen(fd, "w", encoding=encodings.get(name, "utf-8"), newline="", buffering=BUFFER)
            opened[name] = (fh, tmp)
        yield {name: handle for name, (handle, _tmp) in opened.items()}
        for name, (done, _tmp) in opened.items():
            done.flush()
            os.fsync(done.fileno())
            if sizes is not None:
                sizes[name] = os.fstat(done.fileno()).st_size
            done.close()
        for name, (_fh, tmp) in opened.items():
            replace(where, stored_name(name), tmp)  # readers see the old file or the new one, never half of one
    finally:
        for left, tmp in opened.values():
            left.close()
            discard(tmp)


_dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder for every row


def _table(out: dict[str, IO[str]], stem: str, head: dict[str, Any], columns: list[sets.Column],
           rows: Iterator[dict[str, Any]]) -> int:  # fmt: skip
    """CSV and JSON of one dataset, written row by row; returns the row count."""
    writer = csv.writer(out[f"{stem}.csv"], lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    js = out[f"{stem}.json"]
    js.write(_dump(head)[:-1] + ',"items":[')
    count = 0
    for row in rows:
        # The CSV opens in Excel by design (its BOM), and names are typed by whoever registers a product: a cell
        # that starts like a formula gets an apostrophe (ocop.core.excel.csv_cell). The JSON keeps the text as is.
        # (Only text opening with one of those characters goes through csv_cell: 6 million calls cost 10 s.)
        writer.writerow([csv_cell(v) if v.__class__ is str and v[:1] in STARTS else v for v in row.values()])
        js.write(("," if count else "") + _dump(row))
        count += 1
    js.write(f'],"count":{count}}}')
    return count


def _features(out: IO[str], head: dict[str, Any], features: Iterator[dict[str, Any]]) -> int:
    out.write('{"type":"FeatureCollection",' + _dump(head)[1:-1] + ',"features":[')
    count = 0
    for feature in features:
        out.write(("," if count else "") + _dump(feature))
        count += 1
    out.write("]}")
    return count


@contextmanager
def _lean() -> Iterator[None]:
    """On SQLite, the connection's memory-hungry settings (settings.py: a 256 MB memory map, sorts in memory) set
    aside while the register streams through it: the sort spills to a temporary file, pages are read, not mapped."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # SQLite refuses it inside a transaction
        yield
        return
    names = ("mmap_size", "temp_store", "cache_size")
    with connection.cursor() as cursor:
        before = {}
        for name in names:
            cursor.execute(f"PRAGMA {name}")
            before[name] = cursor.fetchone()[0]
        cursor.execute("PRAGMA mmap_size=0")
        cursor.execute("PRAGMA temp_store=FILE")
        cursor.execute("PRAGMA cache_size=-16384")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name}={int(value)}")


def write_register(progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Write every open data file as of now; returns their description (meta.json)."""
    with _lean():
        return _write_register(progress)


def _write_register(progress: Callable[[str], None] | None) -> dict[str, Any]:
    seq, day, checkpoint, base = state()
    today = dt.date.fromisoformat(day)
    generated = timezone.localtime().isoformat(timespec="seconds")
    head = {"generated_at": generated, "day": day, "log_seq": seq, "checkpoint_id": checkpoint}
    names = list(FILES)
    sizes: dict[str, int] = {}
    with _writing(names, {"certificates.csv": "utf-8-sig", "products.csv": "utf-8-sig"}, sizes) as out:
        count = _table(out, "certificates", head, sets.CERTIFICATE_COLUMNS, sets.certificate_rows(today))
        if progress:
            progress("certificates")
        products = _table(out, "products", {"generated_at": generated, "day": day}, sets.PRODUCT_COLUMNS,
                          sets.product_rows(today))  # fmt: skip
        outlets = _features(out["sales-points.geojson"], {"generated_at": generated}, sets.outlet_features())
        marks = [c.as_dict() for c in checkpoints.published()]
        out["checkpoints.json"].write(
            json.dumps({"generated_at": generated, "log_seq": seq, "count": len(marks), "items": marks})
        )
        for stem, columns, key in (("certificates", sets.CERTIFICATE_COLUMNS, "certificate_number"),
                                   ("products", sets.PRODUCT_COLUMNS, "product_id")):  # fmt: skip
            json.dump(sets.table_schema(columns, key), out[f"{stem}.schema.json"], ensure_ascii=False, indent=1)
    first_day = (current() or {}).get("first_day", day)  # dct:issued of the DCAT: the first publication
    meta = {
        **head,
        "format": FORMAT,
        "base_url": base,
        "first_day": first_day,
        "count": count,
        "products": products,
        "outlets": outlets,
        "checkpoints": len(marks),
        "sizes": sizes,
    }
    with _writing(["meta.json"], {}) as out:
        out["meta.json"].write(json.dumps(meta))
    return meta


# --- scheduling ----------------------------------------------------------------------------------------------------


def _tasks() -> Any:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=TASK_PATH)


def _queued() -> Any:
    from django_tasks_db.models import get_date_max

    return _tasks().filter(status="READY"), get_date_max()


def schedule_rebuild(delay: dt.timedelta = DELAY) -> None:
    """Queue a rebuild `delay` from now, unless one is already queued to run by then (a burst shares one)."""
    due = timezone.now() + delay
    queued, never = _queued()
    if not queued.filter(Q(run_after__lte=due) | Q(run_after=never)).exists():
        refresh_register.using(run_after=due).enqueue()


def next_midnight() -> dt.datetime:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time()))


def _schedule_midnight() -> None:
    midnight = next_midnight()
    queued, _never = _queued()
    if not queued.filter(run_after__gte=midnight - DELAY, run_after__lte=midnight).exists():
        refresh_register.using(run_after=midnight).enqueue()


def ensure(meta: dict[str, Any] | None, *, missing: bool = False) -> dict[str, Any] | None:
    """For a reader: the files as they are; a rebuild queued when there are none yet or they are behind (stale files
    join the rebuild `DELAY` ahead; no files, or a file `missing` from fresh ones, queue one now).

    Reads only, unless no rebuild is running or queued to run by then: then one is queued, best-effort (a database
    that refuses the write is logged, and the reader still gets the last files)."""
    if meta is not None and stale(meta):
        delay = DELAY
    elif meta is None or missing:
        delay = dt.timedelta(0)
    else:
        return meta
    _ready, never = _queued()
    soon = Q(status="READY") & (Q(run_after__lte=timezone.now() + delay) | Q(run_after=never))
    if _tasks().filter(Q(status="RUNNING") | soon).exists():  # one query, a read
        return meta
    try:
        with transaction.atomic():  # a savepoint inside a transaction: a refused write leaves it usable
            refresh_register.using(run_after=timezone.now() + delay).enqueue()
    except DatabaseError as exc:
        log.warning("open data: the rebuild of stale files could not be queued (%s); serving the last files", exc)
    return meta


@task()
def refresh_register() -> None:
    write_register()
    _schedule_midnight()
