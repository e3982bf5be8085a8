"""Notices of coming expiry: when a certificate enters its last OCOP_EXPIRY_WARN_DAYS, its producer and its commune's
officers are told by e-mail (Django's mail settings; the console by default), once. The supervision issue adds the
60- and 30-day notices and the written notice as a PDF."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.accounts.models import Role, User
from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate, ExpiryNotice
from ocop.registry.models import ProducerMember


def _recipients(cert: Certificate) -> list[str]:
    producer_users = ProducerMember.objects.filter(producer=cert.producer).values("user_id")
    users = User.objects.filter(is_active=True).exclude(email="")
    emails = set(users.filter(pk__in=producer_users).values_list("email", flat=True))
    if cert.producer.email:
        emails.add(cert.producer.email)
    if cert.commune_id:
        officers = users.filter(roles__role=Role.COMMUNE_OFFICER, roles__commune_id=cert.commune_id)
        emails |= set(officers.values_list("email", flat=True))
    return sorted(emails)


@transaction.atomic
def send_expiry_notices(today: dt.date | None = None) -> int:
    """Tell producers and communes about certificates that entered their last days; each certificate once.
    Returns how many certificates were noticed. Side effects: e-mails, a notice row per certificate."""
    today = today or timezone.localdate()
    days = settings.OCOP_EXPIRY_WARN_DAYS
    due = (
        Certificate.objects.filter(
            status=Status.VALID, valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=days)
        )
        .exclude(notices__days_before=days)
        .select_related("product", "producer")
    )
    messages = []
    notices = []
    with translation.override("vi"):
        for cert in due:
            recipients = _recipients(cert)
            subject = _("OCOP certificate %(number)s ends on %(date)s") % {
                "number": cert.number, "date": cert.valid_until.strftime("%d/%m/%Y")}  # fmt: skip
            body = _(
                "The OCOP certificate %(number)s of %(product)s (%(stars)s stars) ends on %(date)s. To keep the OCOP "
                "mark, file a re-recognition dossier in time: the product can be evaluated again before that day."
            ) % {"number": cert.number, "product": cert.product.name, "stars": cert.stars,
                 "date": cert.valid_until.strftime("%d/%m/%Y")}  # fmt: skip
            if recipients:
                messages.append((subject, body, None, recipients))
            notices.append(ExpiryNotice(certificate=cert, days_before=days, recipients=", ".join(recipients)))
    ExpiryNotice.objects.bulk_create(notices)
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(notices)


@task()
def notify_expiring() -> None:
    send_expiry_notices()
