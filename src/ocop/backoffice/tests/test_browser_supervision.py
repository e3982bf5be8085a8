"""Issue 6's browser checks in a real Chromium: an inspector's finding suspends a certificate and the scan page shows
it; time travel brings the expiry notices, each once; the yearly workbook's totals equal the dashboard's."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from ocop.accounts.models import Role
from ocop.accounts.services import system_user
from ocop.backoffice.tests.test_browser_certificates import scan
from ocop.backoffice.tests.test_browser_evaluation import log_in
from ocop.certificates.notices import run_watch
from ocop.outlets.tests.conftest import certify
from ocop.registry import services as registry_services
from ocop.reporting.tests.conftest import scene as scene
from ocop.testing import make_producer, make_product, make_user

pytestmark = pytest.mark.browser


def test_an_inspectors_finding_suspends_the_certificate_and_the_scan_page_shows_it(
    page: Page, live_server, reference_data, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 29, 2, tzinfo=dt.UTC), tick=True)
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    make_user(Role.INSPECTOR, username="inspector")
    product = make_product(producer=make_producer(name="HTX Gốm Bát Tràng"), name="Bình gốm men lam")
    cert = certify(coordinator, product, on=dt.date(2026, 1, 10))
    log_in(page, live_server, "inspector")
    page.get_by_role("link", name="Kiểm tra, giám sát", exact=True).click()
    pick = page.locator("#picks tr", has_text="HTX Gốm Bát Tràng")
    expect(pick).to_contain_text("chưa từng được kiểm tra")
    pick.get_by_role("button", name="Lên lịch").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lên lịch kiểm tra ngày 29/11/2026.")
    for area in ("still_producing", "raw_materials", "production_conditions", "declared_standard", "labels",
                 "traceability", "ocop_mark", "intellectual_property"):  # fmt: skip
        page.locator(f"#check-{area}").get_by_label("đạt", exact=True).check()
    food = page.locator("#check-food_safety")
    food.get_by_label("chưa đạt", exact=True).check()
    food.get_by_label("Nội dung chưa đạt").fill("Giấy chứng nhận ATTP đã hết hạn")
    food.locator("select").select_option("serious")
    food.get_by_label("Hạn khắc phục").fill("2026-12-29")
    page.get_by_role("button", name="Ghi nhận kết quả kiểm tra").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận kết quả kiểm tra.")
    expect(page.locator("#findings")).to_contain_text("Giấy chứng nhận ATTP đã hết hạn")
    form = page.locator("#sanction-form")
    form.locator("select[name=kind]").select_option("suspension")
    form.locator("select[name=certificate]").select_option(str(cert.pk))
    form.locator("select[name=finding]").select_option(index=1)
    form.get_by_label("Lý do").fill("Vi phạm an toàn thực phẩm khi kiểm tra")
    form.get_by_role("button", name="Quyết định xử lý").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận xử lý: tạm đình chỉ giấy chứng nhận.")
    expect(page.locator("#findings")).to_contain_text("đã chuyển xử lý")
    scan(page, live_server, cert.code)
    expect(page.locator("#verdict")).to_contain_text("TẠM ĐÌNH CHỈ: hiện không phải sản phẩm OCOP")
    expect(page.locator("#verdict")).to_contain_text("Vi phạm an toàn thực phẩm khi kiểm tra")


def test_time_travel_brings_each_expiry_notice_once(page: Page, live_server, reference_data, time_machine):
    time_machine.move_to(dt.datetime(2023, 4, 1, 2, tzinfo=dt.UTC), tick=True)
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    producer = make_producer(name="HTX Gốm Bát Tràng")
    owner = make_user(Role.PRODUCER, username="chuthe")
    registry_services.link_producer_account(producer=producer, user=owner, by=system_user())
    cert = certify(coordinator, make_product(producer=producer, name="Bình gốm men lam"), on=dt.date(2023, 4, 1))
    title = f"Giấy chứng nhận OCOP {cert.number} hết hạn ngày 01/04/2026"
    notices = page.locator("#notifications li")
    for day, shown in ((dt.date(2025, 12, 20), 0), (dt.date(2026, 1, 1), 1), (dt.date(2026, 1, 31), 2),
                       (dt.date(2026, 3, 2), 3)):  # fmt: skip
        time_machine.move_to(dt.datetime.combine(day, dt.time(2), tzinfo=dt.UTC), tick=True)
        run_watch()
        run_watch()  # the daily task run twice on one day
        log_in(page, live_server, "chuthe")
        if shown:
            expect(page.locator("#notification-card")).to_contain_text("1")
        page.goto(f"{live_server.url}/bo/notifications/")
        expect(notices.filter(has_text=title)).to_have_count(shown)
        # new on each visit: the decision's notice at the first, then each expiry notice
        expect(page.locator("#notifications li.unread")).to_have_count(1)
        page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()  # looking is not reading: the button
        expect(page.locator("#notifications li.unread")).to_have_count(0)
    notices.first.get_by_role("link").click()  # the pre-filled re-recognition dossier
    expect(page.get_by_role("heading", name="Lập hồ sơ: Bình gốm men lam")).to_be_visible()
    expect(page.get_by_text("Hồ sơ đánh giá lại được chép từ phần tự đánh giá")).to_be_visible()
    time_machine.move_to(dt.datetime(2026, 4, 2, 2, tzinfo=dt.UTC), tick=True)
    scan(page, live_server, cert.code)
    expect(page.locator("#verdict")).to_contain_text("HẾT HIỆU LỰC")


def test_the_yearly_workbook_totals_equal_the_dashboards(page: Page, live_server, reference_data, scene, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 2, tzinfo=dt.UTC), tick=True)
    log_in(page, live_server, "coordinator")
    page.get_by_role("link", name="Thống kê", exact=True).click()
    stars = {n: int(page.locator(f'#by-stars [data-stars="{n}"]').inner_text()) for n in (3, 4, 5)}
    total = int(page.locator("#by-stars [data-total]").inner_text())
    assert (stars, total) == ({3: 1, 4: 1, 5: 1}, 3)
    expect(page.locator("#by-stars img, section.chart img").first).to_be_visible()
    page.get_by_role("button", name="Lập bảng tính").click()
    expect(page.locator("#progress")).to_contain_text("0/1")
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    with page.expect_download() as download:
        page.locator("#report-file").click()  # the page refreshes itself when the workbook is ready
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    assert book.sheetnames[:5] == ["Tổng hợp", "Theo hạng sao", "Theo nhóm", "Theo xã phường", "Chủ thể"]
    rows = list(book["Theo hạng sao"].iter_rows(min_row=6, values_only=True))  # below the title block
    assert rows == [("Hạng sao", "Sản phẩm"), ("3★", stars[3]), ("4★", stars[4]), ("tiềm năng 5★", 0), ("5★", stars[5]),
                    ("Tổng", total)]  # fmt: skip
    by_commune = list(book["Theo xã phường"].iter_rows(min_row=7, values_only=True))
    assert sum(r[-1] for r in by_commune) == total
