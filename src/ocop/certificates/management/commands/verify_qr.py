"""`ocop verify-qr <payload>`: check a scanned QR's signature (OCOP1 or JWS) against the published keys, offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ocop.certificates.signing import published_keys, verify_payload


class Command(BaseCommand):
    help = "Check an OCOP certificate QR payload (the scanned text) offline; exit status 1 when it fails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "payload",
            help="the text in the QR (<base url>/v/<code>#<key>.<claim>.<signature>), a certificate's compact JWS, "
            "or an address with the JWS after '#'",
        )
        parser.add_argument(
            "--keys",
            help="a JSON file of public keys as served by /api/v1/keys or /.well-known/jwks.json (default: the keys "
            "in this installation)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keys = _read_keys(Path(options["keys"])) if options["keys"] else published_keys()
        result = verify_payload(options["payload"], keys)
        if result.claim is not None:
            c = result.claim
            self.stdout.write(
                f"{c.number} · {c.product} · {c.stars}★ · {c.issued_on:%d/%m/%Y} – {c.valid_until:%d/%m/%Y}"
            )
        if not result.ok:
            raise CommandError(result.reason)
        self.stdout.write(self.style.SUCCESS(result.reason))


def _read_keys(path: Path) -> dict[str, str]:
    """Key id → public key (base64url) from a file as /api/v1/keys serves it (a list of {"key_id", "public_key"}) or
    as /.well-known/jwks.json does (a JWK Set, its Ed25519 keys); CommandError naming what is wrong otherwise."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(rows, dict):  # a JWKS: {"keys": [{"kty": "OKP", "crv": "Ed25519", "kid", "x"}]}
            pairs = [(row["kid"], row["x"]) for row in rows["keys"] if row.get("crv") == "Ed25519"]
        else:
            pairs = [(row["key_id"], row["public_key"]) for row in rows]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise CommandError(f"Cannot read the keys file: {exc!r}") from exc
    if not all(isinstance(kid, str) and isinstance(public, str) for kid, public in pairs):
        raise CommandError("Cannot read the keys file: a key id or public key is not a string")
    return dict(pairs)
