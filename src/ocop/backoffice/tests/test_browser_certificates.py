"""From the council's result to the QR page, in a real Chromium: decision → certificate → scan page, then the
certificate's life (suspension, lift, revocation, expiry) seen at once on the page and in the JSON."""

import base64
import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from ocop.backoffice.tests.test_browser_evaluation import log_in
from ocop.certificates.models import Certificate
from ocop.certificates.pdf import qr_text
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.evaluation import scoring
from ocop.evaluation.demo import FOUR_STARS
from ocop.evaluation.tests.conftest import council_of, ready_dossier, scene  # noqa: F401
from ocop.testing import signing_keys

pytestmark = pytest.mark.browser


@pytest.fixture
def published(reference_data, scene):  # noqa: F811
    signing_keys("01")  # Hà Nội's key, made as an administrator does before its first decision
    dossier = ready_dossier(scene)
    council = council_of(scene)
    for user in scene.members:
        scoring.submit_sheet(by=user, dossier=dossier, choices=FOUR_STARS)
    scoring.publish_results(by=scene.coordinator, council=council)
    return scene


def open_data_csv(page: Page, live_server, time_machine) -> str:
    """The register's CSV once the task worker has run the rebuild queued by the change (20 s after it)."""
    from ocop.reporting.opendata import TASK_PATH
    from ocop.testing import run_queued_tasks

    time_machine.shift(dt.timedelta(seconds=21))
    assert run_queued_tasks(TASK_PATH) >= 1
    return page.request.get(f"{live_server.url}/open-data/certificates.csv").text()


def scan(page: Page, live_server, code: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/v/{code}")


def test_a_decision_makes_a_certificate_whose_qr_page_follows_its_life(
    page: Page, live_server, published, time_machine
):
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    log_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/bo/decisions/")
    page.get_by_role("button", name="Dự thảo từ kết quả 3 sao, 4 sao đã công bố").click()
    expect(page.locator("#items")).to_contain_text("Bánh cốm")
    expect(page.locator("#items")).to_contain_text("4★")
    page.get_by_label("Số quyết định").fill("125/QĐ-UBND")
    page.get_by_label("Ngày", exact=True).fill("2026-01-10")
    page.get_by_label("Người ký").fill("Nguyễn Văn A")
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại trước khi ban hành").click()
    expect(page.locator("#issue-summary")).to_contain_text(
        "Ban hành quyết định 125/QĐ-UBND ngày 10/01/2026 sẽ cấp 1 giấy chứng nhận OCOP"
    )  # nothing issued yet
    page.get_by_role("button", name="Ban hành và tạo giấy chứng nhận").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ban hành quyết định: 1 giấy chứng nhận.")
    expect(page.locator("#legal-basis")).to_contain_text("1489/QĐ-TTg")
    page.get_by_role("link", name="01-2026-00001").click()
    expect(page.locator("#status")).to_have_text("còn hiệu lực")
    cert = Certificate.objects.get()
    expect(page.locator("figure.qr svg")).to_be_visible()

    scan(page, live_server, cert.code)
    expect(page.locator("#verdict")).to_contain_text("Còn hiệu lực: sản phẩm OCOP 4 sao")
    page.goto(f"{live_server.url}/san-pham/?q=banh com")
    expect(page.locator("#products")).to_contain_text("Bánh cốm")
    page.goto(f"{live_server.url}/v/{cert.code}")
    expect(page.locator("#verdict")).to_contain_text("10/01/2029")
    expect(page.locator("#verdict")).to_have_css("background-color", "rgb(20, 108, 46)")  # the policy lets its CSS in

    log_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/bo/certificates/{cert.pk}/")
    page.get_by_label("Lý do đình chỉ").fill("Nhãn ghi sai hạn sử dụng")
    page.get_by_role("button", name="Đình chỉ giấy chứng nhận").click()
    expect(page.locator("#status")).to_have_text("bị đình chỉ")
    scan(page, live_server, cert.code)
    expect(page.locator("#verdict")).to_contain_text("TẠM ĐÌNH CHỈ: hiện không phải sản phẩm OCOP")
    expect(page.locator("#verdict")).to_contain_text("Nhãn ghi sai hạn sử dụng")
    json = page.request.get(f"{live_server.url}/api/v1/certificates/{cert.code}").json()
    assert (json["status"], json["ocop"]) == ("suspended", False)
    page.goto(f"{live_server.url}/san-pham/")
    expect(page.locator("#products")).not_to_contain_text("Bánh cốm")  # no longer presented as an OCOP product
    page.goto(f"{live_server.url}/san-pham/?status=suspended")
    expect(page.locator("#products")).to_contain_text("Giấy chứng nhận bị đình chỉ")
    csv = open_data_csv(page, live_server, time_machine)
    assert f"{cert.number},{cert.code},{cert.product_id},Bánh cốm," in csv and ",suspended," in csv

    log_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/bo/certificates/{cert.pk}/")
    page.get_by_role("button", name="Gỡ đình chỉ").click()
    expect(page.locator("#status")).to_have_text("còn hiệu lực")
    scan(page, live_server, cert.code)
    expect(page.locator("#verdict")).to_contain_text("Còn hiệu lực")

    time_machine.move_to(dt.datetime(2029, 1, 11, 9, tzinfo=dt.UTC), tick=True)  # past 36 months
    scan(page, live_server, cert.code)
    expect(page.locator("#verdict")).to_contain_text("HẾT HIỆU LỰC: không còn là sản phẩm OCOP")
    assert page.request.get(f"{live_server.url}/api/v1/certificates/{cert.code}").json()["status"] == "expired"

    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=True)
    log_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/bo/certificates/{cert.pk}/")
    page.get_by_label("Quyết định thu hồi").fill("301/QĐ-UBND")
    page.locator('input[name="revoked_on"]').fill("2026-03-01")
    page.get_by_label("Lý do thu hồi").fill("Không duy trì sản xuất")
    page.get_by_role("button", name="Thu hồi giấy chứng nhận").click()
    expect(page.locator("#status")).to_have_text("bị thu hồi")
    scan(page, live_server, cert.code)
    expect(page.locator("#verdict")).to_contain_text("ĐÃ THU HỒI: không còn là sản phẩm OCOP")
    expect(page.locator("#verdict")).to_contain_text("301/QĐ-UBND")
    assert page.request.get(f"{live_server.url}/api/v1/certificates/{cert.code}").json()["status"] == "revoked"
    assert ",revoked," in open_data_csv(page, live_server, time_machine)
    page.goto(f"{live_server.url}/san-pham/?status=revoked")
    expect(page.locator("#products")).to_contain_text("Bánh cốm")


def test_the_offline_check_accepts_a_real_qr_and_rejects_a_tampered_one(
    page: Page,
    live_server,
    reference_data,
    office,  # noqa: F811
    time_machine,
):
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    cert = issue(office, stars=3)
    real = qr_text(cert)
    page.goto(f"{live_server.url}/kiem-tra/")
    page.context.set_offline(True)  # the keys are in the page: no network from here on
    page.get_by_label("Nội dung mã QR").fill(real)
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    result = page.locator("#offline-result")
    expect(result).to_have_attribute("data-ok", "true")
    expect(result).to_contain_text("Xác thực: do cơ quan OCOP cấp và ký số.")
    expect(result).to_contain_text(f"{cert.number} · Bình gốm men lam · 3★ · 20/11/2025 – 20/11/2028")
    address, fragment = real.split("#")
    key_id, _claim, signature = fragment.split(".")
    forged_claim = base64.urlsafe_b64encode(cert.claim.replace("|3|", "|5|").encode()).rstrip(b"=").decode()
    page.get_by_label("Nội dung mã QR").fill(f"{address}#{key_id}.{forged_claim}.{signature}")
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    expect(result).to_have_attribute("data-ok", "false")
    expect(result).to_contain_text("Chữ ký không khớp: mã QR này đã bị sửa hoặc làm giả.")


def test_the_offline_check_accepts_a_certificates_jws_and_rejects_a_tampered_one(
    page: Page,
    live_server,
    reference_data,
    office,  # noqa: F811
    time_machine,
):
    """The JWS form (issue 18): pasted alone or after the certificate's address, checked in the page with WebCrypto."""
    import json

    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    cert = issue(office, stars=3)
    address = qr_text(cert).split("#")[0]
    page.goto(f"{live_server.url}/kiem-tra/")
    page.context.set_offline(True)  # the keys are in the page: no network from here on
    result = page.locator("#offline-result")

    def check(text: str) -> None:
        page.get_by_label("Nội dung mã QR").fill(text)
        page.get_by_role("button", name="Kiểm tra chữ ký").click()

    line = f"{cert.number} · Bình gốm men lam · 3★ · 20/11/2025 – 20/11/2028"
    for text in (cert.jws, f"{address}#{cert.jws}"):
        check(text)
        expect(result).to_have_attribute("data-ok", "true")
        expect(result).to_contain_text("Xác thực: do cơ quan OCOP cấp và ký số.")
        expect(result).to_contain_text(line)
    header, body, signature = cert.jws.split(".")

    def b64(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value, ensure_ascii=False).encode()).rstrip(b"=").decode()

    claim = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    refusals = {
        f"{header}.{b64({**claim, 'stars': 5})}.{signature}": "Chữ ký không khớp: mã QR này đã bị sửa hoặc làm giả.",
        f"{b64({'alg': 'none', 'kid': cert.key_id})}.{body}.": "Chữ ký không khớp: mã QR này đã bị sửa hoặc làm giả.",
        f"{b64({'alg': 'EdDSA', 'kid': '99zzzzzz'})}.{body}.{signature}": (
            "Mã QR được ký bằng khoá 99zzzzzz, khoá này không do tỉnh nào công bố."
        ),
        f"{address.rsplit('/v/', 1)[0]}/v/ABCDEFGHJK#{cert.jws}": "Địa chỉ trong mã QR không khớp với mã giấy chứng nhận đã ký.",
    }
    for text, reason in refusals.items():
        check(text)
        expect(result).to_have_attribute("data-ok", "false")
        expect(result).to_contain_text(reason)
