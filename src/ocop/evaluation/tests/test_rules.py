from decimal import Decimal

import pytest

from ocop.evaluation.rules import (
    GroupSpec,
    LineSpec,
    OptionSpec,
    SheetSpec,
    VersionSpec,
    council_outcome,
    lines_that_differ,
    members_to_review,
    quorum_met,
    round_mean,
    score_sheet,
    stars_for,
    validate_version,
)

THRESHOLDS = {2: Decimal(30), 3: Decimal(50), 4: Decimal(70), 5: Decimal(90)}


@pytest.mark.parametrize(
    ("mean", "stars"),
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_stars_at_every_boundary(mean, stars):
    assert stars_for(Decimal(mean), THRESHOLDS) == stars


def test_rounding_of_the_mean_is_a_rule_not_a_habit():
    assert round_mean(Decimal("89.95"), "none") == Decimal("89.95")
    assert round_mean(Decimal("89.95"), "one") == Decimal("90.0")
    assert round_mean(Decimal("89.49"), "whole") == Decimal("89")
    assert stars_for(round_mean(Decimal("89.5"), "whole"), THRESHOLDS) == 5
    assert stars_for(round_mean(Decimal("89.5"), "none"), THRESHOLDS) == 4


def _sheet() -> SheetSpec:
    """A small sheet with every kind of line: A 40, B 25, C 35."""
    return SheetSpec(
        code="T",
        name="Test",
        groups=(
            GroupSpec(
                part="A",
                name="A",
                max_points=40,
                lines=(
                    LineSpec(
                        code="a1",
                        text="origin",
                        options=(
                            OptionSpec("local", 20),
                            OptionSpec("some", 10),
                            OptionSpec("imported", 0, disqualifies=True),
                        ),
                    ),
                    LineSpec(
                        code="a2",
                        text="community",
                        options=(
                            OptionSpec("c1 low", 5, case="1"),
                            OptionSpec("c1 high", 20, case="1"),
                            OptionSpec("c2", 10, case="2"),
                        ),
                    ),
                ),
            ),
            GroupSpec(
                part="B",
                name="B",
                lines=(
                    LineSpec(code="b1", text="story", options=(OptionSpec("none", 0), OptionSpec("yes", 15))),
                    LineSpec(
                        code="b2",
                        text="identity",
                        options=(OptionSpec("same", 0), OptionSpec("own", 10)),
                        requires="b1",
                    ),
                ),
            ),
            GroupSpec(
                part="C",
                name="C",
                lines=(
                    LineSpec(
                        code="c1",
                        text="matter",
                        options=(OptionSpec("clean", 15), OptionSpec("contaminated", 0, skips=("c2",))),
                    ),
                    LineSpec(code="c2", text="taste", options=(OptionSpec("poor", 0), OptionSpec("good", 10))),
                    LineSpec(
                        code="c3",
                        text="standard",
                        options=(OptionSpec("none", 0), OptionSpec("declared", 10)),
                        mandatory_from=3,
                    ),
                ),
            ),
        ),
    )


def _version(sheet: SheetSpec, parts=None) -> VersionSpec:
    return VersionSpec(
        code="T", name="T", parts=parts or {"A": 40, "B": 25, "C": 35}, thresholds=THRESHOLDS, sheets=(sheet,)
    )


def test_a_sheet_whose_options_reach_each_part_exactly_is_valid():
    assert validate_version(_version(_sheet())) == []


def test_a_part_that_cannot_reach_its_maximum_is_refused():
    problems = validate_version(_version(_sheet(), parts={"A": 45, "B": 25, "C": 30}))
    assert [(p.where, p.message) for p in problems] == [
        ("phiếu T", "Phần A phải đạt đúng 45 điểm; các phương án cao nhất chỉ đạt 40 điểm."),
        ("phiếu T", "Phần C phải đạt đúng 30 điểm; các phương án cao nhất chỉ đạt 35 điểm."),
    ]


def test_parts_must_add_up_to_100_and_thresholds_must_rise():
    bad = VersionSpec(
        code="X",
        name="X",
        parts={"A": 40, "B": 25, "C": 30},
        thresholds={2: Decimal(30), 3: Decimal(70), 4: Decimal(50), 5: Decimal(90)},
    )
    assert [p.message for p in validate_version(bad)] == [
        "Phần A, B và C cộng lại được 95 điểm, không phải 100.",
        "Ngưỡng sao phải tăng dần từ 2 đến 5 sao, trong khoảng 0 đến 100.",
    ]


def test_group_maximum_and_references_are_checked():
    sheet = _sheet()
    broken = SheetSpec(
        code="T",
        name="T",
        groups=(
            GroupSpec(part="A", name="A", max_points=39, lines=sheet.groups[0].lines),
            GroupSpec(
                part="B",
                name="B",
                lines=(
                    LineSpec(code="b1", text="s", options=(OptionSpec("x", 15),)),
                    LineSpec(code="b2", text="s", options=(OptionSpec("x", 10, skips=("zz",)),), requires="b9"),
                ),
            ),
            sheet.groups[2],
        ),
    )
    assert [p.message for p in validate_version(_version(broken))] == [
        "Nhóm “A” tối đa 39 điểm, nhưng các tiêu chí đạt 40 điểm.",
        "Tiêu chí phụ thuộc vào tiêu chí b9, không có trên phiếu này.",
        "Một phương án bỏ chấm tiêu chí zz, không có trên phiếu này.",
    ]


def test_scoring_applies_cases_conditions_and_stop_rules():
    sheet = _sheet()
    score = score_sheet(sheet, {"a1": 0, "a2": 2, "b1": 0, "c1": 1, "c3": 1})
    assert score.line_points == {"a1": 20, "a2": 10, "b1": 0, "b2": 0, "c1": 0, "c2": 0, "c3": 10}
    assert score.skipped == {"b2", "c2"}
    assert score.missing == []
    assert score.parts == {"A": 30, "B": 0, "C": 10}
    assert score.total == 40


def test_a_disqualifying_option_zeroes_the_sheet_and_a_missing_line_is_reported():
    score = score_sheet(_sheet(), {"a1": 2, "a2": 1, "b1": 1, "b2": 1, "c1": 0})
    assert score.disqualified_by == "a1"
    assert score.total == 0
    assert score.missing == ["c2", "c3"]


def _full(**choices):
    base = {"a1": 0, "a2": 1, "b1": 1, "b2": 1, "c1": 0, "c2": 1, "c3": 1}
    return score_sheet(_sheet(), {**base, **choices})


def test_council_mean_stars_and_referral():
    outcome = council_outcome(_sheet(), [_full(), _full(), _full(c2=0)], thresholds=THRESHOLDS, max_spread=Decimal(10))
    assert outcome.mean == Decimal(290) / 3
    assert outcome.stars == 5
    assert outcome.referral is True
    assert outcome.spread == Decimal(10)
    assert outcome.spread_exceeded is False
    assert outcome.part_means == {"A": Decimal(40), "B": Decimal(25), "C": Decimal(95) / 3}


def test_a_failed_mandatory_line_caps_the_stars():
    outcome = council_outcome(
        _sheet(), [_full(c3=0), _full(c3=0), _full(c3=1)], thresholds=THRESHOLDS, max_spread=Decimal(20)
    )
    assert outcome.stars_by_score == 5
    assert outcome.caps == [("c3", 3)]
    assert outcome.stars == 2
    assert outcome.referral is False


def test_spread_beyond_the_rule_names_members_and_lines():
    scores = {"an": _full(), "binh": _full(), "cuc": _full(a1=1, b1=0)}
    outcome = council_outcome(_sheet(), list(scores.values()), thresholds=THRESHOLDS, max_spread=Decimal(10))
    assert outcome.spread == Decimal(35)
    assert outcome.spread_exceeded is True
    assert members_to_review({k: s.total for k, s in scores.items()}, Decimal(10)) == {"an", "binh", "cuc"}
    assert members_to_review({"an": 80, "binh": 75, "cuc": 86}, Decimal(10)) == {"binh", "cuc"}
    assert lines_that_differ(scores) == [("b1", 15), ("a1", 10), ("b2", 10)]


@pytest.mark.parametrize(
    ("eligible", "present", "chair", "met"),
    [
        (7, 6, True, True),
        (7, 5, True, False),
        (8, 6, True, True),
        (8, 6, False, False),
        (4, 3, True, True),
        (0, 0, False, False),
    ],
)
def test_quorum_three_quarters_with_the_chair(eligible, present, chair, met):
    assert (
        quorum_met(eligible=eligible, present=present, ratio=Decimal("0.75"), chair_required=True, chair_present=chair)
        is met
    )


def test_a_mandatory_line_is_met_by_a_majority_of_members():
    half = council_outcome(_sheet(), [_full(c3=0), _full(c3=1)], thresholds=THRESHOLDS, max_spread=Decimal(20))
    assert half.caps == [("c3", 3)]
    most = council_outcome(
        _sheet(), [_full(c3=0), _full(c3=1), _full(c3=1)], thresholds=THRESHOLDS, max_spread=Decimal(20)
    )
    assert (most.caps, most.stars) == ([], 5)
