"""A whole cycle in a real Chromium, each actor starting from "Việc cần làm" on /bo/: producer → commune → advisory
team → council → publication → decision (through its confirmation) → certificate PDFs → the producer's result and
notices. After each turn the actor's queue is empty again; every notice is in the database exactly once."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ocop.accounts.models import Notification
from ocop.backoffice.tests.test_browser_evaluation import GOOD, log_in, stage  # noqa: F401
from ocop.evaluation.models import Dossier
from ocop.testing import run_queued_tasks
from ocop.testing_axe import serious_violations

pytestmark = pytest.mark.browser

PRODUCT = "Cốm làng Vòng"


def take(page: Page, item: str, badges: dict[str, str]) -> None:
    """On the home page the actor just logged into: the menu's counts, then `item` in Việc cần làm, clicked."""
    counts = page.locator(".main-nav a:has(.menu-count)").evaluate_all(
        "links => links.map(a => [a.dataset.menu, a.querySelector('[aria-hidden]').textContent])"
    )
    assert dict(counts) == badges
    page.locator("#work-list").get_by_role("link", name=item).click()


def finished(page: Page, live_server) -> None:
    """The actor's home page again: nothing left to do."""
    page.goto(f"{live_server.url}/bo/")
    expect(page.locator("#work-empty")).to_have_text("Không có việc nào đang chờ bạn.")


def test_each_actor_finds_the_next_step_in_its_work_queue_and_each_notice_arrives_once(
    page: Page,
    live_server,
    stage,  # noqa: F811
):
    # The real day, not a travelled one: the PDF batch page reaps a job whose worker last beat before its process
    # started (a reused pid), which a beat dated in the past would fake.
    today = timezone.localdate()
    page.on("dialog", lambda dialog: dialog.accept())

    # The producer drafts the dossier from the product page and submits it.
    log_in(page, live_server, "chuthe")
    expect(page.locator("#work-empty")).to_be_visible()
    page.goto(f"{live_server.url}/bo/products/{stage['product'].pk}/")
    page.get_by_role("link", name="Lập hồ sơ đánh giá").click()
    page.get_by_role("button", name="Lập hồ sơ").click()
    page.get_by_role("button", name="Nộp hồ sơ lên xã").click()
    expect(page.locator("#dossier-state")).to_have_text("Đã nộp lên xã")
    finished(page, live_server)

    # The commune officer checks it from its queue and proposes it to the province.
    log_in(page, live_server, "canboxa")
    assert serious_violations(page) == []  # the work queue
    take(page, f"Kiểm tra hồ sơ: {PRODUCT}", {"dossiers": "1", "notifications": "1"})
    for code, index in {"A1.1": 2, "A2.1": 3, "A3.2": 2, "B5.2": 3}.items():
        page.locator(f'input[name="line_{code}"][value="{index}"]').check()
    page.get_by_label("Báo cáo của xã").fill("Nguyên liệu lúa nếp của xã.")
    page.get_by_role("button", name="Ghi nhận đánh giá").click()
    expect(page.locator("#dossier-state")).to_have_text("Xã đã kiểm tra")
    page.get_by_role("button", name="Đề nghị lên tỉnh").click()
    expect(page.locator("#dossier-state")).to_have_text("Xã đã đề nghị lên tỉnh")
    finished(page, live_server)

    # The advisory team reviews it, records the site visit and hands it to the council.
    log_in(page, live_server, "dieuphoi")
    take(page, f"Thẩm định hồ sơ: {PRODUCT}", {"dossiers": "1", "notifications": "1"})
    page.get_by_role("button", name="Bắt đầu thẩm định").click()
    page.get_by_label("Ngày khảo sát thực tế").fill(today.isoformat())
    page.get_by_label("Biên bản khảo sát thực tế").fill("Cơ sở sạch, quy trình rõ ràng.")
    page.get_by_role("button", name="Lưu kết quả khảo sát").click()
    page.get_by_role("button", name="Chuyển Hội đồng").click()
    expect(page.locator("#dossier-state")).to_have_text("Sẵn sàng cho Hội đồng")
    finished(page, live_server)

    # Each member of the council scores from its queue, which tells how many have scored.
    for n, username in enumerate(("hoidong0", "hoidong1", "hoidong2")):
        log_in(page, live_server, username)
        expect(page.locator("#work-list")).to_contain_text(f"{n}/3 thành viên đã chấm")
        take(page, f"Chấm điểm hồ sơ: {PRODUCT}", {"dossiers": "1", "notifications": "1"})
        if n == 0:
            assert serious_violations(page) == []  # the scoring page
        for code, index in GOOD.items():
            page.locator(f'input[name="line_{code}"][value="{index}"]').check()
        page.get_by_role("button", name="Nộp phiếu chấm").click()
        expect(page.get_by_role("status")).to_contain_text("Đã nộp phiếu chấm của bạn.")
        finished(page, live_server)
    dossier = Dossier.objects.get(product=stage["product"])
    assert (dossier.result.mean, dossier.result.stars) == (82, 4)

    # The coordinator publishes, then drafts the decision and issues it through the confirmation, and makes the PDFs.
    log_in(page, live_server, "dieuphoi")
    take(page, "Công bố kết quả của Hội đồng OCOP Hà Nội 2025", {"rounds": "1", "notifications": "2"})
    page.get_by_role("button", name="Công bố kết quả").click()
    expect(page.get_by_role("status")).to_contain_text("Đã công bố 1 kết quả")
    page.goto(f"{live_server.url}/bo/")
    take(
        page, "Dự thảo quyết định công nhận: đợt 1/2025, Thành phố Hà Nội", {"certificates": "1", "notifications": "2"}
    )
    page.get_by_role("button", name="Dự thảo từ kết quả 3 sao, 4 sao đã công bố").click()
    page.get_by_label("Số quyết định").fill("125/QĐ-UBND")
    page.get_by_label("Ngày", exact=True).fill(today.isoformat())
    page.get_by_label("Người ký").fill("Nguyễn Văn A")
    page.get_by_role("button", name="Tiếp tục: kiểm tra lại trước khi ban hành").click()
    page.get_by_role("button", name="Ban hành và tạo giấy chứng nhận").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ban hành quyết định: 1 giấy chứng nhận.")
    page.get_by_role("button", name="Tạo tất cả giấy chứng nhận (PDF)").click()
    expect(page.locator("#progress")).to_be_visible()  # the batch is queued
    assert run_queued_tasks("ocop.certificates.jobs.make_pdfs") == 1  # the task worker
    page.reload()
    expect(page.locator("#batch-done")).to_be_visible()
    finished(page, live_server)

    # The producer finds its new result in its queue and the five notices of its dossier's way, each once.
    log_in(page, live_server, "chuthe")
    expect(page.locator("#work-list li")).to_contain_text(f"Kết quả mới: {PRODUCT} · 4 sao")
    take(page, f"Kết quả mới: {PRODUCT}", {"dossiers": "1", "notifications": "5"})
    expect(page.locator("#standing")).to_contain_text("đạt 4 sao")
    page.goto(f"{live_server.url}/bo/notifications/")
    expect(page.locator("#notifications > li strong")).to_have_text(
        [
            f"Giấy chứng nhận OCOP số 01-{today.year}-00001 của sản phẩm {PRODUCT} đã sẵn sàng",
            f"{PRODUCT} được công nhận sản phẩm OCOP 4 sao",
            f"{PRODUCT}: công bố kết quả đạt OCOP 4 sao",
            f"Hồ sơ sản phẩm {PRODUCT} đã được chuyển hội đồng đánh giá",
            f"Hồ sơ sản phẩm {PRODUCT} đã được xã đề xuất lên tỉnh",
        ]
    )
    # Reading the page marks nothing; the button does.
    expect(page.locator('.main-nav a[data-menu="notifications"] .menu-count')).to_have_text("5(5 thông báo chưa đọc)")
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(page.locator('.main-nav a[data-menu="notifications"] .menu-count')).to_have_count(0)  # read now

    assert sorted(Notification.objects.values_list("user__username", "kind")) == [
        ("canboxa", "decision_issued"),
        ("canboxa", "submitted"),
        ("chuthe", "certificate_ready"),
        ("chuthe", "decision_issued"),
        ("chuthe", "proposed"),
        ("chuthe", "result_published"),
        ("chuthe", "sent_to_council"),
        ("dieuphoi", "proposed"),
        ("dieuphoi", "scoring_complete"),
        ("hoidong0", "sent_to_council"),
        ("hoidong1", "sent_to_council"),
        ("hoidong2", "sent_to_council"),
    ]
