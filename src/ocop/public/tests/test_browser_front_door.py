"""The consumer's front door in a real Chromium: the home page finds a product by a search without marks and leads
to the QR check; the QR check verifies a code with the network cut after one visit, and reads a label's QR through the
camera (Chromium's fake capture device, filming the QR). axe-core finds no serious or critical accessibility problem
on either page."""

import datetime as dt
import io

import pytest
import segno
from django.conf import settings
from PIL import Image
from playwright.sync_api import Page, expect

from ocop.certificates.pdf import qr_text
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.testing import make_product
from ocop.testing_axe import serious_violations

pytestmark = pytest.mark.browser


def test_the_home_page_finds_a_product_without_marks_and_opens_the_qr_check(
    page: Page,
    live_server,
    reference_data,
    office,  # noqa: F811
    time_machine,
):
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    issue(office, product=make_product(producer=office.producer, name="Chè búp Bát Tràng"), stars=4)
    issue(office, stars=3)  # Bình gốm men lam
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Sản phẩm OCOP Hà Nội")).to_be_visible()
    expect(page.locator("#front-stars")).to_contain_text("1 sản phẩm 4 sao")
    page.locator("#map").scroll_into_view_if_needed()  # the small map loads when it comes into view
    expect(page.locator("#map")).to_have_attribute("data-ready", "0")  # no sales point yet
    expect(page.locator("#map .leaflet-control-zoom")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Tìm sản phẩm OCOP").fill("che bup")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page).to_have_url(f"{live_server.url}/san-pham/?q=che+bup")
    expect(page.locator("#products")).to_contain_text("Chè búp Bát Tràng")
    expect(page.locator("#products")).not_to_contain_text("Bình gốm men lam")
    page.go_back()
    page.get_by_role("link", name="Kiểm tra mã QR").click()
    expect(page).to_have_url(f"{live_server.url}/kiem-tra/")
    expect(page.get_by_role("button", name="Quét bằng camera")).to_be_visible()


def test_the_qr_check_verifies_with_the_network_cut_after_one_visit(
    page: Page,
    live_server,
    reference_data,
    office,  # noqa: F811
    time_machine,
):
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    cert = issue(office, stars=3)
    text = qr_text(cert)
    page.goto(f"{live_server.url}/kiem-tra/")
    # The service worker has stored the page, its files and the keys.
    expect(page.locator("#offline-ready")).to_have_attribute("data-ready", "true")
    expect(page.locator("#offline-ready")).to_contain_text("Trang này đã được lưu trên thiết bị")
    assert serious_violations(page) == []

    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    assert page.evaluate("fetch('/api/v1/keys').then(r => r.json()).then(keys => keys.length)") == 1
    page.get_by_label("Nội dung mã QR").fill(text)
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    result = page.locator("#offline-result")
    expect(result).to_have_attribute("data-ok", "true")
    expect(result).to_contain_text("Xác thực: do cơ quan OCOP cấp và ký số.")
    expect(result).to_contain_text(f"{cert.number} · Bình gốm men lam · 3★ · 20/11/2025 – 20/11/2028")


def test_the_qr_check_tells_an_unsigned_code_and_warns_of_a_signed_one_under_another_address(
    page: Page,
    live_server,
    reference_data,
    office,  # noqa: F811
    time_machine,
):
    """A code without a signature (a certificate imported from paper records) is OCOP Hub's, not a fake; a genuine
    signature under another web address is not a green verdict: its link leads elsewhere."""
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    cert = issue(office, stars=3)
    page.goto(f"{live_server.url}/kiem-tra/")
    result = page.locator("#offline-result")
    page.get_by_label("Nội dung mã QR").fill(f"{settings.OCOP_PUBLIC_BASE_URL}/v/{cert.code}")
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    expect(result).to_have_attribute("data-verdict", "warn")
    expect(result).to_have_text(
        "ℹ Mã của OCOP Hub nhưng không có chữ ký số (giấy chứng nhận nhập từ hồ sơ giấy): mở liên kết khi có mạng để "
        "xem tình trạng."
    )
    forged = qr_text(cert).replace(settings.OCOP_PUBLIC_BASE_URL, "https://evil.example")
    assert forged.startswith(f"https://evil.example/v/{cert.code}#")
    page.get_by_label("Nội dung mã QR").fill(forged)
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    expect(result).to_have_attribute("data-verdict", "warn")
    expect(result).to_have_attribute("data-ok", "false")
    expect(result).to_contain_text(
        f"⚠ Chữ ký hợp lệ nhưng địa chỉ trong mã không phải trang chính thức ({settings.OCOP_PUBLIC_BASE_URL}): "
        "đừng mở liên kết này."
    )
    expect(result).to_contain_text(f"{cert.number} · Bình gốm men lam · 3★ · 20/11/2025 – 20/11/2028")
    page.get_by_label("Nội dung mã QR").fill(qr_text(cert))  # the genuine code, under the official address
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    expect(result).to_have_attribute("data-verdict", "valid")


def camera_video(text: str, path) -> None:
    """A camera that films the label's QR, as the certificate's own generator draws it: a Y4M file for Chromium's
    fake capture device (a few 640 × 480 frames, 4:2:0)."""
    png = io.BytesIO()
    segno.make(text, error="m").save(png, kind="png", scale=5, border=4)
    frame = Image.new("RGB", (640, 480), "white")
    qr = Image.open(png).convert("RGB")
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    planes = y.tobytes() + cb.resize((320, 240)).tobytes() + cr.resize((320, 240)).tobytes()
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n" + (b"FRAME\n" + planes) * 3)


def test_the_camera_scans_a_label_and_the_signature_is_checked(
    browser_type,
    browser_type_launch_args,
    live_server,
    reference_data,
    office,  # noqa: F811
    time_machine,
    tmp_path,
):
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    cert = issue(office, stars=3)
    text = qr_text(cert)
    camera_video(text, tmp_path / "label.y4m")
    fake_camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={tmp_path / 'label.y4m'}",
    ]
    args = {**browser_type_launch_args, "args": [*browser_type_launch_args["args"], *fake_camera]}
    browser = browser_type.launch(**args)
    try:
        page = browser.new_page(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        page.goto(f"{live_server.url}/kiem-tra/")
        # Headless Chromium on Linux has no BarcodeDetector: this is jsQR, the decoder from npm.
        assert page.evaluate("'BarcodeDetector' in window") is False
        page.get_by_role("button", name="Quét bằng camera").click()
        result = page.locator("#offline-result")
        expect(result).to_have_attribute("data-ok", "true")
        expect(result).to_contain_text("Xác thực: do cơ quan OCOP cấp và ký số.")
        expect(page.get_by_label("Nội dung mã QR")).to_have_value(text)
        expect(page.locator("#scanner")).to_be_hidden()  # the camera is off once the code is read
    finally:
        browser.close()
