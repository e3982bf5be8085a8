import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.certificates import log, services
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.models import Certificate, Decision, LogEntry
from ocop.certificates.queries import by_code
from ocop.certificates.signing import payload, published_keys, verify_payload
from ocop.certificates.tests.conftest import issue
from ocop.core.models import AuditEntry
from ocop.evaluation import scoring
from ocop.evaluation.demo import FOUR_STARS
from ocop.evaluation.testing import council_result
from ocop.evaluation.tests.conftest import council_of, ready_dossier, scene  # noqa: F401
from ocop.testing import make_product, province


def test_a_decision_creates_numbered_signed_certificates(office, time_machine):
    time_machine.move_to(dt.datetime(2025, 12, 1, 9, tzinfo=dt.UTC))
    other = make_product(producer=office.producer, name="Chén gốm")
    decision = services.draft_decision(by=office.coordinator, province=province())
    assert (decision.issuing_body, decision.legal_basis) == ("Ủy ban nhân dân Thành phố Hà Nội", "148+1489")
    council_result(office.product, 4)
    council_result(other, 3)
    services.add_item(by=office.coordinator, decision=decision, product=office.product, stars=4, packs=office.packs[:1])
    services.add_item(by=office.coordinator, decision=decision, product=other, stars=3)
    certs = services.issue_decision(
        by=office.coordinator, decision=decision, number="5012/QĐ-UBND", signed_on=dt.date(2025, 11, 20)
    )
    assert [(c.number, c.stars, c.valid_until) for c in certs] == [
        ("01-2025-00001", 4, dt.date(2028, 11, 20)),
        ("01-2025-00002", 3, dt.date(2028, 11, 20)),
    ]
    first = by_code(certs[0].code.lower())  # codes are read case-insensitively
    assert (first.reader_status, len(first.code), [p.name for p in first.packs.all()]) == ("valid", 10, ["Hộp 1 bình"])
    assert first.claim == f"OCOP1|01-2025-00001|{first.code}|Bình gốm men lam|4|2025-11-20|2028-11-20"
    text = payload(base_url="https://ocop.hanoi.gov.vn/", code=first.code, claim_text=first.claim,
                   key_id=first.key_id, signature=first.signature)  # fmt: skip
    assert text.startswith(f"https://ocop.hanoi.gov.vn/v/{first.code}#{first.key_id}.")
    assert verify_payload(text, published_keys()).ok
    assert [e.event for e in LogEntry.objects.all()] == ["issued", "issued"]
    assert log.verify() == []
    decision.refresh_from_db()
    assert (decision.state, decision.number, decision.legal_basis) == ("issued", "5012/QĐ-UBND", "148+1489")
    with pytest.raises(ValidationError):
        services.issue_decision(
            by=office.coordinator, decision=decision, number="1/QĐ", signed_on=dt.date(2025, 11, 21)
        )
    assert Certificate.objects.count() == 2


def test_numbers_continue_per_province_and_year(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    a = issue(office, on=dt.date(2025, 12, 30))
    b = issue(office, product=make_product(producer=office.producer), on=dt.date(2026, 1, 2))
    c = issue(office, product=make_product(producer=office.producer), on=dt.date(2026, 1, 3))
    assert [x.number for x in (a, b, c)] == ["01-2025-00001", "01-2026-00001", "01-2026-00002"]


def test_a_council_result_is_recognised_once(scene, time_machine):  # noqa: F811
    dossier = ready_dossier(scene)
    council = council_of(scene)
    for user in scene.members:
        scoring.submit_sheet(by=user, dossier=dossier, choices=FOUR_STARS)
    scoring.publish_results(by=scene.coordinator, council=council)
    decision = services.draft_from_round(by=scene.coordinator, round_=scene.round)
    assert [(i.product, i.stars, i.result.dossier) for i in decision.items.all()] == [(scene.product, 4, dossier)]
    again = services.draft_decision(by=scene.coordinator, province=province())
    with pytest.raises(ValidationError) as error:
        services.add_item(by=scene.coordinator, decision=again, product=scene.product, stars=4, result=dossier.result)
    assert error.value.message_dict == {"result": ["Kết quả hội đồng này đã có trong quyết định (dự thảo)."]}
    with pytest.raises(ValidationError):  # nothing left to decide: no empty draft
        services.draft_from_round(by=scene.coordinator, round_=scene.round)
    assert again.items.count() == 0


def test_bad_decisions_write_nothing(office, time_machine):
    time_machine.move_to(dt.datetime(2025, 12, 1, 9, tzinfo=dt.UTC))
    decision = services.draft_decision(by=office.coordinator, province=province())
    with pytest.raises(ValidationError) as error:
        services.add_item(by=office.coordinator, decision=decision, product=office.product, stars=5)
    assert error.value.message_dict == {"stars": ["Quyết định cấp Ủy ban nhân dân tỉnh chỉ công nhận 3, 4 sao."]}
    with pytest.raises(ValidationError) as error:
        services.issue_decision(by=office.coordinator, decision=decision, number=" ", signed_on=dt.date(2025, 12, 2))
    assert error.value.message_dict == {
        "number": ["Nhập số quyết định."],
        "signed_on": ["Ngày quyết định không thể ở tương lai."],
        "items": ["Quyết định chưa có sản phẩm nào."],
    }
    with pytest.raises(PermissionDenied):
        services.add_item(by=office.charlie, decision=decision, product=office.product, stars=4)
    with pytest.raises(ValidationError):
        services.draft_decision(by=office.coordinator, province=province(), level=IssuingLevel.DISTRICT)
    assert (Certificate.objects.count(), decision.items.count(), Decision.objects.count()) == (0, 0, 1)


def test_suspend_lift_revoke_and_their_refusals(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    with pytest.raises(ValidationError) as error:
        services.lift(by=office.coordinator, certificate=cert)
    assert error.value.messages == ["Giấy chứng nhận 01-2025-00001 không bị đình chỉ: không có đình chỉ nào để gỡ."]
    with pytest.raises(ValidationError):
        services.suspend(by=office.coordinator, certificate=cert, reason="  ")
    services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn ghi sai hạn dùng")
    assert by_code(cert.code).reader_status == "suspended"
    services.lift(by=office.coordinator, certificate=cert, note="Đã khắc phục")
    assert by_code(cert.code).reader_status == "valid"
    entries = LogEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.revoke(by=office.coordinator, certificate=cert, decision_number="", revoked_on=None, reason="")
    assert sorted(error.value.message_dict) == ["decision_number", "reason", "revoked_on"]
    assert (by_code(cert.code).reader_status, LogEntry.objects.count()) == ("valid", entries)
    with pytest.raises(PermissionDenied):
        services.suspend(by=office.charlie, certificate=cert, reason="x")
    services.revoke(
        by=office.coordinator, certificate=cert, decision_number="77/QĐ-UBND", revoked_on=dt.date(2026, 1, 9),
        reason="Không duy trì sản xuất",
    )  # fmt: skip
    cert = by_code(cert.code)
    assert (cert.reader_status, cert.revocation_decision, cert.status_since) == (
        "revoked", "77/QĐ-UBND", dt.date(2026, 1, 9))  # fmt: skip
    with pytest.raises(ValidationError):
        services.suspend(by=office.coordinator, certificate=cert, reason="x")
    assert [e.event for e in LogEntry.objects.all()] == ["issued", "suspended", "lifted", "revoked"]
    assert AuditEntry.objects.filter(content_type__model="certificate", action="change").count() == 3


def test_a_new_certificate_supersedes_the_old_one(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC))
    old = issue(office, stars=3, on=dt.date(2023, 6, 1))
    new = issue(office, stars=4, on=dt.date(2026, 5, 20))
    old = by_code(old.code)
    assert (old.reader_status, old.superseded_by, old.status_reason) == (
        "superseded", new, "Được thay bằng giấy chứng nhận 01-2026-00001.")  # fmt: skip
    assert [e.event for e in LogEntry.objects.all()] == ["issued", "issued", "superseded"]


def test_expiry_needs_nobody(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office, on=dt.date(2023, 3, 1))
    assert by_code(cert.code).reader_status == "expiring"
    time_machine.move_to(dt.datetime(2026, 3, 1, 16, 59, tzinfo=dt.UTC))  # 23:59 on 1 March in Hà Nội
    assert by_code(cert.code).reader_status == "expiring"
    time_machine.move_to(dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC))  # midnight: 2 March
    assert by_code(cert.code).reader_status == "expired"


def test_the_office_chooses_the_packs_that_carry_the_mark(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    decision = services.draft_decision(by=office.coordinator, province=province())
    council_result(office.product, 4)
    item = services.add_item(by=office.coordinator, decision=decision, product=office.product, stars=4)
    assert sorted(p.name for p in item.packs.all()) == ["Bộ 2 bình", "Hộp 1 bình"]  # all of them by default
    other = make_product(producer=office.producer)
    from ocop.registry.models import ProductPack

    stranger = ProductPack.objects.create(product=other, name="Túi")
    with pytest.raises(ValidationError):
        services.set_item_packs(by=office.coordinator, item=item, packs=[stranger])
    services.set_item_packs(by=office.coordinator, item=item, packs=office.packs[1:])
    (cert,) = services.issue_decision(
        by=office.coordinator, decision=decision, number="8/QĐ-UBND", signed_on=dt.date(2026, 1, 9)
    )
    assert [p.name for p in cert.packs.all()] == ["Bộ 2 bình"]
    with pytest.raises(ValidationError):
        services.set_item_packs(by=office.coordinator, item=item, packs=office.packs)  # issued: no more changes
