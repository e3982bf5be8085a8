"""The audit trail: one entry per create, change or delete, written by the service that made it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from ocop.core.bulk import insert_rows
from ocop.core.models import AuditAction, AuditEntry


class Actor(Protocol):
    pk: Any

    def get_full_name(self) -> str: ...

    def get_username(self) -> str: ...


def _plain(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.is_relation and field.many_to_one and not field.is_cached(obj):  # type: ignore[union-attr]
        # Not loaded: record the id rather than fetch the row (imports snapshot thousands at once).
        raw = getattr(obj, field.attname)  # type: ignore[union-attr]
        return None if raw is None else f"#{raw}"
    return _plain(getattr(obj, name))


class Snapshot(dict[str, Any]):
    """The values of a record's fields, and (`ids`, not stored) the ids its foreign keys held: a key recorded by its
    id on one side ("#181", not loaded) and by its text on the other (loaded meanwhile) is no change."""

    ids: dict[str, Any]


def snapshot(obj: models.Model, fields: Iterable[str]) -> Snapshot:
    """The values of `fields` as JSON-friendly plain values (loaded foreign keys by their text)."""
    shot = Snapshot((name, _value(obj, name)) for name in fields)
    shot.ids = {}
    for name in shot:
        field = obj._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            shot.ids[name] = getattr(obj, field.attname)  # type: ignore[union-attr]
    return shot


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value changed, [before, after]; a foreign key whose id stayed is not one of them."""
    ids_before: dict[str, Any] = getattr(before, "ids", {})
    ids_after: dict[str, Any] = getattr(after, "ids", {})

    def same_key(k: str) -> bool:
        return k in ids_before and k in ids_after and ids_before[k] == ids_after[k]

    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k] and not same_key(k)}


def actor_name(actor: Actor | None) -> str:
    if actor is None:
        return "system"
    return actor.get_full_name() or actor.get_username()


def _entry(*, actor: Actor | None, action: AuditAction, obj: models.Model, changes: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        actor_id=actor.pk if actor is not None else None,
        actor_name=actor_name(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes,
    )


def record(*, actor: Actor | None, action: AuditAction, obj: models.Model, changes: dict[str, Any]) -> AuditEntry:
    entry = _entry(actor=actor, action=action, obj=obj, changes=changes)
    entry.save()
    return entry


def record_many(
    *, actor: Actor | None, action: AuditAction, objs: Sequence[models.Model], fields: Sequence[str]
) -> None:
    """One entry per object, written in bulk (imports)."""
    if not objs:
        return
    at = timezone.now()
    actor_id = actor.pk if actor is not None else None
    name = actor_name(actor)
    content_type_id = ContentType.objects.get_for_model(objs[0]).pk
    insert_rows(
        AuditEntry,
        ["at", "actor_id", "actor_name", "action", "content_type_id", "object_id", "object_repr", "changes"],
        (
            (
                at,
                actor_id,
                name,
                action,
                content_type_id,
                str(o.pk),
                str(o)[:300],
                {k: [None, v] for k, v in snapshot(o, fields).items()},
            )
            for o in objs
        ),
    )


def record_each(
    *, actor: Actor | None, action: AuditAction, entries: Sequence[tuple[models.Model, dict[str, Any]]]
) -> None:
    """One entry per object with its own changes, written in bulk (the rows an import updates)."""
    if not entries:
        return
    at = timezone.now()
    actor_id = actor.pk if actor is not None else None
    name = actor_name(actor)
    types: dict[type[models.Model], int] = {}
    for obj, _changes in entries:
        if type(obj) not in types:
            types[type(obj)] = ContentType.objects.get_for_model(obj).pk
    insert_rows(
        AuditEntry,
        ["at", "actor_id", "actor_name", "action", "content_type_id", "object_id", "object_repr", "changes"],
        ((at, actor_id, name, action, types[type(o)], str(o.pk), str(o)[:300], c) for o, c in entries),
    )


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("content_type")
