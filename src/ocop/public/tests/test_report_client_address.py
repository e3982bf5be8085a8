"""The consumer-report limit (OCOP_REPORTS_PER_HOUR per address) counts the client's address, behind nginx too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from ocop.certificates.models import ConsumerReport


def report(remote: str, forwarded: str = "") -> int:
    meta: dict[str, Any] = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    client = Client(**meta)
    return client.post("/v/KHONGCO123/report", {"kind": "fake"}).status_code


def test_behind_the_trusted_proxy_each_client_has_its_own_limit(db, settings, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False)
    settings.OCOP_TRUSTED_PROXIES = ["127.0.0.1/32"]
    settings.OCOP_REPORTS_PER_HOUR = 2
    # Two clients behind nginx (127.0.0.1), which appends the address it saw to what the client sent.
    assert [report("127.0.0.1", "198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert [report("127.0.0.1", "192.0.2.77, 198.51.100.2") for _ in range(3)] == [200, 200, 429]
    assert ConsumerReport.objects.count() == 4
    assert ConsumerReport.objects.values("client").distinct().count() == 2


def test_a_client_cannot_escape_the_limit_by_forging_the_header(db, settings, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False)
    settings.OCOP_TRUSTED_PROXIES = ["127.0.0.1/32"]
    settings.OCOP_REPORTS_PER_HOUR = 2
    statuses = [report("203.0.113.7", f"192.0.2.{n}") for n in range(3)]
    assert statuses == [200, 200, 429]
    assert ConsumerReport.objects.count() == 2
