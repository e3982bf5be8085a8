"""The written expiry notice downloaded from the back-office certificate page (issue 17, a tester's findings): for
whoever may see the certificate, once it is within OCOP_WRITTEN_NOTICE_DAYS of its end or has expired; addressed to
the producer at its full address; its table's rows never split across pages."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ocop.accounts.models import Role
from ocop.accounts.services import system_user
from ocop.certificates.tests.conftest import Office, issue
from ocop.certificates.tests.conftest import office as office
from ocop.conftest import client_for
from ocop.registry import services as registry
from ocop.testing import make_user, pdf_text


def test_the_notice_is_downloaded_near_the_end_by_who_sees_the_certificate(office: Office, time_machine, settings):
    settings.OCOP_WRITTEN_NOTICE_DAYS = 60
    time_machine.move_to(dt.datetime(2025, 11, 21, 9, tzinfo=dt.UTC))
    office.producer.address = "Thôn 5"
    office.producer.save(update_fields=["address"])
    cert = issue(office)  # valid until 20/11/2028
    url = reverse("backoffice:certificate_notice_pdf", args=[cert.pk])
    page = reverse("backoffice:certificate_detail", args=[cert.pk])
    coordinator = client_for(office.coordinator)

    # Long before the end: no notice, no link (sessions are signed in again after each jump in time).
    assert url not in coordinator.get(page).content.decode()
    assert coordinator.get(url).status_code == 404

    time_machine.move_to(dt.datetime(2028, 9, 21, 9, tzinfo=dt.UTC))  # 60 days before 20/11/2028
    coordinator = client_for(office.coordinator)
    assert f'href="{url}" id="notice-pdf"' in coordinator.get(page).content.decode()
    response = coordinator.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="thong-bao-het-hieu-luc-{cert.number}.pdf"'
    lines = pdf_text(response.content).splitlines()
    assert "Kính gửi: HTX Gốm Bát Tràng, Thôn 5, Xã Bát Tràng, Thành phố Hà Nội." in lines
    assert any(line.endswith("và sẽ hết hiệu lực sau 60 ngày:") for line in lines)

    owner = make_user(Role.PRODUCER, username="owner")
    registry.link_producer_account(producer=office.producer, user=owner, by=system_user())
    assert client_for(owner).get(url).status_code == 200
    assert client_for(make_user(Role.PRODUCER, username="stranger")).get(url).status_code == 404
    assert client_for(office.charlie).get(url).status_code == 404  # another province's coordinator

    # Expired: the notice says since when.
    time_machine.move_to(dt.datetime(2028, 12, 1, 9, tzinfo=dt.UTC))
    coordinator = client_for(office.coordinator)
    lines = pdf_text(coordinator.get(url).content).splitlines()
    assert "Về việc giấy chứng nhận sản phẩm OCOP đã hết hiệu lực" in lines
    assert any("đã hết hiệu lực từ ngày 21/11/2028:" in line for line in lines)
