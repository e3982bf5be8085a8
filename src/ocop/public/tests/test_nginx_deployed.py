"""The QR page as a province deploys it: real nginx on deploy/nginx.conf in front of the application (a live server).
A scan with no copy of the day goes to the application, which answers and stores the copy; the next scan is nginx's
own answer from that copy; a suspension rewrites the copy as it commits, so the next scan through nginx says so; a
code with no certificate, or not shaped like one, is the application's 404."""

import gzip
import http.client
import socket
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from ocop import testing_nginx
from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def front(live_server, tmp_path):
    """nginx on deploy/nginx.conf, its upstream the live server: the port it listens on."""
    port = _free_port()
    app_port = int(live_server.url.rsplit(":", 1)[1])
    conf = testing_nginx.deployed_conf(port, app_port, settings.OCOP_PAGE_CACHE_DIR, str(tmp_path / "static"))
    process = testing_nginx.start(tmp_path, "front", conf)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait()


def _get(port: int, path: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = conn.getresponse()
        names = [k.lower() for k, _v in response.getheaders() if k.lower() != "vary"]  # Vary is a list: it may
        assert len(names) == len(set(names)), str(response.getheaders())  # none other sent twice
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, response.read()
    finally:
        conn.close()


def test_scans_through_nginx_miss_then_copy_then_a_suspension_rewritten(front, reference_data, office):  # noqa: F811
    cert = issue(office)
    copy = Path(settings.OCOP_PAGE_CACHE_DIR) / "v" / timezone.localdate().isoformat() / f"{cert.code}.html"
    assert 'data-status="valid"' in copy.read_text()  # issuing stored the day's copy as it committed
    copy.unlink()  # as on a new day, before the nightly build reaches it

    status, headers, body = _get(front, f"/v/{cert.code}")  # no copy: the application answers and stores one
    assert status == 200 and 'data-status="valid"' in body.decode()
    assert "accept-ranges" not in headers  # the application's answer, its own headers
    assert headers["content-security-policy"].startswith("default-src 'none'; style-src 'sha256-")
    assert copy.read_bytes() == body

    status, headers, again = _get(front, f"/v/{cert.code}?src=qr")  # nginx's own answer, from the copy
    assert (status, again) == (200, body)
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-cache"
    assert headers["accept-ranges"] == "bytes" and "etag" not in headers  # a file's, never a 304 from its date
    # with the headers the application sends with the page: no script, no framing
    assert headers["content-security-policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    assert (headers["x-frame-options"], headers["x-content-type-options"]) == ("DENY", "nosniff")
    assert (headers["referrer-policy"], headers["content-language"]) == ("same-origin", "vi")

    status, headers, _none = _get(front, f"/v/{cert.code}", "HEAD")
    assert (status, headers["accept-ranges"], headers["content-length"]) == (200, "bytes", str(len(body)))
    status, headers, packed = _get(front, f"/v/{cert.code}", Accept_Encoding="gzip")
    assert (status, headers["content-encoding"], headers["vary"]) == (200, "gzip", "Accept-Encoding")
    assert gzip.decompress(packed) == body
    # nginx answers no POST from a file: the application does (a POST without its CSRF token is refused)
    status, headers, _body = _get(front, f"/v/{cert.code}", "POST")
    assert status == 403 and "content-security-policy" in headers and "accept-ranges" not in headers

    services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn sai")  # rewrites the copy as it commits
    status, headers, body = _get(front, f"/v/{cert.code}")
    assert status == 200 and headers["accept-ranges"] == "bytes"  # nginx's answer, from the rewritten copy
    assert 'data-status="suspended"' in body.decode() and 'data-status="valid"' not in body.decode()

    status, headers, body = _get(front, "/v/KHONGCO234")  # shaped like a code, no certificate: the application's 404
    assert status == 404 and "KHONGCO234" in body.decode() and "content-security-policy" in headers
    assert not copy.with_name("KHONGCO234.html").exists()
    status, headers, _body = _get(front, "/v/KHONGCO234", "HEAD")  # the application answers HEAD as GET
    assert status == 404 and "content-security-policy" in headers
    status, _headers, _body = _get(front, "/v/abc")  # not shaped like a code: the application's 404 as well
    assert status == 404
    # A code then a newline is not a copy's address: the application reads it (as it reads a lowercase code)
    status, headers, _body = _get(front, f"/v/{cert.code}%0A")
    assert "accept-ranges" not in headers and headers["content-security-policy"].startswith("default-src 'none'")
