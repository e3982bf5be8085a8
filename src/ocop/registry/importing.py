"""The import engine every kind shares: read a workbook (bounded, in a child process), plan each row (create, update,
unchanged, review or error), then save in one transaction: every row, or the good rows with the rest parked for a
person to fix. Nothing is ever dropped: created + updated + unchanged + parked (+ errors when nothing is saved) =
rows read.

A kind (producers, products, the recognition history, sales, criteria) is an `Importer` subclass with its columns,
a `plan` of the rows and a `save` of the planned records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core.bulk import collector_paused, update_rows
from ocop.core.excel import ExcelError, cell_text, read_sheet
from ocop.core.text import control_character, fold, normalize_text, scrub_text
from ocop.registry.models import ImportMode, IncompleteRows, ParkReason

Progress = Callable[[int, int], None]

MESSAGE_LIMIT = 400  # characters of a row's message
CELL_LIMIT = 10_000  # characters of a cell kept for the review queue (every column's own limit is smaller)
CREATE, UPDATE, UNCHANGED, REVIEW, ERROR, PARKED = "create", "update", "unchanged", "review", "error", "parked"


@dataclass
class RowIssue:
    row: int
    column: str
    message: str


@dataclass
class RowResult:
    """What happens (or happened) to one row."""

    row: int
    action: str
    label: str = ""
    changes: dict[str, list[Any]] = field(default_factory=dict)  # column title → [before, after]
    flags: list[str] = field(default_factory=list)  # what the saved record still lacks (data flags' labels)
    reason: str = ""  # for review and parked rows: a ParkReason
    record: int | None = None  # the existing record the row matched
    similar: list[list[Any]] = field(default_factory=list)  # look-alikes: [id, name, score]
    words: str = ""  # the place words awaiting a choice
    same: str = ""  # the person's answer to a look-alike: "new" or the id of the record it is


@dataclass
class PlaceChoice:
    """Place words that need a person's choice of today's commune; one choice applies to every row with them."""

    words: str
    text: str
    candidates: list[list[Any]]  # [commune id, code, name, suggested]
    rows: list[int]
    chosen: int | None = None


@dataclass
class ImportReport:
    kind: str
    total: int = 0
    errors: list[RowIssue] = field(default_factory=list)  # every problem; row 0 is the file itself
    rows: list[RowResult] = field(default_factory=list)
    places: list[PlaceChoice] = field(default_factory=list)
    unknown_places: list[list[Any]] = field(default_factory=list)  # [name as written, district, [rows]]
    mode: str = ImportMode.ALL_OR_NOTHING
    committed: bool = False
    already_queued: int = 0  # parked rows the review queue held already (the same list imported again)
    skipped: list[list[Any]] = field(default_factory=list)  # [row, text]: total rows under the table, not data

    def count(self, *actions: str) -> int:
        return sum(1 for r in self.rows if r.action in actions)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def parked(self) -> int:
        """Rows parked for review (after a commit), or that would be (review rows, and error rows in park mode)."""
        if self.mode == ImportMode.PARK:
            return self.count(PARKED, REVIEW, ERROR)
        return self.count(PARKED, REVIEW)

    @property
    def error_rows(self) -> int:
        """Rows with a wrong value (in park mode they are among the parked ones)."""
        rows = {e.row for e in self.errors if e.row}
        return len(rows)

    @property
    def file_error(self) -> str:
        return next((e.message for e in self.errors if e.row == 0), "")

    @property
    def pending_choices(self) -> list[PlaceChoice]:
        return [c for c in self.places if c.chosen is None]

    @property
    def waiting(self) -> int:
        """Rows waiting for a person (a commune to choose, a look-alike, an incomplete row set aside), without the
        rows with a wrong value, which are counted apart."""
        return sum(1 for r in self.rows if r.action in (REVIEW, PARKED) and r.reason != ParkReason.ERROR)

    @property
    def ok(self) -> bool:
        """An all-or-nothing commit may go ahead: no error, nothing waiting for a person."""
        return not self.errors and not self.count(REVIEW)

    def can_commit(self, mode: str) -> bool:
        if self.file_error or not self.rows:
            return False
        return True if mode == ImportMode.PARK else self.ok

    def summary(self) -> str:
        """The one line the command prints, dry run or not."""
        return (
            f"rows: {self.total} read, {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.parked} parked, {self.error_rows} errors"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        return cls(
            kind=data["kind"],
            total=data.get("total", 0),
            errors=[RowIssue(**e) for e in data.get("errors", [])],
            rows=[RowResult(**r) for r in data.get("rows", [])],
            places=[PlaceChoice(**p) for p in data.get("places", [])],
            unknown_places=data.get("unknown_places", []),
            mode=data.get("mode", ImportMode.ALL_OR_NOTHING),
            committed=data.get("committed", False),
            already_queued=data.get("already_queued", 0),
            skipped=data.get("skipped", []),
        )


@dataclass
class Choices:
    """A person's decisions: today's commune for place words (on the dry-run page, for every row with those words)
    or for one row (fixing a parked row), and for a look-alike row either "new" (it is another record) or the id of
    the record it is."""

    places: dict[str, int] = field(default_factory=dict)
    same: dict[int, str] = field(default_factory=dict)
    communes: dict[int, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Choices:
        data = data or {}
        return cls(
            places={str(k): int(v) for k, v in (data.get("places") or {}).items()},
            same={int(k): str(v) for k, v in (data.get("same") or {}).items()},
            communes={int(k): int(v) for k, v in (data.get("communes") or {}).items()},
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "places": self.places,
            "same": {str(k): v for k, v in self.same.items()},
            "communes": {str(k): v for k, v in self.communes.items()},
        }


@dataclass
class Plan:
    """One row's plan: the action, the record to save (new or changed), and what a parked row keeps."""

    row: int
    action: str
    cells: dict[str, str]
    label: str = ""
    obj: Any = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    problems: list[RowIssue] = field(default_factory=list)
    reason: str = ""
    record: int | None = None
    similar: list[list[Any]] = field(default_factory=list)
    words: str = ""
    province_id: int | None = None
    commune_id: int | None = None
    candidates: list[int] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def fail(self, column: str, message: str) -> None:
        if len(message) > MESSAGE_LIMIT:  # a message quotes the cell: a long cell is not echoed whole
            message = message[: MESSAGE_LIMIT - 1] + "…"
        self.problems.append(RowIssue(self.row, column, message))
        self.action, self.reason = ERROR, ParkReason.ERROR.value

    def review(self, reason: str) -> None:
        if self.action != ERROR:
            self.action, self.reason = REVIEW, str(reason)

    def result(self, same: str = "") -> RowResult:
        """`same`: the person's answer for a look-alike row, shown with its question so it can be changed."""
        return RowResult(
            row=self.row, action=self.action, label=self.label, changes=self.changes,
            flags=self.flags if self.action in (CREATE, UPDATE, UNCHANGED) or self.reason == "incomplete" else [],
            reason=self.reason, record=self.record,
            similar=self.similar, words=self.words, same=same,
        )  # fmt: skip


_TOTAL = re.compile(r"^(?:tong (?:cong|so)\b|cong$|cong \d)")


def total_row(cells: dict[str, Any]) -> str:
    """The label of a total row ("Tổng cộng: 125 sản phẩm", "Cộng", "Tổng số 30"): a row whose text starts so and
    that fills at most half the columns; "" for a data row."""
    filled = [v for v in cells.values() if v is not None and v != ""]
    if not filled or len(filled) * 2 > max(len(cells), 2):
        return ""
    return next((v for v in filled if isinstance(v, str) and _TOTAL.match(fold(v))), "")


def _as_text(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return cell_text(value)


def save_changes(model: type[Any], plans: list[Plan]) -> None:
    """Write back what each updated row changed (its `extra["changed"]` fields), grouped by the fields changed: an
    UPDATE that leaves a column alone leaves its indexes alone too. The rows get the time of the change."""
    now = timezone.now()
    groups: dict[tuple[str, ...], list[Any]] = {}
    for plan in plans:
        changed = tuple(sorted(plan.extra.get("changed", ())))
        if changed:
            plan.obj.updated_at = now
            groups.setdefault(changed, []).append(plan.obj)
    for fields, objs in groups.items():
        update_rows(model, [*fields, "updated_at"], objs)


class Importer:
    """A kind of import. Subclasses set `kind`, `columns` (field name, heading) and `required` (headings), and write
    `plan_rows` and `save`."""

    kind = ""
    result_kind = ""  # what a saved row is (producer, product, certificate…): a fixed parked row links to it
    columns: Sequence[tuple[str, str]] = ()
    required: Sequence[str] = ()
    flag_columns: Sequence[str] = ()  # yes/no columns: a TRUE/FALSE cell anywhere else is a slip, refused by name
    can_park = True

    def __init__(
        self,
        *,
        user: Any,
        choices: Choices | None = None,
        progress: Progress | None = None,
        mode: str = ImportMode.ALL_OR_NOTHING,
        incomplete: str = IncompleteRows.CREATE,
        job: Any = None,
    ) -> None:
        self.user = user
        self.choices = choices or Choices()
        self.progress = progress
        self.mode = mode
        self.incomplete = incomplete
        self.job = job
        self.title = dict(self.columns)
        self.skipped: list[list[Any]] = []  # [row, text] of the total rows read() set aside

    # ---- reading -------------------------------------------------------------------------------------------

    def read(self, source: IO[bytes] | str) -> list[tuple[int, dict[str, Any]]]:
        """The data rows by column name; a total row under the table ("Tổng cộng: 125 sản phẩm") is set aside in
        `self.skipped`, which the report names (no row leaves unsaid)."""
        sheet = read_sheet(
            source,
            required=self.required,
            columns=[t for _n, t in self.columns],
            flags=[self.title[n] for n in self.flag_columns],
        )
        by_title = {title: name for name, title in self.columns}
        rows = []
        for n, r in sheet.rows:
            total = total_row(r)
            if total:
                self.skipped.append([n, total])
            else:
                rows.append((n, {by_title[k]: v for k, v in r.items() if k in by_title}))
        return rows

    def cells(self, values: dict[str, Any]) -> dict[str, str]:
        """The row as read, by heading: what a parked row keeps and its form shows (dates as people write them), as
        clean text (NFC, spaces collapsed, invisible controls dropped: the row's problems already name them) so the
        form can be sent back as it is and the same row written another way is recognised as the same."""
        return {
            title: scrub_text(_as_text(values.get(name))[:CELL_LIMIT], multiline=True)
            for name, title in self.columns
            if values.get(name) is not None
        }

    def text(self, plan: Plan, values: dict[str, Any], name: str, *, multiline: bool = False) -> str:
        """A cell as clean text: NFC, spaces collapsed; a control character is a wrong value naming the column."""
        raw = cell_text(values.get(name))
        bad = control_character(raw, multiline=multiline)
        if bad:
            plan.fail(
                self.title.get(name, name),
                _("The cell contains an invisible control character (%(char)s): delete it.") % {"char": bad},
            )
            return ""
        return normalize_text(raw, multiline=multiline)

    # ---- running -------------------------------------------------------------------------------------------

    def run(self, source: IO[bytes] | str, *, commit: bool) -> ImportReport:
        report = ImportReport(kind=self.kind, mode=self.mode)
        with collector_paused():
            try:
                rows = self.read(source)
            except ExcelError as exc:
                report.errors.append(RowIssue(row=0, column="", message=str(exc)))
                return report
            report.skipped = self.skipped
            return self.run_rows(rows, commit=commit, report=report)

    def run_rows(
        self, rows: list[tuple[int, dict[str, Any]]], *, commit: bool, report: ImportReport | None = None
    ) -> ImportReport:
        report = report or ImportReport(kind=self.kind, mode=self.mode)
        report.total = len(rows)
        if not rows:
            report.errors.append(RowIssue(row=0, column="", message=_("The workbook has no data rows.")))
            return report
        plans = self.plan_rows(report, rows)
        report.rows = [p.result(self.choices.same.get(p.row, "")) for p in plans]
        report.errors = [issue for p in plans for issue in p.problems]
        if commit and report.can_commit(self.mode):
            with transaction.atomic():
                saved = [p for p in plans if p.action in (CREATE, UPDATE)]
                self.save(saved)
                for plan in saved:
                    plan.record = plan.record or getattr(plan.obj, "pk", None)
                if self.mode == ImportMode.PARK:
                    parked = [p for p in plans if p.action in (REVIEW, ERROR)]
                    report.already_queued = len(parked) - self.park(parked)
                    for plan in parked:
                        plan.action = PARKED
                report.rows = [p.result(self.choices.same.get(p.row, "")) for p in plans]
            report.committed = True
        return report

    def tick(self, done: int, total: int) -> None:
        if self.progress and (done % 250 == 0 or done == total):
            self.progress(done, total)

    def plan_rows(self, report: ImportReport, rows: list[tuple[int, dict[str, Any]]]) -> list[Plan]:
        raise NotImplementedError

    def save(self, plans: list[Plan]) -> None:
        raise NotImplementedError

    def park(self, plans: list[Plan]) -> int:
        """Set rows aside in the review queue, with their cells, problems and place; how many were new to it."""
        from ocop.registry.parking import park_rows

        return len(park_rows(kind=self.kind, plans=plans, by=self.user, job=self.job))
