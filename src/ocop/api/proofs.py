"""A certificate's signed claim as a compact JWS, open to everyone like the certificate: any JOSE library checks it
against the keys at /.well-known/jwks.json (docs/api.md, "Verifying a certificate (JWS)")."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Schema

from ocop.api.caching import REFERENCE, cached
from ocop.api.errors import ApiRouter
from ocop.api.params import PathCode
from ocop.certificates.signing import JWS_ALG, JWS_TYPE, certificate_jws

router = ApiRouter(tags=["certificates"])


class JwsOut(Schema):
    code: str = Field(description="the certificate's verification code, as in its QR")
    kid: str = Field(description="the signing key's id: the JWS header's kid, a key of /.well-known/jwks.json")
    jws: str = Field(
        description=f'compact JWS (RFC 7515), header {{"alg": "{JWS_ALG}", "kid", "typ": "{JWS_TYPE}"}}; its payload '
        "is a JSON object: number, code, product, producer, stars, issued_on, valid_until (ISO dates), issuer (a "
        "province's code, TW for the ministry), packs ([{name, size, gtin}]). It proves what was issued, not "
        "today's status: read that at /api/v1/certificates/{code}"
    )
    jwks: str = Field(description="the address of the key set (JWKS) to verify it with")


@router.get(
    "/certificates/{code}/jws",
    response={200: JwsOut, 304: None},
    summary="A certificate's signed claim as a compact JWS (EdDSA), for any JOSE library",
)
@cached(REFERENCE)
def certificate_jws_of(request: HttpRequest, code: PathCode) -> dict[str, Any]:
    """The same claim as the QR's OCOP1 signature (certificate number, code, product, stars, dates) with the
    producer, the issuing body and the packs, signed with the same key when the certificate was issued; it never
    changes. 404 for an unknown code and for a certificate without a JWS (entered from paper records: never signed)."""
    found = certificate_jws(code)
    if found is None:
        raise Http404
    cert_code, kid, token = found
    return {"code": cert_code, "kid": kid, "jws": token, "jwks": request.build_absolute_uri(reverse("jwks"))}
