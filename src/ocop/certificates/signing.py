"""Ed25519 signatures over certificates, so that a QR can be checked offline with the province's public key.

The QR payload is the page address with the signed claim in its fragment (never sent to the server):
``<OCOP_PUBLIC_BASE_URL>/v/<code>#<key id>.<claim, base64url>.<signature, base64url>``. A pack with a GTIN may
carry the same fragment after its GS1 Digital Link, ``<OCOP_PUBLIC_BASE_URL>/01/<GTIN-14>#…`` (public.gs1 resolves it).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import logging
import os
import secrets
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from ocop.certificates import queries
from ocop.certificates.models import Certificate, SigningKey
from ocop.certificates.rules import Claim
from ocop.core.env import envstr
from ocop.places.models import Province
from ocop.registry.validators import gtin14, gtin_problem

logger = logging.getLogger(__name__)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


KEY_ENV_PREFIX = "OCOP_SIGNING_KEY_"


class MissingSigningKey(ValidationError):
    """A body's signing key is not there: no active key at all, or its private half is neither in OCOP_KEYS_DIR nor
    in the environment. Raised inside the writing transaction (issuing a decision, a checkpoint), which rolls back:
    keys are made by `ocop signing_keys create`, never by a web request."""

    def __init__(self, message: str, *, code: str, key_id: str = "") -> None:
        super().__init__(message, code="signing_key")
        self.body_code, self.key_id = code, key_id


def key_file(key_id: str) -> Path:
    return Path(settings.OCOP_KEYS_DIR) / f"{key_id}.key"


def _private_text(key_id: str) -> str | None:
    """The private half as stored: OCOP_SIGNING_KEY_<key id> in the environment first (a secret store's variables),
    else the file <key id>.key in OCOP_KEYS_DIR (a secret store's folder, mounted read-only). None when neither."""
    text = envstr(KEY_ENV_PREFIX + key_id, "").strip()
    if text:
        return text
    try:
        return key_file(key_id).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None


def read_private(text: str) -> Ed25519PrivateKey:
    """A private key as written by `ocop signing_keys create` (base64url of the 32 raw bytes) or as a PEM PKCS#8
    "PRIVATE KEY" (`openssl genpkey -algorithm ed25519`); ValueError otherwise."""
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 private key")
        return key
    try:
        return Ed25519PrivateKey.from_private_bytes(unb64(text))
    except binascii.Error as exc:
        raise ValueError(str(exc)) from exc


def _refusal(key: SigningKey | None, body: Province) -> MissingSigningKey:
    command = f"ocop signing_keys create {body.code}"
    if key is None:
        message = _("%(body)s has no signing key yet, so nothing was issued or signed. An administrator creates it "
                    "on the server with the command: %(command)s") % {
            "body": body.name, "command": command}  # fmt: skip
        return MissingSigningKey(message, code=body.code)
    message = _("The private half of signing key %(key)s (%(body)s) is neither in OCOP_KEYS_DIR nor in %(env)s, so "
                "nothing was issued or signed. An administrator restores it from the backup, or makes a new key with "
                "the command: %(command)s --rotate") % {
        "key": key.key_id, "body": body.name, "env": KEY_ENV_PREFIX + key.key_id, "command": command}  # fmt: skip
    return MissingSigningKey(message, code=body.code, key_id=key.key_id)


def _unusable(key: SigningKey, why: str) -> MissingSigningKey:
    """A private half that is there but cannot sign (not a key, or not the half of the published key): refused like a
    missing one, in Vietnamese, naming both places it is read from; the reason goes to the log, not to the page."""
    logger.error("The private signing key %s cannot be used: %s", key.key_id, why)
    body = key.province
    message = _("The private half of signing key %(key)s (%(body)s) found in %(env)s or in OCOP_KEYS_DIR is not a "
                "usable key, or not the half of the published key, so nothing was issued or signed. An administrator "
                "puts the right key back from the backup, or makes a new key with the command: %(command)s --rotate"
                ) % {"key": key.key_id, "body": body.name, "env": KEY_ENV_PREFIX + key.key_id,
                     "command": f"ocop signing_keys create {body.code}"}  # fmt: skip
    return MissingSigningKey(message, code=body.code, key_id=key.key_id)


def load_private(key: SigningKey) -> Ed25519PrivateKey:
    text = _private_text(key.key_id)
    if text is None:
        raise _refusal(key, key.province)
    try:
        private = read_private(text)
    except (ValueError, TypeError) as exc:  # TypeError: a PEM key with a password
        raise _unusable(key, f"cannot be read: {exc}") from exc
    if b64(private.public_key().public_bytes_raw()) != key.public_key:
        raise _unusable(key, "not the half of its published key")
    return private


def key_refusal(province: Province) -> str | None:
    """Why the province could not sign now (its message), or None: checked before a decision is confirmed."""
    try:
        _usable(SigningKey.objects.filter(province=province, active=True).first(), province)
    except MissingSigningKey as exc:
        return str(exc.message)
    return None


def _usable(key: SigningKey | None, province: Province) -> tuple[SigningKey, Ed25519PrivateKey]:
    if key is None:
        raise _refusal(None, province)
    key.province = province
    return key, load_private(key)


@transaction.atomic
def active_key(province: Province) -> tuple[SigningKey, Ed25519PrivateKey]:
    """The province's active key (its row locked) and its private half; MissingSigningKey when there is none or the
    private half cannot be found. Never makes one: `ocop signing_keys create` does (create_key)."""
    return _usable(SigningKey.objects.select_for_update().filter(province=province, active=True).first(), province)


@transaction.atomic
def create_key(province: Province, *, write_file: bool = True, rotate: bool = False) -> tuple[SigningKey, str] | None:
    """Make the province's signing key: the public half published (a SigningKey row), the private half written to
    OCOP_KEYS_DIR/<key id>.key (mode 0600) or, `write_file=False`, only returned, for a secret store's variable
    OCOP_SIGNING_KEY_<key id>. Returns (key, private text), or None when the province has an active key already
    and `rotate` is not asked (then the active key is retired, still published, and a new one made). Called by the
    `ocop signing_keys` command and `ocop demo`, never by a web request."""
    current = SigningKey.objects.select_for_update().filter(province=province, active=True)
    if current.exists() and not rotate:
        return None
    for old in current:
        old.active = False
        old.save(update_fields=["active", "updated_at"])
    private = Ed25519PrivateKey.generate()
    key_id, text = f"{province.code}{secrets.token_hex(3)}", b64(private.private_bytes_raw())
    public = b64(private.public_key().public_bytes_raw())
    key = SigningKey.objects.create(province=province, key_id=key_id, public_key=public)
    if write_file:
        path = key_file(key_id)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
    return key, text


def sign(province: Province, claim: Claim) -> tuple[str, str]:
    """(key id, signature) over the claim's text."""
    return signer(province)(claim)


def signer(province: Province) -> Callable[[Claim], tuple[str, str]]:
    """A function signing claims with the province's active key, read once (for a decision's many certificates)."""
    key, private = active_key(province)

    def sign_one(claim: Claim) -> tuple[str, str]:
        return key.key_id, b64(private.sign(claim.text().encode("utf-8")))

    return sign_one


JWS_ALG = "EdDSA"  # RFC 8037, which every JOSE library knows; RFC 9864 prefers "Ed25519", which few know yet
JWS_TYPE = "ocop-claim+jwt"
# joserfc warns (SecurityWarning) on each use of "EdDSA" because of RFC 9864: the algorithm is the same Ed25519.
warnings.filterwarnings("ignore", message="EdDSA is deprecated via RFC 9864")


def claim_document(claim: Claim, *, issuer: str, producer: str, packs: list[dict[str, str]]) -> dict[str, Any]:
    """The JWS payload: the OCOP1 claim's fields by name, with the issuing body (a province's code, TW for the
    ministry), the producer as certified and the packs carrying the mark as issued (docs/api.md lists them)."""
    return {
        "number": claim.number,
        "code": claim.code,
        "product": claim.product,
        "producer": producer,
        "stars": claim.stars,
        "issued_on": claim.issued_on.isoformat(),
        "valid_until": claim.valid_until.isoformat(),
        "issuer": issuer,
        "packs": [{"name": p["name"], "size": p["size"], "gtin": p["gtin"]} for p in packs],
    }


def jwk(key: SigningKey) -> dict[str, Any]:
    """A published key as a JWK (RFC 8037: OKP, Ed25519), with whether it still signs new certificates ("active":
    a retired key stays listed so that what it signed still verifies)."""
    return {
        "kty": "OKP", "crv": "Ed25519", "x": key.public_key, "kid": key.key_id, "use": "sig", "alg": JWS_ALG,
        "active": key.active,
    }  # fmt: skip


def published_jwks() -> tuple[dict[str, Any], dt.datetime | None]:
    """Every published key as a JWK Set (RFC 7517), retired ones too, and when the set last changed."""
    keys = list(SigningKey.objects.order_by("province__code", "created_at", "key_id"))
    return {"keys": [jwk(k) for k in keys]}, max((k.updated_at for k in keys), default=None)


def jws_signer() -> Callable[..., str]:
    """A function giving a signed certificate's claim as a compact JWS, signed with the key that signed its OCOP1
    claim (`key_id`), given the producer's name and the packs as certified. Keys are read once each. Ed25519 is
    deterministic: signing a certificate again gives the same JWS."""
    keys: dict[str, tuple[str, OKPKey]] = {}

    def sign_one(cert: Certificate, *, producer: str, packs: list[dict[str, str]]) -> str:
        if cert.key_id not in keys:
            key = SigningKey.objects.select_related("province").get(key_id=cert.key_id)
            private = OKPKey.import_key(load_private(key), {"kid": key.key_id})
            keys[cert.key_id] = (key.province.code, private)
        issuer, private = keys[cert.key_id]
        document = claim_document(Claim.parse(cert.claim), issuer=issuer, producer=producer, packs=packs)
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        header = {"alg": JWS_ALG, "kid": cert.key_id, "typ": JWS_TYPE}
        return jws.serialize_compact(header, body, private, algorithms=[JWS_ALG])

    return sign_one


@dataclass(frozen=True)
class JwsFill:
    signed: int
    missing_keys: list[str]


def fill_missing_jws(batch: int = 200) -> JwsFill:
    """Sign as a JWS every certificate signed before JWS existed (an OCOP1 signature, no JWS), with the key that
    signed it, the names and packs as certified. Idempotent; run by `ocop sign_jws` after the upgrade (not in a
    migration: it reads the private keys). A key whose private half is missing is named, its certificates left."""
    sign_one, missing = jws_signer(), set[str]()
    todo = Certificate.objects.filter(jws="").exclude(signature="")
    rows = queries.with_certified_names(todo).prefetch_related("packs").order_by("pk")
    signed, last = 0, 0
    while chunk := list(rows.filter(pk__gt=last).exclude(key_id__in=missing)[:batch]):
        for cert in chunk:
            last = cert.pk
            producer = cert.certified_producer  # type: ignore[attr-defined]  # with_certified_names
            try:
                token = sign_one(cert, producer=producer, packs=queries.packs_of(cert))
            except MissingSigningKey:
                missing.add(cert.key_id)
                continue
            signed += Certificate.objects.filter(pk=cert.pk, jws="").update(jws=token)
    return JwsFill(signed, sorted(missing))


def payload(*, base_url: str, code: str, claim_text: str, key_id: str, signature: str) -> str:
    """The QR's text: the check page, and after "#" the signed claim for offline checks. A certificate entered from
    history was never signed: its QR is the page alone."""
    page = f"{base_url.rstrip('/')}/v/{code}"
    if not signature:
        return page
    return page + "#" + ".".join([key_id, b64(claim_text.encode("utf-8")), signature])


def digital_link_payload(*, base_url: str, gtin: str, code: str, claim_text: str, key_id: str, signature: str) -> str:
    """A pack's QR in the GS1 Digital Link form: ``<base>/01/<GTIN-14>`` (a point-of-sale scanner reads the GTIN),
    and after "#" the certificate's same signed claim as its own QR carries. `gtin` is a valid GTIN-8/12/13/14."""
    fragment = payload(base_url=base_url, code=code, claim_text=claim_text, key_id=key_id, signature=signature)
    _page, hash_, signed = fragment.partition("#")
    return f"{base_url.rstrip('/')}/01/{gtin14(gtin)}" + hash_ + signed


def _digital_link(address: str) -> bool:
    """Whether a QR's address is a pack's GS1 Digital Link (``…/01/<GTIN-14>``, perhaps with further qualifiers)."""
    _base, found, rest = address.partition("/01/")
    gtin = rest.split("/", 1)[0].split("?", 1)[0]
    return bool(found) and len(gtin) == 14 and gtin_problem(gtin) is None


@dataclass(frozen=True)
class Verification:
    ok: bool
    reason: str
    claim: Claim | None = None
    key_id: str = ""


def verify_payload(text: str, public_keys: dict[str, str]) -> Verification:
    """Check a scanned payload against published public keys (key id → base64url); no database, no network. The
    payload is the QR's OCOP1 form (<address>#<key>.<claim>.<signature>), a compact JWS, or an address whose
    fragment is a compact JWS."""
    text = text.strip()
    address, _hash, fragment = text.partition("#")
    if not fragment and _jws_header(address) is not None:
        return _verify_jws(address, "", public_keys)
    if _jws_header(fragment) is not None:
        return _verify_jws(fragment, address, public_keys)
    parts = fragment.split(".")
    if ("/v/" not in address and not _digital_link(address)) or len(parts) != 3:
        return Verification(False, _("This is not an OCOP Hub certificate QR."))
    key_id, claim_part, signature_part = parts
    try:
        claim_text = unb64(claim_part).decode("utf-8")
        signature = unb64(signature_part)
        claim = Claim.parse(claim_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return Verification(False, _("The QR is damaged or altered: its signed part cannot be read."))
    public = public_keys.get(key_id)
    if public is None:
        return Verification(False, _("The QR is signed with key %(key)s, which no province has published.") % {
            "key": key_id[:16]}, claim, key_id)  # fmt: skip
    try:
        Ed25519PublicKey.from_public_bytes(unb64(public)).verify(signature, claim_text.encode("utf-8"))
    except (InvalidSignature, ValueError):
        return Verification(False, _("The signature does not match: this QR was altered or forged."), claim, key_id)
    if not _signed_by_its_body(key_id, claim.number):
        return _other_body(key_id, claim)
    # A pack's Digital Link names the GTIN, which the claim does not: only the certificate's own address is compared.
    code = address.rstrip("/").rsplit("/v/", 1)[1] if "/v/" in address else claim.code
    if code != claim.code:
        return Verification(
            False, _("The address in the QR does not match the signed certificate code."), claim, key_id
        )
    return Verification(True, _("Authentic: issued and signed by the OCOP office."), claim, key_id)


def _signed_by_its_body(key_id: str, number: str, document: dict[str, Any] | None = None) -> bool:
    """Whether the key belongs to the body that issued the certificate: a key id starts with its body's code (a
    province's, or TW; active_key adds six hex digits), as the certificate number does (01-2025-00001), and a JWS
    payload's "issuer", when it has one, is that code. A body's key signing another body's certificate (another
    province's number, the ministry's 5 stars) is a forgery by whoever holds that key."""
    body = key_id[:-6]
    return bool(body) and number.startswith(body + "-") and (document or {}).get("issuer", body) == body


def _other_body(key_id: str, claim: Claim) -> Verification:
    reason = _("The QR is signed with key %(key)s, which is not the key of the body that issued certificate "
               "%(number)s: it is forged.") % {"key": key_id[:16], "number": claim.number[:40]}  # fmt: skip
    return Verification(False, reason, claim, key_id)


def _jws_header(text: str) -> dict[str, Any] | None:
    """The protected header of what looks like a compact JWS (three base64url parts, the first a JSON object naming
    an "alg"), else None. An OCOP1 fragment starts with a key id, which never decodes to JSON."""
    parts = text.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(unb64(parts[0]))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):  # RecursionError: "[[[[…" deep
        return None
    return header if isinstance(header, dict) and "alg" in header else None


def _claim_of(document: Any) -> Claim:
    """The claim in a JWS payload (claim_document), or ValueError when a field is missing or of the wrong type."""
    if not isinstance(document, dict):
        raise ValueError("the payload is not a JSON object")
    texts = [document.get(name) for name in ("number", "code", "product", "issued_on", "valid_until")]
    stars = document.get("stars")
    if not all(isinstance(t, str) for t in texts) or not isinstance(stars, int) or isinstance(stars, bool):
        raise ValueError("a claim field is missing or not of its type")
    number, code, product, issued_on, valid_until = (str(t) for t in texts)
    return Claim(number, code, product, stars, dt.date.fromisoformat(issued_on), dt.date.fromisoformat(valid_until))


def _verify_jws(token: str, address: str, public_keys: dict[str, str]) -> Verification:
    """The JWS form, checked with joserfc; the same verdicts and messages as the OCOP1 form."""
    if address and "/v/" not in address and not _digital_link(address):
        return Verification(False, _("This is not an OCOP Hub certificate QR."))
    header = _jws_header(token) or {}
    key_id = header.get("kid")
    try:
        document = json.loads(unb64(token.split(".")[1]))
        claim = _claim_of(document)
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return Verification(False, _("The QR is damaged or altered: its signed part cannot be read."))
    if not isinstance(key_id, str) or key_id not in public_keys:
        return Verification(False, _("The QR is signed with key %(key)s, which no province has published.") % {
            "key": str(key_id)[:16]}, claim, str(key_id or ""))  # fmt: skip
    try:
        public = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": public_keys[key_id]})
        jws.deserialize_compact(token, public, algorithms=[JWS_ALG])
    except (JoseError, ValueError):
        return Verification(False, _("The signature does not match: this QR was altered or forged."), claim, key_id)
    if not _signed_by_its_body(key_id, claim.number, document):
        return _other_body(key_id, claim)
    # A pack's Digital Link names the GTIN, not the certificate: as in the OCOP1 form, only /v/<code> is compared.
    if "/v/" in address and address.rstrip("/").rsplit("/v/", 1)[1] != claim.code:
        return Verification(
            False, _("The address in the QR does not match the signed certificate code."), claim, key_id
        )
    return Verification(True, _("Authentic: issued and signed by the OCOP office."), claim, key_id)


def certificate_jws(code: str) -> tuple[str, str, str] | None:
    """(code, key id, JWS) of the certificate behind a QR code (read case-insensitively); None when there is no
    such certificate or it has no JWS (entered from history, never signed; or signed before, until `ocop sign_jws`).
    Certificates are public: no access rule applies."""
    row = Certificate.objects.filter(code=code.strip().upper()).exclude(jws="").values_list("code", "key_id", "jws")
    return row.first()


def published_keys() -> dict[str, str]:
    return dict(SigningKey.objects.values_list("key_id", "public_key"))
