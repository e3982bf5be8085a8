"""End to end in a real Chromium (Debian's package, driven by Playwright)."""

import re
import signal

import pytest
from playwright.sync_api import Page, expect

from ocop.accounts.models import Role
from ocop.core.excel import write_workbook
from ocop.registry.columns import PRODUCER_COLUMNS
from ocop.registry.models import Document, Producer, Product
from ocop.testing import PASSWORD, make_user, pdf_bytes, start_worker

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(reference_data):
    return make_user(Role.COMMUNE_OFFICER, username="canbo", communes=("Bát Tràng",))


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Việc cần làm"))).to_be_visible()  # every role's home


def test_log_in_and_wrong_password(page: Page, live_server, officer):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập và mật khẩu chính xác")
    log_in(page, live_server, "canbo")
    expect(page.locator(".badge")).to_have_text("Cán bộ cấp xã · Xã Bát Tràng")


def test_create_producer_product_and_document(page: Page, live_server, officer, tmp_path):
    log_in(page, live_server, "canbo")
    page.get_by_role("link", name="Chủ thể", exact=True).click()
    page.get_by_role("link", name="Đăng ký chủ thể").click()
    page.get_by_label("Loại hình").select_option("cooperative")
    page.get_by_label("Tên", exact=True).fill("HTX Gốm sứ Bát Tràng Xanh")
    page.get_by_label("Mã số", exact=True).fill("0104567890")
    page.get_by_label("Xã/phường").select_option(label="Xã Bát Tràng (Hà Nội)")
    page.get_by_label("Nữ làm chủ").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="HTX Gốm sứ Bát Tràng Xanh")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Đã đăng ký chủ thể")

    page.get_by_role("link", name="Đăng ký sản phẩm").click()
    # The form opens with the producer and its commune chosen.
    expect(page.get_by_label("Chủ thể")).to_have_value(str(Producer.objects.get(identifier="0104567890").pk))
    page.get_by_label("Tên", exact=True).fill("Bình gốm men lam")
    page.get_by_label("Bộ sản phẩm").select_option(label="Thủ công mỹ nghệ, trang trí")
    page.get_by_label("Quy cách đóng gói").fill("Hộp")
    page.get_by_label("Mã vạch (GTIN)").fill("8934588012228")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Bình gốm men lam")).to_be_visible()
    expect(page.get_by_role("cell", name="8934588012228")).to_be_visible()

    page.get_by_role("link", name="HTX Gốm sứ Bát Tràng Xanh").click()
    page.get_by_role("link", name="Thêm tài liệu").click()
    pdf = tmp_path / "giay-attp.pdf"
    pdf.write_bytes(pdf_bytes("attp"))
    page.get_by_label("Loại").select_option("food_safety")
    page.get_by_label("Số hiệu").fill("123/ATTP-HN")
    page.get_by_label("Ngày hết hạn").fill("31/12/2027")
    page.get_by_label("tệp (PDF, JPEG hoặc PNG, tối đa 20 MB)").set_input_files(str(pdf))
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm tài liệu vào kho hồ sơ")
    expect(page.locator("dd", has_text="31/12/2027")).to_be_visible()

    producer = Producer.objects.get(identifier="0104567890")
    assert (producer.women_led, producer.commune.name) == (True, "Xã Bát Tràng")
    product = Product.objects.get(producer=producer)
    assert [(p.name, p.gtin) for p in product.packs.all()] == [("Hộp", "8934588012228")]
    assert Document.objects.get(producer=producer).number == "123/ATTP-HN"


def test_excel_import_with_one_bad_row(page: Page, live_server, officer, tmp_path):
    workbook = tmp_path / "chu-the.xlsx"
    workbook.write_bytes(
        write_workbook(
            title="x",
            headers=[t for _n, t in PRODUCER_COLUMNS],
            rows=[
                ["", "Hợp tác xã", "HTX Một", "0101000001", "", "", "", "", "Bát Tràng", "", "Hà Nội", "", ""],
                ["", "Doanh nghiệp", "Công ty Hai", "12-AB", "", "", "", "", "Bát Tràng", "", "Hà Nội", "", ""],
                ["", "Hợp tác xã", "HTX Ba", "0101000003", "", "", "", "", "Bát Tràng", "", "Hà Nội", "x", ""],
            ],
        )
    )
    worker = start_worker(tmp_path)  # the upload is only stored; the task worker reads and checks it
    try:
        log_in(page, live_server, "canbo")
        page.goto(f"{live_server.url}/bo/imports/producers/")
        page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(workbook))
        page.get_by_role("button", name="Kiểm tra tệp").click()
        errors = page.locator("#errors tbody tr")
        expect(errors).to_have_count(1, timeout=30_000)  # the page follows the worker, then shows the dry run
        expect(errors.first).to_contain_text("3")
        expect(errors.first).to_contain_text("Mã số thuế “12-AB” phải có 10 chữ số")
        expect(page.locator('[data-count="created"]')).to_have_text("2")
        expect(page.locator('[data-count="errors"]')).to_have_text("1")
        assert Producer.objects.count() == 0

        workbook.write_bytes(
            write_workbook(
                title="x",
                headers=[t for _n, t in PRODUCER_COLUMNS],
                rows=[
                    ["", "Hợp tác xã", "HTX Một", "0101000001", "", "", "", "", "Bát Tràng", "", "Hà Nội", "", ""],
                    ["", "Hợp tác xã", "HTX Ba", "0101000003", "", "", "", "", "Bát Tràng", "", "Hà Nội", "x", ""],
                ],
            )
        )
        page.get_by_role("link", name="Tải lên tệp đã sửa").click()
        page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(workbook))
        page.get_by_role("button", name="Kiểm tra tệp").click()
        page.get_by_role("button", name="Lưu", exact=True).click(timeout=30_000)
        expect(page.get_by_text("Đã lưu.")).to_be_visible(timeout=30_000)
        expect(page.locator('[data-count="created"]')).to_have_text("2")
        expect(page.locator('[data-count="errors"]')).to_have_text("0")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert sorted(Producer.objects.values_list("name", flat=True)) == ["HTX Ba", "HTX Một"]
