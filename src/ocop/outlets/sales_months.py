"""Each outlet's monthly sums of its sales rows (`SalesMonth`), kept true.

The sales services (`outlets.sales._save`: the month's form, `PUT /api/v1/outlets/{code}/sales/{year}/{month}` and
the sales import all write through it) call `keep` in the transaction that writes the rows, and the dashboards read a
province's months from these sums, one row per outlet and month instead of one per product. A month's sums are
recounted from its rows, never added to, so a correction replaces its figure as it replaces the row.

`mismatches` compares every kept month with the sum of its rows and its outlet's province (`ocop verify_sales`,
which with `--repair` calls `rebuild`); `rebuild` counts them all again from the rows (the migration that made the
table, and bulk loads)."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db.models import Count, Q, Sum

from ocop.outlets.models import Outlet, SalesMonth, SalesRecord

Sums = tuple[int, Decimal, int]  # rows, quantity, revenue
BATCH = 5000
CENT = Decimal("0.01")


def _which(pairs: Iterable[tuple[int, dt.date]]) -> Q:
    outlets: dict[dt.date, set[int]] = {}
    for outlet_id, month in pairs:
        outlets.setdefault(month, set()).add(outlet_id)
    return reduce(operator.or_, (Q(month=month, outlet_id__in=sorted(ids)) for month, ids in outlets.items()))


def _sums(rows: Any) -> Iterator[tuple[int, dt.date, int, Decimal, int]]:
    """(outlet, month, rows, quantity, revenue) of the sales rows given, a line per outlet and month."""
    grouped = (
        rows.values_list("outlet_id", "month")
        .annotate(n=Count("pk"), quantity=Sum("quantity"), revenue=Sum("revenue"))
        .order_by("outlet_id", "month")
    )
    for outlet_id, month, n, quantity, revenue in grouped.iterator(chunk_size=BATCH):
        # SQLite adds the decimals up as floats: back to hundredths, as the column stores them.
        yield outlet_id, month, n, Decimal(quantity or 0).quantize(CENT), int(revenue or 0)


def keep(pairs: Iterable[tuple[int, dt.date]]) -> None:
    """Recount the sums of these (outlet, month) pairs from their rows, in the transaction that wrote the rows.

    The months' sums are locked first, in one order (a writer of the same month waits for this one to commit, and
    then recounts with its rows), and only then counted: a sum is never computed from rows another writer has not
    committed yet, nor written over a later one."""
    pairs = sorted(set(pairs))
    if not pairs:
        return
    provinces = dict(Outlet.objects.filter(pk__in={o for o, _m in pairs}).values_list("pk", "province_id"))
    SalesMonth.objects.bulk_create(
        [SalesMonth(outlet_id=o, province_id=provinces[o], month=m) for o, m in pairs], ignore_conflicts=True
    )
    which = _which(pairs)
    kept = {
        (o, m): pk
        for pk, o, m in SalesMonth.objects.select_for_update()
        .filter(which)
        .order_by("outlet_id", "month")
        .values_list("pk", "outlet_id", "month")
    }
    counted = {(o, m): (n, q, r) for o, m, n, q, r in _sums(SalesRecord.objects.filter(which))}
    SalesMonth.objects.bulk_update(
        [SalesMonth(pk=pk, rows=n, quantity=q, revenue=r) for key, pk in kept.items() if key in counted
         for n, q, r in (counted[key],)],
        ["rows", "quantity", "revenue"],
    )  # fmt: skip
    SalesMonth.objects.filter(pk__in=[pk for key, pk in kept.items() if key not in counted]).delete()


def rebuild(records: Any = SalesRecord, months: Any = SalesMonth, outlets: Any = Outlet) -> int:
    """Every outlet's months counted again from the rows; returns how many. `records`, `months` and `outlets` are the
    models (a migration passes its own; `outlets=None` when its months have no province yet)."""
    months.objects.all().delete()
    provinces = dict(outlets.objects.values_list("pk", "province_id")) if outlets is not None else {}
    made = 0
    batch: list[Any] = []
    for outlet_id, month, n, quantity, revenue in _sums(records.objects.all()):
        where = {"province_id": provinces[outlet_id]} if outlets is not None else {}
        batch.append(months(outlet_id=outlet_id, month=month, rows=n, quantity=quantity, revenue=revenue, **where))
        if len(batch) == BATCH:
            months.objects.bulk_create(batch)
            made, batch = made + len(batch), []
    months.objects.bulk_create(batch)
    return made + len(batch)


@dataclass(frozen=True)
class Mismatch:
    outlet_id: int
    month: dt.date
    kept: Sums | None  # None: no sums kept for a month that has rows
    counted: Sums | None  # None: sums kept for a month without rows
    other_province: bool = False  # the sums are kept under a province that is not the outlet's


def mismatches() -> list[Mismatch]:
    """Every outlet month whose kept sums differ from the sum of its rows, or that is kept under another province
    than its outlet's (which the dashboards group by); none when the sums are true."""
    counted = {(o, m): (n, q, r) for o, m, n, q, r in _sums(SalesRecord.objects.all())}
    provinces = dict(Outlet.objects.values_list("pk", "province_id"))
    found = []
    for o, m, n, q, r, province in SalesMonth.objects.values_list(
        "outlet_id", "month", "rows", "quantity", "revenue", "province_id"
    ).iterator(chunk_size=BATCH):
        kept = (n, Decimal(q).quantize(CENT), int(r))
        rows = counted.pop((o, m), None)
        if rows != kept or province != provinces.get(o):
            found.append(Mismatch(o, m, kept, rows, other_province=province != provinces.get(o)))
    found += [Mismatch(o, m, None, rows) for (o, m), rows in counted.items()]
    return sorted(found, key=lambda x: (x.outlet_id, x.month))
