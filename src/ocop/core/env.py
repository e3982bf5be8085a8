"""Typed readers of environment variables for settings.py (importable before Django is set up).

Every reader takes the variable's name and its default as the text one would write in the environment. A value that
cannot be read stops start-up with a message naming the variable, the bad value and what was expected, not a
traceback: `BadEnvironment` is a SystemExit, so Python prints the message and exits with status 1.
"""

from __future__ import annotations

import ipaddress
import os

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})


class BadEnvironment(SystemExit):
    """A malformed environment variable; its text is the message shown to whoever starts the application."""

    def __init__(self, name: str, value: str | None, expected: str) -> None:
        self.name, self.value = name, value
        if value is None:
            super().__init__(f"Environment variable {name} is not set: expected {expected}.")
        else:
            super().__init__(f"Bad environment variable {name}={value!r}: expected {expected}.")


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = envstr(name, default).strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise BadEnvironment(name, value, "true or false")


def envint(name: str, default: str, *, minimum: int = 0) -> int:
    """A whole number, at least `minimum` (0 unless said: no setting of ours means anything below zero)."""
    value = envstr(name, default).strip()
    try:
        number = int(value)
    except ValueError:
        raise BadEnvironment(name, value, "a whole number") from None
    if number < minimum:
        raise BadEnvironment(name, value, f"a whole number of at least {minimum}")
    return number


def envlist(name: str, default: str) -> list[str]:
    """Comma-separated strings; blanks around and between the commas are dropped."""
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


def envints(name: str, default: str) -> list[int]:
    """Comma-separated whole numbers (e.g. OCOP_EXPIRY_NOTICE_DAYS=90,60,30)."""
    value = envstr(name, default)
    result = []
    for item in envlist(name, default):
        try:
            number = int(item)
        except ValueError:
            raise BadEnvironment(name, value, f"whole numbers separated by commas ({item!r} is not one)") from None
        if number < 1:
            raise BadEnvironment(name, value, f"whole numbers of at least 1 separated by commas ({item!r} is not one)")
        result.append(number)
    if not result:
        raise BadEnvironment(name, value, "one or more whole numbers separated by commas")
    return result


def envnetworks(name: str, default: str) -> list[str]:
    """Comma-separated IP addresses or networks (e.g. OCOP_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/24)."""
    value = envstr(name, default)
    result = []
    for item in envlist(name, default):
        try:
            result.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise BadEnvironment(
                name, value, f"IP addresses or networks separated by commas ({item!r} is not one)"
            ) from None
    return result


def envmap(name: str, default: str) -> dict[str, int]:
    """`key=number,key=number` (e.g. OCOP_OUTLET_PASS_MARKS=6385-2023=70)."""
    value = envstr(name, default)
    result: dict[str, int] = {}
    for pair in envlist(name, default):
        key, _sep, number = pair.rpartition("=")
        if not key.strip() or not number.strip().isdigit():
            raise BadEnvironment(name, value.strip(), "key=number pairs separated by commas")
        result[key.strip()] = int(number)
    return result


def tile_origin(template: str) -> str | None:
    """The origin a Leaflet tile URL template fetches from, as a Content-Security-Policy source
    (https://{s}.tile.example.org/{z}/{x}/{y}.png → https://*.tile.example.org), or None if it is no such template."""
    scheme, sep, rest = template.partition("://")
    host = rest.split("/", 1)[0]
    bare = host.removeprefix("{s}.")  # {s}: Leaflet's subdomains a, b, c
    if (
        scheme not in {"https", "http"}
        or not sep
        or "/" not in rest
        or not all(part in rest for part in ("{z}", "{x}"))
        or not ("{y}" in rest or "{-y}" in rest)
        or not bare
        or any(c in bare for c in "{}*'\"; ,@\\")
        or bare.startswith((".", "-"))
    ):
        return None
    return f"{scheme}://" + ("*." + bare if host.startswith("{s}.") else host)


def envtiles(name: str, attribution_name: str) -> tuple[str, str]:
    """A map tile server (e.g. OCOP_MAP_TILES_URL=https://tile.openstreetmap.org/{z}/{x}/{y}.png) and the attribution
    its terms require on the map, which must then be set too. Unset or empty: no tile server, ("", "")."""
    value = envstr(name, "").strip()
    if not value:
        return "", ""
    if tile_origin(value) is None:
        raise BadEnvironment(
            name, value, "an https:// (or http://) Leaflet URL template with {z}, {x} and {y}, such as "
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png (the host may begin with {s}. for subdomains a, b, c)",
        )  # fmt: skip
    attribution = envstr(attribution_name, "").strip()
    if not attribution:
        raise BadEnvironment(
            attribution_name, None, "the attribution the tile server's terms require (text or HTML, e.g. '&copy; "
            "<a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors'), since "
            f"{name} is set: the map shows it beneath the tiles",
        )  # fmt: skip
    return value, attribution
