"""The coordinator sets the year's plan in a real Chromium and sees its progress move when a certificate is issued."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from ocop.accounts.models import Role
from ocop.backoffice.tests.test_browser_evaluation import log_in
from ocop.outlets.tests.conftest import certify
from ocop.testing import make_producer, make_product, make_user

pytestmark = pytest.mark.browser


def test_the_coordinator_sets_a_plan_and_sees_progress_move(page: Page, live_server, reference_data, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC), tick=True)
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    product = make_product(producer=make_producer(name="HTX Gốm Bát Tràng"), name="Bình gốm men lam")
    log_in(page, live_server, "coordinator")
    page.get_by_role("link", name="Kế hoạch", exact=True).click()
    page.get_by_label("Năm").fill("2026")
    page.get_by_label("Tên kế hoạch").fill("Kế hoạch thực hiện Chương trình OCOP năm 2026")
    page.get_by_label("Số hiệu").fill("12/KH-UBND")
    page.get_by_label("Ngày", exact=True).fill("2026-01-20")
    page.get_by_role("button", name="Ghi nhận kế hoạch").click()
    expect(page.get_by_role("status")).to_contain_text("hãy đặt các chỉ tiêu")
    page.locator("#target-form select[name=indicator]").select_option("rated_3_stars")
    page.get_by_label("Chỉ tiêu đặt ra").fill("4")
    page.get_by_role("button", name="Lưu chỉ tiêu").click()
    row = page.locator("#row-rated_3_stars")
    expect(row).to_contain_text("Sản phẩm đạt từ 3 sao trở lên")
    expect(row.locator(".done")).to_have_text("0")

    certify(coordinator, product, on=dt.date(2026, 11, 20))  # the province's decision is issued
    page.reload()
    expect(row.locator(".done")).to_have_text("1")
    expect(row).to_contain_text("25%")
    row.locator(".done").click()
    expect(page.locator("#records")).to_contain_text("Bình gốm men lam")
