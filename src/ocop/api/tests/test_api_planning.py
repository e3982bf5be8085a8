"""Plans in the API: read through the planning gateway, progress counted as the back office counts it."""

import datetime as dt

import pytest

from ocop.accounts.models import Role
from ocop.api.enums import PlanIndicator
from ocop.conftest import client_for
from ocop.outlets.tests.conftest import shop  # noqa: F401  # the outlets' scene: a certified product, an outlet
from ocop.planning import services
from ocop.planning.indicators import INDICATORS
from ocop.testing import commune, make_user, province

NOT_FOUND = {"detail": "Không tìm thấy.", "code": "not_found"}


@pytest.fixture
def plans(shop, time_machine):  # noqa: F811
    """Hà Nội's plan of 2025 (a province target and one of Bát Tràng's), on 2 March 2026."""
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    plan = _plan(shop, 2025)
    services.set_target(by=shop.coordinator, plan=plan, indicator="rated_3_stars", value=400)
    services.set_target(
        by=shop.coordinator, plan=plan, indicator="rated_3_stars", value=2, commune=commune("Bát Tràng")
    )
    shop.plan = plan
    shop.commune_officer = make_user(Role.COMMUNE_OFFICER, username="canboxa", communes=("Bát Tràng",))
    shop.far_officer = make_user(Role.COMMUNE_OFFICER, username="xakhac", communes=("Phù Đổng",))
    return shop


def _plan(shop, year):  # noqa: F811
    return services.create_plan(
        by=shop.coordinator, province=province(), year=year, title=f"Kế hoạch OCOP {year}", number=f"{year % 100}/KH-UBND",
        signed_on=dt.date(year, 2, 10),
    )  # fmt: skip


def test_the_indicator_enum_is_the_plans_indicators():
    assert [i.value for i in PlanIndicator] == list(INDICATORS)


def test_a_plan_reads_with_every_indicators_progress(plans):
    plan = plans.plan
    answer = client_for(plans.officer).get(f"/api/v1/plans/{plan.pk}")
    assert answer.status_code == 200
    body = answer.json()
    progress = body.pop("progress")
    assert body == {
        "id": plan.pk,
        "province": {"code": "01", "name": "Thành phố Hà Nội"},
        "year": 2025,
        "title": "Kế hoạch OCOP 2025",
        "number": "25/KH-UBND",
        "signed_on": "2025-02-10",
        "issuing_body": "Ủy ban nhân dân Thành phố Hà Nội",
        "note": "",
        "as_of": "2025-12-31",
    }
    # The certificate of 20/11/2025 (4 stars, Bát Tràng) counts for the province and for the commune.
    assert progress[0] == {
        "indicator": "rated_3_stars",
        "label": "Sản phẩm đạt từ 3 sao trở lên",
        "goal": 400,
        "achieved": 1,
        "percent": 0,
        "communes": [{"commune": {"code": "00577", "name": "Xã Bát Tràng"}, "goal": 2, "achieved": 1}],
    }
    assert [(p["indicator"], p["goal"], p["achieved"], p["communes"]) for p in progress[1:]] == [
        (code, None, 0, []) for code in list(INDICATORS)[1:]
    ]


def test_plans_are_listed_with_filters(plans):
    client = client_for(plans.coordinator)
    older = _plan(plans, 2024)
    page = client.get("/api/v1/plans?page_size=1").json()
    assert page["count"] == 2
    assert [p["year"] for p in page["items"]] == [2025]
    assert page["next"] == "http://testserver/api/v1/plans?page_size=1&page=2"
    assert client.get("/api/v1/plans?year=2024").json()["items"] == [
        {
            "id": older.pk,
            "province": {"code": "01", "name": "Thành phố Hà Nội"},
            "year": 2024,
            "title": "Kế hoạch OCOP 2024",
            "number": "24/KH-UBND",
            "signed_on": "2024-02-10",
            "issuing_body": "Ủy ban nhân dân Thành phố Hà Nội",
        }
    ]
    assert client.get("/api/v1/plans?province=31").json()["count"] == 0
    bad = client.get("/api/v1/plans?year=1900")
    assert (bad.status_code, bad.json()) == (
        422, {"detail": [{"field": "year", "message": "Giá trị quá nhỏ."}], "code": "invalid"}
    )  # fmt: skip


def test_outsiders_see_no_plan(plans):
    url = f"/api/v1/plans/{plans.plan.pk}"
    for user in (plans.charlie, plans.operator, plans.commune_officer):  # another province, an operator, a commune
        client = client_for(user)
        assert client.get("/api/v1/plans").json()["count"] == 0
        answer = client.get(url)
        assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    missing = client_for(plans.coordinator).get("/api/v1/plans/999999")
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    assert client_for(None).get("/api/v1/plans").status_code == 401


def test_a_commune_officer_reads_only_their_communes_targets(plans):
    target = plans.plan.targets.get(commune__isnull=False)
    page = client_for(plans.commune_officer).get("/api/v1/plan-targets").json()
    assert page == {
        "count": 1,
        "next": None,
        "previous": None,
        "items": [
            {
                "id": target.pk,
                "plan_id": plans.plan.pk,
                "year": 2025,
                "province": {"code": "01", "name": "Thành phố Hà Nội"},
                "commune": {"code": "00577", "name": "Xã Bát Tràng"},
                "indicator": "rated_3_stars",
                "label": "Sản phẩm đạt từ 3 sao trở lên",
                "goal": 2,
                "achieved": 1,
                "as_of": "2025-12-31",
            }
        ],
    }
    assert client_for(plans.far_officer).get("/api/v1/plan-targets").json()["count"] == 0
    assert client_for(plans.charlie).get("/api/v1/plan-targets").json()["count"] == 0


def test_the_province_reads_every_target_province_first(plans):
    client = client_for(plans.coordinator)
    items = client.get("/api/v1/plan-targets").json()["items"]
    assert [(t["commune"] and t["commune"]["code"], t["goal"], t["achieved"]) for t in items] == [
        (None, 400, 1),
        ("00577", 2, 1),
    ]
    assert client.get("/api/v1/plan-targets?commune=00577").json()["count"] == 1
    assert client.get("/api/v1/plan-targets?indicator=fairs").json()["count"] == 0
    assert client.get("/api/v1/plan-targets?year=2025&province=01").json()["count"] == 2
    bad = client.get("/api/v1/plan-targets?indicator=happiness")
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid")


def test_plan_list_query_count(plans, django_assert_num_queries):
    client = client_for(plans.coordinator)
    client.get("/api/v1/plans")
    with django_assert_num_queries(5):  # session, user, roles; the count, the page
        assert client.get("/api/v1/plans").json()["count"] == 1
    _plan(plans, 2024)
    _plan(plans, 2023)
    with django_assert_num_queries(5):
        assert client.get("/api/v1/plans").json()["count"] == 3


def test_target_list_query_count(plans, django_assert_num_queries):
    """Each target's number is counted from its records (one query each, as the back office counts it)."""
    client = client_for(plans.commune_officer)
    with django_assert_num_queries(6):  # session, user, roles; the count, the page, the target's number
        assert client.get("/api/v1/plan-targets").json()["count"] == 1
    for indicator in ("fairs", "trainings_held"):
        services.set_target(by=plans.coordinator, plan=plans.plan, indicator=indicator, value=1,
                            commune=commune("Bát Tràng"))  # fmt: skip
    with django_assert_num_queries(8):
        assert client.get("/api/v1/plan-targets").json()["count"] == 3
