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


@pytest.mark.parametrize(("name", "expected"), [("dossier_list", 7), ("round_list", 7), ("round_detail", 10)])
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


def test_unpublished_results_are_shown_to_the_office_only(world):
    from ocop.evaluation import scoring
    from ocop.evaluation.enums import MemberRole
    from ocop.evaluation.tests.conftest import BEST
    from ocop.registry.enums import DocumentKind
    from ocop.testing import make_document

    coordinator, commune = world.users["coordinator"], world.users["commune"]
    for kind in (DocumentKind.BUSINESS_REGISTRATION, DocumentKind.QUALITY_DECLARATION, DocumentKind.TEST_REPORT):
        make_document(producer=world.producer, kind=kind)
    round_ = flow.create_round(
        by=coordinator,
        province=province(),
        year=2025,
        number=1,
        criteria_version=CriteriaVersion.objects.get(code="DEMO-148"),
    )
    dossier = flow.start_dossier(by=coordinator, round_=round_, product=world.product)
    flow.submit_dossier(by=coordinator, dossier=dossier)
    flow.check_dossier(by=commune, dossier=dossier, assessment={"A1.1": 2, "A2.1": 3, "A3.2": 2, "B5.2": 3})
    flow.propose_dossier(by=commune, dossier=dossier)
    flow.start_review(by=coordinator, dossier=dossier)
    flow.record_review(by=coordinator, dossier=dossier, visited_on=__import__("datetime").date(2025, 9, 1))
    flow.mark_ready(by=coordinator, dossier=dossier)
    council = scoring.set_up_council(
        by=coordinator, round_=round_, name="Hội đồng", members=[(world.users["council"], MemberRole.CHAIR, "")]
    )
    scoring.open_meeting(by=coordinator, council=council, present=list(council.members.all()))
    scoring.submit_sheet(by=world.users["council"], dossier=dossier, choices=BEST)
    url = reverse("backoffice:round_detail", kwargs={"pk": round_.pk})
    assert "100,00" in client_for(coordinator).get(url).content.decode()
    assert "100,00" not in client_for(world.users["producer"]).get(url).content.decode()
    scoring.publish_results(by=coordinator, council=council)
    assert "100,00" in client_for(world.users["producer"]).get(url).content.decode()
