"""Every certificate service checks the gateway itself: an outsider calling it directly is refused with nothing
written; values arrive clean and an over-long one is refused under its field, never cut."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.accounts.models import Role
from ocop.certificates import access, reports, services
from ocop.certificates.enums import DecisionState, IssuingLevel, Status
from ocop.certificates.models import Certificate, ConsumerReport, Decision, DecisionItem
from ocop.certificates.tests.conftest import issue
from ocop.evaluation.testing import council_result
from ocop.testing import commune, make_producer, make_product, make_user, province


@pytest.fixture
def issued(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    return issue(office)


def test_an_outsider_calling_the_lifecycle_services_is_refused_and_nothing_changes(office, issued):
    for call in (
        lambda: services.suspend(by=office.charlie, certificate=issued, reason="Vi phạm"),
        lambda: services.lift(by=office.charlie, certificate=issued, note="x"),
        lambda: services.revoke(
            by=office.charlie, certificate=issued, decision_number="1/QĐ", revoked_on=dt.date(2026, 3, 1), reason="x"
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    issued.refresh_from_db()
    assert (issued.status, issued.status_reason, issued.revocation_decision) == (Status.VALID, "", "")


def test_an_outsider_calling_the_decision_services_is_refused_and_nothing_changes(office, issued):
    draft = services.draft_decision(by=office.coordinator, province=province())
    council_result(office.product, 3)
    item = services.add_item(by=office.coordinator, decision=draft, product=office.product, stars=3)
    calls = [
        lambda: services.draft_decision(by=office.charlie, province=province()),
        lambda: services.add_item(by=office.charlie, decision=draft, product=office.product, stars=3),
        lambda: services.set_item_packs(by=office.charlie, item=item, packs=[]),
        lambda: services.remove_item(by=office.charlie, item=item),
        lambda: services.issue_decision(
            by=office.charlie, decision=draft, number="9/QĐ", signed_on=dt.date(2026, 3, 1)
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Decision.objects.count() == 2
    draft.refresh_from_db()
    assert (draft.state, draft.number) == (DecisionState.DRAFT, "")
    assert list(DecisionItem.objects.filter(decision=draft).values_list("product__name", flat=True)) == [
        "Bình gốm men lam"
    ]
    assert DecisionItem.objects.get(pk=item.pk).packs.count() == 2


def test_an_inspector_suspends_but_neither_lifts_nor_revokes(office, issued):
    inspector = make_user(Role.INSPECTOR, username="inspector")
    assert access.certificate_actions(inspector, issued) == {"suspend": True, "lift": False, "revoke": False}
    services.suspend(by=inspector, certificate=issued, reason="Nhãn ghi sai")
    with pytest.raises(PermissionDenied):
        services.lift(by=inspector, certificate=issued)
    with pytest.raises(PermissionDenied):
        services.revoke(by=inspector, certificate=issued, decision_number="1/QĐ", revoked_on=dt.date(2026, 3, 1),
                        reason="x")  # fmt: skip
    issued.refresh_from_db()
    assert (issued.status, issued.status_reason) == (Status.SUSPENDED, "Nhãn ghi sai")


def test_an_over_long_revocation_number_is_refused_not_cut(office, issued):
    with pytest.raises(ValidationError) as exc:
        services.revoke(by=office.coordinator, certificate=issued, decision_number="1" * 61,
                        revoked_on=dt.date(2026, 3, 1), reason="Ngừng sản xuất")  # fmt: skip
    assert exc.value.message_dict == {"decision_number": ["Số quyết định quá dài (tối đa 60 ký tự)."]}
    issued.refresh_from_db()
    assert (issued.status, issued.revocation_decision) == (Status.VALID, "")


def test_an_over_long_signer_or_issuing_body_is_refused_not_cut(office, issued):
    with pytest.raises(ValidationError) as exc:
        services.draft_decision(by=office.coordinator, province=province(), issuing_body="Ủ" * 201)
    assert exc.value.message_dict == {"issuing_body": ["Cơ quan ban hành quá dài (tối đa 200 ký tự)."]}
    assert Decision.objects.count() == 1
    draft = services.draft_decision(by=office.coordinator, province=province())
    product = make_product(producer=office.producer, name="Đĩa gốm")
    council_result(product, 3)
    services.add_item(by=office.coordinator, decision=draft, product=product, stars=3)
    with pytest.raises(ValidationError) as exc:
        services.issue_decision(by=office.coordinator, decision=draft, number="7/QĐ", signed_on=dt.date(2026, 3, 1),
                                signer="N" * 201)  # fmt: skip
    assert exc.value.message_dict == {"signer": ["Tên người ký quá dài (tối đa 200 ký tự)."]}
    draft.refresh_from_db()
    assert (draft.state, draft.signer, Certificate.objects.count()) == (DecisionState.DRAFT, "", 1)


def test_a_decision_lists_only_the_products_of_its_issuing_body(office, issued):
    foreign = make_product(producer=make_producer(name="HTX Hải Phòng", commune=commune("Lê Chân", "31")))
    council_result(foreign, 3)
    draft = services.draft_decision(by=office.coordinator, province=province(), level=IssuingLevel.PROVINCE)
    with pytest.raises(ValidationError) as exc:
        services.add_item(by=office.coordinator, decision=draft, product=foreign, stars=3)
    assert exc.value.message_dict == {"product": [
        f"Không thể đưa {foreign.name} vào quyết định này: đây không phải sản phẩm thuộc cơ quan ban hành."]}  # fmt: skip
    assert DecisionItem.objects.filter(decision=draft).count() == 0


def test_a_report_is_closed_by_its_province_only(office, issued):
    report = ConsumerReport.objects.create(certificate=issued, code=issued.code, kind="fake", client="x")
    with pytest.raises(PermissionDenied):
        reports.mark_handled(by=office.charlie, report=report)
    assert ConsumerReport.objects.get(pk=report.pk).handled is False
    reports.mark_handled(by=office.coordinator, report=report)
    assert ConsumerReport.objects.get(pk=report.pk).handled is True


def test_an_over_long_place_in_a_consumer_report_is_refused_not_cut(office, issued):
    with pytest.raises(ValidationError) as exc:
        reports.report_problem(code=issued.code, kind="other", message="Vị lạ", place="C" * 301, contact="0" * 121,
                               client="x")  # fmt: skip
    assert exc.value.message_dict == {
        "place": ["Nơi mua: tối đa 300 ký tự."],
        "contact": ["Thông tin liên hệ: tối đa 120 ký tự."],
    }
    assert ConsumerReport.objects.count() == 0
