"""Query counts of the evaluation lists: the same with 1 and with 3 dossiers (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.conftest import client_for
from ocop.evaluation import dossiers as flow
from ocop.evaluation.models import CriteriaVersion
from ocop.testing import make_producer, make_product, province


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "expected"), [("dossier_list", 6), ("round_list", 6), ("round_detail", 9)])
def test_query_count_is_flat(world, name, expected):
    coordinator = world.users["coordinator"]
    round_ = flow.create_round(
        by=coordinator,
        province=province(),
        year=2025,
        number=1,
        criteria_version=CriteriaVersion.objects.get(code="DEMO-148"),
    )
    flow.start_dossier(by=coordinator, round_=round_, product=world.product)
    client = client_for(coordinator)
    url = reverse(f"backoffice:{name}", kwargs={"pk": round_.pk} if name == "round_detail" else {})
    client.get(url)  # warm caches
    assert _count(client, url) == expected
    for _ in range(2):
        product = make_product(producer=make_producer(commune_name="Bát Tràng"))
        flow.start_dossier(by=coordinator, round_=round_, product=product)
        flow.create_round(
            by=coordinator, province=province(), year=2026 + _, number=1, criteria_version=round_.criteria_version
        )
    assert _count(client, url) == expected
