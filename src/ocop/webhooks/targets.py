"""Where a webhook may be sent: an https:// address whose host resolves only to public addresses (no loopback,
private, link-local, shared or reserved network: a subscription must not reach the servers beside ours). Checked
when a subscription is saved, and again at each send (a name may resolve elsewhere since), and the connection goes
to the address that was checked.

OCOP_WEBHOOKS_ALLOW_PRIVATE=true lifts the network rule and allows http:// (tests with a local server, a closed
network that hosts its receivers itself)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from ocop.webhooks.models import URL_MAX


class Refused(ValueError):
    """The address may not be used; the message says why, naming the field."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with its query
    address: str  # the checked IP the connection goes to


def allow_private() -> bool:
    return bool(getattr(settings, "OCOP_WEBHOOKS_ALLOW_PRIVATE", False))


# IPv6 forms that carry an IPv4 address in their last 32 bits, which a network may route to that IPv4 address:
# IPv4-compatible (::a.b.c.d), IPv4-translated (SIIT), the well-known NAT64 prefix. Judged by the IPv4 address.
_CARRYING_IPV4 = tuple(ipaddress.ip_network(n) for n in ("::/96", "::ffff:0:0:0/96", "64:ff9b::/96"))
# Networks Python calls global that reach a private network: local-use NAT64 (RFC 8215), site-local (deprecated).
_LOCAL_IPV6 = tuple(ipaddress.ip_network(n) for n in ("64:ff9b:1::/48", "fec0::/10"))


def _public(ip: str) -> bool:
    address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        if any(address in n for n in _LOCAL_IPV6):
            return False
        if address.ipv4_mapped is not None or address.sixtofour is not None:  # ::ffff:a.b.c.d, 2002:a.b.c.d::/48
            address = address.ipv4_mapped or address.sixtofour  # type: ignore[assignment]
        elif any(address in n for n in _CARRYING_IPV4):
            address = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.is_global and not address.is_multicast


def parse(url: str) -> tuple[str, str, int, str]:
    """The URL's scheme, host, port and path; Refused when it is not an address we send to."""
    if not url or len(url) > URL_MAX or any(c.isspace() for c in url):
        raise Refused(_("Endpoint URL: enter an address starting with https://."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused(_("Endpoint URL: enter an address starting with https://.")) from None
    if port == 0:  # (a port 0 was taken for the scheme's own)
        raise Refused(_("Endpoint URL: enter an address starting with https://."))
    schemes = ("https", "http") if allow_private() else ("https",)
    if parts.scheme not in schemes:
        raise Refused(_("Endpoint URL: the address must start with https://."))
    if not parts.hostname or parts.username is not None or parts.password is not None or parts.fragment:
        raise Refused(_("Endpoint URL: enter an address starting with https://, without a user name or a # part."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def resolve(url: str) -> Target:
    """The URL checked and resolved: Refused when it is malformed, cannot be resolved, or reaches a non-public
    network (unless allowed)."""
    scheme, host, port, path = parse(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise Refused(_("Endpoint URL: the host name %(host)s could not be found.") % {"host": host}) from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise Refused(_("Endpoint URL: the host name %(host)s could not be found.") % {"host": host})
    if not allow_private() and not all(_public(a) for a in addresses):
        raise Refused(
            _("Endpoint URL: %(host)s is in a private, loopback or link-local network; webhooks go only to public "
              "addresses.") % {"host": host}
        )  # fmt: skip
    return Target(scheme, host, port, path, addresses[0])
