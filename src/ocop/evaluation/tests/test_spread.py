"""A spread review that ends: reviews counted, then the presiding member accepts the totals or excludes a sheet."""

import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from ocop.accounts.links import link_to
from ocop.accounts.models import Notification
from ocop.core.models import AuditEntry
from ocop.evaluation import scoring, spread
from ocop.evaluation.models import Result, ScoreSheet, SpreadClosure, Transition
from ocop.evaluation.results import minutes_pdf, path_to_next_star
from ocop.evaluation.rules import SheetScore, check_spread
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier
from ocop.testing import make_product

HARSH = {**BEST, "B4.1": 0, "B4.2": 0, "B4.3": 0, "C8": 0}  # 81 points
NEAR = {**BEST, "C8": 2}  # 98 points
DISQUALIFYING = {**BEST, "A1.1": 3}  # "all raw materials imported or of unknown origin": the sheet is worth 0
AT = dt.datetime(2025, 11, 20, 9, 30, tzinfo=dt.UTC)


def all_submit(scene, dossier, sheets, reason=""):
    for user, choices in sheets:
        scoring.submit_sheet(by=user, dossier=dossier, choices=choices, reason=reason)


def _sheets(scene, present=7):
    """The members present at 100 points, but the last two: one at 98, one (the outlier) at 81."""
    members = scene.members[:present]
    return [(u, BEST) for u in members[:-2]] + [(members[-2], NEAR), (members[-1], HARSH)]


def to_the_chair(scene, present=7, comments=None):
    """A dossier whose totals still differ after the council's two spread reviews."""
    dossier = ready_dossier(scene)
    council = council_of(scene, present=present)
    sheets = _sheets(scene, present)
    all_submit(scene, dossier, sheets)
    all_submit(scene, dossier, sheets, reason="Giữ nguyên sau vòng 1")
    if comments:
        scoring.save_sheet(by=sheets[-1][0], dossier=dossier, choices=HARSH, comments=comments)
    all_submit(scene, dossier, sheets, reason="Giữ nguyên sau vòng 2")
    return dossier, council


def snapshot():
    return (
        SpreadClosure.objects.count(),
        Result.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
        ScoreSheet.objects.count(),
        Transition.objects.count(),
    )


def test_the_spread_rule_sets_a_disqualifying_sheet_apart():
    def sheet(total, disqualified_by=""):
        return SheetScore(parts={"A": total, "B": 0, "C": 0}, disqualified_by=disqualified_by)

    agree = check_spread({1: sheet(100), 2: sheet(95)}, Decimal(10))
    assert (agree.review, agree.disqualifying, agree.spread, agree.clear) == (
        frozenset(),
        frozenset(),
        Decimal(5),
        True,
    )
    apart = check_spread({1: sheet(100), 2: sheet(98), 3: sheet(81)}, Decimal(10))
    assert (apart.review, apart.spread) == (frozenset({1, 2, 3}), Decimal(19))
    alone = check_spread({1: sheet(100), 2: sheet(98), 3: sheet(90, "A1.1")}, Decimal(10))
    assert (alone.review, alone.disqualifying, alone.spread) == (frozenset(), frozenset({3}), Decimal(100))
    every = check_spread({1: sheet(90, "A1.1"), 2: sheet(80, "A1.1")}, Decimal(10))
    assert (every.clear, every.spread) == (True, Decimal(0))


def test_spread_reviews_are_counted_up_to_the_rule_then_the_chair_is_asked(scene):
    dossier = ready_dossier(scene)
    council = council_of(scene)
    assert council.spread_rounds == 2  # the default, copied from the province's rules
    sheets = _sheets(scene)
    all_submit(scene, dossier, sheets)
    assert scoring.spread_rounds_used(dossier) == 1
    assert ScoreSheet.objects.filter(dossier=dossier, review_round=1, state="draft").count() == 7
    all_submit(scene, dossier, sheets, reason="Giữ nguyên")
    assert scoring.spread_rounds_used(dossier) == 2
    all_submit(scene, dossier, sheets, reason="Vẫn giữ nguyên")
    # No third review: every sheet is in and the chair decides.
    assert scoring.spread_rounds_used(dossier) == 2
    assert ScoreSheet.objects.filter(dossier=dossier).count() == 21
    assert not Result.objects.filter(dossier=dossier).exists()
    state = spread.spread_state(dossier)
    assert (state.rounds_used, state.rounds_allowed, state.awaiting_chair, state.can_accept) == (2, 2, True, True)
    assert (state.check.spread, state.needed, state.presiding.user) == (Decimal(19), 6, scene.members[0])
    assert len(state.excludable) == 7
    outlier = scene.members[6]
    assert list(
        Notification.objects.filter(user=outlier, kind="spread_review").values_list("title", flat=True).order_by("id")
    ) == [
        "Chấm lại Bánh cốm: tổng điểm giữa các thành viên chênh lệch quá mức (vòng 1/2)",
        "Chấm lại Bánh cốm: tổng điểm giữa các thành viên chênh lệch quá mức (vòng 2/2)",
    ]
    chair_notice = Notification.objects.get(user=scene.members[0], key=f"spread-chair:{dossier.pk}:2")
    assert (
        chair_notice.title == "Bánh cốm chờ Chủ tịch hội đồng quyết định: phiếu chấm của các thành viên vẫn chênh lệch"
    )
    assert (chair_notice.target, chair_notice.target_id) == ("score_page", dossier.pk)
    assert link_to(chair_notice.target, chair_notice.target_id) == f"/bo/dossiers/{dossier.pk}/score/"


def test_a_province_that_allows_one_spread_review_asks_the_chair_after_it(scene):
    """The number of reviews is the province's rule, copied onto its council: one here, then the chair decides."""
    from ocop.evaluation.models import CouncilRules

    CouncilRules.objects.update_or_create(province_id=scene.round.province_id, defaults={"spread_rounds": 1})
    dossier = ready_dossier(scene)
    council = council_of(scene)
    assert council.spread_rounds == 1
    sheets = _sheets(scene)
    all_submit(scene, dossier, sheets)
    assert scoring.spread_rounds_used(dossier) == 1
    all_submit(scene, dossier, sheets, reason="Giữ nguyên")
    assert scoring.spread_rounds_used(dossier) == 1  # no second review
    assert ScoreSheet.objects.filter(dossier=dossier).count() == 14
    state = spread.spread_state(dossier)
    assert (state.rounds_used, state.rounds_allowed, state.awaiting_chair) == (1, 1, True)
    assert Notification.objects.filter(user=scene.members[0], key=f"spread-chair:{dossier.pk}:1").exists()


def test_the_chair_cannot_close_before_the_reviews_are_held(scene):
    dossier = ready_dossier(scene)
    council_of(scene)
    all_submit(scene, dossier, _sheets(scene))  # the first review opens
    chair = scene.members[0]
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        spread.accept_totals(by=chair, dossier=dossier, explanation="Hội đồng thống nhất")
    assert caught.value.messages == [
        "Chưa thể kết thúc rà soát chênh lệch: mới thực hiện 1/2 vòng chấm lại theo quy chế, các thành viên liên quan "
        "đang chấm lại."
    ]
    outlier_sheet = ScoreSheet.objects.get(dossier=dossier, member__user=scene.members[6], revision=1)
    with pytest.raises(ValidationError) as caught:
        spread.exclude_sheet(by=chair, dossier=dossier, sheet=outlier_sheet, reason="Chấm quá khắt khe")
    assert caught.value.messages[0].startswith("Chưa thể kết thúc rà soát chênh lệch: mới thực hiện 1/2 vòng")
    assert snapshot() == before


def test_accepting_the_totals_computes_the_result_from_every_sheet_and_prints_it(scene, time_machine):
    time_machine.move_to(AT, tick=False)
    dossier, council = to_the_chair(scene)
    chair = scene.members[0]
    chair.full_name = "Nguyễn Văn Chủ Tịch"
    chair.save(update_fields=["full_name"])
    closure = spread.accept_totals(
        by=chair, dossier=dossier, explanation="  Thành viên thứ bảy có căn cứ riêng về thị trường xuất khẩu.  "
    )
    closure.refresh_from_db()
    assert (closure.kind, closure.sheet, closure.rounds, closure.spread, closure.by, closure.created_at) == (
        "accept",
        None,
        2,
        Decimal(19),
        chair,
        AT,
    )
    assert closure.reason == "Thành viên thứ bảy có căn cứ riêng về thị trường xuất khẩu."
    result = Result.objects.get(dossier=dossier)
    assert (result.mean, result.scorers, result.stars, result.referral) == (Decimal(97), 7, 5, True)  # 679 / 7
    dossier.refresh_from_db()
    assert dossier.state == "scored"
    entry = AuditEntry.objects.filter(object_repr=str(closure)).get()
    assert (entry.actor_id, entry.action, entry.changes) == (
        chair.pk,
        "create",
        {
            "kind": [None, "accept"],
            "sheet": [None, None],
            "reason": [None, "Thành viên thứ bảy có căn cứ riêng về thị trường xuất khẩu."],
            "rounds": [None, 2],
        },
    )
    office = Notification.objects.get(user=scene.coordinator, key=f"spread-closed:{dossier.pk}")
    assert office.title == "Đã kết thúc rà soát chênh lệch của Bánh cốm: chấp nhận nguyên các tổng điểm"
    assert office.body == "Thành viên thứ bảy có căn cứ riêng về thị trường xuất khẩu."
    assert not Notification.objects.filter(user=chair, key=f"spread-closed:{dossier.pk}").exists()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes_pdf(council))).pages).split())
    assert "Sau 2 lần chấm lại do chênh lệch, Chủ tịch Hội đồng quyết định." in text
    assert "kỳ đánh giá 1/2025 của Thành phố Hà Nội" in text  # the year is not a number with a thousands separator
    assert (
        "IV. RÀ SOÁT CHÊNH LỆCH ĐIỂM DO CHỦ TỊCH HỘI ĐỒNG KẾT THÚC 1. Bánh cốm: sau 2 lần chấm lại, tổng điểm chênh "
        "lệch 19 điểm; Hội đồng giữ nguyên tổng điểm. Giải trình: Thành viên thứ bảy có căn cứ riêng về thị trường "
        "xuất khẩu. (người ghi nhận: Nguyễn Văn Chủ Tịch)."
    ) in text, text


def test_excluding_a_sheet_computes_the_result_from_the_others(scene):
    dossier, council = to_the_chair(scene)
    outlier = scene.members[6]
    outlier.full_name = "Trần Thị Khắt Khe"
    outlier.save(update_fields=["full_name"])
    sheet = ScoreSheet.objects.get(dossier=dossier, member__user=outlier, revision=3)
    closure = spread.exclude_sheet(
        by=scene.coordinator, dossier=dossier, sheet=sheet, reason="Chấm không theo minh chứng trong hồ sơ"
    )
    assert (closure.kind, closure.sheet, closure.by) == ("exclude", sheet, scene.coordinator)
    result = Result.objects.get(dossier=dossier)
    assert (result.mean, result.scorers, result.part_c) == (Decimal("99.6667"), 6, Decimal("34.6667"))  # 598 / 6
    assert result.line_means["C8"] == str(Decimal(28) / 6)  # 5 × 5 + 3, the outlier's 0 left out
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total) == ("submitted", Decimal(81))
    chair_notice = Notification.objects.get(user=scene.members[0], key=f"spread-closed:{dossier.pk}")
    assert chair_notice.title == ("Đã kết thúc rà soát chênh lệch của Bánh cốm: loại phiếu chấm của Trần Thị Khắt Khe")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes_pdf(council))).pages).split())
    assert "loại phiếu chấm của Trần Thị Khắt Khe (81 điểm). Lý do: Chấm không theo minh chứng trong hồ sơ" in text, (
        text
    )
    assert "99,67 5 sao 6 thành viên" in text


def test_a_disqualifying_option_by_one_member_goes_to_the_chair_not_back_to_the_council(scene):
    dossier = ready_dossier(scene)
    council_of(scene)
    members = scene.members
    all_submit(scene, dossier, [(u, BEST) for u in members[:6]] + [(members[6], DISQUALIFYING)])
    assert ScoreSheet.objects.filter(dossier=dossier).count() == 7  # nobody is sent back
    assert scoring.spread_rounds_used(dossier) == 0
    state = spread.spread_state(dossier)
    assert (state.awaiting_chair, state.can_accept, state.check.disqualifying) == (
        True,
        False,
        {state.excludable[0].member_id},
    )
    sheet = state.excludable[0]
    assert sheet.member.user == members[6]
    chair = members[0]
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        spread.accept_totals(by=chair, dossier=dossier, explanation="Chấp nhận")
    assert caught.value.messages == [
        "Trước khi thực hiện đủ 2 vòng chấm lại theo quy chế (đã thực hiện 0), chỉ được loại phiếu chấm một mình loại "
        "sản phẩm; chưa được chấp nhận nguyên các tổng điểm."
    ]
    other = ScoreSheet.objects.get(dossier=dossier, member__user=members[3])
    with pytest.raises(ValidationError) as caught:
        spread.exclude_sheet(by=chair, dossier=dossier, sheet=other, reason="Thử")
    assert list(caught.value.message_dict) == ["sheet"]
    assert snapshot() == before
    spread.exclude_sheet(by=chair, dossier=dossier, sheet=sheet, reason="Nguyên liệu có hoá đơn mua tại xã")
    result = Result.objects.get(dossier=dossier)
    assert (result.mean, result.scorers, result.stars) == (Decimal(100), 6, 5)
    assert SpreadClosure.objects.get(dossier=dossier).rounds == 0


def test_the_result_may_not_rest_on_fewer_sheets_than_the_quorum(scene):
    dossier, _council = to_the_chair(scene, present=6)  # 6 of 7 present; a result needs 6 sheets
    state = spread.spread_state(dossier)
    assert (state.needed, state.excludable, state.can_accept) == (6, [], True)
    sheet = ScoreSheet.objects.get(dossier=dossier, member__user=scene.members[5], revision=3)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        spread.exclude_sheet(by=scene.members[0], dossier=dossier, sheet=sheet, reason="Chấm lệch")
    assert caught.value.message_dict == {
        "sheet": [
            "Phiếu chấm: nếu loại phiếu này chỉ còn 5 phiếu, trong khi kết quả của hội đồng cần ít nhất 6 phiếu "
            "(số thành viên tối thiểu)."
        ]
    }
    assert snapshot() == before
    scoring.close_meeting(by=scene.coordinator, council=_council)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        spread.accept_totals(by=scene.members[0], dossier=dossier, explanation="Thống nhất")
    assert caught.value.messages == [
        "Rà soát chênh lệch chỉ được kết thúc tại phiên họp của hội đồng, mà phiên họp không diễn ra."
    ]
    assert snapshot() == before


def test_only_the_presiding_member_or_the_office_closes(scene):
    dossier, council = to_the_chair(scene)
    before = snapshot()
    for outsider in (scene.members[1], scene.members[6], scene.charlie, scene.owner, scene.commune):
        with pytest.raises(PermissionDenied) as caught:
            spread.accept_totals(by=outsider, dossier=dossier, explanation="Chấp nhận")
        assert str(caught.value) == (
            "Chỉ Chủ tịch hội đồng (người chủ trì) hoặc cơ quan thường trực OCOP được kết thúc rà soát chênh lệch."
        )
    assert snapshot() == before
    # The chair excluded from the dossier for a conflict: the vice-chair presides over it.
    chair_seat = council.members.get(user=scene.members[0])
    scoring.declare_conflict(by=scene.coordinator, member=chair_seat, producer=scene.producer, note="Em ruột")
    assert scoring.presiding_member(council, dossier).user == scene.members[1]


def test_bad_input_is_named_by_field_and_writes_nothing(scene):
    dossier, _council = to_the_chair(scene)
    other_product = make_product(producer=scene.producer, name="Cốm khô", set_code="1-06")
    other = ready_dossier(dataclasses.replace(scene, product=other_product))
    scoring.submit_sheet(by=scene.members[0], dossier=other, choices=BEST)
    foreign = ScoreSheet.objects.get(dossier=other)
    older = ScoreSheet.objects.get(dossier=dossier, member__user=scene.members[6], revision=1)
    chair = scene.members[0]
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        spread.accept_totals(by=chair, dossier=dossier, explanation="   ")
    assert caught.value.message_dict == {
        "explanation": ["Giải trình: nêu lý do hội đồng chấp nhận nguyên các tổng điểm."]
    }
    with pytest.raises(ValidationError) as caught:
        spread.exclude_sheet(by=chair, dossier=dossier, sheet=foreign, reason="")
    assert caught.value.message_dict == {
        "sheet": ["Phiếu chấm: phiếu này thuộc hồ sơ khác."],
        "reason": ["Lý do: nêu lý do loại phiếu chấm của thành viên này."],
    }
    with pytest.raises(ValidationError) as caught:
        spread.exclude_sheet(by=chair, dossier=dossier, sheet=None, reason="Lệch")
    assert caught.value.message_dict == {"sheet": ["Phiếu chấm: chọn phiếu của thành viên cần loại."]}
    with pytest.raises(ValidationError) as caught:
        spread.exclude_sheet(by=chair, dossier=dossier, sheet=older, reason="Lệch")
    assert caught.value.message_dict == {"sheet": ["Phiếu chấm: chỉ được loại phiếu hiện hành, đã nộp của thành viên."]}
    assert snapshot() == before
    spread.accept_totals(by=chair, dossier=dossier, explanation="Thống nhất")
    with pytest.raises(ValidationError) as caught:
        spread.accept_totals(by=chair, dossier=dossier, explanation="Lần nữa")
    assert caught.value.messages == [
        "Việc chấm điểm hồ sơ này đã kết thúc: không còn rà soát chênh lệch nào để kết thúc."
    ]


def test_an_excluded_sheets_comments_stay_out_of_the_path_to_the_next_star(scene):
    dossier, council = to_the_chair(scene, comments={"C8": "Không có xuất khẩu"})
    sheet = ScoreSheet.objects.get(dossier=dossier, member__user=scene.members[6], revision=3)
    assert sheet.entries.get(line__code="C8").comment == "Không có xuất khẩu"
    spread.exclude_sheet(by=scene.members[0], dossier=dossier, sheet=sheet, reason="Lệch")
    scoring.publish_results(by=scene.coordinator, council=council)
    dossier.refresh_from_db()
    c8 = next(line for line in path_to_next_star(dossier).lines if line.code == "C8")
    assert (c8.mean, c8.comments) == (Decimal(28) / 6, [])


def test_with_nobody_to_preside_the_office_is_asked_and_records_the_decision(scene):
    dossier = ready_dossier(scene)
    council = council_of(scene)
    seats = list(council.members.order_by("id"))
    for seat in seats[:2]:  # the chair and the vice-chair are both linked to the producer
        scoring.declare_conflict(by=scene.coordinator, member=seat, producer=scene.producer, note="Người nhà")
    members = scene.members
    all_submit(scene, dossier, [(u, BEST) for u in members[2:6]] + [(members[6], DISQUALIFYING)])
    assert scoring.presiding_member(council, dossier) is None
    notice = Notification.objects.get(user=scene.coordinator, key=f"spread-chair:{dossier.pk}:0")
    assert notice.title == "Bánh cốm chờ Chủ tịch hội đồng quyết định: phiếu chấm của các thành viên vẫn chênh lệch"
    sheet = ScoreSheet.objects.get(dossier=dossier, member__user=members[6])
    spread.exclude_sheet(by=scene.coordinator, dossier=dossier, sheet=sheet, reason="Nguyên liệu mua tại xã")
    assert (Result.objects.get(dossier=dossier).mean, Result.objects.get(dossier=dossier).scorers) == (Decimal(100), 4)
