"""From a province's 5-star referral to the ministry's certificate, in a real Chromium: the ministry receives the
referral, its council scores it, its decision certifies in its own series, and the QR verifies offline with the
ministry's key, while Hà Nội follows its product's progress."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from ocop.accounts.models import Role
from ocop.accounts.services import grant_role
from ocop.backoffice.tests.test_browser_evaluation import log_in, score
from ocop.certificates.models import Certificate
from ocop.certificates.pdf import qr_text
from ocop.evaluation import central, scoring
from ocop.evaluation.demo import BEST
from ocop.evaluation.enums import MemberRole
from ocop.evaluation.models import CriteriaVersion, Dossier
from ocop.evaluation.testing import council_result
from ocop.places.queries import central_level
from ocop.testing import make_producer, make_product, make_user, ministry_user, signing_keys

pytestmark = pytest.mark.browser


@pytest.fixture
def referral(reference_data):
    signing_keys("TW")  # the ministry's key, made as an administrator does before its first decision
    make_user(Role.PROVINCE_COORDINATOR, username="dieuphoi")
    product = make_product(producer=make_producer(name="HTX Gốm Bát Tràng"), name="Bình gốm men lam")
    council_result(product, 5)  # Hà Nội's council: 93 points, referred to the central round
    ministry = ministry_user("bo")
    members = [make_user(username=f"tw{i}") for i in range(3)]
    for user in members:
        grant_role(user=user, role=Role.COUNCIL_MEMBER, province=central_level())
    round_ = central.open_round(by=ministry, year=2026, criteria_version=CriteriaVersion.objects.get(code="DEMO-148"))
    council = scoring.set_up_council(
        by=ministry, round_=round_, name="Hội đồng cấp Trung ương 2026",
        members=[(members[0], MemberRole.CHAIR, "Bộ NN&MT"), (members[1], MemberRole.MEMBER, "Bộ Công Thương"),
                 (members[2], MemberRole.MEMBER, "Bộ Y tế")],
    )  # fmt: skip
    scoring.open_meeting(by=ministry, council=council, present=list(council.members.all()))
    return round_


def test_a_referral_becomes_the_ministry_s_certificate_that_verifies_offline(
    page: Page, live_server, referral, time_machine
):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=True)
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit your scores?", "Issue the decision?"
    log_in(page, live_server, "bo")
    page.goto(f"{live_server.url}/bo/rounds/{referral.pk}/")
    expect(page.get_by_text("1 sản phẩm do các tỉnh đề nghị đang chờ tiếp nhận.")).to_be_visible()
    page.get_by_role("button", name="Tiếp nhận sản phẩm các tỉnh đề nghị").click()
    expect(page.get_by_role("status")).to_contain_text("Đã tiếp nhận 1 sản phẩm được đề nghị.")
    dossier = Dossier.objects.get(round=referral)

    log_in(page, live_server, "dieuphoi")  # Hà Nội follows its product at the ministry
    page.goto(f"{live_server.url}/bo/referrals/")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("Bình gốm men lam")
    expect(page.locator("tbody tr")).to_contain_text("Sẵn sàng cho Hội đồng")

    for username in ("tw0", "tw1", "tw2"):
        log_in(page, live_server, username)
        score(page, live_server, dossier, BEST)
    log_in(page, live_server, "bo")
    page.goto(f"{live_server.url}/bo/rounds/{referral.pk}/")
    page.get_by_role("button", name="Công bố kết quả").click()
    expect(page.get_by_role("status")).to_contain_text("Đã công bố 1 kết quả")

    page.goto(f"{live_server.url}/bo/decisions/")
    page.get_by_role("button", name="Dự thảo từ kết quả 5 sao đã công bố").click()
    expect(page.locator("#items")).to_contain_text("Bình gốm men lam")
    expect(page.locator("#items")).to_contain_text("5★")
    page.get_by_label("Số quyết định").fill("1187/QĐ-BNNMT")
    page.get_by_label("Ngày", exact=True).fill("2026-03-02")
    page.get_by_label("Người ký").fill("Trần Thanh Nam")
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại trước khi ban hành").click()
    expect(page.locator("#issue-summary")).to_contain_text(
        "Ban hành quyết định 1187/QĐ-BNNMT ngày 02/03/2026 sẽ cấp 1 giấy chứng nhận OCOP"
    )  # nothing issued yet
    page.get_by_role("button", name="Ban hành và tạo giấy chứng nhận").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ban hành quyết định: 1 giấy chứng nhận.")
    page.get_by_role("link", name="TW-2026-00001").click()
    expect(page.locator("#council-result")).to_contain_text("5★ · 100,00 · Hội đồng cấp Trung ương 2026")
    cert = Certificate.objects.select_related("province", "decision").get()
    assert (cert.province.code, cert.decision.issuing_body, cert.key_id[:2]) == ("01", "Bộ Nông nghiệp và Môi trường",
                                                                                  "TW")  # fmt: skip

    log_in(page, live_server, "dieuphoi")
    page.goto(f"{live_server.url}/bo/referrals/")
    expect(page.locator("tbody tr")).to_contain_text("5★ · 100,00")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/kiem-tra/")
    page.context.set_offline(True)  # the published keys are in the page, the ministry's among them
    page.get_by_label("Nội dung mã QR").fill(qr_text(cert))
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    result = page.locator("#offline-result")
    expect(result).to_have_attribute("data-ok", "true")
    expect(result).to_contain_text("TW-2026-00001 · Bình gốm men lam · 5★ · 02/03/2026 – 02/03/2029")
