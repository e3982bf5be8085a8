"""The certificate and supervision pages post through forms: a bad value or an id outside the gateway is refused
on the page (400) with a Vietnamese message naming the field, and nothing is written; an outlet inspection names
only a certificate of a product on its shelves."""

import datetime as dt

import pytest
from django.urls import reverse

from ocop.certificates import services as certificates
from ocop.certificates.models import Certificate, DecisionItem
from ocop.conftest import client_for
from ocop.evaluation.testing import council_result
from ocop.outlets.tests.conftest import recognised, register
from ocop.supervision import services
from ocop.supervision.enums import CheckArea, CheckResult
from ocop.supervision.models import Inspection, InspectionPlan, Sanction
from ocop.testing import commune, make_producer, make_product, province, signing_keys


def _done(w, **subject):
    coordinator = w.users["coordinator"]
    inspection = services.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 11, 20), **subject)
    return services.record(by=coordinator, inspection=inspection, done_on=dt.date(2026, 11, 20),
                           checks=dict.fromkeys(CheckArea, (CheckResult.OK, "")), findings={})  # fmt: skip


def _page(response) -> str:
    return response.content.decode()


def test_an_outlet_inspection_names_only_a_certificate_of_a_product_on_its_shelves(outlet_scene):
    w = outlet_scene
    (stocked,) = recognised(w)
    empty = register(w.users["commerce"], name="Điểm OCOP không bày hàng")
    client = client_for(w.users["coordinator"])
    refused = _done(w, outlet=empty)
    response = client.post(reverse("backoffice:sanction_add", args=[refused.pk]),
                           {"kind": "warning", "certificate": str(w.cert.pk), "reason": "Bày hàng sai"})  # fmt: skip
    assert response.status_code == 400
    assert ("<p>Giấy chứng nhận này không phải của sản phẩm, chủ thể hay điểm bán được kiểm tra.</p>"
            in _page(response))  # fmt: skip
    assert Sanction.objects.count() == 0
    accepted = _done(w, outlet=stocked)
    page = _page(client.get(reverse("backoffice:inspection_detail", args=[accepted.pk])))
    assert f'<option value="{w.cert.pk}">{w.cert.number} · ' in page
    response = client.post(reverse("backoffice:sanction_add", args=[accepted.pk]),
                           {"kind": "warning", "certificate": str(w.cert.pk), "reason": "Bày hàng sai"})  # fmt: skip
    assert response.status_code == 302
    assert list(Sanction.objects.values_list("inspection", "certificate", "reason")) == [
        (accepted.pk, w.cert.pk, "Bày hàng sai")
    ]


def test_a_sanction_naming_another_provinces_certificate_is_refused_on_the_page(outlet_scene):
    w = outlet_scene
    charlie = w.users["charlie"]
    foreign = make_product(producer=make_producer(name="HTX Hải Phòng", commune=commune("Lê Chân", "31")))
    signing_keys("31")  # Hải Phòng's key, made as an administrator does
    decision = certificates.draft_decision(by=charlie, province=province("31"))
    council_result(foreign, 3)
    certificates.add_item(by=charlie, decision=decision, product=foreign, stars=3)
    (other,) = certificates.issue_decision(by=charlie, decision=decision, number="3/QĐ", signed_on=dt.date(2026, 2, 1))
    inspection = _done(w, producer=w.producer)
    client = client_for(w.users["coordinator"])
    response = client.post(reverse("backoffice:sanction_add", args=[inspection.pk]),
                           {"kind": "suspension", "certificate": str(other.pk), "reason": "Vi phạm"})  # fmt: skip
    assert response.status_code == 400
    assert ("<p>Giấy chứng nhận này không phải của sản phẩm, chủ thể hay điểm bán được kiểm tra.</p>"
            in _page(response))  # fmt: skip
    assert (Sanction.objects.count(), Certificate.objects.get(pk=other.pk).status) == (0, "valid")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"producer": "abc", "planned_on": "2026-12-02"},
            "Chủ thể: Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi.",
        ),
        (
            {"producer": "1" * 19, "planned_on": "2026-12-02"},
            "Chủ thể: Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi.",
        ),
        ({"producer": "{producer}", "planned_on": "31/02/2026"}, "Ngày: “31/02/2026” không phải là ngày (dd/mm/yyyy)."),
        (
            {"producer": "{producer}", "planned_on": "2026-12-02", "reason": "bogus"},
            "Lý do chọn: Hãy chọn một lựa chọn hợp lệ. bogus không phải là một trong các lựa chọn khả thi.",
        ),
    ],
)
def test_a_bad_schedule_is_refused_naming_the_field(outlet_scene, data, message):
    w = outlet_scene
    data = {k: v.format(producer=w.producer.pk) for k, v in data.items()}
    response = client_for(w.users["coordinator"]).post(reverse("backoffice:inspection_schedule"), data)
    assert response.status_code == 400
    assert message in _page(response)
    assert Inspection.objects.count() == 0


def test_an_over_long_plan_title_is_refused_naming_the_field(outlet_scene):
    w = outlet_scene
    response = client_for(w.users["coordinator"]).post(
        reverse("backoffice:inspection_plan_create"),
        {"title": "K" * 301, "starts_on": "2026-10-01", "ends_on": "2026-12-31"},
    )
    assert response.status_code == 400
    assert "Tên kế hoạch: Giá trị này chỉ có tối đa 300 kí tự (hiện có 301)" in _page(response)
    assert InspectionPlan.objects.count() == 0


def test_an_over_long_suspension_reason_is_refused_naming_the_field(outlet_scene):
    w = outlet_scene
    url = reverse("backoffice:certificate_action", kwargs={"pk": w.cert.pk, "action": "suspend"})
    response = client_for(w.users["coordinator"]).post(url, {"reason": "x" * 2001})
    assert response.status_code == 400
    assert "Lý do đình chỉ: Giá trị này chỉ có tối đa 2000 kí tự (hiện có 2001)" in _page(response)
    cert = Certificate.objects.get(pk=w.cert.pk)
    assert (cert.status, cert.status_reason) == ("valid", "")


def test_an_unknown_certificate_action_is_404(outlet_scene):
    w = outlet_scene
    url = reverse("backoffice:certificate_action", kwargs={"pk": w.cert.pk, "action": "delete"})
    assert client_for(w.users["admin"]).post(url, {"reason": "x"}).status_code == 404
    assert Certificate.objects.get(pk=w.cert.pk).status == "valid"


def test_a_decision_refuses_a_product_outside_its_gateway_naming_the_field(outlet_scene):
    w = outlet_scene
    foreign = make_product(producer=make_producer(name="HTX Hải Phòng", commune=commune("Lê Chân", "31")))
    council_result(foreign, 3)
    draft = certificates.draft_decision(by=w.users["coordinator"], province=province())
    client = client_for(w.users["coordinator"])
    url = reverse("backoffice:decision_item_add", args=[draft.pk])
    for product, stars, message in [
        (
            foreign.pk,
            "3",
            "Sản phẩm: Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi.",
        ),
        (
            "9" * 18,
            "3",
            "Sản phẩm: Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi.",
        ),
        (w.product.pk, "5", "Hạng sao: Hãy chọn một lựa chọn hợp lệ. 5 không phải là một trong các lựa chọn khả thi."),
    ]:
        response = client.post(url, {"product": str(product), "stars": stars})
        assert response.status_code == 400
        assert message in _page(response)
    assert DecisionItem.objects.filter(decision=draft).count() == 0
