"""`ocop sign_jws`: give every certificate signed before the JWS form its compact JWS (run once after the upgrade)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ocop.certificates.signing import fill_missing_jws


class Command(BaseCommand):
    help = (
        "Sign as a compact JWS (EdDSA) every certificate that has an OCOP1 signature but no JWS yet, with the key "
        "that signed it; idempotent. Exit status 1 when a key's private half is missing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = fill_missing_jws()
        self.stdout.write(f"{result.signed} certificate(s) signed as JWS.")
        if result.missing_keys:
            raise CommandError(
                "Private key(s) missing from OCOP_KEYS_DIR, their certificates left without JWS: "
                + ", ".join(result.missing_keys)
            )
