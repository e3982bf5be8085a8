"""A sales point's operator on a 390 px phone makes an API token for the chain's system: the menu leads to the page,
the token is shown once in a field that fits the screen, its Copy button puts the exact text on the clipboard, the
list (wider than a phone) scrolls in its own box without widening the page, and the token is revoked."""

import re

import pytest
from playwright.sync_api import Page, expect

from ocop.accounts.models import ApiToken
from ocop.backoffice.tests.test_browser_evaluation import log_in
from ocop.testing_axe import serious_violations

pytestmark = pytest.mark.browser


def test_an_operator_on_a_phone_makes_copies_and_revokes_a_token(page: Page, live_server, reference_data, world):
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server, "outlet")
    page.locator("summary.menu-button").click()
    page.locator('.main-nav a[data-menu="api_tokens"]').click()
    expect(page.get_by_role("heading", name="Mã truy cập API", exact=True)).to_be_visible()

    page.get_by_label("Tên").fill("Chuỗi siêu thị X")
    page.get_by_label("Đọc và ghi").check()
    page.get_by_role("button", name="Tạo mã").click()
    expect(page.locator("#token-warning")).to_have_text(
        "Hãy sao chép mã ngay và lưu vào cấu hình của hệ thống kia: mã chỉ hiện một lần này. OCOP Hub chỉ giữ dấu vân "
        "tay của mã và không thể hiện lại; nếu làm mất, hãy thu hồi và tạo mã khác."
    )
    token = ApiToken.objects.get()
    text = page.locator("#token-text").input_value()
    assert re.fullmatch(rf"ocop_{token.prefix}_[A-Za-z0-9_-]{{43}}", text)
    assert page.evaluate("document.documentElement.scrollWidth") == 390  # the field fits the phone
    assert serious_violations(page) == []
    copy = page.get_by_role("button", name="Sao chép")
    copy.click()
    expect(page.get_by_role("button", name="Đã sao chép")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == text

    page.get_by_role("link", name="Quay lại các mã truy cập API của tôi").click()
    row = page.locator(f'tr[data-token="{token.prefix}"]')
    expect(row).to_contain_text("Chuỗi siêu thị X")
    expect(row).to_contain_text("Đang hiệu lực")
    expect(page.locator("#tokens th")).to_have_text(
        ["Tên", "Mã", "Phạm vi", "Ngày tạo", "Hết hạn", "Dùng lần cuối", "Trạng thái", ""]
    )
    assert page.evaluate("document.documentElement.scrollWidth") == 390  # the table scrolls in its own box
    assert serious_violations(page) == []
    row.get_by_role("link", name="Thu hồi").click()
    page.get_by_role("button", name="Thu hồi mã").click()
    expect(page.locator(".messages")).to_have_text("Đã thu hồi mã truy cập API “Chuỗi siêu thị X”.")
    expect(page.locator(f'tr[data-token="{token.prefix}"]')).to_contain_text("Đã thu hồi")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_commune_officer_on_a_phone_subscribes_and_copies_the_signing_secret(
    page: Page, live_server, reference_data, world
):
    """The webhook's secret, shown once, fits the phone (a long word wraps) and its Copy button copies it exactly;
    removing the subscription asks first."""
    from ocop.webhooks.models import Subscription

    page.set_viewport_size({"width": 390, "height": 844})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server, "communeofficer")
    page.locator("summary.menu-button").click()
    page.locator('.main-nav a[data-menu="webhooks"]').click()
    page.get_by_role("link", name="Đăng ký mới").click()
    page.get_by_label("Tên", exact=True).fill("Cổng thông tin xã")
    page.get_by_label("Địa chỉ nhận (URL)").fill("https://93.184.216.34/hook")
    page.get_by_label("giấy chứng nhận bị đình chỉ").check()
    page.get_by_role("button", name="Lưu").click()
    secret = Subscription.objects.get().secret
    expect(page.locator("#webhook-secret")).to_have_text(secret)
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    page.get_by_role("button", name="Sao chép").click()
    expect(page.get_by_role("button", name="Đã sao chép")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    page.get_by_role("link", name="Đến trang đăng ký").click()
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Bỏ", exact=True).click()
    expect(page.locator("#webhook-events")).to_be_visible()
    assert asked == ["Bỏ đăng ký này? Sẽ không gửi gì tới địa chỉ này nữa, và các lần gửi của nó cũng bị xóa theo."]
    assert Subscription.objects.count() == 1  # dismissed: nothing removed
