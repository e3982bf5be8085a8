"""Who hears of a certificate's steps: the issued decision (the producer and its commune's officers), the
certificate's PDF once made (the producer, with the link to it), a suspension and a revocation (the producer and
the commune; the outlets stocking the product hear through their removal tasks, raised by the outlets app on the
`status_changed` signal).

Each notice goes through `accounts.services.notify` (in-app, and e-mail by the task worker), once per subject key, in
the site's language (Vietnamese). A decision entered from history tells no one: it was announced on paper long ago.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ocop.accounts.models import Target, User
from ocop.accounts.services import commune_officers, notify
from ocop.certificates.models import Certificate
from ocop.evaluation.notices import producer_users


def _people(cert: Certificate, *, commune: bool = True) -> list[User]:
    users = {u.pk: u for u in producer_users(cert.producer_id)}
    if commune:
        users.update({u.pk: u for u in commune_officers(cert.commune_id)})
    return list(users.values())


def _values(cert: Certificate) -> dict[str, object]:
    return {
        "number": cert.number,
        "product": cert.product.name,
        "producer": cert.producer.name,
        "stars": cert.stars,
        "decision": cert.decision.number,
        "body": cert.decision.issuing_body,
        "date": cert.issued_on.strftime("%d/%m/%Y"),
        "until": cert.valid_until.strftime("%d/%m/%Y"),
    }


def decision_issued(*, certificates: Iterable[Certificate]) -> None:
    """The producer and its commune's officers hear that the product is recognised."""
    with translation.override(settings.LANGUAGE_CODE):
        for cert in certificates:
            if cert.decision.historical:
                continue
            values = _values(cert)
            notify(
                _people(cert),
                key=f"decision_issued:{cert.pk}",
                title=_("%(product)s recognised as a %(stars)s-star OCOP product") % values,
                body=_(
                    "Decision %(decision)s of %(body)s, signed on %(date)s, recognises %(product)s (%(producer)s) at "
                    "%(stars)s stars. Certificate %(number)s is valid until %(until)s."
                )
                % values,
                target=Target.CERTIFICATE,
                target_id=cert.pk,
            )


def certificates_ready(*, certificates: Iterable[Certificate]) -> None:
    """The producer hears that its certificate's PDF can be downloaded (and printed)."""
    with translation.override(settings.LANGUAGE_CODE):
        for cert in certificates:
            if cert.decision.historical or not cert.pdf:
                continue
            values = _values(cert)
            notify(
                _people(cert, commune=False),
                key=f"certificate_ready:{cert.pk}",
                title=_("OCOP certificate %(number)s of %(product)s is ready") % values,
                body=_(
                    "The certificate (PDF) of %(product)s, %(stars)s stars, valid until %(until)s, can be downloaded "
                    "and printed. Its QR code lets buyers check it."
                )
                % values,
                target=Target.CERTIFICATE_PDF,
                target_id=cert.pk,
            )


def suspended(*, cert: Certificate, reason: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_values(cert), "reason": reason}
        notify(
            _people(cert),
            key=f"suspended:{cert.pk}:{cert.status_since}",
            title=_("OCOP certificate %(number)s of %(product)s is suspended") % values,
            body=_(
                "The certificate is suspended until the suspension is lifted: %(product)s may not carry the OCOP "
                "mark meanwhile. Reason: %(reason)s"
            )
            % values,
            target=Target.CERTIFICATE,
            target_id=cert.pk,
        )


def revoked(*, cert: Certificate, reason: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_values(cert), "reason": reason, "revocation": cert.revocation_decision}
        notify(
            _people(cert),
            key=f"revoked:{cert.pk}",
            title=_("OCOP certificate %(number)s of %(product)s is revoked") % values,
            body=_(
                "Decision %(revocation)s revokes the certificate: %(product)s is no longer an OCOP product. "
                "Reason: %(reason)s"
            )
            % values,
            target=Target.CERTIFICATE,
            target_id=cert.pk,
        )
