"""What waits for a sales point's operator (and what concerns a producer) on the shelves: records scoped by role,
never URLs. Querysets annotated with `since`, counted with one query each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.outlets.enums import OutletStatus
from ocop.outlets.models import OperatorMember, Outlet, RemovalTask, SalesRecord, StockItem
from ocop.registry.models import ProducerMember


def _operated(user: Any) -> Any:
    return OperatorMember.objects.filter(user=user).values("operator_id")


def shelves_to_clear(user: Any) -> QuerySet[RemovalTask]:
    """The operator's open tasks: a product to take off the OCOP shelf (one task per product and outlet)."""
    if Role.OUTLET_OPERATOR not in scope_of(user).roles:
        return RemovalTask.objects.none()
    return (
        RemovalTask.objects.filter(done_at__isnull=True, outlet__operator_id__in=_operated(user))
        .annotate(since=F("created_at"))
        .select_related("product", "outlet")
    )


def removals_of_own_products(user: Any) -> QuerySet[RemovalTask]:
    """The producer's view: open tasks to take its own products off a shelf (not other producers' products)."""
    if Role.PRODUCER not in scope_of(user).roles:
        return RemovalTask.objects.none()
    mine = ProducerMember.objects.filter(user=user).values("producer_id")
    return RemovalTask.objects.filter(done_at__isnull=True, product__producer_id__in=mine)


def last_month(today: dt.date | None = None) -> dt.date:
    """The first day of the month before today's: the month whose sales are due."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def sales_to_report(user: Any, today: dt.date | None = None) -> QuerySet[Outlet]:
    """The operator's recognised outlets that had OCOP products on the shelf last month and reported no sales for
    it. Annotated with `month` (the month due) and `since` (the first day it was due)."""
    if Role.OUTLET_OPERATOR not in scope_of(user).roles:
        return Outlet.objects.none()
    month = last_month(today)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    shelved = StockItem.objects.filter(outlet_id=OuterRef("pk"), product__isnull=False, added_on__lt=next_month).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gte=month)
    )
    reported = SalesRecord.objects.filter(outlet_id=OuterRef("pk"), month=month)
    return (
        Outlet.objects.filter(operator_id__in=_operated(user), status=OutletStatus.RECOGNISED)
        .filter(Exists(shelved))
        .exclude(Exists(reported))
        .annotate(month=Value(month), since=Value(next_month))
    )


def outlets_to_assess(user: Any) -> QuerySet[Outlet]:
    """The commerce officer's: outlets of their province proposed and not yet recognised (to assess, then recognise
    or refuse)."""
    provinces = scope_of(user).provinces_for(Role.COMMERCE_OFFICER)
    if not provinces:
        return Outlet.objects.none()
    return Outlet.objects.filter(province_id__in=provinces, status=OutletStatus.PROPOSED).annotate(
        since=F("status_since")
    )
