"""Role × action for every outlet and trade-promotion page: each role, and the outsider charlie (another province's
coordinator)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.conftest import ROLES, Once, World, check_role_case
from ocop.outlets import services, stock
from ocop.outlets.models import Assessment, Operator, Outlet, OutletFile, SalesRecord, StockItem
from ocop.outlets.tests.conftest import certify, pass_assessment, register
from ocop.promotion import services as promotion
from ocop.promotion.models import Booth, Event
from ocop.testing import PNG_BYTES, province

L = "login"


@dataclass
class Om:
    w: World
    outlet: Outlet  # recognised, with the world's product on its shelf
    proposed: Outlet  # assessed (passed), waiting for its decision
    item: StockItem
    assessment: Assessment
    event: Event
    booth: Booth
    photo: OutletFile


@pytest.fixture(scope="module")
def om_once(once: Once, world_once: World) -> Om:
    world = world_once
    from ocop.outlets.checklists import load_checklists

    with once.building(at=dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC)):
        load_checklists()
        commerce, coordinator = world.users["commerce"], world.users["coordinator"]
        certify(coordinator, world.product)
        outlet = register(commerce)
        pass_assessment(commerce, outlet)
        services.recognise(by=commerce, outlet=outlet, number="1/QĐ-SCT", signed_on=dt.date(2026, 11, 1))
        services.add_operator_member(by=commerce, operator=outlet.operator, user=world.users["outlet"])
        item = stock.add_stock(by=commerce, outlet=outlet, product=world.product, since=dt.date(2026, 9, 1))
        proposed = register(commerce, name="Điểm OCOP chờ công nhận")
        pass_assessment(commerce, proposed)
        assessment = services.start_assessment(by=commerce, outlet=outlet)
        photo = services.add_file(by=commerce, outlet=outlet, kind="photo", upload=io.BytesIO(PNG_BYTES))
        event = promotion.create_event(
            by=commerce, province=province(), kind="fair", name="Hội chợ OCOP", organiser="Sở Công Thương",
            starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 3), place="Hà Nội",
        )  # fmt: skip
        booth = promotion.allocate_booth(by=commerce, event=event, producer=world.producer)
        return Om(world, outlet, proposed, item, assessment, event, booth, photo)


@pytest.fixture
def om(om_once: Om, fresh: Callable[[Om], Om]) -> Om:
    """Built once for the module; each case has its own copy, in a savepoint (conftest.Once)."""
    return fresh(om_once)


GET, POST = "get", "post"
ALL = [L, 200, 200, 200, 200, 200, 200, 200, 200]
READ = [L, 200, 200, 200, 404, 200, 200, 200, 404]
MANAGE = [L, 302, 302, 403, 404, 403, 403, 302, 404]
OPERATE = [L, 302, 302, 403, 404, 403, 302, 302, 404]
OPERATE_READ = [L, 200, 200, 403, 404, 403, 200, 200, 404]
EVENT_READ = [L, 200, 200, 200, 404, 200, 404, 200, 404]
EVENT_MANAGE = [L, 302, 302, 403, 404, 403, 404, 302, 404]

Case = tuple[
    str,
    Callable[[Om], dict[str, Any]],
    str,
    Callable[[Om], dict[str, Any]] | None,
    list[Any],
    Callable[[Om], bool] | None,
]
OUTLET = lambda o: {"pk": o.outlet.pk}  # noqa: E731

CASES: list[Case] = [
    ("outlet_list", lambda o: {}, GET, None, ALL, None),
    ("outlet_create", lambda o: {}, GET, None, [L, 200, 200, 403, 403, 403, 403, 200, 200], None),
    (
        "outlet_create",
        lambda o: {},
        POST,
        lambda o: {
            "operator_name": "HTX Mới",
            "kind": "sales_point",
            "name": "Điểm mới",
            "location_type": "retail",
            "commune": o.outlet.commune_id,
            "opening_hours": "Hằng ngày 8:00-20:00",
        },
        [L, 302, 302, 403, 403, 403, 403, 302, 400],  # charlie: Bát Tràng is not in his province
        lambda o: Outlet.objects.filter(name="Điểm mới").exists(),
    ),
    ("outlet_detail", OUTLET, GET, None, READ, None),
    ("outlet_edit", OUTLET, GET, None, OPERATE_READ, None),
    (
        "outlet_edit",
        OUTLET,
        POST,
        lambda o: {
            "kind": "sales_point",
            "name": "Điểm đổi tên",
            "location_type": "retail",
            "commune": o.outlet.commune_id,
        },
        OPERATE,
        lambda o: Outlet.objects.get(pk=o.outlet.pk).name == "Điểm đổi tên",
    ),
    (
        "outlet_status",
        lambda o: {"pk": o.proposed.pk, "action": "recognise"},
        POST,
        lambda o: {"number": "7/QĐ-SCT", "signed_on": "2026-11-20"},
        [L, 302, 302, 403, 404, 404, 403, 302, 404],  # the operator sees its proposed outlet
        lambda o: Outlet.objects.get(pk=o.proposed.pk).status == "recognised",
    ),
    (
        "outlet_status",
        lambda o: {"pk": o.outlet.pk, "action": "suspend"},
        POST,
        lambda o: {"reason": "Sửa chữa"},
        MANAGE,
        lambda o: Outlet.objects.get(pk=o.outlet.pk).status == "suspended",
    ),
    (
        "stock_add",
        OUTLET,
        POST,
        lambda o: {"label": "Rau an toàn"},
        OPERATE,
        lambda o: StockItem.objects.filter(label="Rau an toàn").exists(),
    ),
    (
        "stock_remove",
        lambda o: {"pk": o.outlet.pk, "item_pk": o.item.pk},
        POST,
        lambda o: {},
        OPERATE,
        lambda o: StockItem.objects.get(pk=o.item.pk).removed_on is not None,
    ),
    (
        "outlet_member_add",
        OUTLET,
        POST,
        lambda o: {"username": "outlet"},
        MANAGE,
        None,
    ),
    (
        "outlet_photo_add",
        OUTLET,
        POST,
        lambda o: {"image": io.BytesIO(PNG_BYTES), "caption": "Quầy trưng bày"},
        OPERATE,
        lambda o: OutletFile.objects.filter(outlet=o.outlet).count() == 2,
    ),
    ("outlet_file", lambda o: {"pk": o.outlet.pk, "file_pk": o.photo.pk}, GET, None, READ, None),
    (
        "assessment_start",
        OUTLET,
        POST,
        lambda o: {},
        MANAGE,
        lambda o: Assessment.objects.filter(outlet=o.outlet).count() == 3,
    ),
    ("assessment_detail", lambda o: {"pk": o.outlet.pk, "assessment_pk": o.assessment.pk}, GET, None, READ, None),
    (
        "assessment_detail",
        lambda o: {"pk": o.outlet.pk, "assessment_pk": o.assessment.pk},
        POST,
        lambda o: {"team": "Tổ thẩm định"},
        MANAGE,
        lambda o: Assessment.objects.get(pk=o.assessment.pk).team == "Tổ thẩm định",
    ),
    ("outlet_sales", OUTLET, GET, None, READ, None),
    (
        "outlet_sales",
        OUTLET,
        POST,
        lambda o: {"month": "10/2026", f"quantity-{o.item.product_id}": "4", f"revenue-{o.item.product_id}": "400000"},
        OPERATE,
        lambda o: SalesRecord.objects.filter(outlet=o.outlet).exists(),
    ),
    ("outlet_sales_sheet", OUTLET, GET, None, OPERATE_READ, None),
    ("sales_list", lambda o: {}, GET, None, ALL, None),
    ("import_start", lambda o: {"kind": "sales"}, GET, None, [L, 200, 200, 403, 403, 403, 200, 200, 200], None),
    ("event_list", lambda o: {}, GET, None, ALL, None),
    (
        "event_create",
        lambda o: {},
        POST,
        lambda o: {
            "kind": "livestream",
            "name": "Chợ đêm trên mây",
            "organiser": "VP Điều phối",
            "starts_on": "2026-12-04",
            "ends_on": "2026-12-04",
            "platform": "TikTok",
        },
        [L, 302, 302, 403, 403, 403, 403, 302, 302],  # charlie records his own province's event
        lambda o: Event.objects.filter(name="Chợ đêm trên mây").exists(),
    ),
    ("event_detail", lambda o: {"pk": o.event.pk}, GET, None, EVENT_READ, None),
    (
        "booth_add",
        lambda o: {"pk": o.event.pk},
        POST,
        lambda o: {"producer": o.w.producer.pk, "label": "A2"},  # already has a booth: refused for everyone allowed
        [L, 400, 400, 403, 404, 403, 404, 400, 404],
        None,
    ),
    (
        "booth_outcome",
        lambda o: {"pk": o.event.pk, "booth_pk": o.booth.pk},
        POST,
        lambda o: {"revenue": "5000000", "visitors": "120"},
        EVENT_MANAGE,
        lambda o: Booth.objects.get(pk=o.booth.pk).revenue == 5_000_000,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_outlet_role_matrix(om, role, name, kwargs, method, data, expected, effect):
    check_role_case(om, om.w.users[role], role, name, kwargs, method, data, expected, effect)


def test_operators_are_listed_once(om):
    assert Operator.objects.count() == 1
