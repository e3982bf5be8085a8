"""Typed readers of environment variables for settings.py (importable before Django is set up).

Every reader takes the variable's name and its default as the text one would write in the environment. A value that
cannot be read stops start-up with a message naming the variable, the bad value and what was expected, not a
traceback: `BadEnvironment` is a SystemExit, so Python prints the message and exits with status 1.
"""

from __future__ import annotations

import ipaddress
import os
import re

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})


class BadEnvironment(SystemExit):
    """A malformed environment variable; its text is the message shown to whoever starts the application."""

    def __init__(self, name: str, value: str | None, expected: str) -> None:
        value = None if value is None else without_secret(value)  # DATABASE_URL, OCOP_STORAGE_URL...: no password
        self.name, self.value = name, value
        if value is None:
            super().__init__(f"Environment variable {name} is not set: expected {expected}.")
        else:
            super().__init__(f"Bad environment variable {name}={value!r}: expected {expected}.")


# A URL's user:secret@, the secret running up to the '@' before the host, even holding an unencoded / (as generated
# secrets do), ? or #, which would leave it in the path or the query.
URL_SECRET = re.compile(r"^[\w+.-]+://[^:@/?#]*:([^?#]*@|[^/]*@)")


def without_secret(value: str) -> str:
    """`value` as it may be shown (a message, a log): the secret of a URL's user:secret@ as ***."""
    found = URL_SECRET.match(value)
    return value[: found.start(1)] + "***@" + value[found.end(1) :] if found else value


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


STORAGE_QUERY = ("region", "secure", "addressing", "ca")


def envstorage(name: str) -> dict[str, str | bool] | None:
    return storage_url(name, envstr(name, ""))


def storage_url(name: str, value: str) -> dict[str, str | bool] | None:
    """Object storage for the files (docs/deployment.md, "Files and object storage"); unset or empty: None, the local
    folder. `s3://ACCESS:SECRET@host:port/bucket?region=...&secure=false` names an S3-compatible service (MinIO, a
    province's S3), `s3://bucket` a bucket at Amazon S3; a path after the bucket is a prefix every name is kept under.
    The key pair may be left out of the URL: django-storages and boto3 then read AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, or the credentials file named by AWS_SHARED_CREDENTIALS_FILE. Characters such as / + @ : in
    the secret are written percent-encoded (%2F %2B %40 %3A). Query: region (e.g. us-east-1), secure (https, the
    default, or secure=false for http), addressing (path, the default with a host; virtual), ca (a CA bundle file to
    trust, or ca=false to check no certificate: a test installation only). Returns django-storages' S3Storage options
    (only those the URL sets, so that the others keep django-storages' defaults and its AWS_* lookups)."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    value = value.strip()
    if not value:
        return None
    expected = (
        "s3://ACCESS:SECRET@host:port/bucket?region=...&secure=false (an S3-compatible service) or s3://bucket "
        "(Amazon S3, keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
    )
    secret = URL_SECRET.match(value)
    shown = without_secret(value)  # the message never shows the secret

    def bad(why: str) -> BadEnvironment:
        return BadEnvironment(name, shown, f"{expected}; {why}")

    if secret and any(c in secret.group(1) for c in "/?#"):
        raise bad("write / ? # in the secret percent-encoded (%2F %3F %23)")

    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise bad(f"the URL cannot be read ({exc})") from None
    if parts.scheme != "s3":
        raise bad("the scheme must be s3://")
    host = parts.hostname or ""
    segments = [s for s in parts.path.split("/") if s]
    endpoint_host, bucket, prefix = (host, segments[0], segments[1:]) if segments else ("", host, [])
    if not endpoint_host and port is not None:
        raise bad("a port needs a host and a bucket: s3://host:port/bucket")
    if not (
        3 <= len(bucket) <= 63
        and all(c.isascii() and (c.islower() or c.isdigit() or c in ".-") for c in bucket)
        and bucket[0].isalnum()
        and bucket[-1].isalnum()
    ):
        raise bad(f"{bucket!r} is no bucket name (3 to 63 lower-case letters, digits, dots and hyphens)")
    if any(s in {".", ".."} for s in prefix) or parts.fragment:
        raise bad("no . or .. in the prefix after the bucket, and no #")
    if parts.username is not None and not host:
        raise bad("a host (or, at Amazon S3, the bucket) after the @")
    if bool(parts.username) != bool(parts.password):
        raise bad("give both the access key and the secret (ACCESS:SECRET@), or neither")
    query: dict[str, str] = {}
    for key, item in parse_qsl(parts.query, keep_blank_values=True):
        if key not in STORAGE_QUERY:
            raise bad(f"unknown parameter {key!r} (known: {', '.join(STORAGE_QUERY)})")
        query[key] = item.strip()
    secure = query.get("secure", "true").lower()
    if secure not in TRUE | FALSE or not secure:
        raise bad("secure=true or secure=false")
    addressing = query.get("addressing", "path" if endpoint_host else "")
    if addressing not in {"path", "virtual", ""}:
        raise bad("addressing=path or addressing=virtual")
    options: dict[str, str | bool] = {"bucket_name": bucket, "location": "/".join(prefix)}
    options["use_ssl"] = secure in TRUE
    if endpoint_host:
        netloc = f"[{endpoint_host}]" if ":" in endpoint_host else endpoint_host
        scheme = "https" if secure in TRUE else "http"
        options["endpoint_url"] = f"{scheme}://{netloc}" + (f":{port}" if port is not None else "")
    if addressing:
        options["addressing_style"] = addressing
    if query.get("region"):
        options["region_name"] = query["region"]
    if query.get("ca"):
        options["verify"] = False if query["ca"].lower() in FALSE else query["ca"]
    if parts.username and parts.password:
        options["access_key"], options["secret_key"] = unquote(parts.username), unquote(parts.password)
    return options
