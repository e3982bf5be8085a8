"""The review queue: rows an import set aside (a wrong value, a look-alike, a commune to choose, an incomplete row the
person chose to park), each with its original cells and what was wrong. Fixing one runs the same checks as the import
on that row alone, and saves it only when they pass."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ocop.accounts.models import Role
from ocop.accounts.permissions import require, scope_of, visible_or_404
from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.places.models import Commune
from ocop.places.queries import default_province
from ocop.registry import access
from ocop.registry.models import ParkedRow, ParkState

if TYPE_CHECKING:
    from ocop.registry.importing import ImportReport, Plan


def fingerprint(kind: str, cells: dict[str, str]) -> str:
    body = json.dumps([kind, sorted(cells.items())], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def park_rows(*, kind: str, plans: list[Plan], by: Any, job: Any = None) -> list[ParkedRow]:
    """Put rows in the queue (inside the import's transaction), once: a row the queue already holds with the same
    cells (the same list imported again), waiting or already fixed or dismissed, is not queued again. A row is
    queued where the importer works: a place outside their communes is kept only as a candidate they may see, never
    as the row's place (another province's queue takes no rows from outside). Side effects: one audit entry per new
    row."""
    prints = {id(plan): fingerprint(kind, plan.cells) for plan in plans}
    held = set(
        parked_rows_visible_to(by)
        .filter(kind=kind, fingerprint__in=set(prints.values()))
        .values_list("fingerprint", flat=True)
    )
    fresh = []
    for plan in plans:
        if prints[id(plan)] not in held:
            held.add(prints[id(plan)])
            fresh.append(plan)
    plans = fresh
    places = _Places(by) if plans else None
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
                province_id=places.province(plan) if places else None,
                commune_id=places.commune(plan) if places else None,
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
            if places and places.may(commune_id)
        ],
        batch_size=1000,
    )
    audit.record_many(actor=by, action=AuditAction.IMPORT, objs=rows, fields=["kind", "row", "reason"])
    return rows


class _Places:
    """Where the rows one user sets aside are queued: a place of theirs as the row has it; any other place is
    dropped for the user's own province (a commune officer's, or the one province they run)."""

    def __init__(self, user: Any) -> None:
        scope = scope_of(user)
        self.admin = scope.is_admin
        self.communes = set() if self.admin else set(access.communes_for_new_records(user).values_list("id", flat=True))
        self.provinces = scope.provinces_for(Role.PROVINCE_COORDINATOR)
        own = self.provinces or set(
            Commune.objects.filter(pk__in=list(self.communes)[:1]).values_list("province_id", flat=True)
        )
        fallback = default_province()
        self.own = next(iter(own)) if len(own) == 1 else (fallback.pk if fallback else None)

    def may(self, commune_id: int | None) -> bool:
        return self.admin or commune_id in self.communes

    def commune(self, plan: Plan) -> int | None:
        return plan.commune_id if self.may(plan.commune_id) else None

    def province(self, plan: Plan) -> int | None:
        if self.admin or (plan.commune_id is not None and self.may(plan.commune_id)):
            return plan.province_id
        return plan.province_id if plan.province_id in self.provinces else self.own


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
        # A commune officer's queue holds the rows of the kinds they import (a recognition list is the province's).
        from ocop.registry.imports import can_import, import_kinds

        kinds = [kind for kind in import_kinds() if can_import(user, kind)]
        q |= Q(kind__in=kinds) & (
            Q(commune_id__in=scope.communes)
            | Q(
                pk__in=ParkedRow.candidates.through.objects.filter(commune_id__in=scope.communes).values("parkedrow_id")
            )
        )
    return ParkedRow.objects.filter(q)


def get_parked_row_for_user(user: Any, pk: Any) -> ParkedRow:
    return visible_or_404(parked_rows_visible_to(user).select_related("province", "commune", "job"), pk)


def can_fix(user: Any, parked: ParkedRow) -> bool:
    """Fix or dismiss a parked row: one the user sees, of a kind they import."""
    from ocop.registry.imports import can_import

    return can_import(user, parked.kind) and parked_rows_visible_to(user).filter(pk=parked.pk).exists()


def fix_parked_row(
    *, by: Any, parked: ParkedRow, cells: dict[str, str], commune_id: int | None = None, same: str = ""
) -> ImportReport:
    """Run the row, as corrected, through its import (all or nothing, incomplete values allowed and flagged); when it
    passes, it is saved and the row leaves the queue. `commune_id` answers a commune choice, `same` a look-alike
    ("new", or the id of the record it is). Side effects: the record saved; audit entries."""
    require(can_fix(by, parked))
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
            parked.cells = cells  # the row as saved; its fingerprint stays the one of the row as the list has it
            parked.result_kind, parked.result_id = importer.result_kind, result.record
            parked.save()
            audit.record(
                actor=by, action=AuditAction.CHANGE, obj=parked, changes={"state": [ParkState.OPEN, parked.state]}
            )
    return report


@transaction.atomic
def dismiss_parked_row(*, by: Any, parked: ParkedRow, reason: str) -> ParkedRow:
    """Take a row out of the queue without saving it (a duplicate, a row that should not have been in the list).
    `reason` is clean (the form checks its length)."""
    require(can_fix(by, parked))
    parked = ParkedRow.objects.select_for_update().get(pk=parked.pk)
    if parked.state == ParkState.OPEN:
        parked.state, parked.resolved_by, parked.resolved_at = ParkState.DISMISSED, by, timezone.now()
        parked.note = reason
        parked.save()
        changes = {"state": [ParkState.OPEN, parked.state], "reason": [None, reason]}
        audit.record(actor=by, action=AuditAction.CHANGE, obj=parked, changes=changes)
    return parked
