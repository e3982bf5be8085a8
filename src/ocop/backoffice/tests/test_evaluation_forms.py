"""The evaluation forms at the boundary: a bad value, an id outside what the gateway offers, an over-long text, each
refused with a 400 and a Vietnamese message naming the field, and nothing written."""

import datetime as dt

import pytest
from django.urls import reverse

from ocop.conftest import client_for
from ocop.core.models import AuditEntry
from ocop.evaluation import dossiers as flow
from ocop.evaluation.models import (
    AdvisoryReview,
    CommuneAssessment,
    ConflictDeclaration,
    Council,
    CriteriaVersion,
    Dossier,
    DossierEvidence,
    Round,
    ScoreEntry,
    ScoreSheet,
)
from ocop.evaluation.tests.conftest import council_of, ready_dossier
from ocop.evaluation.tests.conftest import scene as scene
from ocop.places.models import Province
from ocop.registry.enums import DocumentKind
from ocop.testing import make_document, make_producer, province

HUGE_ID = "9" * 25
MODELS = (
    Round, Dossier, DossierEvidence, CommuneAssessment, AdvisoryReview, Council, ConflictDeclaration, ScoreSheet,
    ScoreEntry, AuditEntry,
)  # fmt: skip


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _refused(client, name, pk, data, **headers):
    """Post, expect a 400 and no write; the messages shown at the top of the page."""
    before = _counts()
    response = client.post(reverse(f"backoffice:{name}", args=[pk]), data, **headers)
    assert response.status_code == 400, response.content[:300]
    assert _counts() == before
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def scoring_scene(scene):
    dossier = ready_dossier(scene)
    council_of(scene)
    return scene, dossier, client_for(scene.members[0])


def test_a_score_sheet_refuses_an_option_that_is_not_the_lines(scoring_scene):
    _scene, dossier, client = scoring_scene
    assert _refused(client, "score_save", dossier.pk, {"line_A1.1": "9"}) == [
        "Tiêu chí A1.1: Lựa chọn này không phải là một phương án của tiêu chí."
    ]
    assert _refused(client, "score_submit", dossier.pk, {"line_A1.1": "1", "line_B4.2": "-1"}) == [
        "Tiêu chí B4.2: Lựa chọn này không phải là một phương án của tiêu chí."
    ]
    # The autosave answers with the totals and the refusal, naming the line.
    htmx = client.post(reverse("backoffice:score_save", args=[dossier.pk]), {"line_C8": "x"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400
    assert "Tiêu chí C8: Lựa chọn này không phải là một phương án của tiêu chí." in htmx.content.decode()
    assert not ScoreSheet.objects.filter(dossier=dossier).exists()
    # A good choice is saved.
    ok = client.post(reverse("backoffice:score_save", args=[dossier.pk]), {"line_A1.1": "1", "comment_A1.1": "Tốt"})
    assert ok.status_code == 302
    entry = ScoreEntry.objects.get(sheet__dossier=dossier, line__code="A1.1")
    assert (entry.option.position, entry.comment) == (1, "Tốt")


def test_an_over_long_comment_or_reason_is_refused_not_cut(scoring_scene):
    _scene, dossier, client = scoring_scene
    assert _refused(client, "score_save", dossier.pk, {"line_A1.1": "1", "comment_A1.1": "x" * 2001}) == [
        "Nhận xét tiêu chí A1.1: Giá trị này chỉ có tối đa 2000 kí tự (hiện có 2001)"
    ]
    assert _refused(client, "conflict_declare", dossier.pk, {"note": "y" * 256}) == [
        "Tôi có liên quan đến chủ thể này (gia đình, công việc, lợi ích): Giá trị này chỉ có tối đa 255 kí tự "
        "(hiện có 256)"
    ]
    assert _refused(client, "conflict_declare", dossier.pk, {"note": ""}) == [
        "Tôi có liên quan đến chủ thể này (gia đình, công việc, lợi ích): Trường này là bắt buộc."
    ]


def test_the_communes_check_names_each_line_it_refuses(scene):
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    flow.submit_dossier(by=scene.owner, dossier=dossier)
    client = client_for(scene.commune)
    data = {"line_A1.1": "2", "line_A2.1": "3", "line_A3.2": "7"}  # B5.2 left out, A3.2 not an option
    assert _refused(client, "dossier_check", dossier.pk, data) == [
        "Tiêu chí A3.2: Lựa chọn này không phải là một phương án của tiêu chí.",
        "Tiêu chí B5.2: Hãy chọn một phương án của tiêu chí.",
    ]
    assert _refused(
        client, "dossier_check", dossier.pk, {**data, "line_A3.2": "2", "line_B5.2": "3", "note": "z" * 2001}
    ) == ["Báo cáo của xã: Giá trị này chỉ có tối đa 2000 kí tự (hiện có 2001)"]
    assert Dossier.objects.get(pk=dossier.pk).state == "submitted"
    ok = client.post(
        reverse("backoffice:dossier_check", args=[dossier.pk]), {**data, "line_A3.2": "2", "line_B5.2": "3"}
    )
    assert ok.status_code == 302
    assert CommuneAssessment.objects.get(dossier=dossier).points == {"A1.1": 2, "A2.1": 3, "A3.2": 2, "B5.2": 3}


def test_a_dossier_takes_only_its_producers_documents(scene):
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    stranger = make_document(producer=make_producer(), kind=DocumentKind.PRODUCT_STORY)
    client = client_for(scene.coordinator)
    refusal = ["Tài liệu trong kho hồ sơ: Chọn một tài liệu của chủ thể."]
    assert _refused(client, "evidence_add", dossier.pk, {"document": stranger.pk}) == refusal
    assert _refused(client, "evidence_add", dossier.pk, {"document": HUGE_ID}) == refusal
    story = make_document(producer=scene.producer, kind=DocumentKind.PRODUCT_STORY)
    assert _refused(client, "evidence_add", dossier.pk, {"document": story.pk, "line": HUGE_ID}) == [
        "Cho tiêu chí: Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."
    ]
    assert _refused(client, "dossier_summary", dossier.pk, {"summary": "s" * 20001}) == [
        "Báo cáo tự đánh giá của chủ thể: Giá trị này chỉ có tối đa 20000 kí tự (hiện có 20001)"
    ]
    assert client.post(reverse("backoffice:evidence_add", args=[dossier.pk]), {"document": story.pk}).status_code == 302
    assert dossier.evidence.filter(document=story, line=None).exists()


def test_the_review_forms_name_the_date_and_the_items(scene):
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    flow.submit_dossier(by=scene.owner, dossier=dossier)
    commune = client_for(scene.commune)
    assert _refused(commune, "dossier_return", dossier.pk, {"items": " \n :  \n"}) == [
        "Nội dung cần bổ sung, mỗi dòng một mục dạng “mục: lý do”: Nêu ít nhất một nội dung cần bổ sung, kèm lý do."
    ]
    flow.check_dossier(by=scene.commune, dossier=dossier, assessment={"A1.1": 2, "A2.1": 3, "A3.2": 2, "B5.2": 3})
    flow.propose_dossier(by=scene.commune, dossier=dossier)
    flow.start_review(by=scene.coordinator, dossier=dossier)
    office = client_for(scene.coordinator)
    assert _refused(office, "dossier_site_visit", dossier.pk, {"visited_on": "31/02/2025"}) == [
        "Ngày khảo sát thực tế: “31/02/2025” không phải là ngày (dd/mm/yyyy)."
    ]
    assert _refused(office, "dossier_site_visit", dossier.pk, {"visited_on": ""}) == [
        "Ngày khảo sát thực tế: Nhập ngày khảo sát thực tế."
    ]
    good = office.post(reverse("backoffice:dossier_site_visit", args=[dossier.pk]), {"visited_on": "15/09/2025"})
    assert good.status_code == 302
    assert AdvisoryReview.objects.get(dossier=dossier).visited_on == dt.date(2025, 9, 15)


def test_a_council_seats_only_people_of_the_rounds_province(scene):
    client = client_for(scene.coordinator)
    data = {"name": "Hội đồng", "user_0": scene.charlie.pk, "role_0": "chair"}
    assert _refused(client, "council_create", scene.round.pk, data) == [
        "Thành viên 1: Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."
    ]
    data = {"name": "Hội đồng", "user_0": scene.members[0].pk, "role_0": "emperor", "agency_0": "a" * 256}
    assert _refused(client, "council_create", scene.round.pk, data) == [
        "Vai trò 1: Hãy chọn một lựa chọn hợp lệ. emperor không phải là một trong các lựa chọn khả thi.",
        "Cơ quan 1: Giá trị này chỉ có tối đa 255 kí tự (hiện có 256)",
    ]
    # The service's own rule (on the members as a whole) lands at the top of the page.
    assert _refused(
        client,
        "council_create",
        scene.round.pk,
        {"name": "Hội đồng", "user_0": scene.members[0].pk, "role_0": "member"},
    ) == ["Hội đồng có đúng một Chủ tịch."]
    ok = {"name": "Hội đồng", "user_0": scene.members[0].pk, "role_0": "chair", "agency_0": "Sở Công Thương"}
    assert client.post(reverse("backoffice:council_create", args=[scene.round.pk]), ok).status_code == 302
    assert list(Council.objects.get(round=scene.round).members.values_list("user__username", "role", "agency")) == [
        ("member0", "chair", "Sở Công Thương")
    ]


def test_a_round_form_refuses_an_id_or_a_number_out_of_range(scene):
    client = client_for(scene.coordinator)
    form = {
        "province": Province.objects.get(code="01").pk,
        "year": "2026",
        "number": "1",
        "level": "province",
        "criteria_version": CriteriaVersion.objects.get(code="DEMO-148").pk,
    }
    url = reverse("backoffice:round_list")
    before = _counts()
    response = client.post(url, {**form, "criteria_version": HUGE_ID, "year": "năm sau", "level": "galaxy"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "year": ["Năm: Nhập năm từ 2019 đến 2100."],
        "level": ["Cấp: Chọn cấp đánh giá."],
        "criteria_version": ["Phiên bản bộ tiêu chí: Chọn phiên bản bộ tiêu chí."],
    }
    response = client.post(url, {**form, "province": HUGE_ID, "number": "21"})
    assert response.context["form"].errors == {
        "province": [
            "Tỉnh/thành phố: Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."
        ],
        "number": ["Đợt: Nhập số đợt từ 1 đến 20."],
    }
    assert _counts() == before
    # Another province is refused by the service: 403.
    assert client.post(url, {**form, "province": province("31").pk}).status_code == 403
    assert _counts() == before


def test_an_upgrade_starts_only_in_an_open_round_offered(scene):
    from ocop.evaluation import scoring
    from ocop.evaluation.tests.conftest import BEST

    dossier = ready_dossier(scene)
    council = council_of(scene)
    for member in scene.members:
        scoring.submit_sheet(by=member, dossier=dossier, choices=BEST)
    scoring.publish_results(by=scene.coordinator, council=council)
    client = client_for(scene.owner)
    # The round the product already has a dossier in is not offered.
    assert _refused(client, "upgrade_start", dossier.pk, {"round": scene.round.pk}) == ["Đợt: Chọn một đợt đang mở."]
    assert _refused(client, "upgrade_start", dossier.pk, {"round": HUGE_ID}) == ["Đợt: Chọn một đợt đang mở."]
