"""Consumers' reports from the scan page: stored for supervision, rate-limited per sender."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates import access
from ocop.certificates.enums import ReportKind
from ocop.certificates.models import ConsumerReport
from ocop.certificates.queries import by_code
from ocop.core import audit
from ocop.core.models import AuditAction


class TooManyReports(Exception):
    """The sender has reached the hourly limit."""


def client_key(address: str) -> str:
    """A keyed hash of the sender's address: enough to count reports, nothing to identify anyone by."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()


@transaction.atomic
def report_problem(
    *, code: str, kind: str, message: str, place: str = "", contact: str = "", client: str
) -> ConsumerReport:
    """Store a consumer's report (no login). Refused with TooManyReports past OCOP_REPORTS_PER_HOUR per sender."""
    errors: dict[str, list[str]] = {}
    if kind not in ReportKind.values:
        errors["kind"] = [_("Choose what is wrong.")]
    if len(message) > 2000:
        errors["message"] = [_("Please keep the description under 2,000 characters.")]
    if kind == ReportKind.OTHER and not message.strip():
        errors["message"] = [_("Describe the problem.")]
    code, place, contact = code.strip(), place.strip(), contact.strip()
    if len(code) > ConsumerReport._meta.get_field("code").max_length:  # type: ignore[operator]
        errors["__all__"] = [_("This code is too long to be an OCOP code.")]
    if len(place) > ConsumerReport._meta.get_field("place").max_length:  # type: ignore[operator]
        errors["place"] = [_("Where you bought it: at most 300 characters.")]
    if len(contact) > ConsumerReport._meta.get_field("contact").max_length:  # type: ignore[operator]
        errors["contact"] = [_("Your contact: at most 120 characters.")]
    if errors:
        raise ValidationError(errors)
    since = timezone.now() - dt.timedelta(hours=1)
    if ConsumerReport.objects.filter(client=client, created_at__gte=since).count() >= settings.OCOP_REPORTS_PER_HOUR:
        raise TooManyReports
    return ConsumerReport.objects.create(
        certificate=by_code(code),
        code=code,
        kind=kind,
        message=message.strip(),
        place=place,
        contact=contact,
        client=client,
    )


@transaction.atomic
def mark_handled(*, by: Any, report: ConsumerReport, handled: bool = True) -> ConsumerReport:
    """The office has looked into a report, or an inspection was opened from it (`access.can_handle_report`)."""
    access.require(access.can_handle_report(by, report))
    report.handled = handled
    report.save(update_fields=["handled", "updated_at"])
    audit.record(actor=by, action=AuditAction.CHANGE, obj=report, changes={"handled": [not handled, handled]})
    return report
