"""A province on 29/11/2026 with something in every figure: certificates of 3, 4 and 5 stars (one expiring, one
revoked this year), two producers, a recognised sales point with two months of sales, a fair with an outcome and
an inspection with an open finding."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ocop.accounts.models import Role
from ocop.certificates import services as certificates
from ocop.certificates import standing
from ocop.outlets import services as outlets
from ocop.outlets import stock
from ocop.outlets.checklists import load_checklists
from ocop.outlets.sales import Entry, record_sales
from ocop.outlets.tests.conftest import certify, pass_assessment, register
from ocop.promotion import services as promotion
from ocop.registry.enums import ProducerKind
from ocop.supervision import services as supervision
from ocop.supervision.enums import CheckArea, CheckResult
from ocop.testing import commune, make_producer, make_product, make_user, province


@dataclass
class Scene:
    coordinator: Any
    commerce: Any
    certs: dict[str, Any]
    outlet: Any


@pytest.fixture
def scene(db, time_machine) -> Scene:
    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    load_checklists()
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    commerce = make_user(Role.COMMERCE_OFFICER, username="commerce")
    inspector = make_user(Role.INSPECTOR, username="inspector")
    gom = make_producer(name="HTX Gốm Bát Tràng", women_led=True)
    che = make_producer(name="Hộ Chè Ba Vì", kind=ProducerKind.HOUSEHOLD_BUSINESS, commune=commune("Ba Vì"),
                        ethnic_minority=True)  # fmt: skip
    products = {
        "binh": make_product(producer=gom, name="Bình gốm men lam"),
        "am": make_product(producer=gom, name="Ấm chén men rạn"),
        "che": make_product(producer=che, name="Chè búp Ba Vì"),
        "xanh": make_product(producer=che, name="Chè xanh"),
    }
    certs = {
        "binh": certify(coordinator, products["binh"], on=dt.date(2025, 11, 20), stars=4),
        "am": certify(coordinator, products["am"], on=dt.date(2026, 2, 10), stars=5),
        "che": certify(coordinator, products["che"], on=dt.date(2023, 12, 20), stars=3),  # ends 20/12/2026
        "xanh": certify(coordinator, products["xanh"], on=dt.date(2026, 3, 1), stars=3),
    }
    certificates.revoke(by=coordinator, certificate=certs["xanh"], decision_number="88/QĐ-UBND",
                        revoked_on=dt.date(2026, 5, 4), reason="Ngừng sản xuất")  # fmt: skip
    outlet = register(commerce)
    pass_assessment(commerce, outlet)
    outlets.recognise(by=commerce, outlet=outlet, number="5/QĐ-SCT", signed_on=dt.date(2026, 3, 1))
    stock.add_stock(by=commerce, outlet=outlet, product=products["binh"], since=dt.date(2026, 3, 1))
    stock.add_stock(by=commerce, outlet=outlet, label="Rau an toàn", since=dt.date(2026, 3, 1))
    for month, revenue in ((dt.date(2026, 9, 1), "12.500.000"), (dt.date(2026, 10, 1), "8.000.000")):
        record_sales(by=commerce, outlet=outlet, month=month, entries=[Entry(products["binh"].pk, "10", revenue)])
    fair = promotion.create_event(by=coordinator, province=province(), kind="fair", name="Hội chợ OCOP Hà Nội 2026",
                                  organiser="Sở Công Thương", starts_on=dt.date(2026, 5, 10),
                                  ends_on=dt.date(2026, 5, 14), place="Cung Văn hóa Hữu nghị")  # fmt: skip
    booth = promotion.allocate_booth(by=coordinator, event=fair, producer=gom, products=[products["binh"]])
    promotion.record_outcome(by=coordinator, booth=booth, revenue="30.000.000", contracts="2", visitors="500")
    inspection = supervision.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 6, 1),
                                      producer=che, inspector=inspector)  # fmt: skip
    checks = dict.fromkeys(CheckArea, (CheckResult.OK, "")) | {CheckArea.LABELS: (CheckResult.FINDING, "")}
    supervision.record(by=inspector, inspection=inspection, done_on=dt.date(2026, 6, 1), checks=checks,
                       findings={CheckArea.LABELS: supervision.FindingInput("Nhãn thiếu", "minor",
                                                                            dt.date(2026, 7, 1))})  # fmt: skip
    # The day's certificates kept as rows, as the nightly job leaves them (certificates.standing): a figure of today
    # then pays one query to find them current.
    standing.refresh(timezone.localdate())
    return Scene(coordinator, commerce, certs, outlet)
