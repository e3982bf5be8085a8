import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ocop.outlets import rules

MON, FRI, SAT, SUN = 0, 4, 5, 6
HANOI = dt.timezone(dt.timedelta(hours=7))


def test_opening_hours_are_read_as_people_write_them():
    week = rules.parse_hours("T2-T6 7:30-17:30; T7, CN 8h-12h, 13h30-17h")
    assert week[MON] == [[450, 1050]]
    assert week[FRI] == [[450, 1050]]
    assert week[SAT] == [[480, 720], [810, 1020]]
    assert week[SUN] == [[480, 720], [810, 1020]]
    assert rules.parse_hours("Hằng ngày 8:00-21:00") == [[[480, 1260]]] * 7
    assert rules.parse_hours("Thứ 2 - Thứ 6: 08:00-17:00")[2] == [[480, 1020]]
    assert rules.parse_hours("Mon-Fri 9:00-18:00")[SAT] == []
    assert rules.parse_hours("") == []


def test_hours_past_midnight_run_into_the_next_day():
    week = rules.parse_hours("T7 18:00-02:00")
    assert week[SAT] == [[1080, 1440]]
    assert week[SUN] == [[0, 120]]
    assert rules.week_text(week) == ";;;;;1080-1440;0-120"
    week = rules.week_text(week)
    assert rules.is_open(week, dt.datetime(2026, 11, 29, 1, 30, tzinfo=HANOI))  # a Sunday, 01:30
    assert not rules.is_open(week, dt.datetime(2026, 11, 29, 2, 0, tzinfo=HANOI))
    assert not rules.is_open("", dt.datetime(2026, 11, 29, 10, 0, tzinfo=HANOI))  # unknown hours are never "open now"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("T2-T6 sáng", "“T2-T6 sáng” không có giờ mở cửa dạng 08:00-17:00."),
        ("Thường ngày 8:00-17:00", "“Thường ngày 8:00-17:00”: ghi ngày dạng T2-T6, T7, CN hoặc Hằng ngày."),
        ("T2 25:00-26:00", "“T2 25:00-26:00” không phải là khoảng giờ."),
    ],
)
def test_unreadable_hours_name_the_field_and_the_part(text, message):
    with pytest.raises(ValidationError) as caught:
        rules.parse_hours(text)
    assert caught.value.message_dict == {"opening_hours": [message]}


def test_positions_inside_viet_nam_include_the_archipelagos():
    assert rules.inside_vietnam(21.03, 105.85)  # Hà Nội
    assert rules.inside_vietnam(16.57, 112.13)  # Hoàng Sa
    assert rules.inside_vietnam(9.71, 114.45)  # Trường Sa
    assert not rules.inside_vietnam(13.75, 100.50)  # Bangkok
    assert not rules.inside_vietnam(105.85, 21.03)  # swapped


def test_the_share_of_ocop_goods_is_a_percentage_of_the_lines_on_sale():
    assert rules.ocop_share(3, 5) == Decimal("60.0")
    assert rules.ocop_share(1, 3) == Decimal("33.3")
    assert rules.ocop_share(0, 0) is None


def test_a_verdict_needs_every_mandatory_item_and_the_pass_mark():
    lines = [
        rules.Line("0.1", "check", 0, True, True, None),
        rules.Line("1.2", "score", 20, False, None, Decimal(15)),
        rules.Line("2.4", "score", 15, False, None, Decimal("12.5")),
    ]
    assert rules.verdict(lines, 25) == rules.Verdict(Decimal("27.5"), True, [], [])
    assert rules.verdict(lines, 30).passed is False
    failing = [rules.Line("1.1", "check", 0, True, False, None), *lines[1:]]
    assert rules.verdict(failing, 0) == rules.Verdict(Decimal("27.5"), False, ["1.1"], [])
    unanswered = [rules.Line("1.1", "check", 5, False, None, None)]
    assert rules.verdict(unanswered, 0) == rules.Verdict(Decimal(0), False, [], ["1.1"])


def test_months():
    assert rules.month_end(dt.date(2026, 2, 1)) == dt.date(2026, 2, 28)
    assert rules.month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert rules.month_end(dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)
