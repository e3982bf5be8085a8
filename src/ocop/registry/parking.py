"""The review queue: rows an import set aside (a wrong value, a look-alike, a commune to choose, an incomplete row the
person chose to park), each with its original cells and what was wrong. Fixing one runs the same checks as the import
on that row alone, and saves it only when they pass."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.registry.models import ParkedRow, ParkState

if TYPE_CHECKING:
    from ocop.registry.importing import ImportReport, Plan

NOTHING = Q(pk__in=[])


def fingerprint(kind: str, cells: dict[str, str]) -> str:
    body = json.dumps([kind, sorted(cells.items())], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def park_rows(*, kind: str, plans: list[Plan], by: Any, job: Any = None) -> list[ParkedRow]:
    """Put rows in the queue (inside the import's transaction), once: a row already waiting with the same cells (the
    same list imported again) is not queued twice. Side effects: one audit entry per new row."""
    prints = {id(plan): fingerprint(kind, plan.cells) for plan in plans}
    waiting = set(
        ParkedRow.objects.filter(kind=kind, state=ParkState.OPEN, fingerprint__in=set(prints.values())).values_list(
            "fingerprint", flat=True
        )
    )
    fresh = []
    for plan in plans:
        if prints[id(plan)] not in waiting:
            waiting.add(prints[id(plan)])
            fresh.append(plan)
    plans = fresh
    rows = ParkedRow.objects.bulk_create(
        [
            ParkedRow(
                job=job if getattr(job, "pk", None) else None,
                kind=kind,
                row=plan.row,
                cells=plan.cells,
                fingerprint=prints[id(plan)],
                problems=[{"column": p.column, "message": p.message} for p in plan.problems],
                reason=plan.reason or "error",
                province_id=plan.province_id,
                commune_id=plan.commune_id,
                created_by=by,
            )
            for plan in plans
        ],
        batch_size=500,
    )
    through = ParkedRow.candidates.through
    through.objects.bulk_create(
        [
            through(parkedrow_id=row.pk, commune_id=commune_id)
            for row, plan in zip(rows, plans, strict=True)
            for commune_id in dict.fromkeys(plan.candidates)
        ],
        batch_size=1000,
    )
    audit.record_many(actor=by, action=AuditAction.IMPORT, objs=rows, fields=["kind", "row", "reason"])
    return rows


def parked_rows_visible_to(user: Any) -> QuerySet[ParkedRow]:
    """The province office sees its province's rows; a commune officer the rows of its communes (placed there, or
    with its commune among the candidates); everyone the rows they imported."""
    scope = scope_of(user)
    if scope.is_admin:
        return ParkedRow.objects.all()
    if not getattr(user, "is_authenticated", False):
        return ParkedRow.objects.none()
    q = Q(created_by=user)
    provinces = scope.provinces_for(Role.PROVINCE_COORDINATOR)
    if provinces:
        q |= Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes) | Q(
            pk__in=ParkedRow.candidates.through.objects.filter(commune_id__in=scope.communes).values("parkedrow_id")
        )
    return ParkedRow.objects.filter(q)


def get_parked_row_for_user(user: Any, pk: Any) -> ParkedRow:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    row = parked_rows_visible_to(user).filter(pk=pk).select_related("province", "commune", "job").first()
    if row is None:
        raise Http404
    return row


def fix_parked_row(
    *, by: Any, parked: ParkedRow, cells: dict[str, str], commune_id: int | None = None, same: str = ""
) -> ImportReport:
    """Run the row, as corrected, through its import (all or nothing, incomplete values allowed and flagged); when it
    passes, it is saved and the row leaves the queue. `commune_id` answers a commune choice, `same` a look-alike
    ("new", or the id of the record it is). Side effects: the record saved; audit entries."""
    from ocop.registry.importing import Choices
    from ocop.registry.imports import make_importer

    choices = Choices(communes={parked.row: commune_id} if commune_id else {}, same={parked.row: same} if same else {})
    importer = make_importer(parked.kind, user=by, choices=choices)
    by_title = {title: name for name, title in importer.columns}
    values = {by_title[t]: (v or None) for t, v in cells.items() if t in by_title}
    with transaction.atomic():
        report = importer.run_rows([(parked.row, values)], commit=True)
        if report.committed:
            result = report.rows[0]
            locked = ParkedRow.objects.select_for_update().get(pk=parked.pk)
            if locked.state != ParkState.OPEN:
                transaction.set_rollback(True)
                report.committed = False
                return report
            parked.state, parked.resolved_by, parked.resolved_at = ParkState.RESOLVED, by, timezone.now()
            parked.cells, parked.fingerprint = cells, fingerprint(parked.kind, cells)
            parked.result_kind, parked.result_id = importer.result_kind, result.record
            parked.save()
            audit.record(
                actor=by, action=AuditAction.CHANGE, obj=parked, changes={"state": [ParkState.OPEN, parked.state]}
            )
    return report


@transaction.atomic
def dismiss_parked_row(*, by: Any, parked: ParkedRow, reason: str) -> ParkedRow:
    """Take a row out of the queue without saving it (a duplicate, a row that should not have been in the list)."""
    parked = ParkedRow.objects.select_for_update().get(pk=parked.pk)
    if parked.state == ParkState.OPEN:
        parked.state, parked.resolved_by, parked.resolved_at = ParkState.DISMISSED, by, timezone.now()
        parked.save()
        changes = {"state": [ParkState.OPEN, parked.state], "reason": [None, reason]}
        audit.record(actor=by, action=AuditAction.CHANGE, obj=parked, changes=changes)
    return parked
