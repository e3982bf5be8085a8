"""The inspection pages on a phone: a refused checklist comes back with everything typed (the inspection day too) and
each message at the field it concerns, described by it, marked invalid, the first one focused; the schedule form
picks a producer by name among those the supervision gateway offers."""

import datetime as dt

import lxml.html
from django.urls import reverse

from ocop.conftest import client_for
from ocop.core.text import vi_sort_key
from ocop.supervision import services
from ocop.supervision.enums import CheckArea, CheckResult
from ocop.supervision.models import CheckLine, Inspection
from ocop.testing import commune, make_producer, province


def _planned(w):
    return services.schedule(by=w.users["coordinator"], province=province(), planned_on=dt.date(2026, 11, 29),
                             producer=w.producer)  # fmt: skip


def test_a_refused_checklist_keeps_what_was_typed_and_shows_each_message_at_its_field(outlet_scene):
    w = outlet_scene
    inspection = _planned(w)
    data = {"done_on": "2026-11-28", "summary": "Làm việc tại xưởng"} | {
        f"result_{a}": CheckResult.OK for a in CheckArea if a != CheckArea.LABELS
    }
    data |= {"note_food_safety": "Bếp sạch", "result_traceability": CheckResult.FINDING,
             "finding_traceability": "Không có mã QR", "fix_by_traceability": "2026-12-28"}  # fmt: skip
    response = client_for(w.users["coordinator"]).post(reverse("backoffice:inspection_record", args=[inspection.pk]),
                                                       data)  # fmt: skip
    assert response.status_code == 400
    assert (Inspection.objects.get(pk=inspection.pk).state, CheckLine.objects.count()) == ("planned", 0)
    page = lxml.html.fromstring(response.content.decode())
    form = page.get_element_by_id("checklist")
    # Everything typed is there again, the inspection day included.
    assert form.get_element_by_id("done_on").get("value") == "2026-11-28"
    assert form.get_element_by_id("note_food_safety").get("value") == "Bếp sạch"
    assert form.get_element_by_id("finding_traceability").text == "Không có mã QR"
    assert form.get_element_by_id("fix_by_traceability").get("value") == "2026-12-28"
    assert form.get_element_by_id("summary").text == "Làm việc tại xưởng"
    assert form.get_element_by_id("result_traceability-finding").get("checked") is not None
    assert form.get_element_by_id("result_food_safety-ok").get("checked") is not None
    # The missing result is told in its own check's fieldset, which it describes; its answers are marked invalid and
    # the first takes the focus (labels come before traceability on the list).
    labels = form.get_element_by_id("check-labels")
    assert labels.find("legend").text_content() == "6. Nhãn, bao bì và quy cách đóng gói"
    assert labels.get("aria-describedby") == "err-result_labels"
    assert [e.text_content() for e in labels.find_class("field-error")] == [
        "Nhãn, bao bì và quy cách đóng gói: hãy chọn đạt, chưa đạt hoặc không áp dụng."
    ]
    radios = labels.xpath(".//input[@type='radio']")
    assert [(r.get("aria-invalid"), r.get("autofocus") is not None) for r in radios] == [
        ("true", True), ("true", False), ("true", False)]  # fmt: skip
    # The severity left out of a finding is told at the severity field, and nowhere else.
    trace = form.get_element_by_id("check-traceability")
    severity = trace.get_element_by_id("severity_traceability")
    assert (severity.get("aria-invalid"), severity.get("aria-describedby")) == ("true", "err-severity_traceability")
    assert trace.get_element_by_id("err-severity_traceability").text_content() == (
        "Mã truy xuất nguồn gốc (mã vạch, tem QR): hãy chọn mức độ."
    )
    assert [e.get("id") for e in form.find_class("field-error")] == ["err-result_labels", "err-severity_traceability"]
    assert form.xpath(".//*[@autofocus]") == [radios[0]]
    assert page.xpath("//*[@id='form-errors' or @id='checklist-errors']") == []  # nothing at the top
    # Every check is a fieldset with a legend; its note on a line of its own with its own label.
    assert len(form.xpath(".//fieldset[@class='check' or starts-with(@class, 'check ')]/legend")) == len(CheckArea)
    assert form.xpath(".//label[@for='note_food_safety']")[0].text_content() == "Ghi chú"
    # Without JavaScript every finding's fields are shown (the script hides those of checks not marked not in order).
    assert form.xpath(".//details") == []
    assert [b.get("hidden") for b in form.find_class("finding")] == [None] * len(CheckArea)


def test_a_refused_inspection_day_is_told_at_the_day_and_kept(outlet_scene):
    w = outlet_scene
    inspection = _planned(w)
    data = {"done_on": "2026-12-02"} | {f"result_{a}": CheckResult.OK for a in CheckArea}
    response = client_for(w.users["coordinator"]).post(reverse("backoffice:inspection_record", args=[inspection.pk]),
                                                       data)  # fmt: skip
    assert response.status_code == 400
    day = lxml.html.fromstring(response.content.decode()).get_element_by_id("done_on")
    assert (day.get("value"), day.get("aria-invalid"), day.get("autofocus")) == ("2026-12-02", "true", "")
    error = lxml.html.fromstring(response.content.decode()).get_element_by_id("err-done_on")
    assert (error.text_content(), day.get("aria-describedby")) == (
        "Ngày kiểm tra không thể ở tương lai.",
        "err-done_on",
    )


def test_the_schedule_form_picks_a_producer_by_name_among_the_provinces(outlet_scene):
    w = outlet_scene
    make_producer(name="HTX Chè Ba Vì", commune_name="Ba Vì")
    make_producer(name="Cơ sở Em Ba Vì", commune_name="Ba Vì")
    make_producer(name="Cơ sở Đông Ba Vì", commune_name="Ba Vì")  # Đ before E in Vietnamese, after it by code point
    make_producer(name="Cơ sở Hải Phòng", commune=commune("Lê Chân", "31"))  # another province's: not offered
    response = client_for(w.users["coordinator"]).get(reverse("backoffice:inspection_list"))
    picker = lxml.html.fromstring(response.content.decode()).get_element_by_id("schedule-producer")
    assert picker.get("name") == "producer"
    options = [(o.get("value"), o.text_content()) for o in picker.findall("option")]
    producers = sorted([w.producer, w.empty_producer], key=lambda p: (p.name, p.pk))
    assert options[0] == ("", "—")
    rest = sorted([f"{p.name} · Xã Bát Tràng" for p in producers] + ["HTX Chè Ba Vì · Xã Ba Vì"], key=vi_sort_key)
    assert [text for _v, text in options[1:]] == ["Cơ sở Đông Ba Vì · Xã Ba Vì", "Cơ sở Em Ba Vì · Xã Ba Vì", *rest]
    assert "Cơ sở Hải Phòng" not in response.content.decode()
    chosen = next(v for v, text in options if text == "HTX Chè Ba Vì · Xã Ba Vì")
    done = client_for(w.users["coordinator"]).post(reverse("backoffice:inspection_schedule"),
                                                   {"producer": chosen, "planned_on": "2026-12-02"})  # fmt: skip
    assert done.status_code == 302
    assert Inspection.objects.get(planned_on=dt.date(2026, 12, 2)).producer.name == "HTX Chè Ba Vì"
