"""Numbers and ids typed on the outlet pages that no column can hold, or that only look like digits ("²", "١"):
answered with a message or ignored, never a 500, and nothing stored that a page could not read back."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from ocop.conftest import client_for
from ocop.outlets.models import SalesRecord
from ocop.outlets.tests.conftest import recognised


def test_sales_the_columns_cannot_hold_are_refused_on_the_page(outlet_scene):
    (outlet,) = recognised(outlet_scene)
    pid = outlet_scene.product.pk
    client = client_for(outlet_scene.users["commerce"])
    url = reverse("backoffice:outlet_sales", args=[outlet.pk])
    response = client.post(url, {"month": "11/2026", f"quantity-{pid}": "99999999999999999999.99",
                                 f"revenue-{pid}": "99999999999999999999"})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Số lượng phải nhỏ hơn 10.000.000.000." in page
    assert "Doanh thu phải nhỏ hơn 1.000.000.000.000 đồng." in page
    assert not SalesRecord.objects.exists()
    # The largest values that are accepted can be read back on the page and in the month's sheet.
    saved = client.post(url, {"month": "11/2026", f"quantity-{pid}": "9999999999,99",
                              f"revenue-{pid}": "999.999.999.999"})  # fmt: skip
    assert saved.status_code == 302
    assert client.get(url + "?month=11/2026").status_code == 200
    sheet = client.get(reverse("backoffice:outlet_sales_sheet", args=[outlet.pk]) + "?month=11/2026")
    # Below the title block (issuing body, name, month, date made, a blank row) and the header: numbers, not text.
    row = [c.value for c in next(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(min_row=7))]
    assert row[4:] == [9999999999.99, 999999999999]


def test_product_keys_and_months_that_are_not_plain_numbers_change_nothing(outlet_scene):
    (outlet,) = recognised(outlet_scene)
    client = client_for(outlet_scene.users["commerce"])
    url = reverse("backoffice:outlet_sales", args=[outlet.pk])
    response = client.post(url, {"month": "11/2026", "quantity-²": "1", "revenue-²": "1",
                                 "quantity-99999999999999999999": "1", "revenue-99999999999999999999": "1"})  # fmt: skip
    assert response.status_code == 302
    assert not SalesRecord.objects.exists()
    for month in ("12/9999", "01/0001", "00/2026", "١١/٢٠٢٦"):
        page = client.get(f"{url}?month={month}")
        # refused, naming the field, over this month's page (issue 16)
        assert (page.status_code, page.context["month"].isoformat()) == (400, "2026-11-01"), month
        assert "Tháng (MM/YYYY): Ghi tháng dạng MM/YYYY, ví dụ 03/2026." in page.content.decode(), month
    for year in ("²⁰²⁶", "99999", "0", "99999999999999999999"):
        assert client.get(reverse("backoffice:sales_list") + f"?year={year}").status_code == 200, year


def test_an_assessment_answer_keyed_by_a_superscript_is_ignored(outlet_scene):
    (outlet,) = recognised(outlet_scene)
    client = client_for(outlet_scene.users["commerce"])
    client.post(reverse("backoffice:assessment_start", args=[outlet.pk]))
    assessment = outlet.assessments.filter(state="draft").get()
    url = reverse("backoffice:assessment_detail", args=[outlet.pk, assessment.pk])
    answers = list(assessment.lines.order_by("pk").values_list("item__code", "met", "points"))
    response = client.post(url, {"met-²": "yes", "points-99999999999999999999": "1"})
    assert response.status_code == 302
    assert list(assessment.lines.order_by("pk").values_list("item__code", "met", "points")) == answers


def test_the_public_map_ignores_a_product_id_that_is_not_one(outlet_scene):
    recognised(outlet_scene)
    client = client_for(None)
    for value in ("²", "99999999999999999999", "١٢"):
        response = client.get(reverse("outlet_map") + f"?san-pham={value}")
        assert (response.status_code, response.context["product"]) == (200, None), value
