from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.accounts.models import Role
from ocop.certificates import services as certificates
from ocop.certificates.enums import IssuingLevel
from ocop.evaluation.testing import council_result
from ocop.outlets import services, stock
from ocop.outlets.checklists import load_checklists
from ocop.outlets.enums import LocationType, OutletKind
from ocop.places.queries import central_level
from ocop.registry.models import ProductPack
from ocop.testing import commune, make_producer, make_product, make_user, ministry_user, province, signing_keys


@dataclass
class Shop:
    officer: Any
    coordinator: Any
    operator: Any
    charlie: Any
    outlet: Any
    product: Any
    pack: Any
    certificate: Any
    plain: Any  # a product without a certificate


def certify(coordinator: Any, product: Any, *, on: dt.date = dt.date(2025, 11, 20), stars: int = 4) -> Any:
    signing_keys("01", "TW")
    if stars == 5:  # the ministry recognises 5 stars, after its central council
        coordinator = ministry_user()
        decision = certificates.draft_decision(by=coordinator, province=central_level(), level=IssuingLevel.MINISTRY)
    else:
        decision = certificates.draft_decision(by=coordinator, province=province(), level=IssuingLevel.PROVINCE)
    council_result(product, stars, central=stars == 5)
    certificates.add_item(by=coordinator, decision=decision, product=product, stars=stars)
    (cert,) = certificates.issue_decision(
        by=coordinator, decision=decision, number=f"{decision.pk}/QĐ-UBND", signed_on=on
    )
    return cert


def register(officer: Any, **fields: Any) -> Any:
    values = {
        "kind": OutletKind.SALES_POINT,
        "name": "Điểm OCOP Bát Tràng",
        "commune": commune("Bát Tràng"),
        "location_type": LocationType.CRAFT_VILLAGE,
        "address": "Số 5 đường Giang Cao",
        "latitude": "20,975",
        "longitude": "105.913",
        "floor_area": "45",
        "opening_hours": "T2-T6 8:00-17:00; T7, CN 8:00-12:00",
    }
    values.update(fields)
    return services.register_outlet(by=officer, province=province(), operator="HTX Thương mại Bát Tràng", **values)


@pytest.fixture
def shop(db) -> Shop:
    load_checklists()
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    officer = make_user(Role.COMMERCE_OFFICER, username="commerce")
    operator = make_user(Role.OUTLET_OPERATOR, username="outlet")
    operator.email = "outlet@example.vn"
    operator.save()
    producer = make_producer(name="HTX Gốm Bát Tràng")
    product = make_product(producer=producer, name="Bình gốm men lam")
    pack = ProductPack.objects.create(product=product, name="Hộp 1 bình", size="30 cm")
    plain = make_product(producer=producer, name="Đĩa gốm chưa chứng nhận")
    cert = certify(coordinator, product)
    outlet = register(officer)
    services.add_operator_member(by=officer, operator=outlet.operator, user=operator)
    return Shop(
        officer=officer,
        coordinator=coordinator,
        operator=operator,
        charlie=make_user(Role.COMMERCE_OFFICER, username="charlie", province_code="31"),
        outlet=outlet,
        product=product,
        pack=pack,
        certificate=cert,
        plain=plain,
    )


def pass_assessment(officer: Any, outlet: Any, *, fail_share: bool = False) -> Any:
    assessment = services.start_assessment(by=officer, outlet=outlet)
    answers = {}
    for line in assessment.lines.select_related("item"):
        if line.item.kind == "score":
            answers[line.item_id] = {"points": str(line.item.points)}
        else:
            answers[line.item_id] = {"met": "no" if fail_share and line.item.measure == "ocop_share" else "yes"}
    services.save_assessment(by=officer, assessment=assessment, answers=answers)
    services.finalise_assessment(by=officer, assessment=assessment)
    assessment.refresh_from_db()
    return assessment


def recognised(world, n=1, name="Điểm OCOP"):
    commerce = world.users["commerce"]
    made = []
    for i in range(n):
        outlet = register(commerce, name=f"{name} {i + 1}", opening_hours="Hằng ngày 8:00-21:00")
        pass_assessment(commerce, outlet)
        services.recognise(by=commerce, outlet=outlet, number=f"{i}/QĐ", signed_on=dt.date(2026, 11, 1))
        stock.add_stock(by=commerce, outlet=outlet, product=world.product, since=dt.date(2026, 9, 1))
        stock.add_stock(by=commerce, outlet=outlet, label="Rau", since=dt.date(2026, 9, 1))
        made.append(outlet)
    return made


OUTLET_DAY = dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC)


def outlet_scene_of(world: Any) -> Any:
    """Run at OUTLET_DAY: the outlet checklists, and the world's product certified."""
    load_checklists()
    world.cert = certify(world.users["coordinator"], world.product)
    return world


@pytest.fixture
def outlet_scene(world: Any, time_machine: Any) -> Any:
    """The world on 29/11/2026 (16:00 in Hà Nội), with the outlet checklists and the world's product certified."""
    time_machine.move_to(OUTLET_DAY)
    return outlet_scene_of(world)
