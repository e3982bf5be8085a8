"""The one gateway to the figures and the periodic reports. The province's offices (the OCOP office, commerce
officers and inspectors) read the whole province and report on it or on any of its communes; a commune officer reads
and reports on their own commune only; the other roles read neither."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from ocop.accounts.models import Role
from ocop.accounts.permissions import NOTHING, scope_of, visible_or_404
from ocop.accounts.permissions import require as require  # the gateway's one refusal, for the services
from ocop.core.cells import whole_digits
from ocop.core.collation import vi
from ocop.places.models import Commune, Province
from ocop.reporting import snapshots, stats
from ocop.reporting.models import ReportRun

READERS = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER, Role.INSPECTOR)


def reads_province(user: Any, province_id: int) -> bool:
    scope = scope_of(user)
    return scope.is_admin or province_id in scope.provinces_for(*READERS)


def can_report(user: Any, province_id: int, commune_id: int | None) -> bool:
    """Make a periodic report of the province (or one of its communes), or of a commune the user serves."""
    return reads_province(user, province_id) or (commune_id is not None and commune_id in scope_of(user).communes)


def report_communes(user: Any, province_id: int) -> QuerySet[Commune]:
    """The communes of the province a report may be limited to."""
    communes = Commune.objects.filter(province_id=province_id).order_by(vi("short_name"))
    return communes if reads_province(user, province_id) else communes.filter(pk__in=scope_of(user).communes)


def runs_visible_to(user: Any) -> QuerySet[ReportRun]:
    scope = scope_of(user)
    if scope.is_admin:
        return ReportRun.objects.all()
    q = NOTHING
    if provinces := scope.provinces_for(*READERS):
        q |= Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes)
    return ReportRun.objects.filter(q)


def get_run_for_user(user: Any, pk: Any) -> ReportRun:
    return visible_or_404(runs_visible_to(user).select_related("province", "commune"), pk)


def reads_nation(user: Any) -> bool:
    """The national dashboard (every province summed): administrators and the central level's offices."""
    scope = scope_of(user)
    provinces = scope.provinces_for(*READERS)
    return scope.is_admin or (bool(provinces) and Province.objects.filter(pk__in=provinces, central=True).exists())


def statistics_scope(user: Any, province_code: str = "", commune: str = "") -> stats.Scope:
    """The province the user reads (admins: the one with `province_code`, the default province otherwise) and, with
    `commune` (an id), one of its communes. A commune officer reads their own commune only; other roles nothing.
    The central level's code (or a ministry office's own scope) is the whole country, for `reads_nation` only."""
    scope = scope_of(user)
    commune_id = whole_digits(commune)
    provinces = sorted(scope.provinces_for(*READERS))
    central = Province.objects.filter(central=True).values_list("pk", "code").first()
    if central and (province_code == central[1] or (not scope.is_admin and central[0] in provinces)):
        if not reads_nation(user):
            raise PermissionDenied
        return snapshots.national(central[0], timezone.localdate())
    if scope.is_admin:
        province = Province.objects.filter(code=province_code or settings.OCOP_DEFAULT_PROVINCE).first()
        province_id = province.pk if province else 0
    elif provinces:
        province_id = provinces[0]
    elif scope.communes:
        commune_id = commune_id if commune_id in scope.communes else min(scope.communes)
        province_id = Commune.objects.get(pk=commune_id).province_id
    else:
        raise PermissionDenied
    if commune_id and not Commune.objects.filter(pk=commune_id, province_id=province_id).exists():
        commune_id = None
    return stats.Scope(province_id, commune_id, timezone.localdate())
