"""The criteria catalogue: saving versions with their sheets, and reading a sheet back for scoring."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.evaluation import access
from ocop.evaluation.models import (
    ChecklistItem,
    CriteriaSet,
    CriteriaVersion,
    CriterionGroup,
    CriterionLine,
    CriterionOption,
    Dossier,
)
from ocop.evaluation.rules import GroupSpec, LineSpec, OptionSpec, SheetSpec, VersionSpec, validate_version
from ocop.registry.models import ProductSet

DATA = Path(__file__).resolve().parent / "data"
REFERENCE_FILES = ("criteria_1048.json", "criteria_demo_148.json")


@dataclass(frozen=True)
class SetSpec:
    """A product set of a version; `sheet` is None when its score sheet is not loaded."""

    code: str
    name: str
    group_code: str = ""
    group_name: str = ""
    product_set: str = ""  # code of the registry's product set it stands for
    sheet: SheetSpec | None = None


@dataclass(frozen=True)
class ChecklistSpec:
    section: str
    name: str
    kind: str = ""
    required: bool = False
    set_code: str = ""  # empty: every set of the version


@dataclass(frozen=True)
class CatalogueSpec:
    version: VersionSpec
    sets: tuple[SetSpec, ...]
    checklist: tuple[ChecklistSpec, ...] = ()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _groups(raw: list[dict[str, Any]]) -> tuple[GroupSpec, ...]:
    groups = []
    for g in raw:
        lines = []
        for line in g["lines"]:
            options = tuple(
                OptionSpec(
                    label=o[0],
                    points=o[1],
                    case=(o[2] if len(o) > 2 else {}).get("case", ""),
                    disqualifies=(o[2] if len(o) > 2 else {}).get("disqualifies", False),
                    skips=tuple((o[2] if len(o) > 2 else {}).get("skips", ())),
                )
                for o in line["options"]
            )
            lines.append(
                LineSpec(
                    code=line["code"],
                    text=line["text"],
                    options=options,
                    commune_assessed=line.get("commune", False),
                    mandatory_from=line.get("mandatory_from"),
                    mandatory_min=line.get("mandatory_min", 1),
                    requires=line.get("requires", ""),
                )
            )
        groups.append(GroupSpec(part=g["part"], name=g["name"], lines=tuple(lines), max_points=g.get("max")))
    return tuple(groups)


def catalogue_from_json(data: dict[str, Any]) -> CatalogueSpec:
    """A catalogue file of ours (evaluation/data/*.json): sheets by name, sets that name their sheet."""
    sheets = {name: _groups(groups) for name, groups in data.get("sheets", {}).items()}
    sets = tuple(
        SetSpec(
            code=s["code"],
            name=s["name"],
            group_code=s.get("group_code", ""),
            group_name=s.get("group_name", ""),
            product_set=s.get("product_set") or "",
            sheet=SheetSpec(
                code=s["code"],
                name=s["name"],
                group_code=s.get("group_code", ""),
                group_name=s.get("group_name", ""),
                groups=sheets[s["sheet"]],
            )
            if s.get("sheet")
            else None,
        )
        for s in data["sets"]
    )
    version = VersionSpec(
        code=data["code"],
        name=data["name"],
        decision=data.get("decision", ""),
        provenance=data.get("provenance", "official"),
        note=data.get("note", ""),
        in_force_from=_date(data.get("in_force_from")),
        in_force_until=_date(data.get("in_force_until")),
        parts={k: int(v) for k, v in data["parts"].items()},
        thresholds={int(k): Decimal(str(v)) for k, v in data["thresholds"].items()},
        sheets=tuple(s.sheet for s in sets if s.sheet is not None),
    )
    checklist = tuple(
        ChecklistSpec(
            section=c["section"],
            name=c["name"],
            kind=c.get("kind", ""),
            required=c.get("required", False),
            set_code=c.get("set", ""),
        )
        for c in data.get("checklist", [])
    )
    return CatalogueSpec(version=version, sets=sets, checklist=checklist)


def problems_of(catalogue: CatalogueSpec) -> list[str]:
    return [f"{p.where}: {p.message}" for p in validate_version(catalogue.version)]


def version_in_use(version: CriteriaVersion) -> bool:
    """A round scores on it, or a dossier was filed under one of its product sets: replacing it would delete the
    lines that dossiers, score sheets and results point to."""
    return version.rounds.exists() or Dossier.objects.filter(criteria_set__version=version).exists()


def in_use_message(code: str) -> str:
    return _("Criteria version %(code)s is used by a round and cannot be replaced.") % {"code": code}


@transaction.atomic
def save_catalogue(*, catalogue: CatalogueSpec, by: Any, replace: bool = False) -> tuple[CriteriaVersion, bool]:
    """Save a criteria version with its sets, sheets and checklist. Returns (version, created).

    An existing version is left as it is unless `replace`; it cannot be replaced once a round uses it.
    Allowed to an administrator; `by` is None when the system loads the reference criteria (a command).
    Side effects: one audit entry.
    """
    if by is not None:
        access.require(access.can_import_criteria(by))
    problems = problems_of(catalogue)
    if problems:
        raise ValidationError(problems)
    spec = catalogue.version
    existing = CriteriaVersion.objects.filter(code=spec.code).first()
    if existing is not None:
        if not replace:
            return existing, False
        if version_in_use(existing):
            raise ValidationError(in_use_message(spec.code))
        _delete_version(existing)
    version = CriteriaVersion.objects.create(
        code=spec.code,
        name=spec.name,
        decision=spec.decision,
        provenance=spec.provenance,
        note=spec.note,
        in_force_from=spec.in_force_from,
        in_force_until=spec.in_force_until,
        part_a_max=spec.parts["A"],
        part_b_max=spec.parts["B"],
        part_c_max=spec.parts["C"],
        stars_2_from=spec.thresholds[2],
        stars_3_from=spec.thresholds[3],
        stars_4_from=spec.thresholds[4],
        stars_5_from=spec.thresholds[5],
    )
    product_sets = dict(ProductSet.objects.values_list("code", "id"))
    sets = CriteriaSet.objects.bulk_create(
        [
            CriteriaSet(
                version=version,
                code=s.code,
                name=s.name,
                group_code=s.group_code,
                group_name=s.group_name,
                product_set_id=product_sets.get(s.product_set),
                position=i,
            )
            for i, s in enumerate(catalogue.sets)
        ]
    )
    for criteria_set, set_spec in zip(sets, catalogue.sets, strict=True):
        if set_spec.sheet is not None:
            _save_sheet(criteria_set, set_spec.sheet)
    by_code = {s.code: s for s in sets}
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            version=version,
            criteria_set=by_code.get(c.set_code),
            section=c.section,
            name=c.name,
            kind=c.kind,
            required=c.required,
            position=i,
        )
        for i, c in enumerate(catalogue.checklist)
    )
    audit.record(
        actor=by,
        action=AuditAction.IMPORT if existing is None else AuditAction.CHANGE,
        obj=version,
        changes={"code": [None, version.code], "sets": [None, len(sets)]},
    )
    return version, True


def _delete_version(version: CriteriaVersion) -> None:
    lines = CriterionLine.objects.filter(group__criteria_set__version=version)
    CriterionOption.skips.through.objects.filter(criterionoption__line__in=lines).delete()
    CriterionOption.objects.filter(line__in=lines).delete()
    lines.update(requires=None)
    lines.delete()
    version.delete()


def _save_sheet(criteria_set: CriteriaSet, sheet: SheetSpec) -> None:
    groups = CriterionGroup.objects.bulk_create(
        CriterionGroup(criteria_set=criteria_set, part=g.part, name=g.name, max_points=g.max_points, position=i)
        for i, g in enumerate(sheet.groups)
    )
    pairs = [(group, line) for group, g in zip(groups, sheet.groups, strict=True) for line in g.lines]
    lines = CriterionLine.objects.bulk_create(
        CriterionLine(
            group=group,
            code=spec.code,
            text=spec.text,
            position=i,
            commune_assessed=spec.commune_assessed,
            mandatory_from=spec.mandatory_from,
            mandatory_min=spec.mandatory_min,
        )
        for i, (group, spec) in enumerate(pairs)
    )
    by_code = {line.code: line for line in lines}
    requiring = []
    for line, (_group, spec) in zip(lines, pairs, strict=True):
        if spec.requires:
            line.requires = by_code[spec.requires]
            requiring.append(line)
    CriterionLine.objects.bulk_update(requiring, ["requires"])
    option_specs = [
        (line, i, o) for line, (_g, spec) in zip(lines, pairs, strict=True) for i, o in enumerate(spec.options)
    ]
    options = CriterionOption.objects.bulk_create(
        CriterionOption(line=line, label=o.label, points=o.points, case=o.case, disqualifies=o.disqualifies, position=i)
        for line, i, o in option_specs
    )
    through = CriterionOption.skips.through
    through.objects.bulk_create(
        through(criterionoption_id=option.pk, criterionline_id=by_code[code].pk)
        for option, (_line, _i, spec) in zip(options, option_specs, strict=True)
        for code in spec.skips
    )


def load_reference_criteria(*, by: Any = None) -> list[tuple[str, bool]]:
    """Load the catalogues shipped with OCOP Hub (historical 1048 data and the demo 148 sheet); idempotent."""
    loaded = []
    for name in REFERENCE_FILES:
        catalogue = catalogue_from_json(json.loads((DATA / name).read_text(encoding="utf-8")))
        version, created = save_catalogue(catalogue=catalogue, by=by)
        loaded.append((version.code, created))
    return loaded


def sheet_spec(criteria_set: CriteriaSet) -> SheetSpec:
    """A set's score sheet as plain data, in sheet order (four queries)."""
    return _sheets([criteria_set])[criteria_set.pk]


def _sheets(sets: list[CriteriaSet]) -> dict[int, SheetSpec]:
    """The score sheets of several sets of one version, by set id (four queries in all)."""
    ids = [s.pk for s in sets]
    groups = list(CriterionGroup.objects.filter(criteria_set__in=ids).order_by("position"))
    lines = list(CriterionLine.objects.filter(group__criteria_set__in=ids).select_related("requires"))
    options = list(CriterionOption.objects.filter(line__group__criteria_set__in=ids).prefetch_related("skips"))
    by_line: dict[int, list[CriterionOption]] = {}
    for option in sorted(options, key=lambda o: o.position):
        by_line.setdefault(option.line_id, []).append(option)
    by_group: dict[int, list[CriterionLine]] = {}
    for line in sorted(lines, key=lambda x: x.position):
        by_group.setdefault(line.group_id, []).append(line)
    by_set: dict[int, list[CriterionGroup]] = {}
    for group in groups:
        by_set.setdefault(group.criteria_set_id, []).append(group)

    def line_spec(line: CriterionLine) -> LineSpec:
        return LineSpec(
            code=line.code,
            text=line.text,
            commune_assessed=line.commune_assessed,
            mandatory_from=line.mandatory_from,
            mandatory_min=line.mandatory_min,
            requires=line.requires.code if line.requires else "",
            options=tuple(
                OptionSpec(
                    label=o.label,
                    points=o.points,
                    case=o.case,
                    disqualifies=o.disqualifies,
                    skips=tuple(sorted(s.code for s in o.skips.all())),
                )
                for o in by_line.get(line.pk, [])
            ),
        )

    return {
        s.pk: SheetSpec(
            code=s.code,
            name=s.name,
            group_code=s.group_code,
            group_name=s.group_name,
            groups=tuple(
                GroupSpec(
                    part=g.part,
                    name=g.name,
                    max_points=g.max_points,
                    lines=tuple(line_spec(line) for line in by_group.get(g.pk, [])),
                )
                for g in by_set.get(s.pk, [])
            ),
        )
        for s in sets
    }


def catalogue_of(version: CriteriaVersion) -> CatalogueSpec:
    """A saved version as plain data, the shape the workbook export writes (six queries)."""
    sets = list(version.sets.select_related("product_set").order_by("position", "code"))
    sheets = _sheets(sets)
    checklist = version.checklist.select_related("criteria_set").order_by("position")
    return CatalogueSpec(
        version=VersionSpec(
            code=version.code,
            name=version.name,
            decision=version.decision,
            provenance=version.provenance,
            note=version.note,
            in_force_from=version.in_force_from,
            in_force_until=version.in_force_until,
            parts=version.parts,
            thresholds=version.thresholds,
            sheets=tuple(sheets[s.pk] for s in sets if sheets[s.pk].groups),
        ),
        sets=tuple(
            SetSpec(
                code=s.code,
                name=s.name,
                group_code=s.group_code,
                group_name=s.group_name,
                product_set=s.product_set.code if s.product_set else "",
                sheet=sheets[s.pk] if sheets[s.pk].groups else None,
            )
            for s in sets
        ),
        checklist=tuple(
            ChecklistSpec(
                section=c.section,
                name=c.name,
                kind=c.kind,
                required=c.required,
                set_code=c.criteria_set.code if c.criteria_set else "",
            )
            for c in checklist
        ),
    )
