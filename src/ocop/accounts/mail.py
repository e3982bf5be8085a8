"""The e-mail side of a notice: one message per recipient, sent by the task worker after the notice's transaction
commits, so a slow or refusing mail server never holds up (or undoes) the step that caused it.

The recipients are decided when the task runs: an account switched off, without an address, or whose owner switched
that kind of e-mail off (`EmailOptOut`) gets nothing; the in-app notice is kept either way."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from ocop.accounts.links import link_to
from ocop.accounts.models import EmailOptOut, NoticeKind, Target, User

log = logging.getLogger(__name__)


def absolute_link(target: str, target_id: int | None) -> str:
    """The notice's page as an address that works from a mail client ("" when it has none)."""
    path = link_to(target, target_id) if target else ""
    return settings.OCOP_PUBLIC_BASE_URL.rstrip("/") + path if path else ""


def compose(*, kind: str, body: str, link: str) -> str:
    """The message text: the notice, the link to its page, and where to switch this kind of e-mail off."""
    parts = [body.strip()] if body.strip() else []
    if link:
        parts.append(_("Open it in OCOP Hub: %(link)s") % {"link": link})
    settings_link = absolute_link(Target.NOTIFICATIONS, None)
    footer = _("You receive this e-mail for the OCOP Hub notices of the kind “%(kind)s”.") % {
        "kind": NoticeKind(kind).label
    }
    if settings_link:
        footer += " " + _("To stop these e-mails: %(link)s") % {"link": settings_link}
    parts.append("-- \n" + footer)
    return "\n\n".join(parts)


@task()
def send_notice_emails(
    *, kind: str, subject: str, body: str, link: str, user_ids: list[int], also: list[str] | None = None
) -> int:
    """E-mail one notice: one message to each active account with an address that did not switch the kind off, and
    one to each address in `also` (a producer's or an outlet's own address). Returns how many were sent."""
    off = set(EmailOptOut.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", flat=True))
    addresses = list(
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .exclude(pk__in=off)
        .order_by("pk")
        .values_list("email", flat=True)
    )
    for extra in also or []:
        if extra and extra not in addresses:
            addresses.append(extra)
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        text = compose(kind=kind, body=body, link=link)
    messages = [EmailMessage(subject, text, to=[address]) for address in addresses]
    try:
        return mailers.default.send_messages(messages) or 0
    except (OSError, smtplib.SMTPException):
        # The notices are in the app already; the task fails visibly and can be run again.
        log.exception("notice e-mails (%s) not sent to %s address(es)", kind, len(messages))
        raise
