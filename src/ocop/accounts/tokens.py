"""API tokens: their text, their hash, and who a token names.

A token's text is `ocop_<prefix>_<secret>`: the prefix (8 hex digits) is public, shown in the user's list and used to
find the row; the secret (32 random bytes, URL-safe base64) is given once and only its SHA-256 is stored. A random
secret of that length needs no slow hash or key: its SHA-256 cannot be reversed or guessed, and the comparison runs in
constant time (hmac.compare_digest)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from ocop.accounts.models import ApiToken, User
from ocop.accounts.permissions import visible_or_404

PREFIX_LENGTH = 8
# How often a token's last use is written at most: a system polling every second costs one UPDATE a minute.
LAST_USE_EVERY = dt.timedelta(minutes=1)
_TEXT = re.compile(r"ocop_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{43})")


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and its text (shown once, never stored)."""

    token: ApiToken
    text: str


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def new_secret() -> tuple[str, str, str]:
    """A fresh (prefix, secret, text); the prefix is not in use yet (the unique constraint guards a race)."""
    while True:
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    secret = secrets.token_urlsafe(32)
    return prefix, secret, f"ocop_{prefix}_{secret}"


def authenticate(text: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The token this text is, with its user, when it is active (not revoked, not expired) and its user is active;
    None otherwise (malformed, unknown, wrong secret, expired, revoked, user switched off): one query.

    Side effect: records the token's last use, at most once a minute (LAST_USE_EVERY), one conditional UPDATE."""
    match = _TEXT.fullmatch(text.strip())
    if match is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=match["prefix"]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, secret_hash(match["secret"])):
        return None
    now = now or timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at <= now - LAST_USE_EVERY:
        ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first: each user sees and manages only theirs."""
    return ApiToken.objects.filter(user=user)


def own_token_or_404(user: User, pk: object) -> ApiToken:
    """One of the user's own tokens; another user's (or no such id) is 404."""
    return visible_or_404(tokens_of(user), pk)
