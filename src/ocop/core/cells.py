"""Reading typed values from workbook cells as people fill them: dates typed as text or stored as Excel serials,
whole numbers written "2019" or 2019.0."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from ocop.core.excel import cell_text

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01, counting Excel's phantom 29 February 1900
_DMY = re.compile(
    r"^\s*(?:ngày\s*)?(\d{1,2})\s*(?:[/.\-]|\s+tháng\s+)\s*(\d{1,2})\s*(?:[/.\-]|\s+năm\s+)\s*(\d{4})\s*$", re.I
)
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)?\s*$")


def whole_digits(text: str, *, limit: int = 18) -> int | None:
    """The number written with ASCII digits only, at most `limit` of them (18 fit a database integer); None for
    anything else: "²" and "١" are digits to str.isdigit() but not numbers a record id or code is made of."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdecimal() and len(text) <= limit else None


class CellError(ValueError):
    """A cell whose value cannot be what its column asks; the message is for the user, in their language."""


def cell_date(value: Any) -> dt.date | None:
    """A date from a cell: a date Excel stored, an Excel serial number, or text as dd/mm/yyyy (also with - or .,
    and "ngày 12 tháng 11 năm 2024") or yyyy-mm-dd. Empty gives None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # up to 31/12/9999
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("“%(value)s” is not a date.") % {"value": value})
    text = cell_text(value)
    match = _DMY.match(text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        match = _ISO.match(text)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError(_("“%(value)s” is not a real date.") % {"value": text}) from None
    raise CellError(_("Write the date as dd/mm/yyyy, e.g. 12/11/2024 (not “%(value)s”).") % {"value": text})


def cell_int(value: Any) -> int | None:
    """A whole number from a cell ("2019", 2019, 2019.0); empty gives None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("Expected a whole number."))
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("Expected a whole number, not “%(value)s”.") % {"value": value})
    if isinstance(value, int):
        return value
    text = cell_text(value).replace(" ", "")
    number = whole_digits(text)
    if number is not None:
        return number
    raise CellError(_("Expected a whole number, not “%(value)s”.") % {"value": text})
