"""Role × action for plans and targets, the figures and periodic reports, trainings and notices: each role, and the
outsider charlie (another province's coordinator). A commune officer reads the targets of their own commune, never
the whole province's plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.accounts.models import Notification
from ocop.conftest import ROLES, Once, World, check_role_case
from ocop.planning import services as planning
from ocop.planning.models import Plan, Target
from ocop.promotion import services as promotion
from ocop.promotion.models import Attendee, Training
from ocop.reporting import jobs
from ocop.reporting.models import ReportRun
from ocop.testing import commune, province

L = "login"


@dataclass
class Pm:
    w: World
    plan: Plan  # Hà Nội's plan of 2026, with a target for Bát Tràng
    training: Training  # held in Bát Tràng, the world's producer attending
    run: ReportRun  # a report of the whole province, made
    commune_run: ReportRun  # a report of Bát Tràng, queued


@pytest.fixture(scope="module")
def pm_once(once: Once, world_once: World) -> Pm:
    world = world_once
    with once.building(at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
        coordinator = world.users["coordinator"]
        plan = planning.create_plan(by=coordinator, province=province(), year=2026, title="Kế hoạch OCOP 2026",
                                    number="15/KH-UBND", signed_on=dt.date(2026, 1, 10))  # fmt: skip
        planning.set_target(
            by=coordinator, plan=plan, indicator="trainings_held", value=3, commune=commune("Bát Tràng")
        )
        training = promotion.record_training(
            by=coordinator, province=province(), topic="Tập huấn OCOP", organiser="VP Điều phối",
            starts_on=dt.date(2026, 2, 10), ends_on=dt.date(2026, 2, 11), place="Nhà văn hóa", commune=commune("Bát Tràng"),
        )  # fmt: skip
        promotion.add_attendees(by=coordinator, training=training, names="Nguyễn Thị Lan", producer=world.producer)
        run = jobs.start_report(by=coordinator, province=province(), starts_on=dt.date(2026, 1, 1),
                                ends_on=dt.date(2026, 1, 31))  # fmt: skip
        jobs.run_report(run)  # as the task worker makes it
        commune_run = jobs.start_report(by=coordinator, province=province(), starts_on=dt.date(2026, 1, 1),
                                        ends_on=dt.date(2026, 1, 31), commune=commune("Bát Tràng"))  # fmt: skip
        return Pm(world, plan, training, run, commune_run)


@pytest.fixture
def pm(pm_once: Pm, fresh: Callable[[Pm], Pm]) -> Pm:
    """Built once for the module; each case has its own copy, in a savepoint (conftest.Once)."""
    return fresh(pm_once)


GET, POST = "get", "post"
ALL = [L, 200, 200, 200, 200, 200, 200, 200, 200]
PLAN_READ = [L, 200, 200, 404, 404, 404, 404, 200, 404]  # the province's offices read the plan whole
PLAN_WRITE = [L, 302, 403, 404, 404, 404, 404, 302, 404]  # the OCOP office sets it
FIGURES = [L, 200, 200, 200, 403, 403, 403, 200, 200]  # offices their province, a commune officer their commune

Case = tuple[
    str,
    Callable[[Pm], dict[str, Any]],
    str,
    Callable[[Pm], dict[str, Any]] | None,
    list[Any],
    Callable[[Pm], bool] | None,
]
PLAN = lambda p: {"pk": p.plan.pk}  # noqa: E731
TRAINING = lambda p: {"pk": p.training.pk}  # noqa: E731


def NOTICE(p: Pm) -> dict[str, int]:  # named as the other kwargs
    notice, _new = Notification.objects.get_or_create(
        user=p.w.users["producer"], key="x:1", defaults={"title": "Thông báo", "target": "notifications"}
    )
    return {"pk": notice.pk}


CASES: list[Case] = [
    ("plan_list", lambda p: {}, GET, None, ALL, None),
    (
        "plan_create",
        lambda p: {},
        POST,
        lambda p: {"year": "2027", "title": "Kế hoạch OCOP 2027", "number": "20/KH-UBND", "signed_on": "01/03/2026"},
        [L, 302, 403, 403, 403, 403, 403, 302, 302],  # charlie plans his own province
        lambda p: Plan.objects.filter(title="Kế hoạch OCOP 2027").exists(),
    ),
    ("plan_detail", PLAN, GET, None, PLAN_READ, None),
    (
        "target_set",
        PLAN,
        POST,
        lambda p: {"indicator": "fairs", "commune": "", "value": "4"},
        PLAN_WRITE,
        lambda p: Target.objects.filter(plan=p.plan, indicator="fairs", value=4).exists(),
    ),
    ("indicator_records", lambda p: {"pk": p.plan.pk, "code": "trainings_held"}, GET, None, PLAN_READ, None),
    ("statistics", lambda p: {}, GET, None, FIGURES, None),
    (
        "periodic_report_start",
        lambda p: {},
        POST,
        lambda p: {"starts_on": "01/02/2026", "ends_on": "28/02/2026"},
        [L, 302, 302, 302, 403, 403, 403, 302, 302],  # a commune officer reports on their commune
        lambda p: ReportRun.objects.filter(starts_on=dt.date(2026, 2, 1)).exists(),
    ),
    ("periodic_report", lambda p: {"pk": p.run.pk}, GET, None, [L, 200, 200, 404, 404, 404, 404, 200, 404], None),
    (
        "periodic_report",
        lambda p: {"pk": p.commune_run.pk},
        GET,
        None,
        [L, 200, 200, 200, 404, 404, 404, 200, 404],
        None,
    ),
    (
        "periodic_report_file",
        lambda p: {"pk": p.run.pk},
        GET,
        None,
        [L, 200, 200, 404, 404, 404, 404, 200, 404],
        None,
    ),
    ("training_list", lambda p: {}, GET, None, ALL, None),
    (
        "training_create",
        lambda p: {},
        POST,
        lambda p: {
            "topic": "Tập huấn bao bì",
            "organiser": "Sở Công Thương",
            "starts_on": "10/03/2026",
            "ends_on": "10/03/2026",
            "place": "Hội trường Sở",
            "commune": "",
        },
        [L, 302, 302, 403, 403, 403, 403, 302, 302],  # charlie holds his own province's
        lambda p: Training.objects.filter(topic="Tập huấn bao bì").exists(),
    ),
    # The training's commune officer and its attendee's producer read it.
    ("training_detail", TRAINING, GET, None, [L, 200, 200, 200, 404, 200, 404, 200, 404], None),
    (
        "training_detail",
        TRAINING,
        POST,
        lambda p: {"names": "Trần Văn Bình\nLê Thị Hoa", "organisation": "UBND xã"},
        [L, 302, 302, 403, 404, 403, 404, 302, 404],
        lambda p: Attendee.objects.filter(training=p.training).count() == 3,
    ),
    ("notification_list", lambda p: {}, GET, None, ALL, None),
    # "Mark all read": each user's own notices; the producer's is the one there is.
    (
        "notification_list",
        lambda p: {},
        POST,
        lambda p: {"read_all": "1"},
        [L, 302, 302, 302, 302, 302, 302, 302, 302],
        None,
    ),
    # Opening a notice marks it read: only its own user may, the others find no such notice.
    (
        "notification_open",
        NOTICE,
        POST,
        None,
        [L, 404, 404, 404, 404, 302, 404, 404, 404],
        lambda p: Notification.objects.get(key="x:1").read_at is not None,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_planning_role_matrix(pm, role, name, kwargs, method, data, expected, effect):
    check_role_case(pm, pm.w.users[role], role, name, kwargs, method, data, expected, effect)


def test_a_commune_officer_reads_their_commune_targets_on_the_plans_page(pm):
    from django.urls import reverse

    from ocop.conftest import client_for

    response = client_for(pm.w.users["commune"]).get(reverse("backoffice:plan_list"))
    assert [(t.plan.title, t.commune.short_name, t.indicator, done) for t, _i, done in
            response.context["commune_targets"]] == [("Kế hoạch OCOP 2026", "Bát Tràng", "trainings_held", 1)]  # fmt: skip
    assert response.context["plans"] == []
