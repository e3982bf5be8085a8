"""Reading and writing .xlsx files for imports and exports."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from python_calamine import CalamineWorkbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ExcelError(ValueError):
    """The file is not a readable .xlsx workbook, or lacks the expected columns."""


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, dict[str, Any]]]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def cell_text(value: Any) -> str:
    """A cell as text: empty for a blank cell, 12 (not 12.0) for a whole number Excel stored as a float."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(source: IO[bytes] | str, *, required: Sequence[str], name: str | None = None) -> Sheet:
    """Open the first sheet (or the sheet called `name`); the first row holds the column titles. Rows come
    with their Excel number.

    Reading uses calamine (Rust), twenty times faster than openpyxl on large workbooks; writing stays
    with openpyxl.
    """
    try:
        if isinstance(source, str):
            workbook = CalamineWorkbook.from_path(source)
        else:
            workbook = CalamineWorkbook.from_filelike(source)  # type: ignore[arg-type]
        if not workbook.sheet_names:
            raise ExcelError(_("The workbook is empty."))
        if name is not None and name not in workbook.sheet_names:
            raise ExcelError(_("The workbook has no sheet “%(name)s”.") % {"name": name})
        sheet = workbook.get_sheet_by_name(name) if name is not None else workbook.get_sheet_by_index(0)
        rows = iter(sheet.to_python(skip_empty_area=False))
    except ExcelError:
        raise
    except Exception as exc:  # calamine raises its own error types for every unreadable file
        raise ExcelError(_("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        header_row = next(rows)
    except StopIteration as exc:
        raise ExcelError(_("The workbook is empty.")) from exc
    headers = [str(h).strip() if h not in (None, "") else "" for h in header_row]
    missing = [c for c in required if c not in headers]
    if missing:
        raise ExcelError(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})

    def generate() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, values in enumerate(rows, start=2):
            record: dict[str, Any] = dict.fromkeys((h for h in headers if h), None)
            record.update({h: _clean(v) for h, v in zip(headers, values, strict=False) if h})
            if any(v is not None for v in record.values()):
                yield number, record

    return Sheet(headers=headers, rows=generate())


def safe_cell(ws: Any, value: Any) -> Any:
    """A cell that Excel will never read as a formula (CSV/formula injection); lazy translations become text. Plain
    values go in as they are (a write-only sheet takes them directly, much faster than a cell object each)."""
    if isinstance(value, Promise):
        value = str(value)
    if not (isinstance(value, str) and value.startswith(FORMULA_PREFIXES)):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def write_workbook(*, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return write_sheets([(title, headers, rows)])


def write_sheets(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook of several sheets, each (title, column titles, rows)."""
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        ws.append([safe_cell(ws, h) for h in headers])
        for row in rows:
            ws.append([safe_cell(ws, v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
