"""The daily expiry and document watch. Certificates entering their last 90, 60 and 30 days
(OCOP_EXPIRY_NOTICE_DAYS) and vault documents about to lapse produce notices: in-app for the producer's accounts and
its commune's officers, and e-mail through Django's mail settings (the console by default). From 60 days
(OCOP_WRITTEN_NOTICE_DAYS) the producer also gets the written notice as a PDF. Each notice links to the
re-recognition dossier, pre-filled from the last one when the producer starts it. A notice row per stage makes a
second run on the same day send nothing. Expiry itself needs no run: a certificate's status follows from its dates.
The watch also signs the day's checkpoint of the transparency log (checkpoints.daily_checkpoint), and reminds
producers of a round's submission deadline three days before it (evaluation.notices.remind_deadlines).

Every notice goes through `accounts.services.notify`. The document notice's e-mail is notify's own (the task worker
sends it, to the producer's own address too); the expiry notice's e-mail carries the written notice as a PDF and
goes out here, to the accounts that did not switch expiry e-mails off and to the producer's own address."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.accounts.links import link_to
from ocop.accounts.models import EmailOptOut, NoticeKind, Role, Target, User
from ocop.accounts.services import notify
from ocop.certificates.checkpoints import daily_checkpoint
from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate, DocumentNotice, ExpiryNotice
from ocop.core.pdf import render_pdf
from ocop.core.text import blank_number, place_date
from ocop.evaluation.notices import remind_deadlines
from ocop.places.issuers import issuer_for
from ocop.registry.models import Document

log = logging.getLogger(__name__)


def stages() -> list[int]:
    """The notice windows, largest first (90, 60, 30 by default)."""
    return sorted({int(d) for d in settings.OCOP_EXPIRY_NOTICE_DAYS}, reverse=True)


def stage_for(days_left: int) -> int | None:
    """The window a certificate with `days_left` is in: the smallest stage at least `days_left`."""
    inside = [d for d in stages() if days_left <= d]
    return min(inside) if inside else None


def _users(producer_id: int, commune_id: int | None) -> list[User]:
    users = User.objects.filter(is_active=True)
    members = list(users.filter(producer_links__producer_id=producer_id))
    officers = list(users.filter(roles__role=Role.COMMUNE_OFFICER, roles__commune_id=commune_id)) if commune_id else []
    return list({u.pk: u for u in members + officers}.values())


def _emails(users: list[User], extra: str) -> list[str]:
    return sorted({u.email for u in users if u.email} | ({extra} if extra else set()))


def written_notice_due(cert: Certificate, today: dt.date) -> bool:
    """Whether the written notice may be downloaded: a certificate neither revoked nor superseded, within
    OCOP_WRITTEN_NOTICE_DAYS of its end or past it."""
    if cert.status in (Status.REVOKED, Status.SUPERSEDED):
        return False
    return (cert.valid_until - today).days <= settings.OCOP_WRITTEN_NOTICE_DAYS


def producer_address(cert: Certificate) -> str:
    """The producer's full address for "Kính gửi": its address, commune and province ("Thôn 5, Xã Suối Hai, Thành
    phố Hà Nội")."""
    producer = cert.producer
    parts = [producer.address, producer.commune.name if producer.commune else "", producer.province.name]
    return ", ".join(part for part in parts if part)


def written_notice(cert: Certificate, today: dt.date) -> bytes:
    """The written notice to the producer as a PDF: from the standing OCOP office of the body that issued the
    certificate, signed by its head (Decree 30/2020/NĐ-CP layout, names from the issuing body's settings)."""
    issuer = issuer_for(cert.decision.province)
    commune = cert.commune.name[:1].lower() + cert.commune.name[1:] if cert.commune else ""  # "xã Bát Tràng"
    recipients = ["Như trên"] + ([f"Ủy ban nhân dân {commune}"] if commune else [])
    html = render_to_string(
        "certificates/expiry_notice_pdf.html",
        {
            "c": cert,
            "address": producer_address(cert),
            "days_left": (cert.valid_until - today).days,
            "after": cert.valid_until + dt.timedelta(days=1),
            "issuer": issuer.office_heading,
            "number_line": blank_number(f"TB-{issuer.office_symbol or 'OCOP'}"),  # the office numbers its notices
            "place_date": place_date(issuer.place, today),
            "sign": issuer.office_sign,
            "recipients": recipients,
        },
    )
    return render_pdf(html)


@dataclass
class Outgoing:
    messages: list[EmailMessage]

    def send(self) -> None:
        if not self.messages:
            return
        try:
            get_connection().send_messages(self.messages)
        except OSError:  # a refusing mail server: the in-app notices and the rows stay, the log says what failed
            log.exception("expiry notices: %s e-mails not sent", len(self.messages))


def _certificate_notices(today: dt.date, out: Outgoing) -> int:
    last = today + dt.timedelta(days=max(stages()))
    due = Certificate.objects.filter(status=Status.VALID, valid_until__gte=today, valid_until__lte=last).select_related(
        "product", "producer", "province", "decision"
    )
    certs = list(due)
    sent: dict[int, set[int]] = {}
    with_pdf: set[int] = set()
    for cert_id, days, pdf in ExpiryNotice.objects.filter(certificate__in=certs).values_list(
        "certificate_id", "days_before", "pdf"
    ):
        sent.setdefault(cert_id, set()).add(days)
        if pdf:
            with_pdf.add(cert_id)
    count = 0
    for cert in certs:
        days_left = (cert.valid_until - today).days
        stage = stage_for(days_left)
        if stage is None or stage in sent.get(cert.pk, set()):
            continue
        users = _users(cert.producer_id, cert.commune_id)
        muted = set(
            EmailOptOut.objects.filter(user__in=users, kind=NoticeKind.EXPIRY).values_list("user_id", flat=True)
        )
        recipients = _emails([u for u in users if u.pk not in muted], cert.producer.email)
        values = {"number": cert.number, "product": cert.product.name, "stars": cert.stars, "days": days_left,
                  "date": cert.valid_until.strftime("%d/%m/%Y")}  # fmt: skip
        title = _("OCOP certificate %(number)s ends on %(date)s") % values
        body = (
            _(
                "The OCOP certificate %(number)s of %(product)s (%(stars)s stars) ends on %(date)s, in %(days)s days. "
                "To keep the OCOP mark, file a re-recognition dossier in time: it is ready, pre-filled from the last "
                "one."
            )
            % values
        )
        notice = ExpiryNotice(certificate=cert, days_before=stage, recipients=", ".join(recipients))
        pdf = None
        if stage <= settings.OCOP_WRITTEN_NOTICE_DAYS and cert.pk not in with_pdf:
            pdf = written_notice(cert, today)
            notice.pdf.save(f"{cert.number}-{today:%Y%m%d}.pdf", ContentFile(pdf), save=False)
        notice.save()
        # e-mailed below, with the written notice attached
        notify(users, key=f"expiry:{cert.pk}:{stage}", title=title, body=body, email=False,
               target=Target.RERECOGNITION, target_id=cert.product_id)  # fmt: skip
        if recipients:
            url = link_to(Target.RERECOGNITION, cert.product_id)
            mail = EmailMessage(title, body + "\n\n" + settings.OCOP_PUBLIC_BASE_URL + url, to=recipients)
            if pdf is not None:
                mail.attach(f"thong-bao-{cert.number}.pdf", pdf, "application/pdf")
            out.messages.append(mail)
        count += 1
    return count


def _document_notices(today: dt.date, out: Outgoing) -> int:
    last = today + dt.timedelta(days=max(stages()))
    docs = list(
        Document.objects.filter(expires_on__gte=today, expires_on__lte=last).select_related("producer", "product")
    )
    sent: dict[int, set[int]] = {}
    for doc_id, days in DocumentNotice.objects.filter(document__in=docs).values_list("document_id", "days_before"):
        sent.setdefault(doc_id, set()).add(days)
    count = 0
    for doc in docs:
        days_left = (doc.expires_on - today).days  # type: ignore[operator]
        stage = stage_for(days_left)
        if stage is None or stage in sent.get(doc.pk, set()):
            continue
        users = _users(doc.producer_id, None)
        recipients = _emails(users, doc.producer.email)  # recorded on the notice row; notify's task sends
        values = {"document": str(doc), "producer": doc.producer.name, "days": days_left,
                  "date": doc.expires_on.strftime("%d/%m/%Y")}  # type: ignore[union-attr]  # fmt: skip
        title = _("“%(document)s” of %(producer)s ends on %(date)s") % values
        body = (
            _(
                "The document “%(document)s” in the vault of %(producer)s ends on %(date)s, in %(days)s days. Upload "
                "the renewed one so that dossiers and inspections find it valid."
            )
            % values
        )
        DocumentNotice.objects.create(document=doc, days_before=stage, recipients=", ".join(recipients))
        notify(users, key=f"document:{doc.pk}:{stage}", title=title, body=body, also=[doc.producer.email],
               target=Target.DOCUMENT, target_id=doc.pk)  # fmt: skip
        count += 1
    return count


@dataclass(frozen=True)
class WatchResult:
    certificates: int
    documents: int
    checkpoint: int | None = None  # the entry count of the log checkpoint signed by this run, if any
    reminders: int = 0  # dossiers reminded of their round's submission deadline


def run_watch(today: dt.date | None = None) -> WatchResult:
    """The daily run. Returns how many certificates and documents were noticed (0 and 0 on a second run), the
    log checkpoint it signed (none on a second run the same day with no change to the log) and how many dossiers
    were reminded of their round's deadline (0 on a second run)."""
    today = today or timezone.localdate()
    out = Outgoing([])
    # First and in its own transaction: a failing notice must not cost the day its signed checkpoint.
    checkpoint = daily_checkpoint()
    with transaction.atomic(), translation.override("vi"):
        result = WatchResult(
            _certificate_notices(today, out),
            _document_notices(today, out),
            checkpoint.seq if checkpoint else None,
            remind_deadlines(today),
        )
        transaction.on_commit(out.send)
    return result


def send_expiry_notices(today: dt.date | None = None) -> int:
    """The certificates part of the watch (kept for callers of the first version)."""
    return run_watch(today).certificates


@task()
def notify_expiring() -> None:
    run_watch()
