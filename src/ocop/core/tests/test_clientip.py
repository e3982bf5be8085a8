"""ocop.core.clientip.client_ip: a proxy's header is believed only from OCOP_TRUSTED_PROXIES."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from ocop.core.clientip import client_ip


def ip(remote: str, **headers: Any) -> str:
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_without_trusted_proxies_the_connection_is_the_client(settings):
    settings.OCOP_TRUSTED_PROXIES = []
    assert ip("203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.1", HTTP_X_REAL_IP="192.0.2.2") == "203.0.113.7"
    assert ip("127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1") == "127.0.0.1"


@pytest.mark.parametrize(
    ("remote", "headers", "expected"),
    [
        # nginx appends the address it saw: what the client wrote at the left is ignored.
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "192.0.2.1, 198.51.100.1"}, "198.51.100.1"),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "198.51.100.1"),
        # a balancer in a trusted network in front of nginx is skipped too
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "198.51.100.1,10.0.0.5"}, "198.51.100.1"),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "2001:db8::7"}, "2001:db8::7"),
        ("127.0.0.1", {"HTTP_X_REAL_IP": "198.51.100.2"}, "198.51.100.2"),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "198.51.100.1", "HTTP_X_REAL_IP": "198.51.100.2"}, "198.51.100.1"),
        # nothing or nonsense from the proxy: the proxy's own address, never the text
        ("127.0.0.1", {}, "127.0.0.1"),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "198.51.100.1, <script>"}, "127.0.0.1"),
        ("127.0.0.1", {"HTTP_X_REAL_IP": "unknown"}, "127.0.0.1"),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "10.0.0.9"}, "127.0.0.1"),
        # an untrusted connection next to the trusted ones
        ("10.0.1.5", {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "10.0.1.5"),
        ("not-an-address", {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}, ""),
    ],
)
def test_behind_trusted_proxies_the_forwarded_address_is_the_client(settings, remote, headers, expected):
    settings.OCOP_TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/24"]
    assert ip(remote, **headers) == expected
