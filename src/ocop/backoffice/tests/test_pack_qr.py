"""The certificate page offers each pack with a barcode its QR in the GS1 Digital Link form (SVG and PNG), beside the
certificate's own `/v/<code>` QR, which stays as it was."""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.urls import reverse

from ocop.certificates.signing import b64
from ocop.certificates.tests.conftest import Office, issue
from ocop.certificates.tests.conftest import office as office
from ocop.conftest import client_for
from ocop.registry.models import ProductPack

BASE = "https://ocop.hanoi.gov.vn"


def _qr(text: str, kind: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind=kind, scale=8 if kind == "png" else 4, border=4)
    return out.getvalue()


def test_the_certificate_page_offers_each_packs_digital_link_qr(office: Office, time_machine, settings):
    settings.OCOP_PUBLIC_BASE_URL = BASE
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    ProductPack.objects.filter(pk=office.packs[0].pk).update(gtin="8930000000019")
    cert = issue(office)
    coordinator = client_for(office.coordinator)
    page = coordinator.get(reverse("backoffice:certificate_detail", args=[cert.pk])).content.decode()
    svg = f"/bo/certificates/{cert.pk}/packs/8930000000019.svg"
    png = f"/bo/certificates/{cert.pk}/packs/8930000000019.png"
    assert reverse("backoffice:certificate_pack_qr", args=[cert.pk, "8930000000019", "svg"]) == svg
    assert (
        f'<tr><td>Hộp 1 bình · 30 cm</td><td>8930000000019</td><td><a href="{svg}" download>SVG</a> · '
        f'<a href="{png}" download>PNG</a></td></tr>'
    ) in page
    no_barcode = "không có mã vạch: dùng mã QR của giấy chứng nhận ở trên"
    assert f"<tr><td>Bộ 2 bình</td><td>—</td><td>{no_barcode}</td></tr>" in page
    # The certificate's own QR is unchanged: its check page.
    own = f"{BASE}/v/{cert.code}#" + ".".join([cert.key_id, b64(cert.claim.encode()), cert.signature])
    assert segno.make(own, error="m").svg_inline(scale=3, title=cert.number) in page

    text = f"{BASE}/01/08930000000019#" + ".".join([cert.key_id, b64(cert.claim.encode()), cert.signature])
    for url, kind, content_type in ((svg, "svg", "image/svg+xml"), (png, "png", "image/png")):
        response = coordinator.get(url)
        assert (response.status_code, response["Content-Type"]) == (200, content_type)
        assert response["Content-Disposition"] == f'attachment; filename="01-2025-00001-08930000000019.{kind}"'
        assert response.content == _qr(text, kind)  # the QR of exactly this text
    # The 14-digit form names the same pack.
    assert coordinator.get(f"/bo/certificates/{cert.pk}/packs/08930000000019.png").content == _qr(text, "png")


def test_a_barcode_not_on_the_certificate_or_an_outsider_gets_not_found(office: Office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    ProductPack.objects.filter(pk=office.packs[0].pk).update(gtin="8930000000019")
    cert = issue(office)
    coordinator = client_for(office.coordinator)
    for gtin, kind in (("8931234567897", "svg"), ("8930000000018", "svg"), ("893000000001A", "png"),
                       ("8930000000019", "gif")):  # fmt: skip
        assert coordinator.get(f"/bo/certificates/{cert.pk}/packs/{gtin}.{kind}").status_code == 404, gtin
    assert client_for(office.charlie).get(f"/bo/certificates/{cert.pk}/packs/8930000000019.svg").status_code == 404
    anon = client_for(None).get(f"/bo/certificates/{cert.pk}/packs/8930000000019.svg")
    assert (anon.status_code, anon["Location"].startswith(reverse("login"))) == (302, True)
