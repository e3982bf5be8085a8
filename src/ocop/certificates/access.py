"""The one gateway to decisions and certificates in the back office (the public reads them through `queries`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.certificates.models import Certificate, ConsumerReport, Decision
from ocop.registry.models import ProducerMember

NOTHING = Q(pk__in=[])
PROVINCE_READERS = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER, Role.INSPECTOR)


def can_manage(user: Any, province_id: int) -> bool:
    """Draft and issue decisions, suspend, lift, revoke: the province's OCOP office (coordinator)."""
    scope = scope_of(user)
    return scope.is_admin or province_id in scope.provinces_for(Role.PROVINCE_COORDINATOR)


def can_suspend(user: Any, province_id: int) -> bool:
    """Suspend a certificate on a finding: the coordinator, or the province's inspectors (supervision)."""
    scope = scope_of(user)
    return scope.is_admin or province_id in scope.provinces_for(Role.PROVINCE_COORDINATOR, Role.INSPECTOR)


def certificate_actions(user: Any, cert: Certificate) -> dict[str, bool]:
    """What the user may do to a certificate: its issuing body (the province, or the ministry for its 5 stars) lifts
    and revokes; the inspectors and office of the product's province may also suspend it."""
    issuer = cert.decision.province_id
    return {
        "suspend": can_suspend(user, cert.province_id) or can_manage(user, issuer),
        "lift": can_manage(user, issuer),
        "revoke": can_manage(user, issuer),
    }


def can_manage_any(user: Any) -> bool:
    scope = scope_of(user)
    return scope.is_admin or bool(scope.provinces_for(Role.PROVINCE_COORDINATOR))


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def certificates_visible_to(user: Any) -> QuerySet[Certificate]:
    scope = scope_of(user)
    if scope.is_admin:
        return Certificate.objects.all()
    q = NOTHING
    provinces = scope.provinces_for(*PROVINCE_READERS)
    if provinces:
        # The province's own certificates and those its bodies issued (the ministry's, for the central level).
        q |= Q(province_id__in=provinces) | Q(decision__province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes)
    if Role.PRODUCER in scope.roles:
        q |= Q(producer_id__in=ProducerMember.objects.filter(user=user).values("producer_id"))
    return Certificate.objects.filter(q)


def decisions_visible_to(user: Any) -> QuerySet[Decision]:
    """Decisions are the office's work: the province's readers see them (issued ones are public documents)."""
    scope = scope_of(user)
    if scope.is_admin:
        return Decision.objects.all()
    return Decision.objects.filter(province_id__in=scope.provinces_for(*PROVINCE_READERS))


def get_decision_for_user(user: Any, pk: Any) -> Decision:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    decision = decisions_visible_to(user).select_related("province", "round").filter(pk=pk).first()
    if decision is None:
        raise Http404
    return decision


def get_certificate_for_user(user: Any, pk: Any) -> Certificate:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    certificate = (
        certificates_visible_to(user)
        .select_related("product", "producer", "province", "commune", "decision")
        .filter(pk=pk)
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def reports_visible_to(user: Any) -> QuerySet[ConsumerReport]:
    """Consumers' reports: the province readers of the certificate's province; a report of an unknown code (a
    suspected fake) concerns every province's office."""
    scope = scope_of(user)
    if scope.is_admin:
        return ConsumerReport.objects.all()
    provinces = scope.provinces_for(*PROVINCE_READERS)
    if not provinces:
        return ConsumerReport.objects.none()
    return ConsumerReport.objects.filter(Q(certificate__province_id__in=provinces) | Q(certificate__isnull=True))
