"""A scene on top of the world (ocop.conftest) for the outlet, sales, promotion and report endpoints, built through
the services on 2 December 2026: a recognised sales point in Bát Tràng run by the world's outlet operator, its
shelf (the world's product, certified 4 stars; a product whose certificate is suspended; a non-OCOP line), its sales
of November, a proposed outlet of another operator, a fair with the world producer's booth, a training it attended,
and a periodic report of 2026 made by the coordinator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.certificates import lifecycle
from ocop.conftest import Once, World
from ocop.outlets import services as outlets
from ocop.outlets import stock
from ocop.outlets.checklists import load_checklists
from ocop.outlets.sales import Entry, record_sales
from ocop.outlets.tests.conftest import certify, pass_assessment, register
from ocop.promotion import services as promotion
from ocop.reporting import jobs
from ocop.testing import commune, make_product, province

BUILT_AT = dt.datetime(2026, 12, 2, 2, tzinfo=dt.UTC)  # 9:00 in Hà Nội, a Wednesday


@dataclass
class Shop:
    w: World
    outlet: Any  # recognised, code set, operated by the world's outlet user
    proposed: Any  # another operator's, proposed
    cert: Any  # the world product's certificate (4 stars)
    lapsed: Any  # a product on the shelf whose certificate is suspended
    event: Any
    booth: Any
    training: Any
    run: Any  # a periodic report of 2026, done


def build_shop(world: World) -> Shop:
    load_checklists()
    coordinator, commerce = world.users["coordinator"], world.users["commerce"]
    cert = certify(coordinator, world.product, on=dt.date(2025, 11, 20), stars=4)
    lapsed = make_product(producer=world.producer, name="Mứt sen Bát Tràng")
    lapsed_cert = certify(coordinator, lapsed, on=dt.date(2025, 6, 2), stars=3)
    outlet = register(commerce, name="Điểm OCOP Bát Tràng", phone="0243 874 0123", website="https://ocop.example.vn")
    pass_assessment(commerce, outlet)
    outlets.recognise(by=commerce, outlet=outlet, number="15/QĐ-SCT", signed_on=dt.date(2026, 10, 1),
                      body="Sở Công Thương Hà Nội")  # fmt: skip
    outlets.add_operator_member(by=commerce, operator=outlet.operator, user=world.users["outlet"])
    stock.add_stock(by=commerce, outlet=outlet, product=world.product, since=dt.date(2026, 10, 5))
    stock.add_stock(by=commerce, outlet=outlet, product=lapsed, since=dt.date(2026, 10, 6))
    stock.add_stock(by=commerce, outlet=outlet, label="Rau sạch", since=dt.date(2026, 10, 5))
    record_sales(by=commerce, outlet=outlet, month=dt.date(2026, 10, 1),
                 entries=[Entry(world.product.pk, "12", "1.440.000"), Entry(lapsed.pk, "3,5", "210.000")])  # fmt: skip
    record_sales(by=commerce, outlet=outlet, month=dt.date(2026, 11, 1),
                 entries=[Entry(world.product.pk, "20", "2.400.000")])  # fmt: skip
    lifecycle.suspend(by=coordinator, certificate=lapsed_cert, reason="Kiểm tra chất lượng")
    proposed = outlets.register_outlet(
        by=commerce, province=province(), operator="Siêu thị Long Biên", kind="other", name="Quầy OCOP Long Biên",
        commune=commune("Long Biên"), location_type="retail", address="Số 7 đường Nguyễn Văn Cừ",
        latitude="21,04", longitude="105.87", opening_hours="Hằng ngày 8:00-22:00",
    )  # fmt: skip
    event = promotion.create_event(
        by=coordinator, province=province(), kind="fair", name="Hội chợ OCOP Hà Nội 2026", organiser="Sở Công Thương",
        starts_on=dt.date(2026, 11, 10), ends_on=dt.date(2026, 11, 14), commune=commune("Bát Tràng"),
        place="Trung tâm Triển lãm Bát Tràng",
    )  # fmt: skip
    booth = promotion.allocate_booth(by=coordinator, event=event, producer=world.producer, label="A12",
                                     products=[world.product])  # fmt: skip
    promotion.record_outcome(by=coordinator, booth=booth, revenue="35.000.000", contracts="2",
                             contract_value="120.000.000", visitors="800")  # fmt: skip
    training = promotion.record_training(
        by=coordinator, province=province(), topic="Bao bì và truy xuất nguồn gốc", organiser="Văn phòng OCOP",
        starts_on=dt.date(2026, 9, 8), ends_on=dt.date(2026, 9, 9), place="UBND xã Bát Tràng",
        commune=commune("Bát Tràng"),
    )  # fmt: skip
    promotion.add_attendees(by=coordinator, training=training, names="Nguyễn Thị Hoa\nLê Văn Bình",
                            producer=world.producer)  # fmt: skip
    run = jobs.start_report(by=coordinator, province=province(), starts_on=dt.date(2026, 1, 1),
                            ends_on=dt.date(2026, 11, 30))  # fmt: skip
    jobs.run_report(run)  # what the task does
    run.refresh_from_db()
    outlet.refresh_from_db()
    return Shop(world, outlet, proposed, cert, lapsed, event, booth, training, run)


@pytest.fixture(scope="module")
def shop_once(once: Once, world_once: World) -> Shop:
    with once.building(at=BUILT_AT):
        return build_shop(world_once)


@pytest.fixture
def shop(shop_once: Shop, fresh: Callable[[Shop], Shop]) -> Shop:
    """Built once for the module; each test has its own copy, in a savepoint (conftest.Once)."""
    return fresh(shop_once)
