"""A worker killed while its POST waits for the receiver's answer: the next worker finds the delivery its dead
holder left (core.jobs) and sends it again; nothing stays "being sent"."""

from __future__ import annotations

import os
import signal
import threading

from ocop.certificates import services as certificates
from ocop.testing import start_worker, wait_for
from ocop.webhooks import services
from ocop.webhooks.models import Delivery
from ocop.webhooks.tests.conftest import issue


def test_a_worker_killed_mid_send_leaves_a_delivery_the_next_worker_sends(reference_data, office, receiver, tmp_path):
    cert = issue(office)
    services.create_subscription(by=office.coordinator, name="Sàn", url=receiver.url, events=["certificate.suspended"])
    receiver.hold = threading.Event()
    certificates.suspend(by=office.coordinator, certificate=cert, reason="Vi phạm")  # committed: its handler ran
    worker = start_worker(tmp_path, OCOP_WEBHOOKS_ALLOW_PRIVATE="true")
    try:
        wait_for(lambda: receiver.received, what="the first POST")
        held = Delivery.objects.get()
        assert (held.status, held.attempts, held.lease_owner.endswith(f":{worker.pid}")) == ("pending", 1, True)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
        receiver.hold.set()
    second = start_worker(tmp_path, OCOP_WEBHOOKS_ALLOW_PRIVATE="true")
    try:
        wait_for(lambda: Delivery.objects.filter(status="delivered").exists(), what="the delivery sent again")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    delivery = Delivery.objects.get()
    assert (delivery.attempts, delivery.response_status, delivery.lease_owner, delivery.last_error) == (2, 200, "", "")
    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body
