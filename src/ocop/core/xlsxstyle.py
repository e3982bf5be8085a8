"""How every workbook the project writes looks when opened and printed (core.excel.write_sheets calls it).

Above the table, a title block (issuing body, report name, period, date made); the header row frozen, with an
autofilter over the table; column widths fitted to the text (measured on the first rows only, so a sheet of
100,000 rows is never held); dates as date cells shown dd/mm/yyyy, whole numbers and money with thousands separators
(`#,##0`, which a Vietnamese-locale LibreOffice or Excel shows as 1.234.567) and money with ₫; long text wrapped;
A4 landscape, fitted to the page's width, the header rows repeated on every printed page.

Written with XlsxWriter in its constant-memory mode (one row held at a time; a row's height is set before its cells
are flushed): about four times faster than openpyxl for a styled sheet, which made a province's yearly workbook take
longer than its figures (docs/decisions.md "Workbooks with XlsxWriter"). A sheet uses a handful of formats, made once
per workbook. Text goes in with write_string, never write(): text that opens like a formula ("=…") stays text, with
Excel's quote prefix so that editing the cell does not turn it into one.
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
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

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
A4 = 9  # the paper size's code in the file format
# What a spreadsheet program takes for the start of a formula (OWASP's list for CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LINE_HEIGHT = 15  # points, a line of 11-point text
MAX_ROW_HEIGHT = 409  # points, the most Excel allows
CELL_CHARS = 32_767  # the most a cell holds: XlsxWriter cuts a longer text silently
CUT = "… [cắt bớt]"  # what ends a text cut to fit: a reader sees it is not whole
# Characters of a column's width that a wrapped line holds, as printed: a column's width counts Calibri's digits,
# and LibreOffice without Calibri prints in the wider DejaVu Sans; the row's height is fitted to the wider font.
WRAP_FILL = 0.8


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


class Formats:
    """The few cell formats a workbook uses, made once (XlsxWriter's formats belong to the workbook, not a sheet)."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self._cache: dict[tuple[str, bool, bool, float, bool, bool], Format] = {}

    def get(self, number_format: str = "General", *, wrap: bool = False, bold: bool = False, size: float = 11,
            border: bool = True, quote: bool = False) -> Format:  # fmt: skip
        """A table's cells are framed (`border`), the title block's not; `quote`: text that opens like a formula."""
        key = (number_format, wrap, bold, size, border, quote)
        made = self._cache.get(key)
        if made is None:
            props: dict[str, Any] = {"valign": "top", "num_format": number_format}
            if wrap:
                props["text_wrap"] = True
            if bold:
                props["bold"] = True
            if size != 11:
                props["font_size"] = size
            if border:
                props["border"] = 1
            if quote:
                props["quote_prefix"] = True
            made = self._cache[key] = self.book.add_format(props)
        return made


def fit(text: str) -> str:
    """`text`, or its start and the `CUT` mark when it is longer than a cell holds."""
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - len(CUT)] + CUT


def looks_like_formula(value: Any) -> bool:
    """Text a spreadsheet program would run as a formula (or a DDE command) if it met it raw."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def write_table(
    ws: Worksheet,
    formats: Formats,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    kinds: Sequence[Kind | None] | None = None,
    title: TitleBlock | None = None,
) -> None:
    """Write one sheet, styled (see the module). `kinds` names what some columns hold (None: by each value's type).
    Without `title`, the header row is the first."""
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
    for index, width in enumerate(widths):
        ws.set_column(index, index, width)
    header_row = len(lines) + 1 if lines else 0  # 0-based; a blank row between the title block and the table
    ws.freeze_panes(header_row + 1, 0)
    for number, line in enumerate(lines):
        ws.write_string(number, 0, line, formats.get(bold=number < 2, size=14 if number == 1 else 11, border=False))
    _write_row(ws, header_row, [str(h) for h in headers], [Kind.TEXT] * len(headers), widths, formats, bold=True)
    count = 0
    for values in chain(sample, iterator):
        count += 1
        _write_row(ws, header_row + count, values, column_kinds, widths, formats)
    ws.autofilter(header_row, 0, header_row + max(count, 1), max(len(headers), 1) - 1)
    ws.repeat_rows(header_row)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)  # the grid is not printed (XlsxWriter's default): the table's cells are framed instead


def wrapped_lines(text: str, width: int) -> int:
    """The lines `text` takes, wrapped at word boundaries in a column `width` characters wide (see WRAP_FILL)."""
    fill = max(int((width - 2) * WRAP_FILL), 1)
    return sum(max(len(textwrap.wrap(line, fill, break_on_hyphens=False)), 1) for line in text.splitlines() or [""])


def row_height(wrapped: Sequence[str | None], widths: Sequence[int]) -> float | None:
    """The height (points) a row needs for its wrapped texts (None: a cell not wrapped) to show whole, None for one
    line: neither Excel nor LibreOffice fits a row written without a height, so a long text would overlap the rows
    below it when printed."""
    lines = 1
    for index, text in enumerate(wrapped[: len(widths)]):
        if text is not None:
            lines = max(lines, wrapped_lines(text, widths[index]))
    return min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT) if lines > 1 else None


def _write_row(ws: Worksheet, number: int, row: Sequence[Any], kinds: Sequence[Kind | None], widths: Sequence[int],
               formats: Formats, *, bold: bool = False) -> None:  # fmt: skip
    """Row `number` (0-based): its height first (XlsxWriter flushes a row once the next is begun), then its cells;
    cells past the header's columns go in unstyled."""
    wrapped: list[str | None] = [None] * len(widths)  # the text of each wrapped cell, for the row's height
    for index, value in enumerate(row):
        if isinstance(value, Promise):
            value = str(value)
        kind = kinds[index] if index < len(kinds) else None
        if index >= len(kinds):
            _write_plain(ws, number, index, value, formats)
        elif value is None or value == "":  # framed like the rest, formatted for a figure typed in later
            ws.write_blank(number, index, None, formats.get(_FORMATS.get(kind, "General") if kind else "General"))
        elif isinstance(value, str):
            wrap = bold or _text_width(value) + 2 > widths[index]
            if wrap:
                wrapped[index] = value
            ws.write_string(number, index, fit(value), formats.get(
                TEXT_FORMAT if kind == Kind.ID else "General", wrap=wrap, bold=bold, quote=looks_like_formula(value)
            ))  # fmt: skip
        elif isinstance(value, bool):
            ws.write_boolean(number, index, value, formats.get())
        elif isinstance(value, dt.datetime):
            ws.write_datetime(number, index, _local(value), formats.get(DATETIME_FORMAT))
        elif isinstance(value, dt.date):
            ws.write_datetime(number, index, value, formats.get(DATE_FORMAT))
        elif isinstance(value, int | float | Decimal):
            if kind in (Kind.MONEY, Kind.PERCENT, Kind.ID):
                fmt = _FORMATS[kind]
            else:  # a count, a quantity, or a number in a text or date column: decimals only when it has some
                fmt = INT_FORMAT if isinstance(value, int) or float(value).is_integer() else NUMBER_FORMAT
            ws.write_number(number, index, value, formats.get(fmt))
        else:
            ws.write_string(number, index, fit(str(value)), formats.get(quote=looks_like_formula(str(value))))
    height = row_height(wrapped, widths)
    if height is not None:
        ws.set_row(number, height)


def _write_plain(ws: Worksheet, row: int, column: int, value: Any, formats: Formats) -> None:
    """A cell past the table's columns, unframed: by its type (a date shown as one), text always as text."""
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        ws.write_number(row, column, value)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, column, _local(value), formats.get(DATETIME_FORMAT, border=False))
    elif isinstance(value, dt.date):
        ws.write_datetime(row, column, value, formats.get(DATE_FORMAT, border=False))
    else:
        ws.write_string(row, column, fit(str(value)), formats.get(border=False, quote=looks_like_formula(str(value))))


def _local(value: dt.datetime) -> dt.datetime:
    """A moment as the installation's wall clock shows it: Excel has no time zones."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
