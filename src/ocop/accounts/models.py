from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.places.models import Commune, Province


class Role(models.TextChoices):
    PROVINCE_COORDINATOR = "province_coordinator", _("Province OCOP coordinator")
    COMMERCE_OFFICER = "commerce_officer", _("Commerce officer")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    COUNCIL_MEMBER = "council_member", _("Council member")
    PRODUCER = "producer", _("Producer")
    OUTLET_OPERATOR = "outlet_operator", _("Sales point operator")
    INSPECTOR = "inspector", _("Inspector")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()


class RoleAssignment(TimeStampedModel):
    """A role held by a user, scoped to a province or to one commune.

    Province-wide roles carry the province; a commune officer holds one row per commune. A producer
    account's link to its producer lives in the registry (registry.ProducerMember), above this app.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "province", "commune"], name="unique_role_assignment")
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        scope = self.commune or self.province or ""
        return f"{self.user} · {self.get_role_display()} {scope}".strip()


class Target(models.TextChoices):
    """What a notice points to. The domain apps store the kind and the record's id; the interface apps (back office)
    turn them into a URL, so no domain module knows a URL name."""

    CERTIFICATE = "certificate"
    DOSSIER = "dossier"
    SCORE_PAGE = "score_page"  # a dossier's scoring page (the council member's sheet)
    RERECOGNITION = "rerecognition"  # start a re-recognition dossier for a product
    INSPECTION = "inspection"
    PRODUCT = "product"
    DOCUMENT = "document"
    REFERRALS = "referrals"  # the province's 5-star referrals (no id)
    ROUNDS = "rounds"  # the rounds list (no id)
    CERTIFICATES = "certificates"  # lists, for "see the list" after an import (no id)
    CRITERIA = "criteria"
    SALES = "sales"
    CERTIFICATE_PDF = "certificate_pdf"  # a certificate's PDF
    NOTIFICATIONS = "notifications"  # the user's notices and e-mail settings (no id)
    OUTLET = "outlet"  # a sales point's page (its shelf and removal tasks)
    STAR_PATH = "star_path"  # a dossier's published result and its path to the next star


class NoticeKind(models.TextChoices):
    """What a notice is about. Each user may switch e-mail off per kind (`EmailOptOut`); the in-app notice stays."""

    SUBMITTED = "submitted", _("Dossier submitted to the commune")
    RETURNED = "returned", _("Dossier returned for fixes")
    PROPOSED = "proposed", _("Dossier proposed to the province")
    SENT_TO_COUNCIL = "sent_to_council", _("Dossier sent to the council")
    SCORING_COMPLETE = "scoring_complete", _("Council scoring complete")
    RESULT_PUBLISHED = "result_published", _("Council result published")
    DECISION_ISSUED = "decision_issued", _("Recognition decision issued")
    CERTIFICATE_READY = "certificate_ready", _("Certificate ready")
    SUSPENDED = "suspended", _("Certificate suspended")
    REVOKED = "revoked", _("Certificate revoked")
    DEADLINE_REMINDER = "deadline_reminder", _("Round deadline reminder")
    EXPIRY = "expiry", _("Certificate about to end")
    DOCUMENT_EXPIRY = "document_expiry", _("Document about to end")
    SPREAD_REVIEW = "spread_review", _("Review of diverging scores")
    REMOVAL_TASK = "removal_task", _("Products to take off the shelf")
    RENAME = "rename", _("Product name change")
    INSPECTION = "inspection", _("Inspection scheduled")
    FINDINGS = "findings", _("Inspection findings")
    SANCTION = "sanction", _("Sanction")
    CENTRAL_ROUND = "central_round", _("Central (5-star) round")
    OTHER = "other", _("Other notices")


# The kind of a notice whose key's prefix (before the first ":") is not itself a kind's value.
KIND_OF_PREFIX = {
    "document": NoticeKind.DOCUMENT_EXPIRY,
    "spread": NoticeKind.SPREAD_REVIEW,
    "spread-chair": NoticeKind.SPREAD_REVIEW,
    "spread-closed": NoticeKind.SPREAD_REVIEW,
    "ministry-issued": NoticeKind.DECISION_ISSUED,
    "central": NoticeKind.CENTRAL_ROUND,
    "referred": NoticeKind.CENTRAL_ROUND,
    "central-result": NoticeKind.CENTRAL_ROUND,
    "removal": NoticeKind.REMOVAL_TASK,
    "deadline": NoticeKind.DEADLINE_REMINDER,
}


def kind_of(key: str) -> NoticeKind:
    """The kind a notice key names by its prefix (`submitted:12:1` → submitted; unknown prefixes → other)."""
    prefix = key.split(":", 1)[0]
    if prefix in NoticeKind.values:
        return NoticeKind(prefix)
    return KIND_OF_PREFIX.get(prefix, NoticeKind.OTHER)


class Notification(models.Model):
    """An in-app notice for one user, once per subject (`key`): the daily watch may run twice without repeating."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=100)
    title = models.TextField(_("title"))  # made of names (a product's, a producer's): no length to cut them at
    body = models.TextField(_("message"), blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices, default=NoticeKind.OTHER)
    target = models.CharField(max_length=20, choices=Target.choices, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_subject")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class EmailOptOut(models.Model):
    """A kind of notice the user wants in the app only: no e-mail for it. No row: e-mail on (the default)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_opt_outs")
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_email_opt_out_per_kind")]
        verbose_name = _("e-mail switched off")
        verbose_name_plural = _("e-mails switched off")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"


class TokenScope(models.TextChoices):
    """What an API token may do: read only (GET), or also write (POST, PUT, PATCH, DELETE) as its user may."""

    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class TokenStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiToken(models.Model):
    """A personal API token: another system calls the API as this user, with the user's roles, within the token's
    scope. The text given once is `ocop_<prefix>_<secret>`; the public prefix finds the row and is shown in lists,
    and only the secret's SHA-256 is kept (ocop.accounts.tokens), so the database cannot give the token back."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (ocop_{self.prefix}_…)"

    def status(self, now: dt.datetime | None = None) -> TokenStatus:
        """Revoked, expired (at its expiry time or later), or active."""
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE
