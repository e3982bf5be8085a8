"""The one gateway to decisions and certificates in the back office (the public reads them through `queries`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ocop.accounts.models import Role
from ocop.accounts.permissions import NOTHING, require, scope_of, visible_or_404
from ocop.certificates.models import Certificate, CertificateBatch, ConsumerReport, Decision, DecisionItem
from ocop.places.models import Province
from ocop.registry.access import products_visible_to
from ocop.registry.models import ProducerMember, Product

__all__ = ["NOTHING", "require"]  # the generic pieces, re-exported: the services call `access.require(...)`
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


def managed_provinces(user: Any) -> QuerySet[Province]:
    """The provinces (or the central level) whose decisions the user drafts and issues."""
    scope = scope_of(user)
    if scope.is_admin:
        return Province.objects.order_by("code")
    return Province.objects.filter(pk__in=scope.provinces_for(Role.PROVINCE_COORDINATOR)).order_by("code")


def can_handle_report(user: Any, report: ConsumerReport) -> bool:
    """Close a consumer's report: the office or the inspectors of the certificate's province (an inspection opened
    from it closes it); a report of an unknown code, any province's office."""
    if report.certificate is None:
        return can_manage_any(user)
    return can_suspend(user, report.certificate.province_id)


def decision_products(user: Any, decision: Decision) -> QuerySet[Product]:
    """Products a decision may list: the province's own that the user sees; for the ministry, the products of its
    central rounds (any product for its own past 5-star decisions entered from history)."""
    if decision.province.central:
        if decision.historical:
            return Product.objects.all()
        return Product.objects.filter(dossiers__round__province_id=decision.province_id).distinct()
    return products_visible_to(user).filter(province_id=decision.province_id)


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
    return visible_or_404(decisions_visible_to(user).select_related("province", "round"), pk)


def get_item(decision: Decision, pk: Any) -> DecisionItem:
    return visible_or_404(DecisionItem.objects.filter(decision=decision).select_related("decision", "product"), pk)


def get_certificate_for_user(user: Any, pk: Any) -> Certificate:
    visible = certificates_visible_to(user).select_related("product", "producer", "province", "commune", "decision")
    return visible_or_404(visible, pk)


def get_batch_for_user(user: Any, pk: Any) -> CertificateBatch:
    visible = CertificateBatch.objects.filter(decision__in=decisions_visible_to(user)).select_related("decision")
    return visible_or_404(visible, pk)


def get_report_for_user(user: Any, pk: Any) -> ConsumerReport:
    return visible_or_404(reports_visible_to(user).select_related("certificate"), pk)


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
