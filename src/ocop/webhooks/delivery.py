"""Sending deliveries on the task worker (django-tasks-db): one POST per attempt, retried with back-off.

An attempt is claimed first (core.jobs.claim: a conditional UPDATE that counts the attempt and names this worker),
so two tasks for one delivery never both send it; the outcome is written only if this worker still holds it. A
worker that dies mid-send leaves its name on the delivery: the next worker to start finds it (core.jobs.reap_all)
and sends it again (Delivery.mark_abandoned).

The request goes to the address `targets.resolve` checked (no redirect is followed: http.client never follows
one), with a 10 s timeout; at most EXCERPT_MAX bytes of the answer are read and kept."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import socket
import ssl
import threading
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ocop.core import jobs as leases
from ocop.webhooks import signing, targets
from ocop.webhooks.enums import DeliveryStatus
from ocop.webhooks.models import EXCERPT_MAX, Delivery

TIMEOUT = 10.0  # seconds, to connect and for each read
# Seconds for the whole exchange (TLS handshake, request, the answer's headers and excerpt): a receiver that trickles
# its answer a byte at a time passes each read's TIMEOUT, and would hold the worker for hours without this.
SEND_SECONDS = 30.0  # OCOP_WEBHOOKS_SEND_SECONDS
# After the 1st, 2nd, ... failed attempt, the next one waits this long; after the last, the delivery is given up.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
USER_AGENT = "OCOP-Hub-Webhooks/1"


def queue(delivery_id: int, when: dt.datetime) -> None:
    """Run an attempt at `when`, after the current transaction commits."""
    transaction.on_commit(lambda: send_delivery.using(run_after=when).enqueue(delivery_id=delivery_id))


def body_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the address that was checked, the certificate verified for the URL's host name."""

    def __init__(self, target: targets.Target) -> None:
        super().__init__(target.host, target.port, timeout=TIMEOUT, context=ssl.create_default_context())
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The handshake after self.sock is set, so that the deadline (post) can cut a receiver trickling it too.
        self.sock = self._context.wrap_socket(  # type: ignore[attr-defined]
            sock, server_hostname=self.host, do_handshake_on_connect=False
        )
        self.sock.do_handshake()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Plain HTTP (only with OCOP_WEBHOOKS_ALLOW_PRIVATE) to the address that was checked."""

    def __init__(self, target: targets.Target) -> None:
        super().__init__(target.host, target.port, timeout=TIMEOUT)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, headers: dict[str, str], body: bytes) -> tuple[int, str]:
    """POST once; the status and the first EXCERPT_MAX bytes of the answer (as text). targets.Refused, OSError or
    http.client.HTTPException when it cannot be sent."""
    target = targets.resolve(url)
    pinned = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection: http.client.HTTPConnection = pinned(target)
    seconds = float(getattr(settings, "OCOP_WEBHOOKS_SEND_SECONDS", SEND_SECONDS))
    cut = threading.Event()

    def cut_off() -> None:  # at the deadline, from a timer thread: the blocked read returns, the send fails
        cut.set()
        if connection.sock is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(seconds, cut_off)
    timer.daemon = True
    timer.start()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_MAX)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if cut.is_set():
            raise TimeoutError(f"no whole answer within {seconds:g} s") from exc
        raise
    finally:
        timer.cancel()
        connection.close()
    if cut.is_set():  # an answer cut short is not an answer
        raise TimeoutError(f"no whole answer within {seconds:g} s")
    return response.status, excerpt.decode("utf-8", errors="replace")


def headers_for(delivery: Delivery, body: bytes, now: dt.datetime) -> dict[str, str]:
    timestamp = str(int(now.timestamp()))
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-OCOP-Event": delivery.event.type,
        "X-OCOP-Delivery": str(delivery.pk),
        "X-OCOP-Timestamp": timestamp,
        "X-OCOP-Signature": signing.signature(delivery.subscription.secret, timestamp, body),
    }


def attempt(delivery_id: int) -> bool:
    """One attempt at a delivery that is due; False when there was nothing to do (sent already, not due, being sent
    by another worker, or its subscription is off)."""
    delivery = Delivery.objects.select_related("event", "subscription").filter(pk=delivery_id).first()
    now = timezone.now()
    if (
        delivery is None
        or delivery.status not in Delivery.RUNNING_STATES
        or delivery.lease_owner
        or not delivery.subscription.active
        or (delivery.next_attempt_at is not None and delivery.next_attempt_at > now)
    ):
        return False
    number = delivery.attempts + 1
    if not leases.claim(delivery, unchanged=("status", "attempts", "lease_owner"), attempts=number,
                        last_attempt_at=now):  # fmt: skip
        return False
    body = body_bytes(delivery.event.body())
    code: int | None = None
    excerpt = error = ""
    try:
        code, excerpt = post(delivery.subscription.url, headers_for(delivery, body, now), body)
    except targets.Refused as exc:
        error = str(exc)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    done = timezone.now()
    fields: dict[str, Any] = {"response_status": code, "response_excerpt": excerpt, "last_error": error[:500]}
    if code is not None and 200 <= code < 300:
        fields.update(status=DeliveryStatus.DELIVERED, delivered_at=done, next_attempt_at=None)
    elif number < MAX_ATTEMPTS:
        fields.update(status=DeliveryStatus.FAILED, next_attempt_at=now + BACKOFF[number - 1])
    else:
        fields.update(status=DeliveryStatus.GIVEN_UP, next_attempt_at=None)
    held = Delivery.objects.filter(pk=delivery.pk, lease_owner=leases.owner()).update(lease_owner="", **fields)
    if held and fields["status"] == DeliveryStatus.FAILED:
        queue(delivery.pk, fields["next_attempt_at"])
    return bool(held)


@task()
def send_delivery(*, delivery_id: int) -> None:
    attempt(delivery_id)
