from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ocop.accounts.services import system_user
from ocop.conftest import client_for
from ocop.evaluation import scoring
from ocop.evaluation.enums import MemberRole
from ocop.evaluation.models import Result, ScoreSheet
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier
from ocop.registry import services


def _submit_all(scene, dossier, council, sheets):
    seats = {s.user_id: s for s in council.members.all()}
    for user, choices in sheets:
        assert seats[user.pk]
        scoring.submit_sheet(by=user, dossier=dossier, choices=choices)


def test_seven_members_agree_and_the_result_follows(scene):
    dossier = ready_dossier(scene)
    council = council_of(scene)
    _submit_all(scene, dossier, council, [(u, BEST) for u in scene.members[:6]])
    assert not Result.objects.filter(dossier=dossier).exists()
    lower = {**BEST, "C8": 2}  # 3 points instead of 5
    scoring.submit_sheet(by=scene.members[6], dossier=dossier, choices=lower)
    result = Result.objects.get(dossier=dossier)
    assert result.mean == Decimal("99.7143")  # 698 / 7, stored to four decimals
    assert (result.part_a, result.part_b) == (Decimal(40), Decimal(25))
    assert (result.stars, result.referral, result.caps, result.scorers) == (5, True, [], 7)
    dossier.refresh_from_db()
    assert dossier.state == "scored"
    assert scoring.publish_results(by=scene.coordinator, council=council) == 1
    dossier.refresh_from_db()
    assert (dossier.state, Result.objects.get(dossier=dossier).published) == ("published", True)


def test_a_spread_opens_a_review_and_keeps_every_revision(scene):
    dossier = ready_dossier(scene)
    council = council_of(scene, present=6)
    harsh = {**BEST, "B4.1": 0, "B4.2": 0, "B4.3": 0, "C8": 0}  # 1 + 0 + 0 + 0 instead of 5 + 5 + 5 + 5 → 81
    _submit_all(scene, dossier, council, [(u, BEST) for u in scene.members[:5]] + [(scene.members[5], harsh)])
    assert not Result.objects.filter(dossier=dossier).exists()
    review = scoring.review_status(dossier)
    assert sorted(review["lines"]) == [("B4.1", 4), ("B4.2", 5), ("B4.3", 5), ("C8", 5)]
    assert len(review["pending"]) == 6
    with pytest.raises(ValidationError) as caught:
        scoring.submit_sheet(by=scene.members[5], dossier=dossier)
    assert caught.value.message_dict == {"reason": ["Nêu lý do chấm lại."]}
    for user in scene.members[:5]:
        scoring.submit_sheet(by=user, dossier=dossier, reason="Giữ nguyên")
    scoring.submit_sheet(
        by=scene.members[5],
        dossier=dossier,
        choices={"B4.1": 3, "B4.2": 3, "B4.3": 4, "C8": 3},
        reason="Đã xem lại minh chứng",
    )
    result = Result.objects.get(dossier=dossier)
    assert result.mean == Decimal(100)
    assert ScoreSheet.objects.filter(dossier=dossier).count() == 12
    first = ScoreSheet.objects.get(dossier=dossier, member__user=scene.members[5], revision=1)
    assert (first.state, first.total) == ("submitted", Decimal(81))


def test_a_failed_mandatory_line_caps_the_result(scene):
    dossier = ready_dossier(scene)
    council = council_of(scene)
    no_standard = {**BEST, "C7.1": 0}
    _submit_all(
        scene, dossier, council, [(u, no_standard) for u in scene.members[:4]] + [(u, BEST) for u in scene.members[4:]]
    )
    result = Result.objects.get(dossier=dossier)
    assert (result.stars_by_score, result.stars, result.caps, result.referral) == (5, 2, [["C7.1", 3]], False)


def test_conflicts_exclude_members_and_the_quorum_counts_without_them(scene):
    dossier = ready_dossier(scene)
    council = council_of(scene)
    seats = list(council.members.order_by("id"))
    scoring.declare_conflict(by=scene.members[2], member=seats[2], producer=scene.producer, note="Anh ruột giám đốc")
    services.link_producer_account(producer=scene.producer, user=scene.members[3], by=system_user())
    assert scoring.excluded_members(council, dossier) == {
        seats[2].pk: "đã khai báo có liên quan đến chủ thể",
        seats[3].pk: "làm việc cho chủ thể",
    }
    with pytest.raises(ValidationError) as caught:
        scoring.submit_sheet(by=scene.members[2], dossier=dossier, choices=BEST)
    assert caught.value.messages == ["Bạn không được chấm hồ sơ này vì có xung đột lợi ích."]
    standing = scoring.standing(council, dossier)
    assert (standing.eligible, len(standing.scorers), standing.quorum) == (5, 5, True)
    _submit_all(scene, dossier, council, [(u, BEST) for i, u in enumerate(scene.members) if i not in (2, 3)])
    assert Result.objects.get(dossier=dossier).scorers == 5


def test_without_a_quorum_there_is_no_result(scene):
    dossier = ready_dossier(scene)
    council = council_of(scene, present=5)  # 5 of 7: below three quarters
    _submit_all(scene, dossier, council, [(u, BEST) for u in scene.members[:5]])
    assert scoring.standing(council, dossier).quorum is False
    assert not Result.objects.filter(dossier=dossier).exists()


def test_the_reviewer_and_the_secretary_do_not_score(scene):
    dossier = ready_dossier(scene)
    council = scoring.set_up_council(
        by=scene.coordinator,
        round_=scene.round,
        name="Hội đồng",
        members=[
            (scene.members[0], MemberRole.CHAIR, ""),
            (scene.coordinator, MemberRole.MEMBER, "Văn phòng Điều phối"),
            (scene.members[1], MemberRole.SECRETARY, ""),
        ],
    )
    scoring.open_meeting(by=scene.coordinator, council=council, present=list(council.members.all()))
    with pytest.raises(ValidationError):
        scoring.submit_sheet(by=scene.coordinator, dossier=dossier, choices=BEST)
    with pytest.raises(PermissionDenied):
        scoring.save_sheet(by=scene.members[1], dossier=dossier, choices=BEST)
    with pytest.raises(PermissionDenied):
        scoring.save_sheet(by=scene.charlie, dossier=dossier, choices=BEST)


def test_bad_choices_twice_submitted_and_closed_meetings_write_nothing(scene):
    dossier = ready_dossier(scene)
    council = council_of(scene)
    member = scene.members[0]
    with pytest.raises(ValidationError) as caught:
        scoring.save_sheet(by=member, dossier=dossier, choices={**BEST, "A1.2": 9, "Z9": 0})
    assert caught.value.message_dict == {
        "A1.2": ["Đây không phải một phương án của tiêu chí A1.2."],
        "Z9": ["Tiêu chí Z9 không có trên phiếu chấm này."],
    }
    assert not ScoreSheet.objects.exists()
    with pytest.raises(ValidationError) as caught:
        scoring.submit_sheet(by=member, dossier=dossier, choices={"A1.1": 0})
    assert caught.value.message_dict["choices"][0].startswith("Hãy chọn phương án cho các tiêu chí A1.2, A1.3")
    scoring.submit_sheet(by=member, dossier=dossier, choices=BEST)
    with pytest.raises(ValidationError) as caught:
        scoring.submit_sheet(by=member, dossier=dossier, choices=BEST)
    assert caught.value.messages == ["Bạn đã nộp phiếu chấm cho hồ sơ này."]
    scoring.close_meeting(by=scene.coordinator, council=council)
    with pytest.raises(ValidationError) as caught:
        scoring.save_sheet(by=scene.members[1], dossier=dossier, choices=BEST)
    assert caught.value.messages == ["Chỉ chấm điểm khi phiên họp của hội đồng đang diễn ra."]
    assert ScoreSheet.objects.count() == 1


def test_members_see_no_one_elses_scores_until_they_have_submitted(scene):
    dossier = ready_dossier(scene)
    council_of(scene)
    scoring.submit_sheet(by=scene.members[0], dossier=dossier, choices={**BEST, "C8": 2})  # 98 points
    url = reverse("backoffice:score_page", kwargs={"pk": dossier.pk})
    waiting = client_for(scene.members[1])
    page = waiting.get(url)
    assert page.status_code == 200
    assert (page.context["current"], page.context["progress"], page.context["review"]) == (None, None, None)
    assert page.context["score"].total == 0  # the page's totals are this member's own, empty sheet
    body = page.content.decode()
    assert 'id="submitted"' not in body and "thành viên đã nộp phiếu" not in body
    detail = waiting.get(reverse("backoffice:dossier_detail", kwargs={"pk": dossier.pk}))
    assert detail.context["result"] is None
    api = waiting.get(f"/api/v1/dossiers/{dossier.pk}/result")
    assert api.status_code == 404
    scoring.save_sheet(by=scene.members[1], dossier=dossier, choices=BEST)
    assert waiting.get(url).context["progress"] is None  # a saved draft is not a submitted sheet
    scoring.submit_sheet(by=scene.members[1], dossier=dossier)
    after = waiting.get(url)
    assert after.context["progress"] == 2
    assert "2/7 thành viên đã nộp phiếu." in after.content.decode()


def test_an_autosave_costs_the_same_for_one_line_or_all(scene, django_assert_num_queries):
    dossier = ready_dossier(scene)
    council_of(scene)
    member = scene.members[0]
    with django_assert_num_queries(19):  # first save: the sheet is created, all 29 entries in one insert
        scoring.save_sheet(by=member, dossier=dossier, choices=BEST, comments={"A1.1": "Tốt"})
    changed = dict.fromkeys(BEST, 0)
    with django_assert_num_queries(19):  # every line changed: one update for all of them
        scoring.save_sheet(by=member, dossier=dossier, choices=changed)
    sheet = ScoreSheet.objects.get(dossier=dossier, member__user=member)
    assert sheet.entries.count() == 29
    assert set(scoring.choices_of(sheet).values()) == {0}
    assert sheet.entries.get(line__code="A1.1").comment == "Tốt"  # a save without comments keeps them
