"""The inspection checklist on a 390 px phone, in a real Chromium: each check's answers are full-width buttons at
least 44 px high, a finding's fields open when a check is marked not in order, and a refusal comes back at the field
it concerns with the inspection day kept; axe-core finds no serious violation."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from ocop.accounts.models import Role
from ocop.backoffice.tests.test_browser_evaluation import log_in
from ocop.supervision import services
from ocop.supervision.enums import CheckArea
from ocop.testing import make_producer, make_user, province
from ocop.testing_axe import serious_violations

pytestmark = pytest.mark.browser

# Each element of a check (shown) whose box passes its fieldset's border, as "area: tag.class (left–right of
# left–right)". The boxes are compared, not the scroll widths: a fieldset grows with its min-content child.
LONG = "Mã truy xuất https://truyxuat.hanoi.gov.vn/ocop/san-pham/0123456789-ha-noi-bat-trang-gom-men-lam"
LONG_NAMES = f"""() => {{
  const check = document.querySelector("#check-traceability");
  check.querySelector("legend").append(" {LONG}");
  check.querySelector("label.choice").append(" {LONG}");
  check.querySelector("label[for=finding_traceability]").append(" {LONG}");
}}"""
OVERFLOWING = """() => [...document.querySelectorAll("#checklist fieldset.check")].flatMap(box => {
  const outer = box.getBoundingClientRect();
  const page = document.documentElement.clientWidth;
  const bad = outer.right > page + 0.5 ? [`${box.id}: fieldset (${outer.left}–${outer.right} of 0–${page})`] : [];
  for (const el of box.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < outer.left - 0.5 || r.right > outer.right + 0.5) {
      bad.push(`${box.id}: ${el.tagName.toLowerCase()}.${el.className} (${r.left}–${r.right} of ${outer.left}–${outer.right})`);
    }
  }
  return bad;
})"""


def test_the_checklist_on_a_phone_keeps_the_day_and_shows_the_error_at_its_check(
    page: Page, live_server, reference_data, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 29, 2, tzinfo=dt.UTC), tick=True)
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    inspector = make_user(Role.INSPECTOR, username="inspector")
    inspection = services.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 11, 29),
                                   producer=make_producer(name="HTX Gốm Bát Tràng"), inspector=inspector)  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "inspector")
    page.goto(f"{live_server.url}/bo/inspections/{inspection.pk}/")
    form = page.locator("#checklist")
    first = form.locator("#check-still_producing")
    expect(first.locator("legend")).to_have_text("1. Duy trì sản xuất sản phẩm")
    width = form.bounding_box()["width"]
    for label in first.locator("label.choice").all():  # large tap targets, one under the other
        box = label.bounding_box()
        assert box["height"] >= 44 and box["width"] >= width - 40
    note, answer = first.get_by_label("Ghi chú").bounding_box(), first.locator("label.choice").last.bounding_box()
    assert note["y"] >= answer["y"] + answer["height"]  # the note on its own line, below the answers
    trace = form.locator("#check-traceability")
    expect(trace.get_by_label("Nội dung chưa đạt")).to_be_hidden()
    trace.get_by_label("chưa đạt", exact=True).check()
    expect(trace.get_by_label("Nội dung chưa đạt")).to_be_visible()
    expect(trace.locator(".finding .hint")).to_have_text("Bắt buộc khi chọn “chưa đạt”")
    expect(trace.locator("label[for=finding_traceability]")).to_have_text("Nội dung chưa đạt (bắt buộc)")
    for name in ("finding", "severity", "fix_by"):
        expect(trace.locator(f"#{name}_traceability")).to_have_attribute("aria-required", "true")
    # Nothing of a check, however long its name, passes its box's border on the phone.
    for area in CheckArea:  # every finding open (but the labels', left unanswered for the refusal below)
        if area != CheckArea.LABELS:
            form.locator(f"#check-{area.value}").get_by_label("chưa đạt", exact=True).check()
    assert page.evaluate(OVERFLOWING) == []
    # A long name (an address, a code with no space to break at) wraps inside the box instead of passing its border.
    page.evaluate(LONG_NAMES)
    assert page.evaluate(OVERFLOWING) == []
    assert serious_violations(page) == []

    form.get_by_label("Ngày kiểm tra").fill("2026-11-28")
    for area in CheckArea:
        if area not in (CheckArea.LABELS, CheckArea.TRACEABILITY):
            form.locator(f"#check-{area.value}").get_by_label("đạt", exact=True).check()
    trace.get_by_label("Nội dung chưa đạt").fill("Không có mã QR trên bao bì")
    trace.get_by_label("Mức độ").select_option("minor")
    trace.get_by_label("Hạn khắc phục").fill("2026-12-28")
    form.locator("#check-food_safety").get_by_label("Ghi chú").fill("Bếp sạch")
    form.get_by_role("button", name="Ghi nhận kết quả kiểm tra").click()

    labels = page.locator("#check-labels")
    error = labels.locator(".field-error")
    expect(error).to_have_text("Nhãn, bao bì và quy cách đóng gói: hãy chọn đạt, chưa đạt hoặc không áp dụng.")
    expect(error).to_be_in_viewport()  # the page opens at the refused check, not at the top
    expect(labels.get_by_label("đạt", exact=True)).to_be_focused()
    expect(labels.get_by_label("đạt", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Ngày kiểm tra")).to_have_value("2026-11-28")
    expect(page.locator("#check-food_safety").get_by_label("Ghi chú")).to_have_value("Bếp sạch")
    expect(trace.get_by_label("Nội dung chưa đạt")).to_have_value("Không có mã QR trên bao bì")
    expect(trace.get_by_label("Hạn khắc phục")).to_have_value("2026-12-28")
    assert serious_violations(page) == []

    labels.get_by_label("đạt", exact=True).check()
    page.get_by_role("button", name="Ghi nhận kết quả kiểm tra").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận kết quả kiểm tra.")
    expect(page.locator("#findings")).to_contain_text("Không có mã QR trên bao bì")
