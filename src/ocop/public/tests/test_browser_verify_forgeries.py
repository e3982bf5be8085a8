"""The QR check page (/kiem-tra/, static/ocop/verify.js) in a real Chromium against what a holder of one body's
private key can sign: another body's certificate number, or a JWS naming another issuer, is a forgery, as
`ocop verify-qr` says (certificates.signing); and a pack's Digital Link opened on a phone lands on its certificate page
with the signed claim kept after "#"."""

import datetime as dt
import json

import pytest
from django.conf import settings
from joserfc import jws
from joserfc.jwk import OKPKey
from playwright.sync_api import Page, expect

from ocop.certificates import signing
from ocop.certificates.models import SigningKey
from ocop.certificates.rules import Claim
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.registry.models import ProductPack
from ocop.testing import province

pytestmark = pytest.mark.browser


def test_a_provinces_key_over_another_bodys_certificate_is_a_forgery_in_the_browser(
    page: Page,
    live_server,
    reference_data,
    office,  # noqa: F811
    time_machine,
):
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    cert = issue(office, stars=3)
    base = settings.OCOP_PUBLIC_BASE_URL
    ministry = Claim("TW-2025-00001", cert.code, "Bình gốm men lam", 5, dt.date(2025, 11, 20), dt.date(2028, 11, 20))
    key_id, signature = signing.sign(province(), ministry)  # Hà Nội's key over the ministry's 5 stars
    ocop1 = signing.payload(
        base_url=base, code=cert.code, claim_text=ministry.text(), key_id=key_id, signature=signature
    )
    key = SigningKey.objects.get(key_id=cert.key_id)
    private = OKPKey.import_key(signing.load_private(key), {"kid": key.key_id})
    header = {"alg": "EdDSA", "kid": cert.key_id, "typ": "ocop-claim+jwt"}
    document = {"number": cert.number, "code": cert.code, "product": "Bình gốm men lam", "producer": "", "stars": 3,
                "issued_on": "2025-11-20", "valid_until": "2028-11-20", "issuer": "TW", "packs": []}  # fmt: skip
    named_tw = jws.serialize_compact(header, json.dumps(document).encode(), private, algorithms=["EdDSA"])
    own = jws.serialize_compact(
        header, json.dumps({**document, "issuer": "01"}).encode(), private, algorithms=["EdDSA"]
    )
    page.goto(f"{live_server.url}/kiem-tra/")
    result = page.locator("#offline-result")
    cases = {
        ocop1: ("TW-2025-00001", "TW-2025-00001 · Bình gốm men lam · 5★ · 20/11/2025 – 20/11/2028"),
        f"{base}/v/{cert.code}#{named_tw}": (cert.number, f"{cert.number} · Bình gốm men lam · 3★"),
    }
    for text, (number, line) in cases.items():
        page.get_by_label("Nội dung mã QR").fill(text)
        page.get_by_role("button", name="Kiểm tra chữ ký").click()
        expect(result).to_have_attribute("data-verdict", "missing")
        expect(result).to_contain_text(
            f"✘ Mã QR được ký bằng khoá {cert.key_id}, không phải khoá của cơ quan đã cấp giấy chứng nhận {number}: "
            "mã này là giả."
        )
        expect(result).to_contain_text(line)
    page.get_by_label("Nội dung mã QR").fill(f"{base}/v/{cert.code}#{own}")  # its own body's issuer: authentic
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    expect(result).to_have_attribute("data-verdict", "valid")
    expect(result).to_contain_text("✔ Xác thực: do cơ quan OCOP cấp và ký số.")


def test_a_packs_digital_link_opens_its_certificate_page_on_a_phone_with_the_claim_kept(
    page: Page,
    live_server,
    reference_data,
    office,  # noqa: F811
    time_machine,
):
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    ProductPack.objects.filter(pk=office.packs[0].pk).update(gtin="8930000000019")
    cert = issue(office, stars=3)
    page.set_viewport_size({"width": 390, "height": 844})
    fragment = ".".join([cert.key_id, signing.b64(cert.claim.encode()), cert.signature])
    page.goto(f"{live_server.url}/01/08930000000019#{fragment}")
    assert page.url == f"{live_server.url}/v/{cert.code}#{fragment}"  # the 307 keeps the QR's signed claim
    expect(page.locator("#verdict")).to_have_attribute("data-status", "valid")
    expect(page.locator("#verdict")).to_contain_text("Còn hiệu lực: sản phẩm OCOP 3 sao")
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    page.goto(f"{live_server.url}/01/08930000000018")
    expect(page.locator("#verdict")).to_have_attribute("data-problem", "check_digit")
    expect(page.locator("#verdict")).to_contain_text("Sai số kiểm tra")
    assert page.evaluate("document.documentElement.scrollWidth") == 390
