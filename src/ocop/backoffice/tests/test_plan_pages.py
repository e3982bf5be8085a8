"""Plans and targets: role × action, bad input on the page, flat query counts, and progress that follows the records."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.conftest import ROLES, check_role_case, client_for
from ocop.outlets.tests.conftest import OUTLET_DAY, certify, outlet_scene_of, recognised
from ocop.planning import services
from ocop.planning.models import Plan, Target
from ocop.promotion import services as promotion
from ocop.promotion.models import Training
from ocop.testing import commune, make_product, province

L = "login"


@pytest.fixture(scope="module")
def planned_once(once, world_once):
    with once.building(at=OUTLET_DAY):
        return _plan(outlet_scene_of(world_once))


@pytest.fixture
def planned(planned_once, fresh):
    """Built once for the module; each test has its own copy, in a savepoint (conftest.Once)."""
    return fresh(planned_once)


def _plan(outlet_scene):
    plan = services.create_plan(
        by=outlet_scene.users["coordinator"], province=province(), year=2026, title="Kế hoạch OCOP 2026",
        number="12/KH-UBND", signed_on=dt.date(2026, 1, 20),
    )  # fmt: skip
    services.set_target(by=outlet_scene.users["coordinator"], plan=plan, indicator="rated_3_stars", value=4)
    outlet_scene.plan = plan
    outlet_scene.training = promotion.record_training(
        by=outlet_scene.users["commerce"], province=province(), topic="Tập huấn hồ sơ", organiser="Sở", place="Xã",
        starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 1), commune=commune("Bát Tràng"),
    )  # fmt: skip
    return outlet_scene


READ = [L, 200, 200, 404, 404, 404, 404, 200, 404]  # a commune officer reads their communes' targets only
CASES = [
    ("plan_list", lambda w: {}, "get", None, [L, 200, 200, 200, 200, 200, 200, 200, 200], None),
    (
        "plan_create",
        lambda w: {},
        "post",
        lambda w: {"year": "2027", "title": "Kế hoạch 2027", "number": "1/KH", "signed_on": "2026-11-20"},
        [L, 302, 403, 403, 403, 403, 403, 302, 302],  # charlie records his own province's plan
        lambda w: Plan.objects.filter(title="Kế hoạch 2027").exists(),
    ),
    ("plan_detail", lambda w: {"pk": w.plan.pk}, "get", None, READ, None),
    (
        "target_set",
        lambda w: {"pk": w.plan.pk},
        "post",
        lambda w: {"indicator": "fairs", "value": "4"},
        [L, 302, 403, 404, 404, 404, 404, 302, 404],  # the commune officer does not see the province's plan
        lambda w: Target.objects.filter(indicator="fairs").exists(),
    ),
    ("indicator_records", lambda w: {"pk": w.plan.pk, "code": "rated_3_stars"}, "get", None, READ, None),
    ("indicator_records", lambda w: {"pk": w.plan.pk, "code": "people_trained"}, "get", None, READ, None),
    ("training_list", lambda w: {}, "get", None, [L, 200, 200, 200, 200, 200, 200, 200, 200], None),
    (
        "training_create",
        lambda w: {},
        "post",
        lambda w: {
            "topic": "Tập huấn livestream",
            "organiser": "Sở",
            "place": "Hà Nội",
            "starts_on": "2026-11-20",
            "ends_on": "2026-11-21",
        },
        [L, 302, 302, 403, 403, 403, 403, 302, 302],  # charlie records his own province's training
        lambda w: Training.objects.filter(topic="Tập huấn livestream").exists(),
    ),
    (
        "training_detail",
        lambda w: {"pk": w.training.pk},
        "get",
        None,
        [L, 200, 200, 200, 404, 404, 404, 200, 404],
        None,
    ),
    (
        "training_detail",
        lambda w: {"pk": w.training.pk},
        "post",
        lambda w: {"names": "Nguyễn Thị Hoa"},
        [L, 302, 302, 403, 404, 404, 404, 302, 404],
        lambda w: w.training.attendees.filter(name="Nguyễn Thị Hoa").exists(),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES]
)
def test_plan_role_matrix(planned, role, name, kwargs, method, data, expected, effect):
    check_role_case(planned, planned.users[role], role, name, kwargs, method, data, expected, effect)


def test_a_target_for_an_indicator_that_does_not_exist_is_refused_on_the_page(planned):
    client = client_for(planned.users["coordinator"])
    response = client.post(reverse("backoffice:target_set", args=[planned.plan.pk]), {"indicator": "joy", "value": "3"})
    assert response.status_code == 400
    assert "Không có chỉ tiêu “joy”." in response.content.decode()
    assert list(Target.objects.values_list("indicator", flat=True)) == ["rated_3_stars"]


def test_a_plan_with_a_malformed_date_is_refused_under_its_field(planned):
    client = client_for(planned.users["coordinator"])
    response = client.post(
        reverse("backoffice:plan_create"),
        {"year": "2027", "title": "Kế hoạch 2027", "number": "1", "signed_on": "20/13/2026"},
    )
    assert response.status_code == 400
    assert "Ngày: “20/13/2026” không phải là ngày (dd/mm/yyyy)." in response.content.decode()
    assert Plan.objects.count() == 1


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_plan_pages_count_flat(planned):
    certify(
        planned.users["coordinator"], make_product(producer=planned.producer, name="Bát gốm"), on=dt.date(2026, 2, 1)
    )
    client = client_for(planned.users["coordinator"])
    urls = [
        reverse("backoffice:plan_list"),
        reverse("backoffice:plan_detail", args=[planned.plan.pk]),
        reverse("backoffice:indicator_records", args=[planned.plan.pk, "rated_3_stars"]),
    ]
    before = []
    for url in urls:
        client.get(url)
        before.append(_count(client, url))
    assert before == [19, 19, 8]  # one count per indicator (12) for the year, one for the menu
    for name in ("Gốm men ngọc", "Gốm men rạn"):
        certify(
            planned.users["coordinator"], make_product(producer=planned.producer, name=name), on=dt.date(2026, 3, 1)
        )
    services.set_target(
        by=planned.users["coordinator"],
        plan=planned.plan,
        indicator="rated_3_stars",
        value=2,
        commune=commune("Bát Tràng"),
    )
    recognised(planned)
    assert [_count(client, url) for url in urls] == [20, 20, 8]  # one more: the commune's own target row
