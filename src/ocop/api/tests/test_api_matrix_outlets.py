"""Role × action over the outlet, shelf, sales, event, training and periodic-report endpoints, with the outsider
(charlie, another province's coordinator) refused: a recognised outlet and its shelf are public; a proposed one is
the back office's; sales are read by those who see the outlet and reported by its operator and managers; events and
trainings follow the promotion gateway; report runs the reporting gateway."""

from __future__ import annotations

import json

import pytest

from ocop.api.tests.shop_scene import shop, shop_once  # noqa: F401  # the fixtures
from ocop.conftest import ROLES, client_for
from ocop.outlets.models import SalesRecord
from ocop.reporting.models import ReportRun

PUBLIC = [200] * 9
SIGNED_IN = [401, 200, 200, 200, 200, 200, 200, 200, 200]
# Who sees the recognised outlet in the back office: its managers, the commune's officer, the producer whose
# products it stocks, its operator.
SALES_READ = [401, 200, 200, 200, 404, 200, 200, 200, 404]
SALES_WRITE = [401, 200, 200, 403, 404, 403, 200, 200, 404]
PROPOSED = [404, 200, 200, 404, 404, 404, 404, 200, 404]  # Long Biên: not the commune officer's commune
PROMOTION = [401, 200, 200, 200, 404, 200, 404, 200, 404]
RUN = [401, 200, 200, 404, 404, 404, 404, 200, 404]  # the province's run: not a commune officer's
START = [401, 202, 202, 202, 403, 403, 403, 202, 403]

CASES = [
    ("get", lambda s: f"/api/v1/outlets/{s.outlet.code}", None, PUBLIC),
    ("get", lambda s: f"/api/v1/outlets/{s.proposed.code}", None, PROPOSED),
    ("get", lambda s: f"/api/v1/outlets/{s.outlet.code}/shelf", None, PUBLIC),
    ("get", lambda s: f"/api/v1/outlets/{s.proposed.code}/shelf", None, PROPOSED),
    ("get", lambda s: f"/api/v1/outlets/{s.outlet.code}/sales", None, SALES_READ),
    (
        "put",
        lambda s: f"/api/v1/outlets/{s.outlet.code}/sales/2026/11",
        lambda s: {"lines": [{"product_id": s.w.product.pk, "quantity": 21, "revenue": 2_520_000}]},
        SALES_WRITE,
    ),
    ("get", lambda s: "/api/v1/events", None, SIGNED_IN),
    ("get", lambda s: f"/api/v1/events/{s.event.pk}", None, PROMOTION),
    ("get", lambda s: "/api/v1/trainings", None, SIGNED_IN),
    ("get", lambda s: f"/api/v1/trainings/{s.training.pk}", None, PROMOTION),
    (
        "post",
        lambda s: "/api/v1/reports/periodic",
        lambda s: {"starts_on": "2026-01-01", "ends_on": "2026-11-30", "province": "01"},
        START,
    ),
    ("get", lambda s: f"/api/v1/reports/periodic/{s.run.pk}", None, RUN),
    ("get", lambda s: f"/api/v1/reports/periodic/{s.run.pk}/workbook", None, RUN),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "body", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_api_role_matrix_outlets(shop, role, method, url, body, expected):  # noqa: F811
    client = client_for(shop.w.users[role])
    kwargs = {"data": json.dumps(body(shop)), "content_type": "application/json"} if body else {}
    runs = ReportRun.objects.count()
    response = getattr(client, method)(url(shop), **kwargs)
    want = expected[ROLES.index(role)]
    assert response.status_code == want, response.content[:300]
    if method == "put":  # the month's figure changed exactly when the answer says so
        quantity = SalesRecord.objects.get(outlet=shop.outlet, month="2026-11-01", product=shop.w.product).quantity
        assert quantity == (21 if want == 200 else 20)
    if method == "post":  # a run was queued exactly when the answer says so
        assert ReportRun.objects.count() == runs + (want == 202)
