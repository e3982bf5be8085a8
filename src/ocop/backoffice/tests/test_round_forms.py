"""The round forms: malformed or out-of-order dates are named by field, with a 400 and nothing written."""

import datetime as dt

from django.urls import reverse

from ocop.conftest import client_for
from ocop.core.models import AuditEntry
from ocop.evaluation import dossiers as flow
from ocop.evaluation.models import CriteriaVersion, Round
from ocop.places.models import Province
from ocop.testing import province


def _form(**dates):
    return {
        "province": Province.objects.get(code="01").pk,
        "year": "2026",
        "number": "1",
        "level": "province",
        "criteria_version": CriteriaVersion.objects.get(code="DEMO-148").pk,
        **dates,
    }


def test_a_malformed_date_is_refused_by_name(world):
    client = client_for(world.users["coordinator"])
    audits = AuditEntry.objects.count()
    response = client.post(reverse("backoffice:round_list"), _form(submission_deadline="31/02/2026"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "submission_deadline": ["Hạn nộp hồ sơ về xã: “31/02/2026” không phải là ngày (dd/mm/yyyy)."]
    }
    assert "không phải là ngày" in response.content.decode()
    assert not Round.objects.filter(year=2026).exists()
    assert AuditEntry.objects.count() == audits


def test_dates_out_of_order_are_refused_and_good_ones_saved(world):
    client = client_for(world.users["coordinator"])
    response = client.post(
        reverse("backoffice:round_list"), _form(submission_deadline="2026-05-10", proposal_deadline="2026-05-01")
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "proposal_deadline": ["Không thể yêu cầu xã đề xuất trước hạn nộp hồ sơ."]
    }
    assert not Round.objects.filter(year=2026).exists()
    response = client.post(
        reverse("backoffice:round_list"),
        _form(submission_deadline="2026-05-10", proposal_deadline="2026-05-20", council_date="2026-06-02"),
    )
    assert response.status_code == 302
    round_ = Round.objects.get(year=2026)
    assert (round_.submission_deadline, round_.proposal_deadline, round_.council_date) == (
        dt.date(2026, 5, 10),
        dt.date(2026, 5, 20),
        dt.date(2026, 6, 2),
    )


def test_the_office_extends_a_deadline_from_the_round_page(world):
    coordinator = world.users["coordinator"]
    round_ = flow.create_round(
        by=coordinator,
        province=province(),
        year=2025,
        number=2,
        criteria_version=CriteriaVersion.objects.get(code="DEMO-148"),
        submission_deadline=dt.date(2025, 9, 15),
    )
    client = client_for(coordinator)
    url = reverse("backoffice:round_dates", kwargs={"pk": round_.pk})
    bad = client.post(url, {"submission_deadline": "2025-09-30", "council_date": "hôm qua"})
    assert bad.status_code == 400
    assert "Ngày họp hội đồng: “hôm qua” không phải là ngày (dd/mm/yyyy)." in bad.content.decode()
    round_.refresh_from_db()
    assert round_.submission_deadline == dt.date(2025, 9, 15)
    good = client.post(url, {"submission_deadline": "2025-09-30"})
    assert good.status_code == 302
    round_.refresh_from_db()
    assert (round_.submission_deadline, round_.council_date) == (dt.date(2025, 9, 30), None)
    assert client_for(world.users["commune"]).post(url, {"submission_deadline": "2025-12-31"}).status_code == 403
