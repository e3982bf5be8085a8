"""The criteria catalogue: versions, their product sets and each set's score sheet, read-only; export and import."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render

from ocop.backoffice.views.common import Request, xlsx_response
from ocop.evaluation import access
from ocop.evaluation.catalogue import catalogue_of, sheet_spec
from ocop.evaluation.criteria_import import criteria_workbook
from ocop.evaluation.rules import PARTS


@login_required
def criteria_list(request: Request) -> HttpResponse:
    versions = (
        access.criteria_versions_visible_to(request.user)
        .annotate(set_count=Count("sets", distinct=True), round_count=Count("rounds", distinct=True))
        .order_by("-in_force_from", "code")
    )
    context = {"versions": versions, "can_import": access.can_import_criteria(request.user)}
    return render(request, "backoffice/evaluation/criteria.html", context)


@login_required
def criteria_detail(request: Request, pk: int) -> HttpResponse:
    """A version's sets; the chosen set's sheet (`?set=CODE`, else the first set that has one)."""
    version = access.get_criteria_version_for_user(request.user, pk)
    sets: list[Any] = list(version.sets.annotate(line_count=Count("groups__lines")).order_by("position", "code"))
    code = request.GET.get("set", "")
    chosen = next((s for s in sets if s.code == code), None) or next((s for s in sets if s.line_count), None)
    if code and (chosen is None or chosen.code != code):
        raise Http404
    sheet = sheet_spec(chosen) if chosen is not None and chosen.line_count else None
    groups = sheet.groups if sheet else ()
    parts = [(part, version.parts[part], [g for g in groups if g.part == part]) for part in PARTS] if sheet else []
    applies = Q(criteria_set__isnull=True) | Q(criteria_set_id=chosen.pk if chosen else 0)
    context = {
        "version": version,
        "sets": sets,
        "chosen": chosen,
        "sheet": sheet,
        "parts": parts,
        "checklist": version.checklist.filter(applies).order_by("position"),
        "thresholds": sorted(version.thresholds.items()),
    }
    return render(request, "backoffice/evaluation/criteria_version.html", context)


@login_required
def criteria_export(request: Request, pk: int) -> HttpResponse:
    """A version in the import format: edit it and import it back as a new version."""
    version = access.get_criteria_version_for_user(request.user, pk)
    return xlsx_response(criteria_workbook(catalogue_of(version)), f"tieu-chi-{version.code.replace('/', '-')}.xlsx")
