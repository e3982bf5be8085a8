"""A producer on a 390 px phone: the page opens on its work, the menu folds behind one button that shows exactly the
producer's own entries."""

import pytest
from playwright.sync_api import Page, expect

from ocop.backoffice.tests.test_browser_evaluation import log_in, stage  # noqa: F401
from ocop.evaluation import dossiers as flow
from ocop.testing_axe import serious_violations

pytestmark = pytest.mark.browser

PRODUCER = ["dashboard", "producers", "products", "documents", "dossiers", "rounds", "certificates", "outlets",
            "inspections", "notifications"]  # fmt: skip


def test_a_producer_on_a_phone_finds_its_work_first_and_its_own_menu_behind_one_button(
    page: Page,
    live_server,
    stage,  # noqa: F811
):
    from ocop.accounts.models import User

    owner, commune = User.objects.get(username="chuthe"), User.objects.get(username="canboxa")
    dossier = flow.start_dossier(by=owner, round_=stage["round"], product=stage["product"])
    flow.submit_dossier(by=owner, dossier=dossier)
    flow.return_dossier(by=commune, dossier=dossier, items=[{"item": "Ảnh sản phẩm", "reason": "Ảnh bị mờ"}])

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "chuthe")
    work = page.get_by_role("heading", name="Việc cần làm")
    expect(work).to_be_in_viewport()
    assert work.bounding_box()["y"] < 120  # the page's own content first, not a screen of links
    expect(page.locator(".main-nav")).to_be_hidden()
    assert serious_violations(page) == []

    button = page.locator("summary.menu-button")
    expect(button).to_have_text("Menu")
    button.click()
    expect(page.locator("#menu")).to_have_attribute("open", "")
    links = page.locator(".main-nav a")
    assert links.evaluate_all("links => links.map(a => a.dataset.menu)") == PRODUCER
    for i in range(len(PRODUCER)):
        expect(links.nth(i)).to_be_visible()
    expect(page.locator('.main-nav a[data-menu="dossiers"] .menu-count')).to_contain_text("1")

    button.click()  # folds again
    expect(page.locator(".main-nav")).to_be_hidden()
    page.get_by_role("link", name="Bổ sung hồ sơ bị trả lại: Cốm làng Vòng").click()
    expect(page.get_by_role("heading", name="Hồ sơ: Cốm làng Vòng")).to_be_visible()
