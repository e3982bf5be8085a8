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


_ONE_NUMBER = re.compile(r"\+?[\d\s.()-]+")  # a number alone, however written ("0948.552.728", "(024) 3826-1234")
_BIG_CITIES = ("024", "028")  # Hà Nội and Thành phố Hồ Chí Minh: a 3-digit area code, then 8 digits


def _grouped(digits: str, *sizes: int) -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start : start + size])
        start += size
    return " ".join(parts)


def _national(digits: str) -> str:
    """A national number (with its leading 0) in the usual groups, or "" when it is none of them."""
    if len(digits) == 10 and digits[1] != "2":  # a mobile number: 0948 552 728
        return _grouped(digits, 4, 3, 3)
    if len(digits) == 11 and digits.startswith(_BIG_CITIES):  # 024 3826 1234
        return _grouped(digits, 3, 4, 4)
    if len(digits) == 11 and digits.startswith("02"):  # the other provinces' 4-digit area codes: 0236 3822 123
        return _grouped(digits, 4, 4, 3)
    return ""


def phone_display(phone: str | None) -> str:
    """`phone` as a page shows it: a single Vietnamese number in the usual groups of digits ("0948 552 728",
    "024 3826 1234", "+84 948 552 728", "1900 1234"); anything else (two numbers, a name beside the number, a foreign
    number) as written. The link beside it is `tel_uri`'s."""
    text = (phone or "").strip()
    if not _ONE_NUMBER.fullmatch(text):
        return text
    digits = re.sub(r"\D", "", text)
    if _NATIONAL.fullmatch(digits):
        return _national(digits) or text
    if (text.startswith("+") or len(digits) >= 10) and (world := _COUNTRY.fullmatch(digits)):
        grouped = _national("0" + world.group(1))
        return f"+84 {grouped[1:]}" if grouped else text
    if digits.startswith(("1800", "1900")) and len(digits) in (8, 10):  # hotlines: 1900 1234, 1900 123 456
        return _grouped(digits, 4, 4) if len(digits) == 8 else _grouped(digits, 4, 3, 3)
    return text
