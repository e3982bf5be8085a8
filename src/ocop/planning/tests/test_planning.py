import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.certificates import services as certificates
from ocop.core.models import AuditEntry
from ocop.outlets import services as outlets
from ocop.outlets.enums import OutletKind
from ocop.outlets.tests.conftest import certify, pass_assessment, register
from ocop.planning import services
from ocop.planning.indicators import INDICATORS, Scope, count, plan_rows
from ocop.planning.models import Plan, Target
from ocop.testing import commune, make_product, province


@pytest.fixture
def plan(shop):
    return services.create_plan(
        by=shop.coordinator, province=province(), year=2025, title="Kế hoạch OCOP 2025", number="35/KH-UBND",
        signed_on=dt.date(2025, 2, 10),
    )  # fmt: skip


def test_a_plan_gets_targets_for_the_province_and_its_communes(shop, plan):
    assert (plan.issuing_body, plan.year) == ("Ủy ban nhân dân Thành phố Hà Nội", 2025)
    services.set_target(by=shop.coordinator, plan=plan, indicator="rated_3_stars", value="1.200")
    services.set_target(by=shop.coordinator, plan=plan, indicator="rated_3_stars", value="400")  # changed, not added
    services.set_target(
        by=shop.coordinator, plan=plan, indicator="rated_3_stars", value=12, commune=commune("Bát Tràng")
    )
    assert list(Target.objects.order_by("value").values_list("commune__short_name", "value")) == [
        ("Bát Tràng", 12),
        (None, 400),
    ]


@pytest.mark.parametrize(
    ("indicator", "value", "where", "errors"),
    [
        ("happiness", "5", None, {"indicator": ["Không có chỉ tiêu “happiness”."]}),
        ("rated_3_stars", "-5", None, {"value": ["Chỉ tiêu phải là số nguyên từ 0 trở lên."]}),
        ("rated_3_stars", "nhiều", None, {"value": ["Chỉ tiêu phải là số nguyên từ 0 trở lên."]}),
        ("rated_3_stars", "²", None, {"value": ["Chỉ tiêu phải là số nguyên từ 0 trở lên."]}),
        ("rated_3_stars", "١٢", None, {"value": ["Chỉ tiêu phải là số nguyên từ 0 trở lên."]}),
        ("rated_3_stars", "2.147.483.648", None, {"value": ["Chỉ tiêu không được lớn hơn 2.147.483.647."]}),
        ("rated_3_stars", "99999999999999999999", None, {"value": ["Chỉ tiêu phải là số nguyên từ 0 trở lên."]}),
        (
            "rated_3_stars",
            "5",
            "Lê Chân",
            {"commune": ["Phường Lê Chân không phải là xã/phường của Thành phố Hà Nội."]},
        ),
    ],
)
def test_bad_targets_are_refused_and_nothing_is_written(shop, plan, indicator, value, where, errors):
    before = (Target.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.set_target(
            by=shop.coordinator,
            plan=plan,
            indicator=indicator,
            value=value,
            commune=commune(where, "31") if where else None,
        )
    assert caught.value.message_dict == errors
    assert (Target.objects.count(), AuditEntry.objects.count()) == before


def test_a_target_given_as_a_whole_float_is_that_number(shop, plan):
    target = services.set_target(by=shop.coordinator, plan=plan, indicator="rated_3_stars", value=40.0)
    assert target.value == 40  # not 400: the float's dot is not a thousands separator


def test_one_plan_a_year_with_its_fields_named(shop, plan):
    with pytest.raises(ValidationError) as caught:
        services.create_plan(
            by=shop.coordinator, province=province(), year=2025, title="x", number="1", signed_on=dt.date(2025, 1, 1)
        )
    assert caught.value.message_dict == {"year": ["Thành phố Hà Nội đã có kế hoạch năm 2025."]}
    with pytest.raises(ValidationError) as caught:
        services.create_plan(by=shop.coordinator, province=province(), year=None, title=" ", number="", signed_on=None)
    assert set(caught.value.message_dict) == {"year", "title", "number", "signed_on"}
    with pytest.raises(PermissionDenied):
        services.set_target(by=shop.officer, plan=plan, indicator="fairs", value=1)  # the OCOP office sets targets
    assert Plan.objects.count() == 1


def test_progress_is_counted_from_the_records_of_the_year(shop, plan):
    scope = Scope(plan.province_id, 2025)
    # The shop's certificate was issued on 20/11/2025.
    assert {code: count(i, scope) for code, i in INDICATORS.items()} == {
        **dict.fromkeys(INDICATORS, 0),
        "rated_3_stars": 1,
    }
    # A second product gets a 5-star certificate, the first is renewed.
    five = make_product(producer=shop.product.producer, name="Gốm men ngọc")
    certify(shop.coordinator, five, stars=5, on=dt.date(2025, 12, 1))
    certify(shop.coordinator, shop.product, stars=4, on=dt.date(2025, 12, 15))
    pass_assessment(shop.officer, shop.outlet)
    outlets.recognise(by=shop.officer, outlet=shop.outlet, number="1/QĐ", signed_on=dt.date(2025, 6, 1))
    centre = register(shop.officer, kind=OutletKind.DESIGN_CENTRE, name="Trung tâm gốm", floor_area="520")
    pass_assessment(shop.officer, centre)
    outlets.recognise(by=shop.officer, outlet=centre, number="2/QĐ", signed_on=dt.date(2024, 12, 30))  # last year
    numbers = {row.indicator.code: row.done for row in plan_rows(plan)}
    assert numbers == {
        "rated_3_stars": 2,  # two products, three certificates
        "referred_5_stars": 0,
        "potential_5_stars": 0,
        "recognised_5_stars": 1,
        "sales_points": 1,
        "design_centres": 0,
        "rerecognitions_due": 0,
        "rerecognitions_done": 1,
        "fairs": 0,
        "trainings_held": 0,
        "people_trained": 0,
        "inspections_done": 0,
    }
    assert count(INDICATORS["rated_3_stars"], Scope(plan.province_id, 2025, commune("Bát Tràng").pk)) == 2
    assert count(INDICATORS["rated_3_stars"], Scope(plan.province_id, 2025, commune("Ba Vì").pk)) == 0
    # Due in 2028: the renewed product (its new certificate; the replaced one is not due) and the 5-star one.
    assert count(INDICATORS["rerecognitions_due"], Scope(plan.province_id, 2028)) == 2
    latest = shop.product.certificates.get(status="valid")
    certificates.revoke(
        by=shop.coordinator, certificate=latest, decision_number="9/QĐ", revoked_on=dt.date(2026, 1, 5), reason="x"
    )
    assert {row.indicator.code: row.done for row in plan_rows(plan)}["rated_3_stars"] == 2  # rated in 2025 all the same


def test_a_row_shows_the_share_of_the_target(shop, plan):
    services.set_target(by=shop.coordinator, plan=plan, indicator="rated_3_stars", value=4)
    services.set_target(
        by=shop.coordinator, plan=plan, indicator="rated_3_stars", value=1, commune=commune("Bát Tràng")
    )
    row = next(r for r in plan_rows(plan) if r.indicator.code == "rated_3_stars")
    assert (row.target, row.done, row.percent) == (4, 1, 25)
    assert [(c.short_name, target, done) for c, target, done in row.communes] == [("Bát Tràng", 1, 1)]


def test_trainings_count_against_the_plan(shop, plan):
    from ocop.promotion import services as promotion

    training = promotion.record_training(
        by=shop.officer, province=province(), topic="Tập huấn", organiser="Sở", place="Xã",
        starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2025, 4, 2), commune=commune("Bát Tràng"),
    )  # fmt: skip
    promotion.add_attendees(by=shop.officer, training=training, names="A\nB\nC")
    numbers = {row.indicator.code: row.done for row in plan_rows(plan)}
    assert (numbers["trainings_held"], numbers["people_trained"]) == (1, 3)
    assert count(INDICATORS["people_trained"], Scope(plan.province_id, 2025, commune("Ba Vì").pk)) == 0
