"""The signature of a webhook body: `X-OCOP-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, with
the timestamp (Unix seconds) in `X-OCOP-Timestamp`. docs/api.md shows a receiver's check."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()
