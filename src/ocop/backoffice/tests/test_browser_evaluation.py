"""A dossier from draft to the council's result, in a real Chromium, as each role would do it."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from ocop.accounts.models import Role
from ocop.accounts.services import system_user
from ocop.evaluation import dossiers as flow
from ocop.evaluation import scoring
from ocop.evaluation.demo import FOUR_STARS
from ocop.evaluation.enums import MemberRole
from ocop.evaluation.models import CriteriaVersion, Dossier, Result, ScoreSheet
from ocop.registry import services
from ocop.registry.enums import DocumentKind
from ocop.testing import PASSWORD, make_document, make_producer, make_product, make_user, province, signing_keys

pytestmark = pytest.mark.browser

GOOD = FOUR_STARS  # 82 points: a 4-star sheet
# 66 points: far from the others, so the council must review.
HARSH = {**GOOD, "B4.2": 0, "C6.3": 0, "C7.5": 0, "A2.3": 0}


@pytest.fixture
def stage(reference_data):
    signing_keys("01")  # Hà Nội's key, made as an administrator does before its first decision
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="dieuphoi")
    make_user(Role.COMMUNE_OFFICER, username="canboxa", communes=("Bát Tràng",))
    owner = make_user(Role.PRODUCER, username="chuthe")
    producer = make_producer(name="HTX Cốm Làng Vòng", commune_name="Bát Tràng")
    services.link_producer_account(producer=producer, user=owner, by=system_user())
    product = make_product(producer=producer, name="Cốm làng Vòng", set_code="1-06")
    for kind in (
        DocumentKind.BUSINESS_REGISTRATION,
        DocumentKind.FOOD_SAFETY,
        DocumentKind.QUALITY_DECLARATION,
        DocumentKind.TEST_REPORT,
    ):
        make_document(producer=producer, kind=kind, expires_on=dt.date(2031, 1, 1))
    round_ = flow.create_round(
        by=coordinator,
        province=province(),
        year=2025,
        number=1,
        criteria_version=CriteriaVersion.objects.get(code="DEMO-148"),
    )
    members = [make_user(Role.COUNCIL_MEMBER, username=f"hoidong{i}") for i in range(3)]
    council = scoring.set_up_council(
        by=coordinator,
        round_=round_,
        name="Hội đồng OCOP Hà Nội 2025",
        members=[
            (members[0], MemberRole.CHAIR, ""),
            (members[1], MemberRole.MEMBER, ""),
            (members[2], MemberRole.MEMBER, ""),
        ],
    )
    scoring.open_meeting(by=coordinator, council=council, present=list(council.members.all()))
    return {"product": product, "round": round_}


def log_in(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Việc cần làm"))).to_be_visible()  # every role's home


def open_dossier(page: Page, live_server, dossier: Dossier) -> None:
    page.goto(f"{live_server.url}/bo/dossiers/{dossier.pk}/")
    expect(page.get_by_role("heading", name="Hồ sơ: Cốm làng Vòng")).to_be_visible()


def score(page: Page, live_server, dossier: Dossier, choices: dict[str, int], reason: str = "") -> None:
    page.goto(f"{live_server.url}/bo/dossiers/{dossier.pk}/score/")
    for code, index in choices.items():
        page.locator(f'input[name="line_{code}"][value="{index}"]').check()
    if reason:
        page.get_by_label("Lý do chấm lại").fill(reason)
    page.get_by_role("button", name="Nộp phiếu chấm").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nộp phiếu chấm của bạn.")


def test_a_dossier_from_draft_to_the_path_to_the_next_star(page: Page, live_server, stage):
    page.on("dialog", lambda dialog: dialog.accept())
    product = stage["product"]

    # The producer drafts the dossier from the product page and submits it.
    log_in(page, live_server, "chuthe")
    page.goto(f"{live_server.url}/bo/products/{product.pk}/")
    page.get_by_role("link", name="Lập hồ sơ đánh giá").click()
    page.get_by_role("button", name="Lập hồ sơ").click()
    expect(page.get_by_text("Đã có đủ các tài liệu bắt buộc.")).to_be_visible()
    page.get_by_role("button", name="Nộp hồ sơ lên xã").click()
    expect(page.locator("#dossier-state")).to_have_text("Đã nộp lên xã")
    dossier = Dossier.objects.get(product=product)

    # The commune assesses its four criteria and proposes the dossier to the province.
    log_in(page, live_server, "canboxa")
    open_dossier(page, live_server, dossier)
    for code, index in {"A1.1": 2, "A2.1": 3, "A3.2": 2, "B5.2": 3}.items():
        page.locator(f'input[name="line_{code}"][value="{index}"]').check()
    page.get_by_label("Báo cáo của xã").fill("Nguyên liệu lúa nếp của xã.")
    page.get_by_role("button", name="Ghi nhận đánh giá").click()
    expect(page.locator("#dossier-state")).to_have_text("Xã đã kiểm tra")
    page.get_by_role("button", name="Đề nghị lên tỉnh").click()
    expect(page.locator("#dossier-state")).to_have_text("Xã đã đề nghị lên tỉnh")

    # The advisory team reviews it, records the site visit and hands it to the council.
    log_in(page, live_server, "dieuphoi")
    open_dossier(page, live_server, dossier)
    page.get_by_role("button", name="Bắt đầu thẩm định").click()
    page.get_by_label("Ngày khảo sát thực tế").fill("2025-10-15")
    page.get_by_label("Biên bản khảo sát thực tế").fill("Cơ sở sạch, quy trình rõ ràng.")
    page.get_by_role("button", name="Lưu kết quả khảo sát").click()
    page.get_by_role("button", name="Chuyển Hội đồng").click()
    expect(page.locator("#dossier-state")).to_have_text("Sẵn sàng cho Hội đồng")

    # The council scores; one member is far from the others, so everyone reviews and submits again.
    for username, choices in (("hoidong0", GOOD), ("hoidong1", GOOD), ("hoidong2", HARSH)):
        log_in(page, live_server, username)
        score(page, live_server, dossier, choices)
    expect(page.locator("#review-notice")).to_contain_text("B4.2 (chênh 5 điểm), C6.3 (chênh 5 điểm)")
    assert not Result.objects.filter(dossier=dossier).exists()
    for username in ("hoidong0", "hoidong1", "hoidong2"):
        log_in(page, live_server, username)
        page.goto(f"{live_server.url}/bo/dossiers/{dossier.pk}/score/")
        expect(page.locator("#review-notice")).to_contain_text("chênh lệch quá mức cho phép")
        score(page, live_server, dossier, GOOD, reason="Đã đối chiếu minh chứng")
    assert ScoreSheet.objects.filter(dossier=dossier).count() == 6
    result = Result.objects.get(dossier=dossier)
    assert (result.mean, result.stars) == (82, 4)

    # The office publishes; the producer sees the result and the path to the next star.
    log_in(page, live_server, "dieuphoi")
    page.goto(f"{live_server.url}/bo/rounds/{stage['round'].pk}/")
    page.get_by_role("button", name="Công bố kết quả").click()
    expect(page.get_by_role("status")).to_contain_text("Đã công bố 1 kết quả")
    log_in(page, live_server, "chuthe")
    open_dossier(page, live_server, dossier)
    expect(page.locator("#result")).to_contain_text("4★")
    page.get_by_role("link", name="Lộ trình lên hạng sao").click()
    expect(page.locator("#standing")).to_contain_text(
        "Hội đồng chấm 82,00 điểm: đạt 4 sao. Cần thêm 8,00 điểm để đạt 5 sao."
    )
    expect(page.locator("#path tbody tr").first).to_contain_text("C8")
