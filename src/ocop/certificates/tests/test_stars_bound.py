"""A certificate's stars come from a decided result: the council's (or the ministry's central council's for 5 stars),
unless the decision is entered from history; other stars need a reason, kept, audited and shown."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ocop.certificates import services
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.models import Certificate, Decision, DecisionItem
from ocop.conftest import client_for
from ocop.core.models import AuditEntry
from ocop.evaluation import scoring
from ocop.evaluation.demo import FOUR_STARS
from ocop.evaluation.testing import council_result
from ocop.evaluation.tests.conftest import council_of, ready_dossier, scene  # noqa: F401
from ocop.places.queries import central_level
from ocop.testing import province


def _scored(scene, choices):  # noqa: F811
    dossier = ready_dossier(scene)
    council = council_of(scene)
    for user in scene.members:
        scoring.submit_sheet(by=user, dossier=dossier, choices=choices)
    scoring.publish_results(by=scene.coordinator, council=council)
    dossier.refresh_from_db()
    return dossier.result


def test_a_result_capped_at_2_stars_is_refused_at_3(scene):  # noqa: F811
    result = _scored(scene, {**FOUR_STARS, "C7.1": 0})  # no quality standard: a mandatory line fails
    assert (result.stars_by_score, result.stars, result.caps) == (4, 2, [["C7.1", 3]])
    decision = services.draft_decision(by=scene.coordinator, province=province())
    with pytest.raises(ValidationError) as error:
        services.add_item(by=scene.coordinator, decision=decision, product=scene.product, stars=3)
    assert error.value.message_dict == {"stars_reason": [
        "Kết quả của hội đồng cho sản phẩm này là 2 sao. Quyết định ở mức 3 sao cần ghi rõ lý do (ví dụ hội đồng "
        "bỏ phiếu lại)."
    ]}  # fmt: skip
    assert DecisionItem.objects.count() == 0
    # draft_from_round leaves it out (a province recognises 3 and 4 stars only), and makes no empty draft.
    with pytest.raises(ValidationError):
        services.draft_from_round(by=scene.coordinator, round_=scene.round)
    assert Decision.objects.count() == 1


def test_a_5_star_result_is_refused_at_4_without_a_reason_and_kept_with_one(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    result = council_result(office.product, 5)
    assert result.referral
    decision = services.draft_decision(by=office.coordinator, province=province())
    with pytest.raises(ValidationError) as error:
        services.add_item(by=office.coordinator, decision=decision, product=office.product, stars=4)
    assert list(error.value.message_dict) == ["stars_reason"]
    assert DecisionItem.objects.count() == 0
    reason = "Hội đồng thống nhất công nhận 4 sao trong khi chờ kết quả đánh giá cấp Trung ương."
    item = services.add_item(
        by=office.coordinator, decision=decision, product=office.product, stars=4, stars_reason=f"  {reason} "
    )
    assert (item.stars, item.result, item.stars_reason, item.potential_five) == (4, result, reason, True)
    change = AuditEntry.objects.filter(content_type__model="decision", action="change").latest("pk")
    assert (change.changes["stars"], change.changes["stars_reason"]) == ([5, 4], [None, reason])
    (cert,) = services.issue_decision(
        by=office.coordinator, decision=decision, number="12/QĐ-UBND", signed_on=dt.date(2026, 1, 9)
    )
    assert (cert.stars, cert.potential_five) == (4, True)
    page = client_for(office.coordinator).get(reverse("backoffice:certificate_detail", kwargs={"pk": cert.pk}))
    html = page.content.decode()
    assert f'<dd id="stars-reason">{reason}</dd>' in html
    assert '<dd id="council-result">5★ · 93,00 · Hội đồng</dd>' in html


def test_without_a_published_result_only_history_certifies(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    decision = services.draft_decision(by=office.coordinator, province=province())
    council_result(office.product, 4, published=False)
    with pytest.raises(ValidationError) as error:
        services.add_item(by=office.coordinator, decision=decision, product=office.product, stars=4)
    assert error.value.message_dict == {"result": [
        "Bình gốm men lam chưa có kết quả hội đồng nào đã công bố để công nhận. Quyết định công nhận số sao do hội "
        "đồng chấm; quyết định đã ban hành trước đây được nhập từ lịch sử, với số và ngày của nó."
    ]}  # fmt: skip
    past = services.draft_decision(by=office.coordinator, province=province(), historical=True)
    item = services.add_item(by=office.coordinator, decision=past, product=office.product, stars=3)
    assert (item.result, item.stars_reason) == (None, "")
    (cert,) = services.issue_decision(
        by=office.coordinator, decision=past, number="5087/QĐ-UBND", signed_on=dt.date(2019, 11, 12)
    )
    assert (cert.stars, cert.issued_on) == (3, dt.date(2019, 11, 12))


def test_issue_checks_again_what_was_changed_behind_the_application(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    council_result(office.product, 3)
    decision = services.draft_decision(by=office.coordinator, province=province())
    services.add_item(by=office.coordinator, decision=decision, product=office.product, stars=3)
    DecisionItem.objects.filter(decision=decision).update(stars=4)  # edited in the database
    with pytest.raises(ValidationError) as error:
        services.issue_decision(by=office.coordinator, decision=decision, number="3/QĐ", signed_on=dt.date(2026, 1, 9))
    assert error.value.message_dict == {"items": [
        "Số sao của các sản phẩm này không phải của một kết quả hội đồng đã công bố, và không có lý do được ghi: "
        "Bình gốm men lam."
    ]}  # fmt: skip
    assert (Certificate.objects.count(), Decision.objects.get().state) == (0, "draft")


def test_a_result_of_another_body_or_product_is_refused(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    central = council_result(office.product, 5, central=True)
    decision = services.draft_decision(by=office.coordinator, province=province())
    with pytest.raises(ValidationError) as error:
        services.add_item(by=office.coordinator, decision=decision, product=office.product, stars=4, result=central)
    assert error.value.message_dict == {"result": ["Kết quả hội đồng đó không thuộc một đợt của cơ quan ban hành này."]}
    assert DecisionItem.objects.count() == 0


def test_only_the_ministry_issues_a_5_star_decision(office):
    with pytest.raises(ValidationError) as error:
        services.draft_decision(by=office.coordinator, province=province(), level=IssuingLevel.MINISTRY)
    assert error.value.message_dict == {"level": [
        "Chỉ Bộ công nhận 5 sao. Tỉnh nhập quyết định của Bộ đã ban hành trước đây từ lịch sử."
    ]}  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.draft_decision(by=office.coordinator, province=central_level(), level=IssuingLevel.MINISTRY)
    assert Decision.objects.count() == 0
    # A past ministry decision is entered from history by the province, as its lists record it.
    past = services.draft_decision(by=office.coordinator, province=province(), level=IssuingLevel.MINISTRY,
                                   historical=True)  # fmt: skip
    assert past.issuing_body == "Bộ Nông nghiệp và Môi trường"
