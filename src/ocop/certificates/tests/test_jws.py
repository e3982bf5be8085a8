"""The certificate's claim as a compact JWS (EdDSA, kid = the key id): signed at issue with the same key as the OCOP1
claim, checked by `ocop verify-qr` in both forms, and filled in by `ocop sign_jws` for certificates signed before."""

import base64
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from joserfc import jws
from joserfc.jwk import OKPKey

from ocop.certificates import services, signing
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.models import Certificate, SigningKey
from ocop.certificates.rules import Claim
from ocop.certificates.signing import payload, published_jwks, published_keys, verify_payload
from ocop.evaluation.testing import council_result
from ocop.testing import province

OK = "Xác thực: do cơ quan OCOP cấp và ký số."
FORGED = "Chữ ký không khớp: mã QR này đã bị sửa hoặc làm giả."
SITE = "https://ocop.hanoi.gov.vn"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json(part: str):
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _issue_with_packs(office):
    decision = services.draft_decision(by=office.coordinator, province=province(), level=IssuingLevel.PROVINCE)
    council_result(office.product, 4)
    services.add_item(by=office.coordinator, decision=decision, product=office.product, stars=4, packs=office.packs)
    (cert,) = services.issue_decision(
        by=office.coordinator, decision=decision, number="12/QĐ-UBND", signed_on=dt.date(2025, 11, 20)
    )
    return cert


def _verify_qr(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_qr", *args, stdout=out)
    return out.getvalue()


def test_a_certificate_is_issued_with_its_claim_as_a_jws_signed_with_the_same_key(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _issue_with_packs(office)
    header, body, signature = cert.jws.split(".")
    assert _json(header) == {"alg": "EdDSA", "kid": cert.key_id, "typ": "ocop-claim+jwt"}
    assert _json(body) == {
        "number": "01-2025-00001",
        "code": cert.code,
        "product": "Bình gốm men lam",
        "producer": "HTX Gốm Bát Tràng",
        "stars": 4,
        "issued_on": "2025-11-20",
        "valid_until": "2028-11-20",
        "issuer": "01",
        "packs": [
            {"name": "Hộp 1 bình", "size": "30 cm", "gtin": "8930000000019"},
            {"name": "Bộ 2 bình", "size": "", "gtin": ""},
        ],
    }
    assert cert.key_id.startswith("01") and len(signature) == 86  # 64 bytes of Ed25519 signature, base64url
    # The same key signs both forms: the JWK of the key id is the OCOP1 public key.
    (key,) = published_jwks()[0]["keys"]
    assert key == {"kty": "OKP", "crv": "Ed25519", "x": published_keys()[cert.key_id], "kid": cert.key_id,
                   "use": "sig", "alg": "EdDSA", "active": True}  # fmt: skip


def test_verify_qr_accepts_the_ocop1_form_and_the_jws_form(office, time_machine, tmp_path):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _issue_with_packs(office)
    line = f"01-2025-00001 · Bình gốm men lam · 4★ · 20/11/2025 – 20/11/2028\n{OK}\n"
    ocop1 = payload(base_url=SITE, code=cert.code, claim_text=cert.claim, key_id=cert.key_id, signature=cert.signature)
    assert _verify_qr(ocop1) == line  # a certificate already printed
    assert _verify_qr(cert.jws) == line  # a bare compact JWS
    assert _verify_qr(f"{SITE}/v/{cert.code}#{cert.jws}") == line  # an address carrying it in its fragment
    # From the JWKS document as served at /.well-known/jwks.json, with no lookup of keys in the database.
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(published_jwks()[0]))
    assert _verify_qr(cert.jws, "--keys", str(jwks_file)) == line
    assert _verify_qr(ocop1, "--keys", str(jwks_file)) == line


def test_verify_qr_refuses_a_tampered_jws_and_an_unknown_key(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _issue_with_packs(office)
    header, body, signature = cert.jws.split(".")
    five = _b64(json.dumps({**_json(body), "stars": 5}, ensure_ascii=False).encode())
    with pytest.raises(CommandError) as refused:
        _verify_qr(f"{header}.{five}.{signature}")
    assert str(refused.value) == FORGED
    stranger = _b64(json.dumps({"alg": "EdDSA", "kid": "99zzzzzz", "typ": "ocop-claim+jwt"}).encode())
    with pytest.raises(CommandError) as refused:
        _verify_qr(f"{stranger}.{body}.{signature}")
    assert str(refused.value) == "Mã QR được ký bằng khoá 99zzzzzz, khoá này không do tỉnh nào công bố."
    keys = published_keys()
    cases = {
        f"{header}.{five}.{signature}": FORGED,
        f"{header}.{body}.{signature[:-4]}AAAA": FORGED,
        # "alg": "none" with the signature dropped: refused, never taken as signed.
        f"{_b64(json.dumps({'alg': 'none', 'kid': cert.key_id}).encode())}.{body}.": FORGED,
        f"{header}.{_b64(b'not json')}.{signature}": "Mã QR bị hỏng hoặc bị sửa: không đọc được phần ký số.",
        f"{header}.{_b64(json.dumps({'stars': 4}).encode())}.{signature}": (
            "Mã QR bị hỏng hoặc bị sửa: không đọc được phần ký số."
        ),
        f"{SITE}/v/ABCDEFGHJK#{cert.jws}": "Địa chỉ trong mã QR không khớp với mã giấy chứng nhận đã ký.",
        f"https://example.com/#{cert.jws}": "Đây không phải mã QR giấy chứng nhận của OCOP Hub.",
    }
    for text, reason in cases.items():
        result = verify_payload(text, keys)
        assert (result.ok, result.reason) == (False, reason), text
    # A pack's GS1 Digital Link (a valid GTIN-14) before the JWS, as before the OCOP1 claim.
    assert verify_payload(f"{SITE}/01/08930000000019#{cert.jws}", keys).ok


def test_sign_jws_fills_a_certificate_signed_before_with_the_same_jws(office, time_machine, settings):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _issue_with_packs(office)
    issued = cert.jws
    Certificate.objects.filter(pk=cert.pk).update(jws="")  # as the upgrade finds a certificate signed before
    SigningKey.objects.filter(key_id=cert.key_id).update(active=False)  # retired since: it still signs its own
    out = io.StringIO()
    call_command("sign_jws", stdout=out)
    assert out.getvalue() == "1 certificate(s) signed as JWS.\n"
    cert.refresh_from_db()
    assert cert.jws == issued  # Ed25519 is deterministic: the same payload and key give the same JWS
    out = io.StringIO()
    call_command("sign_jws", stdout=out)
    assert out.getvalue() == "0 certificate(s) signed as JWS.\n"
    # A key whose private half is gone: its certificates are named and left, nothing half-written.
    Certificate.objects.filter(pk=cert.pk).update(jws="")
    (settings.OCOP_KEYS_DIR / f"{cert.key_id}.key").unlink()
    with pytest.raises(CommandError) as refused:
        call_command("sign_jws", stdout=io.StringIO())
    assert str(refused.value) == (
        f"Private key(s) missing from OCOP_KEYS_DIR, their certificates left without JWS: {cert.key_id}"
    )
    assert Certificate.objects.get(pk=cert.pk).jws == ""


def test_deeply_nested_json_in_a_jws_is_refused_not_a_crash(office, time_machine):
    """json.loads raises RecursionError (not ValueError) on "[[[[…" thousands deep: a verdict, not a traceback."""
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _issue_with_packs(office)
    header, _body, signature = cert.jws.split(".")
    deep = _b64(b"[" * 100_000)
    cases = {
        f"{deep}.a.b": "Đây không phải mã QR giấy chứng nhận của OCOP Hub.",  # not a JWS header: not ours
        f"{_b64(b'{"alg":' + b'[' * 100_000)}.a.b": "Đây không phải mã QR giấy chứng nhận của OCOP Hub.",
        f"{header}.{deep}.{signature}": "Mã QR bị hỏng hoặc bị sửa: không đọc được phần ký số.",
        f"{SITE}/v/{cert.code}#{header}.{deep}.{signature}": "Mã QR bị hỏng hoặc bị sửa: không đọc được phần ký số.",
    }
    for text, reason in cases.items():
        result = verify_payload(text, published_keys())
        assert (result.ok, result.reason, result.claim) == (False, reason, None), text[:40]
    with pytest.raises(CommandError) as refused:
        _verify_qr(f"{header}.{deep}.{signature}")
    assert str(refused.value) == "Mã QR bị hỏng hoặc bị sửa: không đọc được phần ký số."


def test_verify_qr_names_a_keys_file_it_cannot_read(office, time_machine, tmp_path):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _issue_with_packs(office)
    not_text = "Cannot read the keys file: a key id or public key is not a string"
    cases = {
        '{"keys": "abc"}': "Cannot read the keys file: AttributeError(\"'str' object has no attribute 'get'\")",
        '{"keys": [{"kid": "01a1b2c3", "crv": "Ed25519", "x": 123}]}': not_text,
        '{"keys": [{"kid": ["01a1b2c3"], "crv": "Ed25519", "x": "abc"}]}': not_text,
        '[{"key_id": "01a1b2c3", "public_key": ["abc"]}]': not_text,
        '{"nokeys": []}': "Cannot read the keys file: KeyError('keys')",
        "[" * 100_000: "Cannot read the keys file: RecursionError('maximum recursion depth exceeded while decoding a "
        "JSON array from a unicode string')",
    }
    keys_file = tmp_path / "keys.json"
    for text, message in cases.items():
        keys_file.write_text(text)
        for qr in (cert.jws, f"{SITE}/v/{cert.code}#{cert.jws}"):
            with pytest.raises(CommandError) as refused:
                _verify_qr(qr, "--keys", str(keys_file))
            assert str(refused.value) == message, text[:40]


def test_a_bodys_key_signing_another_bodys_certificate_is_refused(office, time_machine):
    """Whoever holds a province's private key can sign any text: a claim numbered as another province's, or as the
    ministry's 5 stars, or a JWS naming another issuer, signed with it, is a forgery (both forms, CLI and page)."""
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _issue_with_packs(office)
    key = SigningKey.objects.get(key_id=cert.key_id)
    private = OKPKey.import_key(signing.load_private(key), {"kid": key.key_id})
    header, body, _signature = cert.jws.split(".")
    keys = published_keys()

    def ocop1(number: str) -> str:
        claim = Claim(number, cert.code, "Bình gốm men lam", 5, dt.date(2025, 11, 20), dt.date(2028, 11, 20))
        key_id, signature = signing.sign(province(), claim)
        return payload(base_url=SITE, code=cert.code, claim_text=claim.text(), key_id=key_id, signature=signature)

    def signed_jws(**changes: object) -> str:
        document = json.dumps({**_json(body), **changes}, ensure_ascii=False).encode()
        return jws.serialize_compact(_json(header), document, private, algorithms=["EdDSA"])

    def other(number: str) -> str:
        return (
            f"Mã QR được ký bằng khoá {cert.key_id}, không phải khoá của cơ quan đã cấp giấy chứng nhận {number}: "
            "mã này là giả."
        )

    cases = {
        ocop1("31-2025-00001"): other("31-2025-00001"),  # Hải Phòng's number, Hà Nội's key
        ocop1("TW-2025-00001"): other("TW-2025-00001"),  # the ministry's 5 stars
        ocop1("011-2025-00001"): other("011-2025-00001"),
        signed_jws(number="TW-2025-00001", issuer="TW", stars=5): other("TW-2025-00001"),
        signed_jws(issuer="TW"): other("01-2025-00001"),  # the number is Hà Nội's, the issuer named is not
        signed_jws(issuer=["01"]): other("01-2025-00001"),
    }
    for text, reason in cases.items():
        result = verify_payload(text, keys)
        assert (result.ok, result.reason) == (False, reason), text
    with pytest.raises(CommandError) as refused:
        _verify_qr(ocop1("TW-2025-00001"))
    assert str(refused.value) == other("TW-2025-00001")
    # The same key over its own body's numbers, and a JWS without "issuer", stay authentic.
    assert verify_payload(ocop1("01-2025-00009"), keys).ok
    assert verify_payload(signed_jws(issuer=None), keys).ok is False  # "issuer": null is not the body
    no_issuer = {k: v for k, v in _json(body).items() if k != "issuer"}
    bare = jws.serialize_compact(_json(header), json.dumps(no_issuer).encode(), private, algorithms=["EdDSA"])
    assert verify_payload(bare, keys).ok
