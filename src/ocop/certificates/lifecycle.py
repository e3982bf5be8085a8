"""The certificate lifecycle after issue: suspend, lift, revoke. Each service checks the gateway itself
(`access.certificate_actions`), runs in one transaction, is audited and logged; values arrive clean (the forms
parse and bound them) and are never cut."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import Target
from ocop.accounts.services import notify, office_of
from ocop.certificates import access, log, rules, status_notices
from ocop.certificates.enums import LogEvent, Status
from ocop.certificates.models import Certificate, Decision
from ocop.certificates.signals import status_changed
from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.registry.models import Product


def sync_product(cert: Certificate) -> None:
    """Keep the product's copy of its latest certificate (status, stars, last day) for the public catalogue."""
    if cert.status != Status.SUPERSEDED:
        Product.objects.filter(pk=cert.product_id).update(
            ocop_status=cert.status, ocop_stars=cert.stars, ocop_until=cert.valid_until,
            ocop_potential_five=cert.potential_five,
        )  # fmt: skip


def changed(ids: list[int], event: LogEvent) -> None:
    """Tell the listeners (shelves, catalogue, open data) after commit."""
    transaction.on_commit(lambda: status_changed.send(sender=Certificate, certificate_ids=ids, event=event))


def log_data(certificate: Certificate, **extra: Any) -> dict[str, Any]:
    return {
        "code": certificate.code,
        "product": certificate.product.name,
        "producer": certificate.producer.name,
        "product_id": certificate.product_id,
        "producer_id": certificate.producer_id,
        "stars": certificate.stars,
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        **extra,
    }


def set_status(cert: Certificate, status: Status, *, by: Any, event: LogEvent, reason: str = "", **fields: Any) -> None:
    before = cert.status
    cert.status, cert.status_reason, cert.status_since = status, reason, timezone.localdate()
    for key, value in fields.items():
        setattr(cert, key, value)
    cert.save()
    sync_product(cert)
    extra = {"status": status, "reason": reason, "status_since": cert.status_since.isoformat()}  # type: ignore[union-attr]  # set above
    if "superseded_by" in fields:
        extra["superseded_by"] = fields["superseded_by"].number
    if fields.get("revocation_decision"):
        extra["revocation_decision"] = fields["revocation_decision"]
    log.append(event=event, certificate=cert, data=log_data(cert, **extra))
    audit.record(actor=by, action=AuditAction.CHANGE, obj=cert, changes={"status": [before, status], "reason": [
        None, reason]})  # fmt: skip


def _issuer(cert: Certificate) -> int:
    """The issuing body's id (the province, or the central level for the ministry's certificates)."""
    return int(Decision.objects.filter(pk=cert.decision_id).values_list("province_id", flat=True).get())


def _locked(cert: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().select_related("product", "producer", "decision").get(pk=cert.pk)


def _reader_status(cert: Certificate) -> Status:
    return rules.reader_status(cert.status, cert.valid_until, timezone.localdate(), settings.OCOP_EXPIRY_WARN_DAYS)


@transaction.atomic
def suspend(*, by: Any, certificate: Certificate, reason: str) -> Certificate:
    """Suspend a valid certificate (with its reason) until the suspension is lifted. The inspectors and office of
    the product's province, or its issuing body, may suspend it."""
    cert = _locked(certificate)
    access.require(access.certificate_actions(by, cert)["suspend"])
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the suspension.")]})
    if not rules.shows_as_ocop(_reader_status(cert)):
        raise ValidationError(
            _("Only a valid certificate can be suspended; this one is %(status)s.")
            % {"status": _reader_status(cert).label}
        )
    set_status(cert, Status.SUSPENDED, by=by, event=LogEvent.SUSPENDED, reason=reason)
    changed([cert.pk], LogEvent.SUSPENDED)
    status_notices.suspended(cert=cert, reason=reason)
    issuer = _issuer(cert)
    if issuer != cert.province_id:  # the ministry hears that a province suspended its certificate
        notify(
            office_of(issuer), key=f"suspended:{cert.pk}:{cert.status_since}",
            title=_("Certificate %(number)s was suspended") % {"number": cert.number},
            body=reason, target=Target.CERTIFICATE, target_id=cert.pk,
        )  # fmt: skip
    return cert


@transaction.atomic
def lift(*, by: Any, certificate: Certificate, note: str = "") -> Certificate:
    """Lift a suspension: the certificate is valid again (until its own end date). Its issuing body lifts it."""
    cert = _locked(certificate)
    access.require(access.certificate_actions(by, cert)["lift"])
    if cert.status != Status.SUSPENDED:
        raise ValidationError(_("Certificate %(number)s is not suspended: there is no suspension to lift.") % {
            "number": cert.number})  # fmt: skip
    set_status(cert, Status.VALID, by=by, event=LogEvent.LIFTED, reason=note.strip())
    changed([cert.pk], LogEvent.LIFTED)
    return cert


@transaction.atomic
def revoke(
    *, by: Any, certificate: Certificate, decision_number: str, revoked_on: dt.date | None, reason: str
) -> Certificate:
    """Revoke a certificate by a decision (number, date, reason). A revoked certificate never comes back. Only its
    issuing body revokes it: the ministry its 5-star certificates, the province its own."""
    cert = _locked(certificate)
    access.require(access.certificate_actions(by, cert)["revoke"])
    errors: dict[str, list[str]] = {}
    decision_number, reason = decision_number.strip(), reason.strip()
    if not decision_number:
        errors["decision_number"] = [_("Enter the number of the revocation decision.")]
    elif len(decision_number) > Certificate._meta.get_field("revocation_decision").max_length:  # type: ignore[operator]
        errors["decision_number"] = [_("The decision number is too long (at most 60 characters).")]
    if revoked_on is None:
        errors["revoked_on"] = [_("Enter the date of the revocation decision.")]
    elif revoked_on > timezone.localdate():
        errors["revoked_on"] = [_("The decision date cannot be in the future.")]
    elif revoked_on < cert.issued_on:
        errors["revoked_on"] = [_("The revocation cannot come before the certificate was issued.")]
    if not reason:
        errors["reason"] = [_("Give the reason for the revocation.")]
    if cert.status in (Status.REVOKED, Status.SUPERSEDED):
        errors["__all__"] = [_("Certificate %(number)s is already %(status)s.") % {
            "number": cert.number, "status": Status(cert.status).label}]  # fmt: skip
    if errors:
        raise ValidationError(errors)
    set_status(
        cert, Status.REVOKED, by=by, event=LogEvent.REVOKED, reason=reason,
        revocation_decision=decision_number, status_since=revoked_on,
    )  # fmt: skip
    changed([cert.pk], LogEvent.REVOKED)
    status_notices.revoked(cert=cert, reason=reason)
    return cert
