"""The issuing body's settings page: the coordinator of a province (the ministry's office for the central level)
sees the names its documents carry, the defaults until set, and changes them through a form that names each field
in Vietnamese; another province's settings are not found."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ocop.accounts.models import Role
from ocop.conftest import client_for
from ocop.core.models import AuditEntry
from ocop.places.issuers import issuer_for
from ocop.places.models import IssuingBody
from ocop.places.queries import central_level
from ocop.testing import make_user, ministry_user, province

from .test_issuer_matrix import VALUES

URL = reverse("backoffice:issuing_body")


@pytest.fixture
def coordinator(db):
    return make_user(Role.PROVINCE_COORDINATOR, username="coordinator")


def test_the_form_starts_from_the_defaults_and_saves_the_signer(coordinator):
    client = client_for(coordinator)
    page = client.get(URL)
    assert page.status_code == 200
    form = page.context["form"]
    assert (form["name"].value(), form["signer_title"].value(), form["office_signer_title"].value()) == (
        "Ủy ban nhân dân Thành phố Hà Nội", "PHÓ CHỦ TỊCH", "CHÁNH VĂN PHÒNG"
    )  # fmt: skip
    html = page.content.decode()
    assert "Chức vụ người ký" in html and "Cơ quan thường trực OCOP" in html  # the fields named in Vietnamese

    response = client.post(URL, VALUES)

    assert response.status_code == 302 and response["Location"] == URL
    row = IssuingBody.objects.get(province=province())
    assert (row.name, row.signer_name, row.office_signer_name) == (
        "Ủy ban nhân dân thành phố Hà Nội", "Nguyễn Mạnh Quyền", "Ngô Văn Ngọc"
    )  # fmt: skip
    assert issuer_for(province()).sign.name == "Nguyễn Mạnh Quyền"
    entry = AuditEntry.objects.get(object_id=str(row.pk), content_type__model="issuingbody")
    assert (entry.action, entry.changes["signer_name"]) == ("create", [None, "Nguyễn Mạnh Quyền"])

    # A new vice-chairman signs from now on: the same row, the change audited.
    assert client.get(URL).context["form"]["signer_name"].value() == "Nguyễn Mạnh Quyền"
    assert client.post(URL, {**VALUES, "signer_name": "Hà Minh Hải"}).status_code == 302
    assert IssuingBody.objects.get().signer_name == "Hà Minh Hải"
    entries = AuditEntry.objects.filter(object_id=str(row.pk), content_type__model="issuingbody").order_by("pk")
    assert [(e.action, e.changes) for e in entries][1:] == [
        ("change", {"signer_name": ["Nguyễn Mạnh Quyền", "Hà Minh Hải"]})
    ]


def test_missing_and_malformed_values_are_refused_naming_the_field_in_vietnamese(coordinator):
    client = client_for(coordinator)

    response = client.post(URL, {**VALUES, "signer_name": "", "symbol": "QĐ/UBND"})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["signer_name"] == ["Họ tên người ký: Trường này là bắt buộc."]
    assert errors["symbol"] == [
        "Ký hiệu cơ quan ban hành: Viết ký hiệu bằng chữ, như UBND hoặc VPĐP (không có dấu cách hay dấu gạch chéo)."
    ]
    assert not IssuingBody.objects.exists()  # nothing half-written


def test_another_provinces_settings_are_not_found_and_other_roles_are_refused(coordinator):
    client = client_for(coordinator)
    assert client.get(URL + "?province=31").status_code == 404
    assert client.post(URL + "?province=31", VALUES).status_code == 404
    assert client_for(make_user(Role.COMMERCE_OFFICER, username="commerce")).get(URL).status_code == 403
    assert not IssuingBody.objects.exists()


def test_the_ministry_sets_the_central_level_only(db):
    client = client_for(ministry_user())
    assert client.get(URL).context["province"] == central_level()
    assert client.get(URL + "?province=01").status_code == 404

    response = client.post(URL, {**VALUES, "name": "Bộ Nông nghiệp và Môi trường", "symbol": "BNNMT",
                                 "signer_authority": "KT. BỘ TRƯỞNG", "signer_title": "THỨ TRƯỞNG"})  # fmt: skip

    assert response.status_code == 302
    assert issuer_for(central_level()).sign.title == "THỨ TRƯỞNG"
    assert not IssuingBody.objects.filter(province=province()).exists()
