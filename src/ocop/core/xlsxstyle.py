"""How every workbook the project writes looks when opened and printed (core.excel.write_sheets calls it).

Above the table, a title block (issuing body, report name, period, date made); the header row frozen, with an
autofilter over the table; column widths fitted to the text (measured on the first rows only, so a sheet of
100,000 rows is never held); dates as date cells shown dd/mm/yyyy, whole numbers and money with thousands separators
(`#,##0`, which a Vietnamese-locale LibreOffice or Excel shows as 1.234.567) and money with ₫; long text wrapped;
A4 landscape, fitted to the page's width, the header rows repeated on every printed page.

Everything is done in openpyxl's write-only mode: widths, frozen panes and the sheet's properties are set before
the first row; the autofilter's range and the print setup once the rows are written. A styled cell shares its
style with the others of its column (one StyleArray each, no per-cell style lookups).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import chain, islice
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

MIN_WIDTH = 8  # characters
MAX_WIDTH = 60
SAMPLE_ROWS = 1000  # the rows measured for the widths; the rest are written as they come
HEADER_WIDTH = 24  # a header longer than this wraps rather than widening its column
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INT_FORMAT = "#,##0"
MONEY_FORMAT = '#,##0" ₫"'
NUMBER_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
ID_FORMAT = "0"
TEXT_FORMAT = "@"
FONT_NAME = DEFAULT_FONT.name  # Calibri, the workbook's default font: every styled font names it too
LINE_HEIGHT = 15  # points, a line of 11-point text
MAX_ROW_HEIGHT = 409  # points, the most Excel allows
# Characters of a column's width that a wrapped line holds, as printed: a column's width counts Calibri's digits,
# and LibreOffice without Calibri prints in the wider DejaVu Sans; the row's height is fitted to the wider font.
WRAP_FILL = 0.8
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


class Kind(StrEnum):
    """What a column holds, for its number format. Without one, a cell's own type decides (int: INT, date: DATE…)."""

    TEXT = "text"
    INT = "int"  # counts: 1,234
    MONEY = "money"  # whole đồng: 1,234,567 ₫
    NUMBER = "number"  # quantities with decimals: 1,234.50
    PERCENT = "percent"  # 0.125 shown 12.5%
    DATE = "date"
    ID = "id"  # record ids and years: digits without separators


_FORMATS = {Kind.INT: INT_FORMAT, Kind.MONEY: MONEY_FORMAT, Kind.NUMBER: NUMBER_FORMAT, Kind.PERCENT: PERCENT_FORMAT,
            Kind.DATE: DATE_FORMAT, Kind.ID: ID_FORMAT}  # fmt: skip


@dataclass(frozen=True)
class TitleBlock:
    """The lines above the table: who issues it, what it is, the period it covers (may be empty), the day it was
    made (default: today)."""

    issuer: str
    name: str
    period: str = ""
    made_on: dt.date | None = None

    def lines(self) -> list[str]:
        made = self.made_on or timezone.localdate()
        lines = [self.issuer.upper(), self.name]
        if self.period:
            lines.append(_("Period: %(period)s") % {"period": self.period})
        lines.append(_("Made on %(day)s") % {"day": f"{made:%d/%m/%Y}"})
        return lines


def period_text(starts_on: dt.date, ends_on: dt.date) -> str:
    return f"{starts_on:%d/%m/%Y} – {ends_on:%d/%m/%Y}"


def _kind_of(value: Any) -> Kind | None:
    """The kind a value brings by its type (None: text, or blank)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, int):
        return Kind.INT
    if isinstance(value, float | Decimal):
        return Kind.NUMBER
    if isinstance(value, dt.date):
        return Kind.DATE
    return None


def _shown(value: Any, kind: Kind | None) -> str:
    """The text a cell shows, for measuring its column."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return "00/00/0000 00:00"
    if isinstance(value, dt.date):
        return "00/00/0000"
    if isinstance(value, bool):
        return "FALSE"
    if isinstance(value, int | float | Decimal) and kind not in (Kind.ID, Kind.TEXT):
        if kind == Kind.PERCENT:
            return f"{float(value) * 100:.1f}%"
        text = f"{value:,.2f}" if kind == Kind.NUMBER or not float(value).is_integer() else f"{int(value):,}"
        return text + " ₫" if kind == Kind.MONEY else text
    return str(value)


def _text_width(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def fit_widths(headers: Sequence[str], sample: Sequence[Sequence[Any]], kinds: Sequence[Kind | None],
               title: Sequence[str] = ()) -> list[int]:  # fmt: skip
    """Each column's width in characters: its longest shown value among `sample` (a header counts up to
    HEADER_WIDTH: longer ones wrap), within MIN_WIDTH and MAX_WIDTH (longer text wraps). The table is widened, first
    column first, to hold the longest title line, so the printed title is never cut at the table's edge."""
    widths = [min(_text_width(str(h)), HEADER_WIDTH) for h in headers]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _text_width(_shown(value, kinds[index])))
    widths = [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widths]
    missing = max((len(line) for line in title), default=0) + 2 - sum(widths)
    for index in range(len(widths)):
        if missing <= 0:
            break
        grow = min(missing, MAX_WIDTH - widths[index])
        widths[index] += grow
        missing -= grow
    return widths


class _Styles:
    """The few cell styles a sheet uses, made once: openpyxl then only copies a StyleArray per cell."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self._cache: dict[tuple[str, bool, bool, bool], Any] = {}

    def cell(self, value: Any, number_format: str = "General", *, wrap: bool = False, bold: bool = False,
             size: float | None = None, border: bool = True) -> Any:  # fmt: skip
        """A styled cell; a table's cells are framed (`border`), the title block's not."""
        cell: Any = WriteOnlyCell(self.ws, value=value)
        key = (number_format, wrap, bold, border) if size is None else None
        style = self._cache.get(key) if key is not None else None
        if style is None:
            cell.number_format = number_format
            cell.alignment = Alignment(wrap_text=wrap, vertical="top")
            if border:
                cell.border = BORDER
            if bold or size:
                cell.font = Font(name=FONT_NAME, bold=bold, size=size or 11)
            if key is not None:
                self._cache[key] = cell._style  # openpyxl's own way to share a style
        else:
            cell._style = style
        return cell


def write_table(
    ws: Any,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    kinds: Sequence[Kind | None] | None = None,
    title: TitleBlock | None = None,
    cell: Any = None,
) -> None:
    """Write one sheet of a write-only workbook, styled (see the module). `kinds` names what some columns hold
    (None: by each value's type); `cell(ws, value)` makes a plain cell safe (core.excel.safe_cell) before it is
    styled. Without `title`, the header row is the first."""
    safe = cell or (lambda _ws, value: value)
    column_kinds = list(kinds or ())[: len(headers)]
    column_kinds += [None] * (len(headers) - len(column_kinds))
    iterator = iter(rows)
    sample = [list(r) for r in islice(iterator, SAMPLE_ROWS)]
    for row in sample[:50]:  # a column without a kind takes the one of its first typed value (the header's format)
        for index, value in enumerate(row[: len(headers)]):
            if column_kinds[index] is None and (found := _kind_of(value)) is not None:
                column_kinds[index] = found
    lines = title.lines() if title else []
    widths = fit_widths(headers, sample, column_kinds, lines)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    header_row = len(lines) + 2 if lines else 1  # a blank row between the title block and the table
    last_column = get_column_letter(max(len(headers), 1))
    ws.freeze_panes = f"A{header_row + 1}"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    styles = _Styles(ws)
    for number, line in enumerate(lines):
        ws.append([styles.cell(line, bold=number < 2, size=14 if number == 1 else None, border=False)])
    if lines:
        ws.append([])
    _append(ws, header_row, [_header(ws, h, styles, safe) for h in headers], widths)
    count = 0
    for values in chain(sample, iterator):
        count += 1
        _append(ws, header_row + count, _styled(ws, values, column_kinds, widths, styles, safe), widths)
    ws.auto_filter.ref = f"A{header_row}:{last_column}{header_row + max(count, 1)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.gridLines = False  # the table's cells are framed instead, the title block is not


def wrapped_lines(text: str, width: int) -> int:
    """The lines `text` takes, wrapped at word boundaries in a column `width` characters wide (see WRAP_FILL)."""
    fill = max(int((width - 2) * WRAP_FILL), 1)
    return sum(max(len(textwrap.wrap(line, fill, break_on_hyphens=False)), 1) for line in text.splitlines() or [""])


def row_height(cells: Sequence[Any], widths: Sequence[int]) -> float | None:
    """The height (points) a row needs for its wrapped cells to show whole, None for one line: neither Excel nor
    LibreOffice fits a row written without a height, so a long text would overlap the rows below it when printed."""
    lines = 1
    for index, made in enumerate(cells[: len(widths)]):
        if isinstance(made, Cell) and made.alignment.wrap_text and isinstance(made.value, str):
            lines = max(lines, wrapped_lines(made.value, widths[index]))
    return min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT) if lines > 1 else None


def _append(ws: Any, number: int, cells: list[Any], widths: Sequence[int]) -> None:
    """Append row `number`, with the height its wrapped text needs (write-only: set before the row is written)."""
    height = row_height(cells, widths)
    if height is not None:
        ws.row_dimensions[number].height = height
    ws.append(cells)
    if height is not None:  # written: not kept for the whole sheet
        del ws.row_dimensions[number]


def _header(ws: Any, text: Any, styles: _Styles, safe: Any) -> Any:
    made = safe(ws, str(text) if isinstance(text, Promise) else text)
    if isinstance(made, Cell):  # text a spreadsheet would run as a formula: keep its protection
        made.alignment = Alignment(wrap_text=True, vertical="top")
        made.font = Font(name=FONT_NAME, bold=True)
        made.border = BORDER
        return made
    return styles.cell(made, wrap=True, bold=True)


def _styled(
    ws: Any, row: Sequence[Any], kinds: Sequence[Kind | None], widths: Sequence[int], styles: _Styles, safe: Any
) -> list[Any]:
    out: list[Any] = []
    for index, value in enumerate(row):
        if index >= len(kinds):
            out.append(safe(ws, value))
            continue
        kind = kinds[index]
        if value is None or value == "":  # framed like the rest, formatted for a figure typed in later
            out.append(styles.cell(None, _FORMATS.get(kind, "General") if kind is not None else "General"))
            continue
        if isinstance(value, Promise):
            value = str(value)
        if isinstance(value, str):
            made = safe(ws, value)
            wrap = _text_width(value) + 2 > widths[index]
            if isinstance(made, Cell):  # text a spreadsheet would run as a formula: keep its protection
                made.alignment = Alignment(wrap_text=wrap, vertical="top")
                made.border = BORDER
                out.append(made)
            else:
                out.append(styles.cell(value, TEXT_FORMAT if kind == Kind.ID else "General", wrap=wrap))
        elif isinstance(value, bool):
            out.append(styles.cell(value))
        elif isinstance(value, dt.datetime):
            out.append(styles.cell(timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value)
                                   else value, DATETIME_FORMAT))  # fmt: skip
        elif isinstance(value, dt.date):
            out.append(styles.cell(value, DATE_FORMAT))
        elif isinstance(value, int | float | Decimal):
            whole = isinstance(value, int) or float(value).is_integer()
            if kind in (Kind.MONEY, Kind.PERCENT, Kind.ID):
                fmt = _FORMATS[kind]
            else:  # a count, a quantity, or a number in a text or date column: decimals only when it has some
                fmt = INT_FORMAT if whole else NUMBER_FORMAT
            out.append(styles.cell(value, fmt))
        else:
            made = safe(ws, value)
            out.append(styles.cell(made) if not isinstance(made, Cell) else made)
    return out
