from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ocop.accounts.models import Notification, Role, RoleAssignment
from ocop.accounts.permissions import scope_of
from ocop.backoffice.views.common import Request
from ocop.outlets import access as outlet_access
from ocop.outlets.models import RemovalTask
from ocop.registry import access
from ocop.registry.imports import can_import
from ocop.registry.models import EXPIRING_DAYS, ParkState
from ocop.registry.parking import parked_rows_visible_to


@login_required
def dashboard(request: Request) -> HttpResponse:
    user = request.user
    scope = scope_of(user)
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
    # An operator's in-app notice: products to take off the OCOP shelf (also e-mailed when the task is raised).
    counts["removals"] = RemovalTask.objects.filter(outlet__in=outlets, done_at__isnull=True).count()
    counts["notifications"] = Notification.objects.filter(user=user, read_at__isnull=True).count()
    # Rows an import set aside for this user's province or communes: work waiting for them.
    counts["parked"] = parked_rows_visible_to(user).filter(state=ParkState.OPEN).count()
    by_group = products.values("group__name", "group__position").annotate(n=Count("id")).order_by("group__position")
    assignments = RoleAssignment.objects.filter(user=user).select_related("province", "commune")
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "counts": counts,
            "by_group": by_group,
            "assignments": assignments,
            "is_admin": scope.is_admin,
            "can_create": access.can_create_producer(user),
            "can_import_history": can_import(user, "history"),
            # A producer's own records (and a commune officer's first few) for one-tap access on a phone.
            "own_producers": (
                list(access.producers_writable_by(user).order_by("name")[:5]) if Role.PRODUCER in scope.roles else []
            ),
            "sees_documents": access.can_read_documents(user),
        },
    )
