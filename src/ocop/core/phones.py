"""Phone numbers as tap-to-call addresses (RFC 3966 `tel:`): what a phone dials when the number on a page is tapped."""

from __future__ import annotations

import re

_SEPARATOR = re.compile(r"\s+[-–]\s+|[,;/|]|\s(?:hoặc|or)\s")  # between two numbers ("0912… - 024…", "0912…/0913…")
_FIRST = re.compile(r"\+?\d[\d\s.()-]*")
_NATIONAL = re.compile(r"0(\d{8,10})")  # 0 + a Vietnamese subscriber or area-code number (9 to 11 digits)
_COUNTRY = re.compile(r"(?:\+|00)?84(\d{8,10})")  # with the country code (+84, 0084 or 84), without the 0


def tel_uri(phone: str | None) -> str:
    """The first number written in `phone` as a `tel:` address: a Vietnamese number in its international form
    (`tel:+84912345678` for "0912 345 678"), a short number such as a 1900 hotline as it is; "" when no number."""
    match = next(filter(None, (_FIRST.search(part) for part in _SEPARATOR.split(phone or ""))), None)
    if match is None:
        return ""
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    if len(digits) < 3:
        return ""
    if national := _NATIONAL.fullmatch(digits):
        return f"tel:+84{national.group(1)}"
    if (text.startswith("+") or len(digits) >= 10) and (world := _COUNTRY.fullmatch(digits)):
        return f"tel:+84{world.group(1)}"
    if text.startswith("+"):
        return f"tel:+{digits}"
    return f"tel:{digits}"
