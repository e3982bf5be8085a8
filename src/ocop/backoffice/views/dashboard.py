from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ocop.accounts.models import Role, RoleAssignment
from ocop.accounts.permissions import scope_of
from ocop.backoffice.views.common import Request
from ocop.backoffice.work import central_office, menu_counts, work_for, work_total
from ocop.outlets import access as outlet_access
from ocop.outlets import worklist as outlet_work
from ocop.outlets.models import RemovalTask
from ocop.registry import access
from ocop.registry.imports import can_import
from ocop.registry.models import EXPIRING_DAYS, ParkState
from ocop.registry.parking import parked_rows_visible_to


@login_required
def dashboard(request: Request) -> HttpResponse:
    user = request.user
    scope = scope_of(user)
    central = central_office(user)  # the ministry's office: its rounds and referrals, no registry of its own
    today = timezone.localdate()
    products = access.products_visible_to(user)
    documents = access.documents_visible_to(user)
    counts = {
        "producers": access.producers_visible_to(user).count(),
        "products": products.count(),
        "documents": documents.count(),
        "expired": documents.filter(expires_on__lt=today).count(),
        "expiring": documents.filter(
            expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=EXPIRING_DAYS)
        ).count(),
    }
    outlets = outlet_access.outlets_visible_to(user)
    counts["outlets"] = outlets.count()
    # Open tasks to take a product off an OCOP shelf, counted for what concerns the user: the outlets the office
    # manages, the operator's own outlets, the producer's own products (not every task of an outlet it supplies).
    if outlet_access.can_manage_any(user):
        removals = RemovalTask.objects.filter(outlet__in=outlets, done_at__isnull=True)
    elif Role.OUTLET_OPERATOR in scope.roles:
        removals = outlet_work.shelves_to_clear(user)
    else:
        removals = outlet_work.removals_of_own_products(user)
    counts["removals"] = removals.count()
    counts["notifications"] = menu_counts(user).get("notifications", 0)  # counted once for the menu and here
    # Rows an import set aside for this user's province or communes: work waiting for them.
    counts["parked"] = parked_rows_visible_to(user).filter(state=ParkState.OPEN).count()
    by_group = products.values("group__name", "group__position").annotate(n=Count("id")).order_by("group__position")
    assignments = RoleAssignment.objects.filter(user=user).select_related("province", "commune")
    items = work_for(user)
    total = work_total(user)
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "work": items,
            "more_work": max(total - len(items), 0),
            # The registry's figures are the offices' and the producer's; a council member or an inspector works
            # from the queue above them (their own pages reach the records they need).
            "registry_figures": not central
            and (
                scope.is_admin
                or bool(scope.provinces_for(Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER))
                or bool(scope.communes)
                or Role.PRODUCER in scope.roles
            ),
            "central": central,
            "counts": counts,
            "by_group": by_group,
            "assignments": assignments,
            "is_admin": scope.is_admin,
            "can_create": not central and access.can_create_producer(user),
            "can_import_history": can_import(user, "history"),
            # A producer's own records (and a commune officer's first few) for one-tap access on a phone.
            "own_producers": (
                list(access.producers_writable_by(user).order_by("name")[:5]) if Role.PRODUCER in scope.roles else []
            ),
            "sees_documents": not central and access.can_read_documents(user),
        },
    )
