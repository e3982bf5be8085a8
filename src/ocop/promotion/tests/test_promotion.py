import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.outlets.tests.conftest import Shop, shop  # noqa: F401
from ocop.promotion import access, services
from ocop.promotion.models import Booth, Event
from ocop.testing import commune, province


def fair(officer, **fields):
    values = {
        "kind": "fair", "name": "Hội chợ OCOP Hà Nội 2026", "organiser": "Sở Công Thương",
        "starts_on": dt.date(2026, 10, 1), "ends_on": dt.date(2026, 10, 4), "place": "Cung Văn hoá Hữu nghị",
    }  # fmt: skip
    values.update(fields)
    return services.create_event(by=officer, province=province(), **values)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"ends_on": dt.date(2026, 9, 30)}, {"ends_on": ["Ngày kết thúc trước ngày bắt đầu."]}),
        ({"kind": "party"}, {"kind": ["Chọn loại sự kiện."]}),
        ({"kind": "livestream", "place": ""}, {"platform": ["Nhập nền tảng hoặc đường dẫn của sự kiện trực tuyến."]}),
        ({"place": " "}, {"place": ["Nhập địa điểm tổ chức."]}),
        ({"commune": "Lê Chân"}, {"commune": ["Phường Lê Chân không phải là xã/phường của Thành phố Hà Nội."]}),
    ],
)
def test_bad_events_are_refused_under_their_field(shop, fields, errors):  # noqa: F811
    if "commune" in fields:
        fields = {"commune": commune(fields["commune"], "31")}  # a ward of Hải Phòng
    with pytest.raises(ValidationError) as caught:
        fair(shop.officer, **fields)
    assert caught.value.message_dict == errors
    assert Event.objects.count() == 0


def test_ocop_booths_only_for_producers_with_a_valid_certificate(shop):  # noqa: F811
    event = fair(shop.officer)
    booth = services.allocate_booth(
        by=shop.officer, event=event, producer=shop.product.producer, label="A1", products=[shop.product]
    )
    assert [p.pk for p in booth.products.all()] == [shop.product.pk]
    from ocop.testing import make_producer

    newcomer = make_producer(name="HTX Chưa Có Sao")
    with pytest.raises(ValidationError) as caught:
        services.allocate_booth(by=shop.officer, event=event, producer=newcomer)
    assert caught.value.message_dict == {
        "producer": [
            "HTX Chưa Có Sao không có sản phẩm nào có giấy chứng nhận OCOP còn hiệu lực: không thể bố trí gian hàng OCOP."
        ]
    }
    with pytest.raises(ValidationError) as caught:
        services.allocate_booth(by=shop.officer, event=event, producer=shop.product.producer)
    assert caught.value.message_dict == {"producer": ["HTX Gốm Bát Tràng đã có gian hàng tại sự kiện này."]}
    services.allocate_booth(by=shop.officer, event=event, producer=newcomer, ocop=False)
    with pytest.raises(PermissionDenied):
        services.allocate_booth(by=shop.charlie, event=event, producer=newcomer, ocop=False)
    assert Booth.objects.count() == 2


def test_an_ocop_booth_shows_only_valid_products(shop):  # noqa: F811
    event = fair(shop.officer)
    with pytest.raises(ValidationError) as caught:
        services.allocate_booth(by=shop.officer, event=event, producer=shop.product.producer, products=[shop.plain])
    assert caught.value.message_dict == {
        "products": ["Gian hàng OCOP chỉ trưng bày sản phẩm có giấy chứng nhận còn hiệu lực."]
    }


def test_outcomes_add_up_per_event_and_per_year(shop, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    event = fair(shop.officer)
    booth = services.allocate_booth(by=shop.officer, event=event, producer=shop.product.producer)
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(by=shop.officer, booth=booth, revenue="-5")
    assert caught.value.message_dict == {"revenue": ["Doanh thu không được âm."]}
    services.record_outcome(
        by=shop.officer, booth=booth, revenue="12.500.000", contracts="2", contract_value="40000000", visitors="350"
    )
    later = fair(shop.officer, name="Tuần lễ OCOP trực tuyến", kind="online_market", platform="postmart.vn", place="",
                 starts_on=dt.date(2027, 1, 5), ends_on=dt.date(2027, 1, 9))  # fmt: skip
    booth2 = services.allocate_booth(by=shop.officer, event=later, producer=shop.product.producer)
    with pytest.raises(ValidationError) as caught:
        services.record_outcome(by=shop.officer, booth=booth2, revenue="1")
    assert caught.value.messages == ["Sự kiện chưa diễn ra: chưa thể ghi kết quả."]
    totals = services.with_totals(Event.objects.filter(pk=event.pk)).get()
    assert (totals.booth_count, totals.revenue, totals.contracts, totals.contract_value, totals.visitors) == (
        1,
        12_500_000,
        2,
        40_000_000,
        350,
    )
    assert services.totals_by_year(access.events_visible_to(shop.officer)) == [
        {"year": 2027, "events": 1, "booths": 1, "revenue": 0, "contracts": 0, "contract_value": 0, "visitors": 0},
        {
            "year": 2026,
            "events": 1,
            "booths": 1,
            "revenue": 12_500_000,
            "contracts": 2,
            "contract_value": 40_000_000,
            "visitors": 350,
        },
    ]
    assert list(access.events_visible_to(shop.charlie)) == []


def test_trainings_and_their_attendees(shop):  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        services.record_training(
            by=shop.officer, province=province(), topic=" ", organiser="Sở", place="", starts_on=dt.date(2026, 5, 2),
            ends_on=dt.date(2026, 5, 1),
        )  # fmt: skip
    assert caught.value.message_dict == {
        "topic": ["Nhập chủ đề."],
        "place": ["Nhập địa điểm."],
        "ends_on": ["Ngày kết thúc trước ngày bắt đầu."],
    }
    training = services.record_training(
        by=shop.officer, province=province(), topic="Tập huấn hồ sơ OCOP", organiser="Sở Nông nghiệp",
        place="Hội trường xã", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 1), commune=commune("Bát Tràng"),
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.add_attendees(by=shop.officer, training=training, names="\n  \n")
    assert caught.value.message_dict == {"names": ["Nhập ít nhất một người tham dự, mỗi dòng một người."]}
    assert services.add_attendees(by=shop.officer, training=training, names="Nguyễn Thị Hoa\n  Trần  Văn Nam \n") == 2
    assert list(training.attendees.values_list("name", flat=True)) == ["Nguyễn Thị Hoa", "Trần Văn Nam"]
    with pytest.raises(PermissionDenied):
        services.add_attendees(by=shop.charlie, training=training, names="X")
    assert list(access.trainings_visible_to(shop.charlie)) == []
