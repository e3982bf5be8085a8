"""The inspection record's download on the inspection's page (issue 17): offered once the inspection is recorded,
to whoever sees the inspection (the matrix tries every role: others get 403 or 404)."""

from __future__ import annotations

from django.urls import reverse

from ocop.accounts.models import Role
from ocop.accounts.services import system_user
from ocop.certificates.tests.conftest import office as office
from ocop.conftest import client_for
from ocop.registry import services as registry
from ocop.supervision.tests.conftest import Team, inspected, planned
from ocop.supervision.tests.conftest import team as team
from ocop.testing import make_user, pdf_text


def test_a_recorded_inspection_offers_its_record_to_the_office_and_the_producer(team: Team):
    inspection = inspected(team, labels="Nhãn thiếu hạn sử dụng")
    url = reverse("backoffice:inspection_record_pdf", args=[inspection.pk])
    page = client_for(team.office.coordinator).get(reverse("backoffice:inspection_detail", args=[inspection.pk]))
    assert f'id="record-pdf" href="{url}"' in page.content.decode()
    response = client_for(team.office.coordinator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="bien-ban-kiem-tra-{inspection.pk}.pdf"'
    lines = pdf_text(response.content).splitlines()
    assert "BIÊN BẢN KIỂM TRA" in lines
    text = " ".join(lines)
    assert "2. Cơ sở được kiểm tra: HTX Gốm Bát Tràng, địa chỉ: Xã Bát Tràng, Thành phố Hà Nội." in text
    owner = make_user(Role.PRODUCER, username="owner")
    registry.link_producer_account(producer=team.office.producer, user=owner, by=system_user())
    assert client_for(owner).get(url).status_code == 200  # the producer sees its inspection once done
    assert client_for(team.stranger).get(url).status_code == 404  # an inspector of another province


def test_a_planned_inspection_has_no_record_yet(team: Team):
    inspection = planned(team)
    url = reverse("backoffice:inspection_record_pdf", args=[inspection.pk])
    page = client_for(team.office.coordinator).get(reverse("backoffice:inspection_detail", args=[inspection.pk]))
    assert url not in page.content.decode()
    assert client_for(team.office.coordinator).get(url).status_code == 404
