"""Sales points in a real Chromium: the commerce officer registers, assesses and recognises an outlet, its operator
stocks a certified product, and the public map shows it with no request leaving the site; revoking the product's
certificate puts a removal task on the outlet and takes it off the map's "stocks product X" at once."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from ocop.accounts.models import Role
from ocop.backoffice.tests.test_browser_evaluation import log_in
from ocop.outlets import services, stock
from ocop.outlets.checklists import load_checklists
from ocop.outlets.tests.conftest import certify, pass_assessment, register
from ocop.testing import make_producer, make_product, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def people(reference_data):
    load_checklists()
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    product = make_product(producer=make_producer(name="HTX Gốm Bát Tràng"), name="Bình gốm men lam")
    return {
        "coordinator": coordinator,
        "commerce": make_user(Role.COMMERCE_OFFICER, username="commerce"),
        "outlet": make_user(Role.OUTLET_OPERATOR, username="outlet"),
        "product": product,
        "certificate": certify(coordinator, product),
    }


def watch_requests(page: Page, live_server) -> list[str]:
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url))
    return outside


def test_register_assess_recognise_stock_and_find_on_the_map(page: Page, live_server, people):
    log_in(page, live_server, "commerce")
    page.goto(f"{live_server.url}/bo/outlets/new/")
    page.locator("#id_operator_name").fill("HTX Thương mại Bát Tràng")
    page.locator("#id_kind").select_option("sales_point")
    page.locator("#id_name").fill("Điểm OCOP Bát Tràng")
    page.locator("#id_location_type").select_option("craft_village")
    page.locator("#id_commune").select_option(label="Xã Bát Tràng (Hà Nội)")
    page.locator("#id_address").fill("Số 5 đường Giang Cao")
    page.locator("#id_latitude").fill("20,975")
    page.locator("#id_longitude").fill("105,913")
    page.locator("#id_floor_area").fill("45")
    page.locator("#id_opening_hours").fill("Hằng ngày 0:00-24:00")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đăng ký điểm bán “Điểm OCOP Bát Tràng” (đề xuất).")
    expect(page.locator("#outlet-status")).to_have_text("đề xuất")

    page.get_by_role("button", name="Bắt đầu đánh giá").click()
    expect(page.locator("#item-1\\.1 input[value=yes]")).to_be_checked()  # a craft village: measured
    for radio in page.locator("#checklist input[type=radio][value=yes]").all():
        radio.check()
    page.get_by_label("Tổ đánh giá").fill("Tổ thẩm định Sở Công Thương")
    page.get_by_role("button", name="Lưu và chốt kết quả").click()
    expect(page.get_by_role("status")).to_contain_text("Đã chốt đánh giá: đạt")
    page.get_by_role("link", name="← Điểm OCOP Bát Tràng").click()
    page.get_by_label("Số quyết định").fill("412/QĐ-SCT")
    page.get_by_label("Ngày quyết định").fill("2026-11-20")
    page.get_by_role("button", name="Công nhận điểm bán").click()
    expect(page.locator("#outlet-status")).to_have_text("đã công nhận")
    page.get_by_label("Tài khoản người vận hành (tên đăng nhập)").fill("outlet")
    page.get_by_role("button", name="Cho tài khoản này thay mặt đơn vị vận hành").click()
    expect(page.get_by_role("status")).to_contain_text("outlet nay thay mặt HTX Thương mại Bát Tràng")

    log_in(page, live_server, "outlet")
    page.goto(f"{live_server.url}/bo/outlets/")
    page.get_by_role("link", name="Điểm OCOP Bát Tràng").click()
    page.get_by_label("Tìm sản phẩm có giấy chứng nhận còn hiệu lực").fill("binh gom")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.locator("#found").get_by_role("button", name="Đưa lên quầy").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đưa “Bình gốm men lam” lên quầy.")
    expect(page.locator("#shelf")).to_contain_text("Bình gốm men lam")
    expect(page.locator("#share")).to_have_text("100%")

    page.context.clear_cookies()
    outside = watch_requests(page, live_server)
    page.goto(f"{live_server.url}/diem-ban/?san-pham={people['product'].pk}")
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    expect(page.locator("#outlet-list")).to_contain_text("Điểm OCOP Bát Tràng")
    expect(page.locator("#outlet-list")).to_contain_text("đang mở cửa")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(page.locator(".archipelago")).to_have_count(2)  # Hoàng Sa and Trường Sa are labelled on our own outline
    page.locator("#outlet-list li").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Điểm OCOP Bát Tràng")
    assert outside == []


def test_revoking_a_certificate_puts_a_removal_task_and_leaves_the_map(page: Page, live_server, people):
    commerce = people["commerce"]
    outlet = register(commerce)
    pass_assessment(commerce, outlet)
    services.recognise(by=commerce, outlet=outlet, number="412/QĐ-SCT", signed_on=dt.date(2026, 11, 1))
    services.add_operator_member(by=commerce, operator=outlet.operator, user=people["outlet"])
    stock.add_stock(by=commerce, outlet=outlet, product=people["product"])
    stocks = f"{live_server.url}/diem-ban/?san-pham={people['product'].pk}"
    outside = watch_requests(page, live_server)
    page.goto(stocks)
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")

    log_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/bo/certificates/{people['certificate'].pk}/")
    page.get_by_label("Quyết định thu hồi").fill("301/QĐ-UBND")
    page.locator('input[name="revoked_on"]').fill("2026-11-28")
    page.get_by_label("Lý do thu hồi").fill("Không duy trì sản xuất")
    page.get_by_role("button", name="Thu hồi giấy chứng nhận").click()
    expect(page.locator("#status")).to_contain_text("bị thu hồi")

    page.context.clear_cookies()
    page.goto(stocks)
    expect(page.locator("#map")).to_have_attribute("data-ready", "0")
    expect(page.locator("#outlet-list")).to_contain_text("Không có điểm bán nào phù hợp.")

    log_in(page, live_server, "outlet")
    expect(page.locator('#removal-card [data-count="removals"]')).to_have_text("1")  # the in-app notice
    page.goto(f"{live_server.url}/bo/outlets/{outlet.pk}/")
    tasks = page.locator("#removal-tasks")
    expect(tasks).to_contain_text("Bình gốm men lam: giấy chứng nhận bị thu hồi")
    expect(page.locator("#shelf")).to_contain_text("không hợp lệ: rút khỏi quầy")
    tasks.get_by_role("button", name="Xong: đã rút khỏi quầy").click()
    expect(page.get_by_role("status")).to_contain_text("Đã rút khỏi quầy.")
    expect(page.locator("#removal-tasks")).to_have_count(0)
    assert outside == []
