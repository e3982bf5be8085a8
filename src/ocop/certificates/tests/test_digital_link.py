"""A pack's QR in the GS1 Digital Link form: the GTIN as 14 digits, the certificate's signed claim after "#", checked
offline like the certificate's own QR; one check-digit code for the registry and the resolver."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ocop.certificates.gtin import stored_forms
from ocop.certificates.signing import b64, digital_link_payload, payload, published_keys, verify_payload
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.registry.validators import gtin14, gtin_problem, validate_gtin

BASE = "https://ocop.hanoi.gov.vn"


def test_check_digits_good_and_bad():
    good = ["96385074", "036000291452", "8930000000019", "08930000000019", "00000096385074"]
    assert [gtin_problem(g) for g in good] == [None] * 5
    assert [gtin_problem(g) for g in ["8930000000018", "8930000000017", "96385075", "18930000000019"]] == [
        "check_digit"
    ] * 4
    assert [gtin_problem(g) for g in ["", "893000000001A", "8930000000019 ", "89300000001", "²930000000019"]] == [
        "format"
    ] * 5
    assert [gtin14(g) for g in ["96385074", "036000291452", "8930000000019", "08930000000019"]] == [
        "00000096385074", "00036000291452", "08930000000019", "08930000000019"
    ]  # fmt: skip
    with pytest.raises(ValidationError) as bad:
        validate_gtin("8930000000018")
    assert bad.value.messages == ["Mã vạch “8930000000018” sai số kiểm tra."]
    with pytest.raises(ValidationError) as short:
        validate_gtin("89300")
    assert short.value.messages == ["Mã vạch “89300” phải có 8, 12, 13 hoặc 14 chữ số."]


def test_the_forms_a_gtin_may_be_stored_in():
    assert stored_forms("8930000000019") == ["08930000000019", "8930000000019"]
    assert stored_forms("00000096385074") == ["00000096385074", "0000096385074", "000096385074", "96385074"]
    assert stored_forms("036000291452") == ["00036000291452", "0036000291452", "036000291452"]


def test_a_gtin_13_pack_qr_carries_the_14_digits_and_the_same_signed_claim(office, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    signed = {"code": cert.code, "claim_text": cert.claim, "key_id": cert.key_id, "signature": cert.signature}
    text = digital_link_payload(base_url=BASE + "/", gtin="8930000000019", **signed)
    fragment = ".".join([cert.key_id, b64(cert.claim.encode()), cert.signature])
    assert text == f"{BASE}/01/08930000000019#{fragment}"
    assert payload(base_url=BASE, **signed) == f"{BASE}/v/{cert.code}#{fragment}"  # the certificate's own QR
    result = verify_payload(text, published_keys())
    assert result.claim is not None
    assert (result.ok, result.reason, result.claim.code) == (True, "Xác thực: do cơ quan OCOP cấp và ký số.", cert.code)
    # A GTIN-8 is padded to 14 digits too; a certificate entered from history (never signed) gives the address alone.
    unsigned = {"code": cert.code, "claim_text": "", "key_id": "", "signature": ""}
    assert digital_link_payload(base_url=BASE, gtin="96385074", **unsigned) == f"{BASE}/01/00000096385074"
    # An address that is no Digital Link of a valid GTIN-14 is not ours, whatever the fragment.
    for address in (f"{BASE}/01/8930000000019", f"{BASE}/01/08930000000018", f"{BASE}/02/08930000000019"):
        refused = verify_payload(f"{address}#{fragment}", published_keys())
        assert (refused.ok, refused.reason) == (False, "Đây không phải mã QR giấy chứng nhận của OCOP Hub.")
    altered = verify_payload(text.replace(fragment.split(".")[2], "A" * 86), published_keys())
    assert (altered.ok, altered.reason) == (False, "Chữ ký không khớp: mã QR này đã bị sửa hoặc làm giả.")
