import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ocop.accounts.models import Role
from ocop.core.models import AuditEntry
from ocop.evaluation import access
from ocop.evaluation import dossiers as flow
from ocop.evaluation.enums import DossierKind, DossierState
from ocop.evaluation.models import CriterionLine, Dossier
from ocop.evaluation.tests.conftest import COMMUNE_LINES, ready_dossier
from ocop.registry.enums import DocumentKind
from ocop.registry.models import Document
from ocop.testing import make_producer, make_product, make_user, province


def test_a_dossier_walks_from_draft_to_the_council(scene):
    dossier = ready_dossier(scene)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.READY
    assert dossier.reviewed_by_id == scene.coordinator.pk
    assert [(t.from_state, t.to_state, t.actor.username) for t in dossier.transitions.all()] == [
        ("", "draft", "owner"),
        ("draft", "submitted", "owner"),
        ("submitted", "commune_checked", "communeofficer"),
        ("commune_checked", "proposed", "communeofficer"),
        ("proposed", "under_review", "coordinator"),
        ("under_review", "ready", "coordinator"),
    ]
    assert dossier.commune_assessment.points == COMMUNE_LINES
    assert dossier.review.visit_record == "Đã khảo sát"


def test_the_dossier_starts_with_the_vault_documents_the_checklist_asks_for(scene):
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    assert sorted(e.document.kind for e in dossier.evidence.all()) == [
        "business_registration",
        "food_safety",
        "quality_declaration",
        "test_report",
    ]
    assert dossier.criteria_set.code == "1-06"
    assert flow.missing_items(dossier) == []


def test_a_step_out_of_order_is_refused_and_changes_nothing(scene):
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    with pytest.raises(ValidationError) as caught:
        flow.propose_dossier(by=scene.commune, dossier=dossier)
    assert caught.value.messages == [
        "Hồ sơ đang ở trạng thái “Đang soạn” không thể chuyển sang “Xã đã đề nghị lên tỉnh”."
    ]
    dossier.refresh_from_db()
    assert (dossier.state, dossier.transitions.count()) == ("draft", 1)


def test_each_step_belongs_to_one_role(scene):
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    flow.submit_dossier(by=scene.owner, dossier=dossier)
    elsewhere = make_user(Role.COMMUNE_OFFICER, communes=("Ba Vì",))
    for user in (scene.owner, scene.coordinator, scene.charlie, elsewhere):
        with pytest.raises(PermissionDenied):
            flow.check_dossier(by=user, dossier=dossier, assessment=COMMUNE_LINES)
    flow.check_dossier(by=scene.commune, dossier=dossier, assessment=COMMUNE_LINES)
    flow.propose_dossier(by=scene.commune, dossier=dossier)
    for user in (scene.owner, scene.commune, scene.charlie):
        with pytest.raises(PermissionDenied):
            flow.start_review(by=user, dossier=dossier)
    assert Dossier.objects.get(pk=dossier.pk).state == "proposed"


def test_missing_or_expired_documents_block_the_submission(scene, time_machine):
    time_machine.move_to(dt.datetime(2025, 10, 1, 9, tzinfo=dt.UTC))
    Document.objects.filter(kind=DocumentKind.TEST_REPORT).update(expires_on=dt.date(2025, 9, 30))
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    with pytest.raises(ValidationError) as caught:
        flow.submit_dossier(by=scene.owner, dossier=dossier)
    assert caught.value.message_dict == {"evidence": ["Còn thiếu tài liệu: Phiếu kết quả kiểm nghiệm."]}
    assert Dossier.objects.get(pk=dossier.pk).state == "draft"


def test_the_advisory_team_returns_a_dossier_with_reasons(scene):
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    flow.submit_dossier(by=scene.owner, dossier=dossier)
    flow.check_dossier(by=scene.commune, dossier=dossier, assessment=COMMUNE_LINES)
    flow.propose_dossier(by=scene.commune, dossier=dossier)
    flow.start_review(by=scene.coordinator, dossier=dossier)
    with pytest.raises(ValidationError):
        flow.return_dossier(by=scene.coordinator, dossier=dossier, items=[{"item": "Nhãn", "reason": " "}])
    flow.return_dossier(
        by=scene.coordinator,
        dossier=dossier,
        items=[{"item": "Nhãn sản phẩm", "reason": "Thiếu hạn sử dụng"}, {"item": "Câu chuyện", "reason": "Chưa có"}],
    )
    last = dossier.transitions.last()
    assert (last.to_state, last.items) == (
        "returned",
        [{"item": "Nhãn sản phẩm", "reason": "Thiếu hạn sử dụng"}, {"item": "Câu chuyện", "reason": "Chưa có"}],
    )
    flow.update_summary(by=scene.owner, dossier=dossier, summary="Đã bổ sung hạn sử dụng")
    flow.submit_dossier(by=scene.owner, dossier=dossier)
    assert Dossier.objects.get(pk=dossier.pk).state == "submitted"


def test_the_commune_assesses_exactly_its_lines(scene):
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    flow.submit_dossier(by=scene.owner, dossier=dossier)
    with pytest.raises(ValidationError) as caught:
        flow.check_dossier(by=scene.commune, dossier=dossier, assessment={"A1.1": 7, "A2.1": 0, "A3.2": 0, "C8": 1})
    assert caught.value.message_dict == {
        "A1.1": ["Chọn một phương án của tiêu chí A1.1."],
        "B5.2": ["Chọn một phương án của tiêu chí B5.2."],
        "C8": ["Tiêu chí C8 không do xã đánh giá."],
    }
    assert Dossier.objects.get(pk=dossier.pk).state == "submitted"


def test_a_rerecognition_dossier_starts_from_the_last_one(scene):
    first = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    flow.update_summary(by=scene.owner, dossier=first, summary="Sản lượng 20 tấn/năm")
    story = Document.objects.filter(kind=DocumentKind.BUSINESS_REGISTRATION).get()
    line = CriterionLine.objects.get(group__criteria_set=first.criteria_set, code="A3.1")
    flow.attach_evidence(by=scene.owner, dossier=first, document=story, line=line)
    later = flow.create_round(
        by=scene.coordinator,
        province=province("01"),
        year=2028,
        number=1,
        criteria_version=scene.round.criteria_version,
    )
    again = flow.start_dossier(by=scene.owner, round_=later, product=scene.product, kind=DossierKind.RERECOGNITION)
    assert (again.previous, again.summary) == (first, "Sản lượng 20 tấn/năm")
    assert again.evidence.filter(line__code="A3.1", document=story).exists()
    assert again.evidence.count() == 5


def test_evidence_from_another_producer_is_refused(scene):
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    other = make_producer(name="HTX Khác")
    from ocop.testing import make_document

    foreign = make_document(producer=other)
    with pytest.raises(ValidationError) as caught:
        flow.attach_evidence(by=scene.owner, dossier=dossier, document=foreign)
    assert caught.value.message_dict == {"document": ["Tài liệu thuộc về chủ thể khác."]}


def test_who_sees_a_dossier(scene):
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    seen = {
        name: access.dossiers_visible_to(user).filter(pk=dossier.pk).exists()
        for name, user in {
            "owner": scene.owner,
            "commune": scene.commune,
            "coordinator": scene.coordinator,
            "charlie": scene.charlie,
            "member": scene.members[0],
            "stranger": make_user(),
        }.items()
    }
    assert seen == {
        "owner": True,
        "commune": True,
        "coordinator": True,
        "charlie": False,
        "member": False,
        "stranger": False,
    }
    with pytest.raises(Http404):
        access.get_dossier_for_user(scene.charlie, dossier.pk)
    other = make_product(producer=make_producer(commune_name="Ba Vì"), set_code="1-06")
    with pytest.raises(PermissionDenied):
        flow.start_dossier(by=scene.owner, round_=scene.round, product=other)


def test_deadlines_close_first_submissions_and_proposals_until_the_office_extends_them(scene, time_machine):
    time_machine.move_to(dt.datetime(2025, 9, 10, 9, tzinfo=dt.UTC))
    flow.set_round_dates(
        by=scene.coordinator,
        round_=scene.round,
        submission_deadline=dt.date(2025, 9, 15),
        proposal_deadline=dt.date(2025, 9, 30),
        council_date=dt.date(2025, 10, 10),
    )
    late = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    on_time = flow.start_dossier(
        by=scene.owner, round_=scene.round, product=make_product(producer=scene.producer, set_code="1-06")
    )
    flow.submit_dossier(by=scene.owner, dossier=on_time)
    flow.check_dossier(by=scene.commune, dossier=on_time, assessment=COMMUNE_LINES)
    time_machine.move_to(dt.datetime(2025, 9, 15, 16, tzinfo=dt.UTC))  # 23:00 in Hà Nội: still the 15th
    flow.return_dossier(by=scene.commune, dossier=on_time, items=[{"item": "Nhãn", "reason": "Thiếu hạn dùng"}])
    time_machine.move_to(dt.datetime(2025, 9, 15, 17, tzinfo=dt.UTC))  # midnight in Hà Nội: the 16th
    with pytest.raises(ValidationError) as error:
        flow.submit_dossier(by=scene.owner, dossier=late)
    assert error.value.message_dict == {
        "round": ["Hạn nộp hồ sơ về xã của đợt này là 15/09/2025. Đề nghị văn phòng OCOP gia hạn."]
    }
    assert Dossier.objects.get(pk=late.pk).state == "draft"
    flow.submit_dossier(by=scene.owner, dossier=on_time)  # a returned dossier may come back after the deadline
    flow.check_dossier(by=scene.commune, dossier=on_time, assessment=COMMUNE_LINES)
    time_machine.move_to(dt.datetime(2025, 10, 1, 9, tzinfo=dt.UTC))
    with pytest.raises(ValidationError) as error:
        flow.propose_dossier(by=scene.commune, dossier=on_time)
    assert error.value.message_dict["round"] == [
        "Hạn xã đề xuất hồ sơ của đợt này là 30/09/2025. Đề nghị văn phòng OCOP gia hạn."
    ]
    flow.set_round_dates(
        by=scene.coordinator,
        round_=scene.round,
        submission_deadline=dt.date(2025, 10, 5),
        proposal_deadline=dt.date(2025, 10, 5),
        council_date=dt.date(2025, 10, 10),
    )
    flow.submit_dossier(by=scene.owner, dossier=late)
    flow.propose_dossier(by=scene.commune, dossier=on_time)
    assert Dossier.objects.get(pk=on_time.pk).state == "proposed"
    entry = AuditEntry.objects.filter(content_type__model="round", object_id=str(scene.round.pk), action="change")[0]
    assert entry.changes == {
        "submission_deadline": ["2025-09-15", "2025-10-05"],
        "proposal_deadline": ["2025-09-30", "2025-10-05"],
    }


def test_deadlines_must_follow_each_other(scene):
    with pytest.raises(ValidationError) as error:
        flow.set_round_dates(
            by=scene.coordinator,
            round_=scene.round,
            submission_deadline=dt.date(2025, 9, 15),
            proposal_deadline=dt.date(2025, 9, 1),
            council_date=dt.date(2025, 8, 1),
        )
    assert error.value.message_dict == {
        "proposal_deadline": ["Không thể yêu cầu xã đề xuất trước hạn nộp hồ sơ."],
        "council_date": ["Hội đồng không thể họp trước khi hồ sơ về đến tỉnh."],
    }
    with pytest.raises(PermissionDenied):
        flow.set_round_dates(
            by=scene.charlie, round_=scene.round, submission_deadline=None, proposal_deadline=None, council_date=None
        )
    scene.round.refresh_from_db()
    assert (scene.round.submission_deadline, scene.round.proposal_deadline) == (None, None)
