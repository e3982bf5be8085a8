"""Pure rules of outlets: opening hours, positions inside Vietnam, the OCOP share and the assessment's verdict."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Mainland and near-shore islands; the archipelagos (Hoàng Sa, Trường Sa) have a box of their own.
MAINLAND = (8.2, 23.45, 102.1, 109.6)  # south, north, west, east
ARCHIPELAGOS = (6.5, 17.5, 109.6, 117.9)

DAY_WORDS = {
    "t2": 0, "t3": 1, "t4": 2, "t5": 3, "t6": 4, "t7": 5, "cn": 6,
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
EVERY_DAY = ("hang ngay", "moi ngay", "ca tuan", "daily", "every day")
TIME = re.compile(r"(\d{1,2})\s*(?:[:h]\s*(\d{2})?)?\s*[-–]\s*(\d{1,2})\s*(?:[:h]\s*(\d{2})?)?", re.ASCII)

Hours = list[list[list[int]]]  # seven days (Monday first), each a list of [opening, closing] minute pairs


def inside_vietnam(latitude: float, longitude: float) -> bool:
    for south, north, west, east in (MAINLAND, ARCHIPELAGOS):
        if south <= latitude <= north and west <= longitude <= east:
            return True
    return False


def _plain(text: str) -> str:
    """Lower case without Vietnamese marks, punctuation kept (fold() would turn "T2-T6" into "t2 t6")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _days(text: str) -> list[int]:
    words = _plain(text).replace("thu ", "t").replace("chu nhat", "cn").replace("chunhat", "cn")
    words = words.replace("–", "-").replace(" den ", "-").replace(" to ", "-")
    if not words.strip(" :,") or any(w in words for w in EVERY_DAY):
        return list(range(7))
    days: list[int] = []
    for part in re.split(r"[,/&]|\bva\b|\band\b", words):
        part = part.strip(" :")
        if not part:
            continue
        ends = [p.strip().replace(" ", "") for p in part.split("-")]
        if len(ends) > 2 or any(e not in DAY_WORDS for e in ends):
            raise ValueError(part)
        first, last = DAY_WORDS[ends[0]], DAY_WORDS[ends[-1]]
        day = first
        while True:
            days.append(day)
            if day == last:
                break
            day = (day + 1) % 7
    return days


def parse_hours(text: str) -> Hours:
    """Read hours written as people write them: "T2-T6 7:30-17:30; T7, CN 8h-12h, 13h30-17h", "Hằng ngày 8:00-21:00",
    "Mon-Fri 9:00-18:00". A closing time before the opening one runs past midnight. Empty text: hours unknown."""
    week: Hours = [[] for _ in range(7)]
    if not text.strip():
        return []
    for clause in re.split(r"[;\n]", text):
        if not clause.strip():
            continue
        first = TIME.search(clause)
        if first is None:
            raise ValidationError(
                {"opening_hours": [_("“%(part)s” has no opening time such as 08:00-17:00.") % {"part": clause.strip()}]}
            )
        try:
            days = _days(clause[: first.start()])
        except ValueError:
            raise ValidationError(
                {
                    "opening_hours": [
                        _("“%(part)s”: write days as T2-T6, T7, CN or Hằng ngày.") % {"part": clause.strip()}
                    ]
                }
            ) from None
        for h1, m1, h2, m2 in TIME.findall(clause[first.start() :]):
            start, end = int(h1) * 60 + int(m1 or 0), int(h2) * 60 + int(m2 or 0)
            if int(h1) > 24 or int(h2) > 24 or int(m1 or 0) > 59 or int(m2 or 0) > 59 or start == end:
                raise ValidationError({"opening_hours": [_("“%(part)s” is not a time range.") % {"part": clause}]})
            for day in days:
                if end > start:
                    week[day].append([start, end])
                else:
                    week[day].append([start, 24 * 60])
                    week[(day + 1) % 7].append([0, end])
    return [sorted(d) for d in week]


def week_text(week: Hours) -> str:
    """The week as stored: days (Monday first) split by ";", ranges by ",", e.g. "480-1020;480-1020;;;;;";
    empty when the hours are unknown. Reading one day of it is cheap, for "open now" over thousands of outlets."""
    return ";".join(",".join(f"{start}-{end}" for start, end in day) for day in week) if week else ""


def is_open(week: str, at: dt.datetime) -> bool:
    """Open at this local time, by the stored week text (unknown hours: not shown as open)."""
    if not week:
        return False
    day = week.split(";")[at.weekday()]
    minute = at.hour * 60 + at.minute
    for span in filter(None, day.split(",")):
        start, _sep, end = span.partition("-")
        if int(start) <= minute < int(end):
            return True
    return False


def ocop_share(valid_ocop_lines: int, all_lines: int) -> Decimal | None:
    """Percentage of the assortment's lines that are OCOP products valid today (None when nothing is on sale)."""
    if all_lines <= 0:
        return None
    return (Decimal(valid_ocop_lines) * 100 / Decimal(all_lines)).quantize(Decimal("0.1"))


def pass_mark(code: str, default: int) -> int:
    return int(settings.OCOP_OUTLET_PASS_MARKS.get(code, default))


def minimum(checklist_code: str, item_code: str, default: Decimal | None) -> Decimal | None:
    override = settings.OCOP_OUTLET_MINIMUMS.get(f"{checklist_code}:{item_code}")
    return Decimal(str(override)) if override is not None else default


@dataclass
class Line:
    code: str
    kind: str
    points: int
    mandatory: bool
    met: bool | None
    awarded: Decimal | None


@dataclass
class Verdict:
    total: Decimal = Decimal(0)
    passed: bool = False
    failed_mandatory: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)


def verdict(lines: Iterable[Line], mark: int) -> Verdict:
    """Points: a met check earns its points, a scored line what was given. It passes with every mandatory line met
    and at least the pass mark."""
    result = Verdict()
    for line in lines:
        if line.kind == "score":
            if line.awarded is None:
                result.unanswered.append(line.code)
                continue
            result.total += line.awarded
        else:
            if line.met is None:
                result.unanswered.append(line.code)
            elif line.met:
                result.total += line.points
            if line.mandatory and line.met is not True:
                result.failed_mandatory.append(line.code)
    result.passed = not result.failed_mandatory and not result.unanswered and result.total >= mark
    return result


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
