"""Today's valid certificates kept as rows (`models.Standing`): the dashboards count the day's OCOP products from a
narrow table read in the order they group it, instead of three years of certificates, their successors and the log
(`asof.valid_on`, which stays the rule: every row here is a certificate it finds valid today, and only those).

The rows are brought up to date by whoever reads them (`on`), from what changed since they were last read:

- a new day: rebuilt from `asof.valid_on` (certificates expire, future-dated ones start, at midnight);
- every certificate named by a log entry appended since (each issue, supersession, suspension, lift and revocation
  is logged in the transaction that makes it, and appenders commit in the log's order: they hold its head row);
- every certificate created since, logged or not (a bulk load, a fixture);
- with each of those, the other certificates of its product (a successor supersedes its predecessor);
- a product's group when it moves to another (`regroup`, on registry's `groups_changed`, in the same transaction).

Anything else written past the services (an SQL edit of a certificate's status, a group changed by a bulk update) is
found by `verify`, and undone by the nightly rebuild (`ocop standing`), which reports what it found different."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from ocop.certificates import asof
from ocop.certificates.models import Certificate, LogEntry, Standing, StandingDay
from ocop.core.dbrouter import PRIMARY
from ocop.registry.models import Product

# Every read that decides what the rows hold is the primary's (a public request may read from a replica, which lags):
# PRIMARY (ocop.core.dbrouter).

# The columns of a row, and where each comes from on a certificate.
STORED = ("certificate_id", "province_id", "commune_id", "product_id", "producer_id", "group_id", "stars",
          "potential_five", "valid_until")  # fmt: skip
SOURCES = ("pk", "province_id", "commune_id", "product_id", "producer_id", "product__group_id", "stars",
           "potential_five", "valid_until")  # fmt: skip
REBUILD_PAST = 5_000  # certificates changed at once past which a rebuild is cheaper than one by one
CHUNK = 500  # ids per statement (SQLite's and PostgreSQL's parameter limits are far above)


def on(day: dt.date) -> QuerySet[Standing] | None:
    """The rows of the certificates valid on `day`, up to date, when `day` is today; None for any other day (a past
    day is counted from the history, `asof.valid_on`), and None when the rows are behind and another writer holds
    them (a rebuild, a long import moving products between groups): the reader counts from the history then, rather
    than wait."""
    if day != timezone.localdate():
        return None
    try:
        refresh(day, wait=False)
    except Busy:
        return None
    return Standing.objects.all()


class Busy(Exception):
    """The rows are behind and another transaction holds them."""


@contextmanager
def _locked(wait: bool) -> Iterator[StandingDay]:
    """A transaction holding the day row's lock (made on first use); with `wait=False`, Busy at once (PostgreSQL:
    NOWAIT) or after a moment (SQLite: its one writer's lock, waited for a quarter of a second) when it is held."""
    sqlite = connection.vendor == "sqlite" and not connection.in_atomic_block  # in a transaction, SQLite's lock is ours
    waited = None
    try:
        if sqlite and not wait:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout")
                waited = cursor.fetchone()[0]
                cursor.execute("PRAGMA busy_timeout = 250")
        with transaction.atomic():
            yield StandingDay.objects.select_for_update(nowait=not wait).get_or_create(pk=1)[0]
    except OperationalError as exc:
        if wait or not _lock_error(exc):
            raise
        raise Busy from exc
    finally:
        if waited is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")


def _lock_error(exc: OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "could not obtain lock" in text


def _marks() -> tuple[int, int]:
    """The log's last entry and the last certificate's id, as committed now."""
    seq = LogEntry.objects.using(PRIMARY).aggregate(m=Max("seq"))["m"] or 0
    last = Certificate.objects.using(PRIMARY).aggregate(m=Max("pk"))["m"] or 0
    return seq, last


def _fresh(day: dt.date) -> bool:
    """Whether the rows hold `day` up to the log's and the certificates' last marks: one query of three index
    lookups, what every reader pays when nothing changed."""
    quote = connection.ops.quote_name
    log, certificates, kept = (quote(m._meta.db_table) for m in (LogEntry, Certificate, StandingDay))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k.day, k.seq = COALESCE((SELECT MAX(seq) FROM {log}), 0), "
            f"k.certificate_id = COALESCE((SELECT MAX(id) FROM {certificates}), 0) FROM {kept} k WHERE k.id = 1"
        )
        row = cursor.fetchone()
    return row is not None and str(row[0]) == day.isoformat() and bool(row[1]) and bool(row[2])


def refresh(day: dt.date, wait: bool = True) -> None:
    """Bring the rows to `day` and to the log's and the certificates' last marks: nothing to do when nothing changed;
    else one writer at a time, under the day row's lock (`wait=False`: Busy when another holds it)."""
    if _fresh(day):
        return
    with _locked(wait) as state:
        seq, last = _marks()  # read again under the lock: a writer before us may have brought them further
        if (state.day, state.seq, state.certificate_id) == (day, seq, last):
            return
        if state.day != day:
            _rebuild(day)
        else:
            logged = LogEntry.objects.using(PRIMARY).filter(seq__gt=state.seq, seq__lte=seq)
            created = Certificate.objects.using(PRIMARY).filter(pk__gt=state.certificate_id, pk__lte=last)
            changed = {*logged.values_list("certificate_id", flat=True), *created.values_list("pk", flat=True)}
            if len(changed) > REBUILD_PAST:
                _rebuild(day)
            else:
                _recount(day, changed)
        StandingDay.objects.filter(pk=1).update(day=day, seq=seq, certificate_id=last, built_at=timezone.now())


def _insert(qs: QuerySet[Certificate]) -> None:
    """Insert the rows of `qs`'s certificates in one INSERT … SELECT (nothing passes through Python)."""
    sql, params = qs.order_by().values_list(*SOURCES).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in STORED)  # the columns are named as the fields' ids
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(Standing._meta.db_table)} ({columns}) {sql}", params)


def _rebuild(day: dt.date) -> None:
    Standing.objects.all().delete()
    _insert(asof.valid_on(day))
    if connection.vendor == "postgresql":
        # As after any bulk load: the planner counts on the new rows, and the visibility map lets an index answer
        # alone (without it, the producers figure read 74,747 rows of the table for 2,000 producers). VACUUM runs
        # outside a transaction: once this one has committed.
        transaction.on_commit(_vacuum, robust=True)  # best effort: a failed VACUUM is logged, autovacuum follows


def _vacuum() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(Standing._meta.db_table)}")


def _recount(day: dt.date, ids: set[int]) -> None:
    """Decide again, by the history, whether each certificate of `ids` and the others of their products is valid."""
    ids = set(ids)
    products = set(Certificate.objects.using(PRIMARY).filter(pk__in=ids).values_list("product_id", flat=True))
    ids |= set(Standing.objects.using(PRIMARY).filter(product_id__in=products).values_list("certificate_id", flat=True))
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        Standing.objects.filter(certificate_id__in=chunk).delete()
        _insert(asof.valid_on(day, Certificate.objects.filter(pk__in=chunk)))


def regroup(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    """Products moved to another group (registry's `groups_changed`, inside the moving transaction): their rows take
    the group their products have now. Under the day row's lock, so that a rebuild running at the same moment either
    reads the new group after this commits, or has committed its rows before this rewrites them."""
    with _locked(wait=True):
        group = Product.objects.filter(pk=OuterRef("product_id")).values("group_id")[:1]
        Standing.objects.filter(product_id__in=product_ids).update(group_id=Subquery(group))


def verify(day: dt.date | None = None) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """(rows missing, rows that should not be there) of today's kept rows against the history: both empty unless
    something was written past the services since the rows were last brought up to date."""
    day = day or timezone.localdate()
    kept = StandingDay.objects.filter(pk=1).values_list("day", flat=True).first()
    if kept != day:
        return set(), set()  # nothing kept for the day yet: the first reader builds it from the history
    refresh(day)
    truth = set(asof.valid_on(day, Certificate.objects.using(PRIMARY)).order_by().values_list(*SOURCES))
    stored = set(Standing.objects.using(PRIMARY).values_list(*STORED))
    return truth - stored, stored - truth


def rebuild(day: dt.date | None = None) -> int:
    """Rebuild the rows for `day` (today) from the history, as the nightly job does; returns how many."""
    day = day or timezone.localdate()
    with _locked(wait=True):
        seq, last = _marks()
        _rebuild(day)
        StandingDay.objects.filter(pk=1).update(day=day, seq=seq, certificate_id=last, built_at=timezone.now())
    return Standing.objects.count()
