"""Ed25519 signatures over certificates, so that a QR can be checked offline with the province's public key.

The QR payload is the page address with the signed claim in its fragment (never sent to the server):
``<OCOP_PUBLIC_BASE_URL>/v/<code>#<key id>.<claim, base64url>.<signature, base64url>``.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.certificates.models import SigningKey
from ocop.certificates.rules import Claim
from ocop.places.models import Province


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _keys_dir() -> Path:
    path = Path(settings.OCOP_KEYS_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _load_private(key: SigningKey) -> Ed25519PrivateKey:
    path = _keys_dir() / f"{key.key_id}.key"
    try:
        raw = unb64(path.read_text(encoding="ascii").strip())
    except FileNotFoundError as exc:
        raise ImproperlyConfigured(
            f"The private signing key {key.key_id} is missing from {path.parent} (OCOP_KEYS_DIR). Restore it from "
            "the backup, or retire the key in the admin so that a new one is made."
        ) from exc
    return Ed25519PrivateKey.from_private_bytes(raw)


@transaction.atomic
def active_key(province: Province) -> tuple[SigningKey, Ed25519PrivateKey]:
    """The province's active key, made on first use (the private half written to OCOP_KEYS_DIR, mode 0600)."""
    key = SigningKey.objects.select_for_update().filter(province=province, active=True).first()
    if key is not None:
        return key, _load_private(key)
    private = Ed25519PrivateKey.generate()
    key_id = f"{province.code}{secrets.token_hex(3)}"
    path = _keys_dir() / f"{key_id}.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(b64(private.private_bytes_raw()))
    public = b64(private.public_key().public_bytes_raw())
    return SigningKey.objects.create(province=province, key_id=key_id, public_key=public), private


def sign(province: Province, claim: Claim) -> tuple[str, str]:
    """(key id, signature) over the claim's text."""
    return signer(province)(claim)


def signer(province: Province) -> Callable[[Claim], tuple[str, str]]:
    """A function signing claims with the province's active key, read once (for a decision's many certificates)."""
    key, private = active_key(province)

    def sign_one(claim: Claim) -> tuple[str, str]:
        return key.key_id, b64(private.sign(claim.text().encode("utf-8")))

    return sign_one


def payload(*, base_url: str, code: str, claim_text: str, key_id: str, signature: str) -> str:
    """The QR's text: the check page, and after "#" the signed claim for offline checks. A certificate entered from
    history was never signed: its QR is the page alone."""
    page = f"{base_url.rstrip('/')}/v/{code}"
    if not signature:
        return page
    return page + "#" + ".".join([key_id, b64(claim_text.encode("utf-8")), signature])


@dataclass(frozen=True)
class Verification:
    ok: bool
    reason: str
    claim: Claim | None = None
    key_id: str = ""


def verify_payload(text: str, public_keys: dict[str, str]) -> Verification:
    """Check a scanned payload against published public keys (key id → base64url); no database, no network."""
    text = text.strip()
    address, _hash, fragment = text.partition("#")
    parts = fragment.split(".")
    if "/v/" not in address or len(parts) != 3:
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
    code = address.rstrip("/").rsplit("/v/", 1)[1]
    if code != claim.code:
        return Verification(
            False, _("The address in the QR does not match the signed certificate code."), claim, key_id
        )
    return Verification(True, _("Authentic: issued and signed by the OCOP office."), claim, key_id)


def published_keys() -> dict[str, str]:
    return dict(SigningKey.objects.values_list("key_id", "public_key"))
