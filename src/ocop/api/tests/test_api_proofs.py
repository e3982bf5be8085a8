"""A certificate's JWS at /api/v1/certificates/{code}/jws and the keys at /.well-known/jwks.json; the JWS verified
with joserfc alone from the JWKS document, as any other system would."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from ocop.certificates.models import Certificate, SigningKey
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.testing import signing_keys


@pytest.fixture
def cert(office, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    return issue(office, stars=4)


def test_a_certificates_jws_is_served_to_everyone_and_verifies_with_joserfc_alone_from_the_jwks(client, cert):
    answer = client.get(f"/api/v1/certificates/{cert.code.lower()}/jws")
    assert answer.status_code == 200
    assert answer.json() == {
        "code": cert.code, "kid": cert.key_id, "jws": cert.jws, "jwks": "http://testserver/.well-known/jwks.json",
    }  # fmt: skip
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200

    # What a verifier does, with nothing of this project: joserfc, the JWKS document and the token.
    from joserfc import jws
    from joserfc.jwk import KeySet

    key_set = KeySet.import_key_set(json.loads(jwks.content))
    token = jws.deserialize_compact(answer.json()["jws"], key_set, algorithms=["EdDSA"])
    assert token.headers() == {"alg": "EdDSA", "kid": cert.key_id, "typ": "ocop-claim+jwt"}
    assert json.loads(token.payload) == {
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


def test_the_jws_of_an_unknown_code_or_of_a_certificate_without_one_is_a_404(client, cert):
    assert client.get("/api/v1/certificates/ABCDEFGHJK/jws").json() == {
        "detail": "Không tìm thấy.",
        "code": "not_found",
    }
    Certificate.objects.filter(pk=cert.pk).update(jws="")  # signed before the JWS, until `ocop sign_jws`
    answer = client.get(f"/api/v1/certificates/{cert.code}/jws")
    assert (answer.status_code, answer.json()) == (404, {"detail": "Không tìm thấy.", "code": "not_found"})
    call_command("sign_jws", stdout=io.StringIO())
    assert client.get(f"/api/v1/certificates/{cert.code}/jws").json()["jws"] == cert.jws


def test_the_jws_answer_is_cached_and_revalidated(client, cert):
    first = client.get(f"/api/v1/certificates/{cert.code}/jws")
    assert (first["Cache-Control"], first["ETag"].startswith('"')) == ("public, max-age=300", True)
    again = client.get(f"/api/v1/certificates/{cert.code}/jws", headers={"If-None-Match": first["ETag"]})
    assert (again.status_code, again.content) == (304, b"")


def test_the_jwks_lists_every_key_retired_ones_too_with_cache_headers(
    client,
    cert,
    office,  # noqa: F811
    time_machine,
    django_assert_num_queries,
):
    retired = SigningKey.objects.get(key_id=cert.key_id)
    # made by the fixture at the real date; dated before the new one, as it would be in use
    SigningKey.objects.filter(pk=retired.pk).update(active=False, created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    retired.refresh_from_db()
    time_machine.move_to(dt.datetime(2026, 1, 11, 9, tzinfo=dt.UTC))
    signing_keys("01")  # a new key, made as an administrator does: the application never makes one
    newer = issue(office, stars=3, on=dt.date(2026, 1, 5))  # signed with a new key
    with django_assert_num_queries(1):
        answer = client.get("/.well-known/jwks.json")
    assert answer["Content-Type"] == "application/jwk-set+json"
    assert (answer["Cache-Control"], answer["Access-Control-Allow-Origin"]) == ("public, no-cache", "*")
    assert json.loads(answer.content) == {
        "keys": [
            {"kty": "OKP", "crv": "Ed25519", "x": retired.public_key, "kid": retired.key_id, "use": "sig",
             "alg": "EdDSA", "active": False},
            {"kty": "OKP", "crv": "Ed25519", "x": SigningKey.objects.get(key_id=newer.key_id).public_key,
             "kid": newer.key_id, "use": "sig", "alg": "EdDSA", "active": True},
        ]
    }  # fmt: skip
    assert newer.key_id != retired.key_id
    again = client.get("/.well-known/jwks.json", headers={"If-None-Match": answer["ETag"]})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", answer["ETag"])
    since = client.get("/.well-known/jwks.json", headers={"If-Modified-Since": answer["Last-Modified"]})
    assert since.status_code == 304
    assert client.post("/.well-known/jwks.json").status_code == 405
