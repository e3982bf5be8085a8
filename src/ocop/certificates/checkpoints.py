"""Signed checkpoints of the transparency log: its head (entry count and last hash) signed with an issuing body's key.

One is made every day by the daily watch (with the installation's province key, OCOP_DEFAULT_PROVINCE) and one at each
decision (with the deciding body's key: a province, or the ministry). They are published at
/api/v1/transparency-log/checkpoints and in the open data. Whoever saves them (one request a day) holds signed proof of
where the log stood: a later rewrite of the whole chain, re-hashed so that it passes its own check, no longer has the
signed hash at the signed entry, and `ocop verify-log --checkpoints FILE_OR_URL` says so.

The signed text is ``OCOP-CHECKPOINT|v1|<body code>|<entry count>|<hash of that entry>|<UTC time, ISO 8601>``,
e.g. ``OCOP-CHECKPOINT|v1|01|1234|9f…e0|2026-01-10T09:00:00Z``, signed with Ed25519 (base64url, as the QR claims).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates import signing
from ocop.certificates.enums import LogEvent
from ocop.certificates.models import Certificate, Checkpoint, LogEntry, LogHead, SigningKey
from ocop.certificates.signals import status_changed
from ocop.places.models import Province

logger = logging.getLogger(__name__)

PREFIX = "OCOP-CHECKPOINT|v1"
MAX_BYTES = 20 * 1024 * 1024  # years of daily checkpoints take a few MB; anything larger is not a checkpoints file
FETCH_TIMEOUT = 30  # seconds
STAMP = "%Y-%m-%dT%H:%M:%SZ"
HASH = re.compile(r"[0-9a-f]{64}")


def stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime(STAMP)


def signed_text(*, body: str, seq: int, hash: str, at: str) -> str:
    return f"{PREFIX}|{body}|{seq}|{hash}|{at}"


@dataclass(frozen=True)
class Saved:
    """A checkpoint as anyone holds it: read from the database, the API, the open data or a saved file."""

    body: str
    seq: int
    hash: str
    at: str
    key_id: str
    signature: str

    def text(self) -> str:
        return signed_text(body=self.body, seq=self.seq, hash=self.hash, at=self.at)

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "at": self.at, "body": self.body, "key_id": self.key_id,
                "signature": self.signature, "signed_text": self.text()}  # fmt: skip


def saved(checkpoint: Checkpoint) -> Saved:
    return Saved(checkpoint.body.code, checkpoint.seq, checkpoint.hash, stamp(checkpoint.at), checkpoint.key_id,
                 checkpoint.signature)  # fmt: skip


def published() -> list[Saved]:
    """Every checkpoint made here, newest first."""
    return [saved(c) for c in Checkpoint.objects.select_related("body").order_by("-at", "-id")]


# ---- making them ---------------------------------------------------------------------------------------------


@transaction.atomic
def make_checkpoint(*, body: Province) -> Checkpoint | None:
    """Sign the log's head with the body's active key. Returns the new checkpoint, or None when there is nothing new
    to sign: an empty log, or a head unchanged since the body's last checkpoint of the same day (so the daily watch
    run twice, or two decisions' hooks racing, make one). Side effects: a Checkpoint row. The body's key must exist
    (signing.active_key; MissingSigningKey without one). No audit entry: nobody asks, and the row is itself public."""
    LogHead.objects.get_or_create(pk=1)
    if not LogHead.objects.filter(pk=1, seq__gt=0).exists():
        return None
    # The locks in the order issuing a decision takes them, the body's key and then the log's head: the other order
    # deadlocks with a decision issued at the same moment (PostgreSQL detects it and fails one of them).
    key, private = signing.active_key(body)
    head = LogHead.objects.select_for_update().get(pk=1)  # one checkpoint maker at a time, and no append in between
    now = timezone.now().replace(microsecond=0)
    last = Checkpoint.objects.filter(body=body).order_by("-at", "-id").first()
    if (
        last is not None
        and (last.seq, last.hash) == (head.seq, head.hash)
        and timezone.localdate(last.at) == timezone.localdate(now)
    ):
        return None
    text = signed_text(body=body.code, seq=head.seq, hash=head.hash, at=stamp(now))
    signature = signing.b64(private.sign(text.encode("utf-8")))
    return Checkpoint.objects.create(
        body=body, seq=head.seq, hash=head.hash, at=now, key_id=key.key_id, signature=signature
    )


def daily_checkpoint() -> Checkpoint | None:
    """The daily watch's checkpoint, signed with the installation's province key (OCOP_DEFAULT_PROVINCE). Without
    that key (`ocop signing_keys create` not run) none is signed, logged as an error: the watch's notices still go."""
    try:
        return make_checkpoint(body=Province.objects.get(code=settings.OCOP_DEFAULT_PROVINCE))
    except signing.MissingSigningKey as exc:
        logger.error("The daily log checkpoint was not signed: %s", exc.message)
        return None


def _decision_issued(sender: Any, certificate_ids: list[int], event: str, **kwargs: Any) -> None:
    """A decision was issued (status_changed with ISSUED, after commit): its body signs the log's new head."""
    if event != LogEvent.ISSUED or not certificate_ids:
        return
    # The ids are the decision's new certificates and the older ones they superseded (perhaps another body's): the
    # newest certificate is one of the decision's own.
    body_id = (
        Certificate.objects.filter(pk__in=certificate_ids)
        .order_by("-pk")
        .values_list("decision__province_id", flat=True)
        .first()
    )
    if body_id is None:
        return
    try:
        make_checkpoint(body=Province.objects.get(pk=body_id))
    except Exception:  # the decision is committed; the daily watch signs the head this one missed
        logger.exception("The log checkpoint at a decision was not made")


def connect() -> None:
    status_changed.connect(_decision_issued, dispatch_uid="certificates.checkpoints")


# ---- reading saved ones ---------------------------------------------------------------------------------------


class CheckpointFileError(ValueError):
    """A file or address that does not hold checkpoints; the message says what is wrong with it."""


def read(source: str) -> bytes:
    """The bytes of a saved file, or of an http(s) address (at most MAX_BYTES, within FETCH_TIMEOUT seconds)."""
    try:
        if source.startswith(("http://", "https://")):
            with urllib.request.urlopen(source, timeout=FETCH_TIMEOUT) as response:  # noqa: S310  # http(s) only
                data: bytes = response.read(MAX_BYTES + 1)
        else:
            with Path(source).open("rb") as fh:
                data = fh.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise CheckpointFileError(
            _("Cannot read the checkpoints from %(source)s: %(error)s.") % {"source": source, "error": exc}
        ) from exc
    if len(data) > MAX_BYTES:
        raise CheckpointFileError(
            _("%(source)s is larger than 20 MB: it is not a checkpoints file.") % {"source": source}
        )
    return data


def parse(data: bytes, source: str) -> list[Saved]:
    """Checkpoints from the JSON of /api/v1/transparency-log/checkpoints: a page (with "items"), the open data's
    file (also with "items"), or a bare list of them. Refuses anything else, naming what is wrong."""
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CheckpointFileError(
            _("%(source)s is not JSON: it is not a checkpoints file saved from /api/v1/transparency-log/checkpoints.")
            % {"source": source}
        ) from exc
    items = value.get("items") if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise CheckpointFileError(
            _("%(source)s is JSON but holds no list of checkpoints: save the page of "
              "/api/v1/transparency-log/checkpoints (with its “items”) or a list of its items.") % {"source": source}
        )  # fmt: skip
    return [_item(item, n, source) for n, item in enumerate(items, start=1)]


def _item(item: Any, n: int, source: str) -> Saved:
    def bad(field: str) -> CheckpointFileError:
        return CheckpointFileError(
            _("Item %(n)s of %(source)s is not a checkpoint: its “%(field)s” is missing or not valid.")
            % {"n": n, "source": source, "field": field}
        )

    if not isinstance(item, dict):
        raise CheckpointFileError(
            _("Item %(n)s of %(source)s is not a checkpoint: it is not an object.") % {"n": n, "source": source}
        )
    seq = item.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise bad("seq")
    if not isinstance(item.get("hash"), str) or not HASH.fullmatch(item["hash"]):
        raise bad("hash")
    at = item.get("at")
    try:
        dt.datetime.strptime(at, STAMP)  # type: ignore[arg-type]  # noqa: DTZ007  # only its form is checked
    except (TypeError, ValueError):
        raise bad("at") from None
    for field in ("body", "key_id", "signature"):
        if not isinstance(item.get(field), str) or not item[field] or len(item[field]) > 100:
            raise bad(field)
    checkpoint = Saved(item["body"], seq, item["hash"], at, item["key_id"], item["signature"])  # type: ignore[arg-type]
    if "signed_text" in item and item["signed_text"] != checkpoint.text():
        raise bad("signed_text")
    return checkpoint


def load(source: str) -> list[Saved]:
    return parse(read(source), source)


# ---- checking ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointProblem:
    seq: int
    message: str
    forged: bool  # the checkpoint itself is not genuine (signature, key); otherwise the log differs from it


def _keys() -> dict[str, tuple[str, str]]:
    """Published keys: key id → (public key, code of the body that holds it)."""
    rows = SigningKey.objects.values_list("key_id", "public_key", "province__code")
    return {key_id: (public, body) for key_id, public, body in rows}


def _forged(c: Saved, keys: dict[str, tuple[str, str]]) -> str | None:
    values = {"seq": c.seq, "at": c.at, "body": c.body, "key": c.key_id[:16]}
    public, owner = keys.get(c.key_id, (None, None))
    if public is None:
        message = _("The checkpoint at entry %(seq)s (%(at)s) is signed with key %(key)s, which no issuing body has "
                    "published.")  # fmt: skip
    elif owner != c.body:
        message = _("The checkpoint at entry %(seq)s (%(at)s) names body %(body)s but is signed with key %(key)s of "
                    "another body.")  # fmt: skip
    else:
        try:
            Ed25519PublicKey.from_public_bytes(signing.unb64(public)).verify(
                signing.unb64(c.signature), c.text().encode("utf-8")
            )
            return None
        except (InvalidSignature, ValueError):
            message = _("The checkpoint at entry %(seq)s (%(at)s) does not match its signature: it was altered or "
                        "forged.")  # fmt: skip
    return message % values


def signature_problems(
    checkpoints: Iterable[Saved], keys: dict[str, tuple[str, str]] | None = None
) -> list[CheckpointProblem]:
    """Each checkpoint's signature checked with its body's published key (those of /api/v1/keys)."""
    keys = _keys() if keys is None else keys
    problems = []
    for c in checkpoints:
        message = _forged(c, keys)
        if message is not None:
            problems.append(CheckpointProblem(c.seq, message, forged=True))
    return problems


def chain_problems(checkpoints: Iterable[Saved]) -> list[CheckpointProblem]:
    """Each checkpoint against the log: the entry it counts up to exists and carries the hash it signed. (With
    log.verify, which proves every stored hash is the chain's, this is the chain's hash at that entry.)"""
    wanted = sorted(set(checkpoints), key=lambda c: (c.seq, c.at, c.body))
    seqs = sorted({c.seq for c in wanted})
    stored: dict[int, str] = {}
    for start in range(0, len(seqs), 500):
        stored.update(LogEntry.objects.filter(seq__in=seqs[start : start + 500]).values_list("seq", "hash"))
    problems = []
    for c in wanted:
        values = {"seq": c.seq, "at": c.at, "body": c.body}
        found = stored.get(c.seq)
        if found is None:
            message = _("The log has no entry %(seq)s, though the checkpoint signed by %(body)s at %(at)s counts "
                        "%(seq)s entries: entries were removed.")  # fmt: skip
        elif found != c.hash:
            message = _("Entry %(seq)s is not the one the checkpoint signed by %(body)s at %(at)s holds: the log was "
                        "rewritten up to there.")  # fmt: skip
        else:
            continue
        problems.append(CheckpointProblem(c.seq, message % values, forged=False))
    return problems


def verify_against(
    checkpoints: Iterable[Saved], keys: dict[str, tuple[str, str]] | None = None
) -> list[CheckpointProblem]:
    """Check saved checkpoints: each genuinely signed by its body's published key, and the current chain still has,
    at each checkpoint's entry, the hash it signed. A forged checkpoint proves nothing, so its entry is not compared."""
    keys = _keys() if keys is None else keys
    checkpoints = list(checkpoints)
    genuine = [c for c in checkpoints if _forged(c, keys) is None]
    return signature_problems(checkpoints, keys) + chain_problems(genuine)
