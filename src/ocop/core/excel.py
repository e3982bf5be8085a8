"""Reading and writing .xlsx files for imports and exports."""

from __future__ import annotations

import io
import math
import shutil
import tempfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter, range_boundaries
from xlsxwriter.workbook import Workbook

from ocop.core.text import fold
from ocop.core.xlsx import ExcelError, RawSheet, read_workbook
from ocop.core.xlsxstyle import FORMULA_PREFIXES, Formats, Kind, TitleBlock, looks_like_formula, write_table

__all__ = [
    "FORMULA_PREFIXES",
    "ExcelError",
    "Kind",
    "Sheet",
    "SheetSpec",
    "TitleBlock",
    "cell_text",
    "csv_cell",
    "looks_like_formula",
    "read_book",
    "read_sheet",
    "sheet_of",
    "write_sheets",
    "write_workbook",
]  # fmt: skip

# Published lists often open with a title block (ministry, date, title); the headings are looked for this far down.
HEADER_SEARCH_ROWS = 20


SheetSpec = (
    tuple[str, Sequence[str], Iterable[Sequence[Any]]]
    | tuple[str, Sequence[str], Iterable[Sequence[Any]], Sequence[Kind | None] | None]
)


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
    """A cell as text: empty for a blank cell, 12 (not 12.0) for a whole number Excel stored as a float, TRUE and
    FALSE for a yes/no cell as Excel shows them (not Python's True)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(
    source: IO[bytes] | str,
    *,
    required: Sequence[str],
    name: str | None = None,
    columns: Sequence[str] | None = None,
    flags: Collection[str] | None = None,
) -> Sheet:
    """Open the first sheet (or the sheet called `name`) and find its heading row: the first of the top 20 rows
    that holds every `required` heading. Rows below it come with their Excel number, keyed by the canonical title.

    Headings match folded (case, Vietnamese marks and spacing do not matter). `columns` lists every title the
    caller knows (default: `required`); other headings are ignored. Without `columns`, headings that match no
    required title are kept under their own text, as callers written before `columns` existed expect.

    A number that is not one (NaN, infinity: no Excel writes them, it shows #NUM!) in a column read refuses the
    sheet, naming the cell, when its row is reached (so iterating `rows` may raise ExcelError). `flags`, when given,
    lists the yes/no columns: a TRUE/FALSE cell in any other column read is refused the same way (in a name column
    it is a slip, not a name); without `flags`, TRUE/FALSE pass as bools, as callers written before it expect.

    The workbook is read in a child process with limits (ocop.core.xlsx); a file-like source is copied to a
    temporary file for it first.
    """
    return sheet_of(_read_raw(source, name), required=required, columns=columns, flags=flags)


def read_book(source: IO[bytes] | str, names: Sequence[str], *, optional: Collection[str] = ()) -> dict[str, RawSheet]:
    """The named sheets of one workbook, read once (one child, one set of limits) for `sheet_of`; a sheet named in
    `optional` may be missing, and is then left out."""
    found = _read_raw_many(source, list(names), optional)
    return {name: sheet for name, sheet in found.items() if name is not None}


def sheet_of(
    raw: RawSheet,
    *,
    required: Sequence[str],
    columns: Sequence[str] | None = None,
    flags: Collection[str] | None = None,
) -> Sheet:
    """A sheet read by `read_book` as `read_sheet` gives it (the same arguments, the same checks)."""
    if not raw.rows:
        raise ExcelError(_("The workbook is empty."))
    canonical: dict[str, str] = {}
    for title in [*required, *(columns or ())]:
        canonical.setdefault(fold(title), title)
    index, missing = _header_index(raw.rows, required)
    headers = [cell_text(v) for v in raw.rows[index]]
    # A merged heading is the likeliest reason for a missing one: say that first.
    _check_merged(raw.merged, headers, row=index + 1)
    if missing and index == 0:
        raise ExcelError(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    if missing:
        raise ExcelError(
            _("Missing column(s): %(columns)s (headings read from row %(row)s).")
            % {"columns": ", ".join(missing), "row": index + 1}
        )
    keys: list[tuple[int, str]] = []  # (column index, record key) of the columns we read
    seen: dict[str, int] = {}
    for column, text in enumerate(headers):
        key = canonical.get(fold(text)) if text else None
        if key is None and columns is None and text:
            key = text
        if key is None:
            continue
        if key in seen:
            if key not in canonical.values():
                continue  # an unknown heading twice (kept only for old callers): the first one wins
            raise ExcelError(
                _("The heading “%(heading)s” appears twice, in columns %(first)s and %(second)s: keep only one.")
                % {"heading": key, "first": get_column_letter(seen[key] + 1), "second": get_column_letter(column + 1)}
            )
        seen[key] = column
        keys.append((column, key))
    flag_keys = None if flags is None else {key for _column, key in keys if fold(key) in {fold(f) for f in flags}}

    def generate() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, values in enumerate(raw.rows[index + 1 :], start=index + 2):
            record = {}
            for column, key in keys:
                value = values[column] if column < len(values) else None
                if isinstance(value, float | bool):  # the only types that may hold a value no column takes
                    _check_value(value, raw=raw, cell=f"{get_column_letter(column + 1)}{number}", key=key,
                                 flag_keys=flag_keys)  # fmt: skip
                record[key] = _clean(value)
            if any(v is not None for v in record.values()):
                yield number, record

    return Sheet(headers=headers, rows=generate())


def _check_value(value: float | bool, *, raw: RawSheet, cell: str, key: str, flag_keys: set[str] | None) -> None:
    """Refuse, naming its cell, a value no column can take (NaN, infinity) or this one cannot (TRUE/FALSE outside
    the yes/no columns, when the caller named them)."""
    if isinstance(value, bool):
        if flag_keys is not None and key not in flag_keys:
            raise ExcelError(
                _(
                    "Cell %(cell)s of sheet “%(sheet)s” holds the yes/no value %(value)s, but column “%(column)s” "
                    "takes text or a number: type the value again."
                )
                % {"cell": cell, "sheet": raw.name, "value": cell_text(value), "column": key}
            )
    elif not math.isfinite(value):
        raise ExcelError(
            _(
                "Cell %(cell)s of sheet “%(sheet)s” holds “%(value)s”, not a number Excel can show (it would show "
                "#NUM!): type the value again and save the file."
            )
            % {"cell": cell, "sheet": raw.name, "value": value}
        )


def _read_raw(source: IO[bytes] | str, name: str | None) -> RawSheet:
    return _read_raw_many(source, [name], ())[name]


def _read_raw_many(
    source: IO[bytes] | str, names: list[str | None], optional: Collection[str]
) -> dict[str | None, RawSheet]:
    if isinstance(source, str):
        return read_workbook(source, names, optional=optional)
    # The reader is another process: it needs a path. The copy lives as long as the read, on this machine only.
    with tempfile.NamedTemporaryFile(prefix="ocop-import-", suffix=".xlsx") as spool:
        shutil.copyfileobj(source, spool)
        spool.flush()
        return read_workbook(spool.name, names, optional=optional)


def _header_index(rows: list[list[Any]], required: Sequence[str]) -> tuple[int, list[str]]:
    """The index of the first row, among the top ones, holding every required heading (and nothing missing); else
    the likeliest row (the one with the most of them) and the headings it lacks."""
    wanted = [(title, fold(title)) for title in required]
    best, best_missing = 0, [title for title, _folded in wanted]
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        present = {fold(cell_text(v)) for v in row}
        missing = [title for title, folded in wanted if folded not in present]
        if not missing:
            return index, []
        if len(missing) < len(best_missing):
            best, best_missing = index, missing
    return best, best_missing


def _check_merged(merged: Sequence[str], headers: list[str], *, row: int) -> None:
    """A heading merged across several columns leaves all but one without a heading: refuse it by name."""
    for ref in merged:
        try:
            first_column, first_row, last_column, last_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue  # not a range we understand; calamine reads the cells all the same
        if first_row is None or last_row is None or first_column is None or last_column is None:
            continue
        if first_row <= row <= last_row and last_column > first_column and any(headers[first_column - 1 : last_column]):
            raise ExcelError(
                _("Header cells %(range)s are merged: each column needs its own heading.") % {"range": ref}
            )


def csv_cell(value: Any) -> Any:
    """A CSV value no spreadsheet program will run as a formula: text opening with one of FORMULA_PREFIXES gets a
    leading apostrophe, which Excel and LibreOffice show as text and do not evaluate. Every CSV the project writes
    passes its cells through this; other values are returned as they are."""
    if isinstance(value, Promise):
        value = str(value)
    return "'" + value if looks_like_formula(value) else value


def write_workbook(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    kinds: Sequence[Kind | None] | None = None,
    block: TitleBlock | None = None,
) -> bytes:
    """A workbook of one sheet called `title`; see write_sheets."""
    return write_sheets([(title, headers, rows, kinds)] if kinds else [(title, headers, rows)], block=block)


def write_sheets(sheets: Sequence[SheetSpec], *, block: TitleBlock | None = None) -> bytes:
    """A workbook of several sheets, each (title, column titles, rows) or (title, column titles, rows, kinds), styled
    for reading and printing by core.xlsxstyle: `block` is the title block above each sheet's table (the importers
    find the header row below it), `kinds` what some columns hold (money, ids…; other columns by their values)."""
    out = io.BytesIO()
    # constant_memory: one row held at a time (the rest in a temporary file until the book is closed).
    # nan_inf_to_errors: a number that is not one is written as #NUM! or #DIV/0!, as Excel shows it, instead of
    # stopping the whole workbook (XlsxWriter refuses NaN and infinity otherwise).
    book = Workbook(out, {"constant_memory": True, "nan_inf_to_errors": True})
    formats = Formats(book)
    used: set[str] = set()
    for spec in sheets:
        title, headers, rows = spec[:3]
        kinds = spec[3] if len(spec) > 3 else None  # type: ignore[misc]
        ws = book.add_worksheet(_sheet_name(title, used))
        write_table(ws, formats, headers, rows, kinds=kinds, title=block)
    book.close()
    return out.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """`title` as a sheet's name: 31 characters at most, without the characters Excel refuses, unique within the book
    (ignoring case: "Sản phẩm (2)" after a second "Sản phẩm")."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("'")[:31] or "Sheet"
    name, number = base, 1
    while name.casefold() in used:
        number += 1
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
    used.add(name.casefold())
    return name
