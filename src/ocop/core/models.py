from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    IMPORT = "import", _("imported")


class AuditEntry(models.Model):
    """Who did what to which record, and what changed (before/after).

    The actor is kept as an id and a name, not a foreign key: core sits below accounts, and an
    audit entry must outlive the account that made it.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    changes: models.JSONField[dict[str, Any]] = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def labelled_changes(self) -> list[tuple[str, Any, Any]]:
        """(field label in the user's language, before, after), values in the user's formats (core/changes.py)."""
        from ocop.core.changes import labelled_changes

        return labelled_changes(self.content_type.model_class(), self.changes)


class LeasedJob(models.Model):
    """A job a task worker runs: who holds it and when it last showed life, so a job whose worker died (kill -9, a
    lost machine) is found and offered again instead of looking busy forever (core.jobs)."""

    lease_owner = models.CharField(max_length=120, blank=True, editable=False)  # "host:pid" of the worker
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    failure = models.TextField(_("why it stopped"), blank=True)

    RUNNING_STATES: tuple[str, ...] = ()
    state_field = "status"

    class Meta:
        abstract = True

    def mark_abandoned(self) -> None:
        """Set the job's own fields for a job whose worker died (each job type says how)."""
        raise NotImplementedError
