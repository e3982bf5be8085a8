"""The central level: the ministry's round receives the provinces' 5-star referrals, its council scores them, its
decision certifies in its own series with its own key; a province follows its own referrals and nothing else."""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ocop.accounts.models import Notification, Role
from ocop.accounts.services import grant_role
from ocop.certificates import access, services
from ocop.certificates.models import Certificate, Decision
from ocop.certificates.signing import payload, published_keys, unb64, verify_payload
from ocop.conftest import client_for
from ocop.evaluation import access as evaluation_access
from ocop.evaluation import central, scoring
from ocop.evaluation.demo import BEST, FOUR_STARS
from ocop.evaluation.dossiers import start_dossier
from ocop.evaluation.enums import DossierState, MemberRole, RoundLevel
from ocop.evaluation.models import CriteriaVersion, Dossier
from ocop.evaluation.testing import council_result
from ocop.places.queries import central_level
from ocop.testing import commune, make_producer, make_product, make_user, ministry_user, signing_keys


@dataclass
class Nation:
    ministry: Any
    members: list[Any]
    hanoi: Any  # Hà Nội's coordinator
    other_office: Any  # Hải Phòng's coordinator
    product: Any  # Hà Nội's referred product
    other: Any  # Hải Phòng's referred product
    round: Any


@pytest.fixture
def nation(db, time_machine) -> Nation:
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    signing_keys("01", "TW")
    hanoi = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    other_office = make_user(Role.PROVINCE_COORDINATOR, username="haiphong", province_code="31")
    product = make_product(producer=make_producer(name="HTX Gốm Bát Tràng"), name="Bình gốm men lam")
    other = make_product(producer=make_producer(name="HTX Nước mắm Cát Hải", commune=commune("Lê Chân", "31")),
                         name="Nước mắm Cát Hải")  # fmt: skip
    council_result(product, 5)
    council_result(other, 5)
    ministry = ministry_user()
    members = [make_user(username=f"tw{i}") for i in range(5)]
    for user in members:
        grant_role(user=user, role=Role.COUNCIL_MEMBER, province=central_level())
    round_ = central.open_round(by=ministry, year=2026, criteria_version=CriteriaVersion.objects.get(code="DEMO-148"))
    return Nation(ministry, members, hanoi, other_office, product, other, round_)


def _score(nation: Nation, choices: dict[str, int] = BEST) -> Any:
    seats = [MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.MEMBER, MemberRole.MEMBER, MemberRole.MEMBER]
    council = scoring.set_up_council(
        by=nation.ministry, round_=nation.round, name="Hội đồng cấp Trung ương 2026",
        members=[(u, seat, "Bộ Nông nghiệp và Môi trường") for u, seat in zip(nation.members, seats, strict=True)],
    )  # fmt: skip
    scoring.open_meeting(by=nation.ministry, council=council, present=list(council.members.all()))
    for dossier in Dossier.objects.filter(round=nation.round):
        for user in nation.members:
            scoring.submit_sheet(by=user, dossier=dossier, choices=choices)
    scoring.publish_results(by=nation.ministry, council=council)
    return council


def test_the_central_round_receives_each_referral_once_and_tells_the_province(nation):
    assert nation.round.level == RoundLevel.CENTRAL and nation.round.province.code == "TW"
    received, skipped = central.receive_referrals(by=nation.ministry, round_=nation.round)
    assert skipped == []
    assert sorted((d.product.name, d.state, d.previous.round.province.code) for d in received) == [
        ("Bình gốm men lam", DossierState.READY, "01"), ("Nước mắm Cát Hải", DossierState.READY, "31")]  # fmt: skip
    assert central.receive_referrals(by=nation.ministry, round_=nation.round) == ([], [])  # never twice
    assert list(Notification.objects.filter(user=nation.hanoi).values_list("title", flat=True)) == [
        "Cấp Trung ương đã tiếp nhận Bình gốm men lam"
    ]
    with pytest.raises(PermissionDenied):
        central.receive_referrals(by=nation.hanoi, round_=nation.round)


def test_a_province_follows_its_own_referrals_and_nothing_of_other_provinces(nation):
    central.receive_referrals(by=nation.ministry, round_=nation.round)
    _score(nation)
    mine = central.referral_progress(nation.hanoi)
    assert [(r.result.dossier.product.name, r.central.state, r.central_result.stars) for r in mine] == [
        ("Bình gốm men lam", DossierState.PUBLISHED, 5)
    ]
    assert [r.result.dossier.product.name for r in central.referral_progress(nation.other_office)] == [
        "Nước mắm Cát Hải"
    ]
    assert len(central.referral_progress(nation.ministry)) == 2
    visible = evaluation_access.dossiers_visible_to(nation.hanoi).filter(round=nation.round)
    assert [d.product.name for d in visible] == ["Bình gốm men lam"]
    page = client_for(nation.hanoi).get(reverse("backoffice:referrals"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bình gốm men lam" in html and "Nước mắm Cát Hải" not in html
    theirs = Dossier.objects.get(round=nation.round, product=nation.other)
    assert client_for(nation.hanoi).get(reverse("backoffice:dossier_detail", args=[theirs.pk])).status_code == 404
    url = reverse("backoffice:round_receive", args=[nation.round.pk])
    assert client_for(nation.hanoi).post(url).status_code == 404  # the ministry's round is not Hà Nội's to see


def test_the_ministry_certifies_in_its_own_series_with_its_own_key(nation):
    central.receive_referrals(by=nation.ministry, round_=nation.round)
    _score(nation)
    decision = services.draft_from_round(by=nation.ministry, round_=nation.round)
    assert (decision.level, decision.issuing_body, decision.province.code) == (
        "ministry", "Bộ Nông nghiệp và Môi trường", "TW")  # fmt: skip
    assert sorted((i.product.name, i.stars) for i in decision.items.all()) == [
        ("Bình gốm men lam", 5), ("Nước mắm Cát Hải", 5)]  # fmt: skip
    certs = services.issue_decision(
        by=nation.ministry, decision=decision, number="1187/QĐ-BNNMT", signed_on=dt.date(2026, 3, 2)
    )
    assert sorted((c.number, c.province.code, c.series) for c in certs) == [
        ("TW-2026-00001", "01", "TW"), ("TW-2026-00002", "31", "TW")]  # fmt: skip
    cert = next(c for c in certs if c.product == nation.product)
    keys = published_keys()
    assert cert.key_id.startswith("TW") and cert.key_id in keys
    text = payload(base_url="https://ocop.example/", code=cert.code, claim_text=cert.claim, key_id=cert.key_id,
                   signature=cert.signature)  # fmt: skip
    assert verify_payload(text, {cert.key_id: keys[cert.key_id]}).ok
    # Its JWS names the ministry as the issuing body and verifies with the ministry's key alone.
    assert verify_payload(cert.jws, {cert.key_id: keys[cert.key_id]}).ok
    assert json.loads(unb64(cert.jws.split(".")[1]))["issuer"] == "TW"
    assert not verify_payload(text, {k: v for k, v in keys.items() if not k.startswith("TW")}).ok
    api = client_for(None).get("/api/v1/keys").json()
    assert cert.key_id in [k["key_id"] for k in api]
    # Hà Nội counts and sees its 5-star certificate, but only the ministry revokes it.
    assert list(access.certificates_visible_to(nation.hanoi).values_list("number", flat=True)) == ["TW-2026-00001"]
    with pytest.raises(PermissionDenied):
        services.revoke(by=nation.hanoi, certificate=cert, decision_number="1/QĐ", revoked_on=dt.date(2026, 3, 2),
                        reason="x")  # fmt: skip
    services.revoke(by=nation.ministry, certificate=cert, decision_number="20/QĐ-BNNMT",
                    revoked_on=dt.date(2026, 3, 2), reason="Không duy trì chất lượng")  # fmt: skip
    cert.refresh_from_db()
    assert cert.status == "revoked"


def test_a_central_result_below_5_stars_is_not_certified_by_the_ministry(nation):
    central.receive_referrals(by=nation.ministry, round_=nation.round)
    _score(nation, FOUR_STARS)
    with pytest.raises(ValidationError) as error:
        services.draft_from_round(by=nation.ministry, round_=nation.round)
    assert error.value.messages == ["Chưa có kết quả đã công bố nào của đợt này chờ ra quyết định."]
    assert Decision.objects.count() == 0


def test_bad_central_input_writes_nothing(nation):
    with pytest.raises(PermissionDenied):  # a province user cannot draft the ministry's decision
        services.draft_decision(by=nation.hanoi, province=central_level(), level="ministry")
    with pytest.raises(ValidationError) as error:
        services.draft_decision(by=nation.ministry, province=central_level(), level="province")
    assert error.value.message_dict == {"level": ["Cấp Trung ương chỉ ban hành quyết định của Bộ."]}
    with pytest.raises(ValidationError) as error:  # nobody files a dossier straight into the central round
        start_dossier(by=nation.ministry, round_=nation.round, product=nation.product)
    assert error.value.messages == ["Đợt đánh giá cấp Trung ương chỉ nhận sản phẩm do các tỉnh đề nghị."]
    with pytest.raises(ValidationError) as error:  # a province's round receives no referral
        central.receive_referrals(by=nation.hanoi, round_=Dossier.objects.get(product=nation.product).round)
    assert error.value.messages == ["Chỉ đợt đánh giá cấp Trung ương tiếp nhận sản phẩm các tỉnh đề nghị."]
    assert Dossier.objects.filter(round=nation.round).count() == 0


def _ministry_certificate(nation: Nation) -> Any:
    central.receive_referrals(by=nation.ministry, round_=nation.round)
    _score(nation)
    decision = services.draft_from_round(by=nation.ministry, round_=nation.round)
    certs = services.issue_decision(by=nation.ministry, decision=decision, number="1187/QĐ-BNNMT",
                                    signed_on=dt.date(2026, 3, 2))  # fmt: skip
    return next(c for c in certs if c.product == nation.product)


def test_the_ministry_acts_on_its_certificates_and_the_province_may_only_suspend(nation):
    cert = _ministry_certificate(nation)
    assert [n.title for n in Notification.objects.filter(user=nation.hanoi, key__startswith="ministry-issued")] == [
        "Bộ đã công nhận Bình gốm men lam đạt 5 sao"
    ]
    url = lambda action: reverse("backoffice:certificate_action", args=[cert.pk, action])  # noqa: E731
    page = client_for(nation.hanoi).get(reverse("backoffice:certificate_detail", args=[cert.pk])).content.decode()
    assert (url("suspend") in page, url("lift") in page, url("revoke") in page) == (True, False, False)
    revoke = {"decision_number": "1/QĐ", "revoked_on": "2026-03-02", "reason": "Không duy trì"}
    assert client_for(nation.hanoi).post(url("revoke"), revoke).status_code == 403
    response = client_for(nation.hanoi).post(url("suspend"), {"reason": "Kiểm tra phát hiện nhãn sai"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == "suspended"
    assert [n.title for n in Notification.objects.filter(user=nation.ministry, kind="suspended")] == [
        "Giấy chứng nhận TW-2026-00001 đã bị đình chỉ"
    ]
    assert client_for(nation.hanoi).post(url("lift")).status_code == 403
    assert client_for(nation.ministry).post(url("lift"), {"reason": "Đã khắc phục"}).status_code == 302
    assert client_for(nation.ministry).post(url("revoke"), revoke).status_code == 302
    cert.refresh_from_db()
    assert (cert.status, cert.revocation_decision) == ("revoked", "1/QĐ")


def test_a_province_decision_never_replaces_the_ministry_s_certificate(nation):
    cert = _ministry_certificate(nation)
    council_result(nation.product, 4)
    decision = services.draft_decision(by=nation.hanoi, province=cert.province)
    with pytest.raises(ValidationError) as error:
        services.add_item(by=nation.hanoi, decision=decision, product=nation.product, stars=4)
    assert error.value.message_dict == {"product": [
        "Bình gốm men lam đang có giấy chứng nhận 5 sao TW-2026-00001 của Bộ đến ngày 02/03/2029: chỉ Bộ quyết định "
        "đối với sản phẩm này."
    ]}  # fmt: skip
    # A past decision entered late never ends a newer certificate: it is itself replaced at once.
    past = services.draft_decision(by=nation.hanoi, province=cert.province, historical=True)
    services.add_item(by=nation.hanoi, decision=past, product=nation.product, stars=4)
    (old,) = services.issue_decision(by=nation.hanoi, decision=past, number="2121/QĐ-UBND",
                                     signed_on=dt.date(2024, 6, 20))  # fmt: skip
    cert.refresh_from_db()
    assert (cert.status, old.status, old.superseded_by, old.claim, old.signature) == (
        "valid", "superseded", cert, "", "")  # fmt: skip


def test_history_ends_where_the_body_s_own_rounds_begin(nation):
    past = services.draft_decision(by=nation.hanoi, province=nation.product.province, historical=True)
    services.add_item(by=nation.hanoi, decision=past, product=nation.product, stars=3)
    with pytest.raises(ValidationError) as error:
        services.issue_decision(by=nation.hanoi, decision=past, number="9/QĐ-UBND", signed_on=dt.date(2026, 3, 2))
    assert error.value.message_dict == {"signed_on": [
        "Quyết định nhập từ lịch sử phải có ngày trước 02/03/2026, ngày cơ quan ban hành bắt đầu tổ chức đợt đánh "
        "giá trên OCOP Hub; quyết định sau đó được dự thảo từ kết quả đã công bố của hội đồng."
    ]}  # fmt: skip
    assert Certificate.objects.count() == 0


def test_a_province_recognises_its_referral_at_4_stars_as_potential_5_only_until_the_ministry_decides(nation):
    reason = "Công nhận 4 sao trong khi chờ kết quả cấp Trung ương."
    decision = services.draft_decision(by=nation.hanoi, province=nation.product.province)
    item = services.add_item(by=nation.hanoi, decision=decision, product=nation.product, stars=4, stars_reason=reason)
    assert item.potential_five
    services.remove_item(by=nation.hanoi, item=item)
    central.receive_referrals(by=nation.ministry, round_=nation.round)
    _score(nation, FOUR_STARS)  # the central council: 4 stars, which the province then recognises
    item = services.add_item(by=nation.hanoi, decision=decision, product=nation.product, stars=4)
    assert (item.potential_five, item.result.dossier.round.level, item.stars_reason) == (False, "central", "")


def test_the_ministrys_decision_and_its_certificate_carry_the_ministrys_heading_and_signer(nation):
    from ocop.certificates import pdf
    from ocop.places.demo import DEMO_BODIES
    from ocop.places.models import IssuingBody
    from ocop.testing import non_admin_fonts, pdf_text

    IssuingBody.objects.create(province=central_level(), **DEMO_BODIES["central"])
    cert = _ministry_certificate(nation)

    data = pdf.decision_pdf(cert.decision)
    lines = pdf_text(data).splitlines()
    assert lines[:5] == ["BỘ NÔNG NGHIỆP", "VÀ MÔI TRƯỜNG", "Số: 1187/QĐ-BNNMT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc"]  # fmt: skip
    assert "Hà Nội, ngày 02 tháng 3 năm 2026" in lines
    start = lines.index("- Lưu: VT.") + 1
    assert lines[start : start + 3] == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Trần Văn Bình"]
    assert non_admin_fonts(data) == set()
    assert pdf_text(pdf.certificate_pdf(cert)).splitlines()[-3:] == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Trần Văn Bình"]
