"""`ocop import criteria FILE.xlsx`: a criteria version and its score sheets from a workbook.

The format is documented in docs/criteria-workbook.md and produced by `criteria_template()`. A dry run
lists every problem by sheet, row and column; a commit saves the whole version or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.core.excel import ExcelError, RawSheet, TitleBlock, cell_text, read_book, sheet_of, write_sheets
from ocop.core.text import control_character, fold, normalize_text
from ocop.evaluation.access import can_import_criteria
from ocop.evaluation.catalogue import (
    DATA,
    CatalogueSpec,
    ChecklistSpec,
    SetSpec,
    catalogue_from_json,
    catalogue_of,
    in_use_message,
    save_catalogue,
    version_in_use,
)
from ocop.evaluation.enums import ChecklistSection, Provenance
from ocop.evaluation.models import CriteriaVersion
from ocop.evaluation.rules import PARTS, GroupSpec, LineSpec, OptionSpec, SheetSpec, VersionSpec, validate_version
from ocop.places.queries import issuing_body
from ocop.registry.enums import DocumentKind
from ocop.registry.importing import CREATE, ERROR, UNCHANGED, UPDATE, Importer, ImportReport, RowIssue, RowResult
from ocop.registry.models import ImportMode

VERSION_SHEET = "Phiên bản"
LINES_SHEET = "Tiêu chí"
CHECKLIST_SHEET = "Hồ sơ"
VERSION_COLUMNS = [
    "Mã phiên bản", "Tên", "Văn bản", "Nguồn", "Hiệu lực từ", "Hiệu lực đến",
    "Phần A", "Phần B", "Phần C", "2 sao từ", "3 sao từ", "4 sao từ", "5 sao từ", "Ghi chú",
]  # fmt: skip
LINE_COLUMNS = [
    "Mã bộ", "Tên bộ", "Mã nhóm", "Nhóm sản phẩm", "Bộ sản phẩm trong danh mục", "Phần", "Nhóm tiêu chí",
    "Điểm nhóm", "Mã tiêu chí", "Tiêu chí", "Xã đánh giá", "Bắt buộc từ (sao)", "Điểm đạt bắt buộc",
    "Chỉ chấm khi tiêu chí", "Phương án", "Điểm", "Trường hợp", "Loại sản phẩm", "Không chấm tiêu chí",
]  # fmt: skip
CHECKLIST_COLUMNS = ["Mã bộ", "Phần", "Tài liệu", "Loại tài liệu", "Bắt buộc để đủ hồ sơ"]
# The yes/no columns: a TRUE/FALSE cell anywhere else is refused, naming its cell (ocop.core.excel.sheet_of).
LINE_FLAGS = ["Xã đánh giá", "Loại sản phẩm"]
CHECKLIST_FLAGS = ["Bắt buộc để đủ hồ sơ"]
YES = {"x", "co", "yes", "true", "1", "dung"}
PROVENANCE_WORDS = {
    "chinh thuc": Provenance.OFFICIAL,
    "ban chep chua kiem chung": Provenance.UNVERIFIED,
    "minh hoa": Provenance.DEMO,
}


def reaches_criteria_import(user: Any) -> bool:
    """Who reaches the import page: administrators, and province coordinators, who used to import criteria and are
    told there, in words, why they no longer may (a bare 403 would not say)."""
    scope = scope_of(user)
    return scope.is_admin or bool(scope.provinces_for(Role.PROVINCE_COORDINATOR))


def _refusal() -> str:
    return _(
        "Only a system administrator may import or replace a criteria version: the criteria are national, shared by "
        "every province. Send the workbook to your system administrator."
    )


class _Reader:
    def __init__(self) -> None:
        self.errors: list[RowIssue] = []
        self.refused: set[tuple[int, str]] = set()  # cells refused for a control character

    def issue(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowIssue(row=row, column=column, message=message))

    def text(self, row: int, column: str, value: Any, *, multiline: bool = False) -> str:
        """A cell as the other imports store text (Importer.text): NFC, spaces collapsed, and a control character
        (a bidi override, a zero-width space) a wrong value naming the cell rather than stored."""
        raw = cell_text(value)
        bad = control_character(raw, multiline=multiline)
        if bad:
            message = _("The cell contains an invisible control character (%(char)s): delete it.") % {"char": bad}
            self.issue(row, column, message)
            self.refused.add((row, column))
            return ""
        return normalize_text(raw, multiline=multiline)

    def require(self, row: int, column: str) -> None:
        """An empty cell that must not be: said once, not again for a cell already refused for its content."""
        if (row, column) not in self.refused:
            self.issue(row, column, _("This cell is required."))

    def integer(self, row: int, column: str, value: Any, *, required: bool = True) -> int | None:
        if value in (None, ""):
            if required:
                self.issue(row, column, _("This cell is required."))
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.issue(row, column, _("Expected a whole number."))
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value() or number < 0:
            self.issue(row, column, _("Expected a whole number, not “%(value)s”.") % {"value": value})
            return None
        return int(number)

    def decimal(self, row: int, column: str, value: Any) -> Decimal | None:
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = Decimal("NaN")
        if value in (None, "") or not number.is_finite():
            self.issue(row, column, _("Expected a number."))
            return None
        return number

    def date(self, row: int, column: str, value: Any) -> dt.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            day, month, year = (int(part) for part in str(value).strip().split("/"))
            return dt.date(year, month, day)
        except ValueError:
            self.issue(row, column, _("Expected a date as dd/mm/yyyy."))
            return None


def _yes(value: Any) -> bool:
    return value is True or fold(cell_text(value)) in YES


def _version(reader: _Reader, raw: RawSheet) -> VersionSpec | None:
    rows = list(sheet_of(raw, required=VERSION_COLUMNS, flags=()).rows)
    if len(rows) != 1:
        reader.issue(2, VERSION_SHEET, _("The sheet must hold exactly one version (one row)."))
        return None
    number, r = rows[0]
    code = reader.text(number, "Mã phiên bản", r["Mã phiên bản"])
    if not code:
        reader.require(number, "Mã phiên bản")
    provenance = PROVENANCE_WORDS.get(fold(cell_text(r["Nguồn"])) or "chinh thuc")
    if provenance is None:
        reader.issue(number, "Nguồn", _("Write “chính thức”, “bản chép chưa kiểm chứng” or “minh hoạ”."))
    parts = {p: reader.integer(number, f"Phần {p}", r[f"Phần {p}"]) for p in PARTS}
    thresholds = {s: reader.decimal(number, f"{s} sao từ", r[f"{s} sao từ"]) for s in (2, 3, 4, 5)}
    return VersionSpec(
        code=code,
        name=reader.text(number, "Tên", r["Tên"]) or code,
        decision=reader.text(number, "Văn bản", r["Văn bản"]),
        provenance=provenance or Provenance.OFFICIAL,
        note=reader.text(number, "Ghi chú", r["Ghi chú"], multiline=True),
        in_force_from=reader.date(number, "Hiệu lực từ", r["Hiệu lực từ"]),
        in_force_until=reader.date(number, "Hiệu lực đến", r["Hiệu lực đến"]),
        parts={k: v or 0 for k, v in parts.items()},
        thresholds={k: v if v is not None else Decimal(0) for k, v in thresholds.items()},
    )


class _SheetBuilder:
    """Rows of the lines sheet, one per option; set, group and line cells may be left empty to continue."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.sets: dict[str, dict[str, Any]] = {}
        self.first_row: dict[str, int] = {}

    def add(self, number: int, r: dict[str, Any], current: dict[str, Any]) -> None:
        reader = self.reader
        set_code = reader.text(number, "Mã bộ", r["Mã bộ"]) or current.get("set", "")
        if not set_code:
            reader.require(number, "Mã bộ")
            return
        if set_code != current.get("set"):
            current.clear()
            current["set"] = set_code
        entry = self.sets.setdefault(
            set_code,
            {"name": "", "group_code": "", "group_name": "", "product_set": "", "groups": {}},
        )
        self.first_row.setdefault(set_code, number)
        for key, column in (
            ("name", "Tên bộ"),
            ("group_code", "Mã nhóm"),
            ("group_name", "Nhóm sản phẩm"),
            ("product_set", "Bộ sản phẩm trong danh mục"),
        ):
            entry[key] = reader.text(number, column, r[column]) or entry[key]
        part = cell_text(r["Phần"]).upper() or current.get("part", "")
        if part not in PARTS:
            reader.issue(number, "Phần", _("Write A, B or C."))
            return
        group_name = reader.text(number, "Nhóm tiêu chí", r["Nhóm tiêu chí"]) or current.get("group", "")
        if not group_name:
            reader.require(number, "Nhóm tiêu chí")
            return
        group = entry["groups"].setdefault((part, group_name), {"max": None, "lines": {}})
        if r["Điểm nhóm"] not in (None, ""):
            group["max"] = reader.integer(number, "Điểm nhóm", r["Điểm nhóm"])
        current.update(part=part, group=group_name)
        line_code = reader.text(number, "Mã tiêu chí", r["Mã tiêu chí"]) or current.get("line", "")
        if not line_code:
            reader.require(number, "Mã tiêu chí")
            return
        line = group["lines"].setdefault(
            line_code, {"text": "", "commune": False, "mandatory": None, "min": 1, "requires": "", "options": []}
        )
        if line_code != current.get("line"):
            current["line"] = line_code
            line["text"] = reader.text(number, "Tiêu chí", r["Tiêu chí"], multiline=True)
            line["commune"] = _yes(r["Xã đánh giá"])
            line["mandatory"] = reader.integer(number, "Bắt buộc từ (sao)", r["Bắt buộc từ (sao)"], required=False)
            line["min"] = reader.integer(number, "Điểm đạt bắt buộc", r["Điểm đạt bắt buộc"], required=False) or 1
            line["requires"] = reader.text(number, "Chỉ chấm khi tiêu chí", r["Chỉ chấm khi tiêu chí"])
            if not line["text"]:
                reader.require(number, "Tiêu chí")
        label = reader.text(number, "Phương án", r["Phương án"], multiline=True)
        if not label:
            reader.require(number, "Phương án")
        points = reader.integer(number, "Điểm", r["Điểm"])
        skipped = reader.text(number, "Không chấm tiêu chí", r["Không chấm tiêu chí"])
        skips = tuple(c.strip() for c in skipped.replace(";", ",").split(",") if c.strip())
        line["options"].append(
            OptionSpec(
                label=label,
                points=points or 0,
                case=reader.text(number, "Trường hợp", r["Trường hợp"], multiline=True),
                disqualifies=_yes(r["Loại sản phẩm"]),
                skips=skips,
            )
        )

    def sets_spec(self) -> tuple[SetSpec, ...]:
        result = []
        for code, entry in self.sets.items():
            groups = tuple(
                GroupSpec(
                    part=part,
                    name=name,
                    max_points=g["max"],
                    lines=tuple(
                        LineSpec(
                            code=line_code,
                            text=line["text"],
                            options=tuple(line["options"]),
                            commune_assessed=line["commune"],
                            mandatory_from=line["mandatory"],
                            mandatory_min=line["min"],
                            requires=line["requires"],
                        )
                        for line_code, line in g["lines"].items()
                    ),
                )
                for (part, name), g in entry["groups"].items()
            )
            sheet = SheetSpec(
                code=code,
                name=entry["name"] or code,
                group_code=entry["group_code"],
                group_name=entry["group_name"],
                groups=groups,
            )
            result.append(
                SetSpec(
                    code=code,
                    name=entry["name"] or code,
                    group_code=entry["group_code"],
                    group_name=entry["group_name"],
                    product_set=entry["product_set"],
                    sheet=sheet,
                )
            )
        return tuple(result)


def _checklist(reader: _Reader, raw: RawSheet | None) -> tuple[ChecklistSpec, ...]:
    if raw is None:
        return ()  # the checklist sheet is optional
    try:
        rows = sheet_of(raw, required=CHECKLIST_COLUMNS, flags=CHECKLIST_FLAGS).rows
    except ExcelError:
        return ()  # a sheet of that name without the checklist's columns is someone's notes
    kinds = {fold(str(label)): value for value, label in DocumentKind.choices} | {
        fold(v): v for v in DocumentKind.values
    }
    sections = {fold(str(label)): value for value, label in ChecklistSection.choices} | {"bo sung": "supplementary"}
    items = []
    for number, r in rows:
        section = sections.get(fold(cell_text(r["Phần"])) or "bat buoc")
        kind = kinds.get(fold(cell_text(r["Loại tài liệu"])), None) if cell_text(r["Loại tài liệu"]) else ""
        if section is None:
            reader.issue(number, "Phần", _("Write “bắt buộc” or “bổ sung”."))
        if kind is None:
            reader.issue(number, "Loại tài liệu", _("Unknown document kind “%(kind)s”.") % {"kind": r["Loại tài liệu"]})
        name = reader.text(number, "Tài liệu", r["Tài liệu"], multiline=True)
        if not name:
            reader.require(number, "Tài liệu")
        items.append(
            ChecklistSpec(
                section=section or "mandatory",
                name=name,
                kind=kind or "",
                required=_yes(r["Bắt buộc để đủ hồ sơ"]),
                set_code=reader.text(number, "Mã bộ", r["Mã bộ"]),
            )
        )
    return tuple(items)


def read_criteria(
    source: IO[bytes] | str, rows: list[int] | None = None
) -> tuple[CatalogueSpec | None, list[RowIssue]]:
    """Parse and check a criteria workbook; the catalogue is None when anything is wrong. The numbers of the
    criterion lines' rows go into `rows` when given."""
    reader = _Reader()
    # One read of the three sheets: one child process, one set of limits and one timeout for the whole workbook.
    book = read_book(_rewind(source), [VERSION_SHEET, LINES_SHEET, CHECKLIST_SHEET], optional=[CHECKLIST_SHEET])
    version = _version(reader, book[VERSION_SHEET])
    builder = _SheetBuilder(reader)
    current: dict[str, Any] = {}
    for number, r in sheet_of(book[LINES_SHEET], required=LINE_COLUMNS, flags=LINE_FLAGS).rows:
        if rows is not None:
            rows.append(number)
        builder.add(number, r, current)
    checklist = _checklist(reader, book.get(CHECKLIST_SHEET))
    if version is None:
        return None, reader.errors
    sets = builder.sets_spec()
    if not sets:
        reader.issue(2, LINES_SHEET, _("The sheet has no criterion lines."))
    version = VersionSpec(**{**version.__dict__, "sheets": tuple(s.sheet for s in sets if s.sheet)})
    for problem in validate_version(version):
        set_code = next((s.code for s in sets if problem.where == _("sheet %(code)s") % {"code": s.code}), "")
        row = builder.first_row.get(set_code, 2)
        reader.issue(row, LINES_SHEET if set_code else VERSION_SHEET, problem.message)
    if reader.errors:
        return None, reader.errors
    return CatalogueSpec(version=version, sets=sets, checklist=checklist), []


def _rewind(source: IO[bytes] | str) -> IO[bytes] | str:
    if not isinstance(source, str):
        source.seek(0)
    return source


class CriteriaImporter(Importer):
    """A criteria version and its score sheets: saved whole or not at all (no row can be parked), each criterion
    line's row counted as created, updated (the version replaced) or unchanged (the same version again)."""

    kind = "criteria"
    result_kind = "criteria_version"
    can_park = False

    def run(self, source: IO[bytes] | str, *, commit: bool) -> ImportReport:
        if not reaches_criteria_import(self.user):
            raise PermissionDenied
        report = ImportReport(kind=self.kind, mode=self.mode)
        if not can_import_criteria(self.user):
            report.errors.append(RowIssue(row=0, column="", message=_refusal()))
            return report
        if self.mode == ImportMode.PARK:
            message = _("A criteria version is saved whole or not at all: its rows cannot be parked.")
            report.errors.append(RowIssue(row=0, column="", message=message))
            return report
        numbers: list[int] = []
        try:
            catalogue, errors = read_criteria(source, numbers)
        except ExcelError as exc:
            report.errors.append(RowIssue(row=0, column="", message=str(exc)))
            return report
        report.errors = errors
        report.total = len(numbers)
        bad = {e.row for e in errors}
        action = CREATE
        if catalogue is not None:
            existing = CriteriaVersion.objects.filter(code=catalogue.version.code).first()
            if existing is not None:
                action = UNCHANGED if catalogue_of(existing) == catalogue else UPDATE
            if action == UPDATE and existing is not None and version_in_use(existing):
                # Said in the dry run already, not only when "save" fails.
                report.errors.append(RowIssue(row=2, column=VERSION_SHEET, message=in_use_message(existing.code)))
        report.rows = [RowResult(row=n, action=ERROR if n in bad else action) for n in numbers]
        if commit and catalogue is not None and not report.errors and action != UNCHANGED:
            try:
                save_catalogue(catalogue=catalogue, by=self.user, replace=True)
            except ValidationError as exc:
                report.errors.append(RowIssue(row=2, column=VERSION_SHEET, message=" ".join(exc.messages)))
                return report
        report.committed = commit and catalogue is not None and not report.errors
        return report


def run_criteria_import(source: IO[bytes] | str, *, user: Any, commit: bool) -> ImportReport:
    """Dry run (and with commit, save) a criteria workbook; nothing is written unless all of it is good."""
    return CriteriaImporter(user=user).run(source, commit=commit)


def criteria_workbook(catalogue: CatalogueSpec) -> bytes:
    """A catalogue as a workbook in the import format (the template, and an export of any version)."""
    v = catalogue.version
    version_row = [
        v.code, v.name, v.decision, {"official": "chính thức", "unverified": "bản chép chưa kiểm chứng",
        "demo": "minh hoạ"}[v.provenance], v.in_force_from or "", v.in_force_until or "", v.parts["A"], v.parts["B"],
        v.parts["C"],
        *[v.thresholds[s] for s in (2, 3, 4, 5)], v.note,  # numbers (Decimal), not text
    ]  # fmt: skip
    rows: list[list[Any]] = []
    for s in catalogue.sets:
        if s.sheet is None:
            continue
        for g in s.sheet.groups:
            for line in g.lines:
                for i, o in enumerate(line.options):
                    first = i == 0
                    rows.append([
                        s.code, s.name, s.group_code, s.group_name, s.product_set, g.part, g.name,
                        g.max_points if first and g.max_points is not None else "", line.code,
                        line.text if first else "", "x" if first and line.commune_assessed else "",
                        (line.mandatory_from or "") if first else "",
                        line.mandatory_min if first and line.mandatory_from else "",
                        line.requires if first else "", o.label, o.points, o.case, "x" if o.disqualifies else "",
                        ", ".join(o.skips),
                    ])  # fmt: skip
    checklist = [
        [c.set_code, "bắt buộc" if c.section == "mandatory" else "bổ sung", c.name, c.kind, "x" if c.required else ""]
        for c in catalogue.checklist
    ]
    return write_sheets(
        [
            (VERSION_SHEET, VERSION_COLUMNS, [version_row]),
            (LINES_SHEET, LINE_COLUMNS, rows),
            (CHECKLIST_SHEET, CHECKLIST_COLUMNS, checklist),
        ],
        block=TitleBlock(issuer=issuing_body(), name=_("Criteria %(code)s") % {"code": v.code}),
    )


def criteria_template() -> bytes:
    """The template: the shipped demo version in the import format, a complete example to edit."""
    return criteria_workbook(catalogue_from_json(json.loads((DATA / "criteria_demo_148.json").read_text("utf-8"))))
