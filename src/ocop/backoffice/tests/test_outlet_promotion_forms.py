"""Outlet, trade-promotion, training, plan and report pages: every write goes through a form that refuses a bad date,
a bad number, an id of another province's record and an over-long text with a Vietnamese message naming the field,
and writes nothing; the services refuse an outsider themselves; a commune officer reads their communes' targets, never
the province's plan."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ocop.conftest import client_for
from ocop.outlets import sales, services, stock
from ocop.outlets.models import Outlet, SalesRecord, StockItem
from ocop.outlets.tests.conftest import recognised, register
from ocop.planning import services as planning
from ocop.planning.models import Plan, Target
from ocop.promotion import services as promotion
from ocop.promotion.models import Attendee, Booth, Event, Training
from ocop.reporting import jobs
from ocop.reporting.models import ReportRun
from ocop.testing import commune, province

NOT_A_CHOICE = "Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."


def _elsewhere():
    return commune("Lê Chân", "31")  # of Hải Phòng, charlie's province


@pytest.fixture
def fair(outlet_scene):
    commerce = outlet_scene.users["commerce"]
    outlet_scene.event = promotion.create_event(
        by=commerce, province=province(), kind="fair", name="Hội chợ OCOP", organiser="Sở Công Thương",
        starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 3), place="Hà Nội",
    )  # fmt: skip
    outlet_scene.booth = promotion.allocate_booth(by=commerce, event=outlet_scene.event, producer=outlet_scene.producer)
    outlet_scene.training = promotion.record_training(
        by=commerce, province=province(), topic="Tập huấn hồ sơ", organiser="Sở", place="Xã",
        starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 1), commune=commune("Bát Tràng"),
    )  # fmt: skip
    outlet_scene.plan = planning.create_plan(
        by=outlet_scene.users["coordinator"], province=province(), year=2026, title="Kế hoạch OCOP 2026",
        number="12/KH-UBND", signed_on=dt.date(2026, 1, 20),
    )  # fmt: skip
    return outlet_scene


EVENT = {"kind": "fair", "name": "Hội chợ mùa xuân", "organiser": "Sở", "starts_on": "2026-12-01",
         "ends_on": "2026-12-02", "place": "Hà Nội"}  # fmt: skip


def _post(user, name, data, *args):
    return client_for(user).post(reverse(f"backoffice:{name}", args=args), data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"starts_on": "31/02/2026"}, "Ngày bắt đầu: “31/02/2026” không phải là ngày (dd/mm/yyyy)."),
        ({"ends_on": "mai"}, "Ngày kết thúc: “mai” không phải là ngày (dd/mm/yyyy)."),
        ({"name": "H" * 256}, "Tên: Giá trị này chỉ có tối đa 255 kí tự (hiện có 256)"),
        ({"kind": "party"}, "Loại: Hãy chọn một lựa chọn hợp lệ. party không phải là một trong các lựa chọn khả thi."),
        ({"commune": "other"}, f"Xã/phường: {NOT_A_CHOICE}"),
    ],
)
def test_an_event_with_bad_input_is_refused_naming_the_field(fair, change, message):
    data = EVENT | change
    if data.get("commune") == "other":
        data["commune"] = str(_elsewhere().pk)
    response = _post(fair.users["commerce"], "event_create", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Event.objects.values_list("name", flat=True)) == ["Hội chợ OCOP"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"revenue": "12 triệu"}, "Doanh thu phải là số nguyên."),
        ({"revenue": "-5"}, "Doanh thu không được âm."),
        ({"contracts": "99.999.999.999"}, "Hợp đồng đã ký: Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 2147483647 ."),
        ({"visitors": "١٢"}, "Lượt khách phải là số nguyên."),
    ],
)
def test_a_booth_outcome_that_is_not_a_number_is_refused(fair, data, message):
    response = _post(fair.users["commerce"], "booth_outcome", data, fair.event.pk, fair.booth.pk)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Booth.objects.filter(pk=fair.booth.pk, revenue=None, contracts=None, visitors=None).exists()


def test_an_over_long_attendee_name_is_refused_and_nothing_is_saved(fair):
    response = _post(fair.users["commerce"], "training_detail", {"names": "Nguyễn Thị Hoa\n" + "A" * 201},
                     fair.training.pk)  # fmt: skip
    assert response.status_code == 400
    assert "Người tham dự (mỗi dòng một người): Dòng 2 dài hơn 200 ký tự." in response.content.decode()
    assert not Attendee.objects.exists()


def test_a_training_page_shows_attendees_without_a_producer(fair):
    promotion.add_attendees(by=fair.users["commerce"], training=fair.training, names="Lê Văn An\nTrần Bình",
                            organisation="UBND xã")  # fmt: skip
    promotion.add_attendees(by=fair.users["commerce"], training=fair.training, names="Phạm Chi")
    response = client_for(fair.users["coordinator"]).get(reverse("backoffice:training_detail", args=[fair.training.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>Lê Văn An</td><td>UBND xã</td>" in page
    assert "<td>Phạm Chi</td><td></td>" in page


def test_an_outlet_in_a_commune_of_another_province_is_not_one_of_the_choices(fair):
    data = {"operator_name": "HTX Mới", "kind": "sales_point", "name": "Điểm mới", "location_type": "retail",
            "commune": _elsewhere().pk, "latitude": "20,9", "longitude": "106,7"}  # fmt: skip
    response = _post(fair.users["commerce"], "outlet_create", data)
    assert response.status_code == 400
    assert f"Xã/phường: {NOT_A_CHOICE}" in response.content.decode()
    assert not Outlet.objects.exists()


def test_an_outlet_position_that_is_not_a_number_is_refused(fair):
    data = {"operator_name": "HTX Mới", "kind": "sales_point", "name": "Điểm mới", "location_type": "retail",
            "commune": commune("Bát Tràng").pk, "latitude": "hai mươi", "longitude": "105,9", "floor_area": "4,55"}  # fmt: skip
    response = _post(fair.users["commerce"], "outlet_create", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vĩ độ phải là số." in page
    assert "Diện tích (m²): Hãy chắc chắn rằng không có nhiều hơn 1 chữ số thập phân." in page
    assert not Outlet.objects.exists()


def test_a_recognition_with_a_bad_date_or_an_over_long_number_changes_nothing(fair):
    outlet = register(fair.users["commerce"])
    for data, message in (
        ({"number": "7/QĐ", "signed_on": "2026-13-01"}, "Ngày quyết định: “2026-13-01” không phải là ngày (dd/mm/yyyy)."),
        ({"number": "7" * 61, "signed_on": "2026-11-20"}, "Số quyết định: Giá trị này chỉ có tối đa 60 kí tự (hiện có 61)"),
    ):  # fmt: skip
        response = _post(fair.users["commerce"], "outlet_status", data, outlet.pk, "recognise")
        assert response.status_code == 400
        assert message in response.content.decode()
        outlet.refresh_from_db()
        assert (outlet.status, outlet.decision_number) == ("proposed", "")


def test_a_reason_longer_than_its_column_is_refused_not_cut(fair):
    (outlet,) = recognised(fair)
    response = _post(fair.users["commerce"], "outlet_status", {"reason": "x" * 301}, outlet.pk, "suspend")
    assert response.status_code == 400
    assert "Lý do: Giá trị này chỉ có tối đa 300 kí tự (hiện có 301)" in response.content.decode()
    outlet.refresh_from_db()
    assert (outlet.status, outlet.status_reason) == ("recognised", "")


def test_sales_of_a_month_that_is_not_one_are_refused(fair):
    (outlet,) = recognised(fair)
    pid = fair.product.pk
    response = _post(fair.users["commerce"], "outlet_sales", {"month": "13/2026", f"quantity-{pid}": "4",
                                                              f"revenue-{pid}": "400000"}, outlet.pk)  # fmt: skip
    assert response.status_code == 400
    assert "Tháng (MM/YYYY): Ghi tháng dạng MM/YYYY, ví dụ 03/2026." in response.content.decode()
    assert not SalesRecord.objects.exists()


def test_a_target_for_a_commune_of_another_province_is_not_one_of_the_choices(fair):
    data = {"indicator": "fairs", "value": "2", "commune": _elsewhere().pk}
    response = _post(fair.users["coordinator"], "target_set", data, fair.plan.pk)
    assert response.status_code == 400
    assert f"Xã/phường (để trống: toàn tỉnh): {NOT_A_CHOICE}" in response.content.decode()
    response = _post(fair.users["coordinator"], "target_set", {"indicator": "fairs", "value": "4½"}, fair.plan.pk)
    assert response.status_code == 400
    assert "Chỉ tiêu đặt ra phải là số nguyên." in response.content.decode()
    assert not Target.objects.filter(indicator="fairs", value=2).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "hai nghìn", "signed_on": "2026-11-20"}, "Năm phải là số nguyên."),
        ({"year": "2027", "signed_on": "2026-11-20", "title": "K" * 301},
         "Tên kế hoạch: Giá trị này chỉ có tối đa 300 kí tự (hiện có 301)"),
    ],
)  # fmt: skip
def test_a_plan_with_bad_input_is_refused_naming_the_field(fair, data, message):
    response = _post(fair.users["coordinator"], "plan_create", {"title": "Kế hoạch 2027", "number": "1/KH"} | data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Plan.objects.count() == 1


def test_a_report_of_a_commune_of_another_province_is_refused(fair):
    response = _post(fair.users["coordinator"], "periodic_report_start",
                     {"starts_on": "2026-01-01", "ends_on": "2026-12-31", "commune": _elsewhere().pk})  # fmt: skip
    assert response.status_code == 400
    assert f"Xã/phường: {NOT_A_CHOICE}" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_a_commune_officer_reads_their_communes_targets_not_the_province_plan(fair):
    coordinator, officer = fair.users["coordinator"], fair.users["commune"]
    planning.set_target(by=coordinator, plan=fair.plan, indicator="fairs", value=9)
    planning.set_target(
        by=coordinator, plan=fair.plan, indicator="trainings_held", value=3, commune=commune("Bát Tràng")
    )
    client = client_for(officer)
    assert client.get(reverse("backoffice:plan_detail", args=[fair.plan.pk])).status_code == 404
    records = reverse("backoffice:indicator_records", args=[fair.plan.pk, "trainings_held"])
    assert client.get(records).status_code == 404
    assert _post(officer, "target_set", {"indicator": "fairs", "value": "1"}, fair.plan.pk).status_code == 404
    page = client.get(reverse("backoffice:plan_list")).content.decode()
    assert 'id="commune-targets"' in page and "Kế hoạch OCOP 2026" not in page
    rows = [(t.plan.year, t.commune.name, t.indicator, t.value) for t, _i, _d in
            client.get(reverse("backoffice:plan_list")).context["commune_targets"]]  # fmt: skip
    assert rows == [(2026, "Xã Bát Tràng", "trainings_held", 3)]


def test_the_services_refuse_an_outsider_themselves(fair):
    charlie = fair.users["charlie"]  # the coordinator of Hải Phòng
    (outlet,) = recognised(fair)
    item = StockItem.objects.filter(outlet=outlet).order_by("pk")[0]
    writes = [
        lambda: promotion.create_event(by=charlie, province=province(), kind="fair", name="X", organiser="Y",
                                       starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 1), place="Z"),
        lambda: promotion.allocate_booth(by=charlie, event=fair.event, producer=fair.producer, ocop=False),
        lambda: promotion.record_outcome(by=charlie, booth=fair.booth, revenue=1),
        lambda: promotion.record_training(by=charlie, province=province(), topic="X", organiser="Y", place="Z",
                                          starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 1)),
        lambda: promotion.add_attendees(by=charlie, training=fair.training, names="An"),
        lambda: planning.create_plan(by=charlie, province=province(), year=2027, title="X", number="1",
                                     signed_on=dt.date(2026, 12, 1)),
        lambda: planning.set_target(by=charlie, plan=fair.plan, indicator="fairs", value=1),
        lambda: services.register_outlet(by=charlie, province=province(), operator="HTX Lạ", kind="sales_point",
                                         name="Điểm lạ", location_type="retail", commune=commune("Bát Tràng")),
        lambda: services.update_outlet(by=charlie, outlet=outlet, name="Đổi tên"),
        lambda: services.suspend_outlet(by=charlie, outlet=outlet, reason="Lạ"),
        lambda: services.start_assessment(by=charlie, outlet=outlet),
        lambda: services.add_operator_member(by=charlie, operator=outlet.operator, user=fair.users["outlet"]),
        lambda: stock.add_stock(by=charlie, outlet=outlet, label="Rau"),
        lambda: stock.remove_stock(by=charlie, item=item),
        lambda: sales.record_sales(by=charlie, outlet=outlet, month=dt.date(2026, 10, 1), entries=[]),
        lambda: jobs.start_report(by=charlie, province=province(), starts_on=dt.date(2026, 1, 1),
                                  ends_on=dt.date(2026, 12, 31)),
        lambda: jobs.start_report(by=fair.users["commune"], province=province(), starts_on=dt.date(2026, 1, 1),
                                  ends_on=dt.date(2026, 12, 31)),  # the whole province: not a commune officer's
    ]  # fmt: skip
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    assert (Event.objects.count(), Booth.objects.count(), Training.objects.count(), Attendee.objects.count()) == (
        1,
        1,
        1,
        0,
    )
    assert (Plan.objects.count(), Target.objects.count(), ReportRun.objects.count()) == (1, 0, 0)
    outlet.refresh_from_db()
    assert (Outlet.objects.count(), outlet.name, outlet.status, outlet.assessments.count()) == (
        1, "Điểm OCOP 1", "recognised", 1)  # fmt: skip
    assert list(StockItem.objects.values_list("removed_on", flat=True)) == [None, None]
