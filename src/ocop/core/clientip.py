"""The client's address: the one function the login throttle (django-axes) and the consumer-report limit ask.

A proxy's header is believed only when the request came from a proxy listed in OCOP_TRUSTED_PROXIES (addresses or
networks; empty by default, 127.0.0.1 behind the shipped deploy/nginx.conf). Anyone else can write any
X-Forwarded-For they like, so for them REMOTE_ADDR is the address.

Behind trusted proxies, X-Forwarded-For is read from the right: each proxy appends the address it received the
request from, so the right-most address that is not itself a trusted proxy is the client (what the client wrote at
the left is ignored). Without X-Forwarded-For, X-Real-IP (which nginx sets to the address it saw) is used.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network
type Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address the request came from, as text (empty when even REMOTE_ADDR is missing or malformed)."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    networks = _networks(tuple(settings.OCOP_TRUSTED_PROXIES))
    if not _trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        for hop in reversed(forwarded.split(",")):
            address = _address(hop)
            if address is None:  # a malformed hop: what lies left of it cannot be trusted either
                return str(remote)
            if not _trusted(address, networks):
                return str(address)
        return str(remote)  # every hop is one of our proxies
    real = _address(request.META.get("HTTP_X_REAL_IP", ""))
    return str(real) if real is not None else str(remote)
