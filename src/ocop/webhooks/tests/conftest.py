"""A receiver for the tests: an HTTP server on 127.0.0.1 (port 0) in a thread, standing for the outside world."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from ocop.certificates.tests.conftest import Office, issue, office  # noqa: F401

SEND = "ocop.webhooks.delivery.send_delivery"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)  # the answers to give, in order; 200 when none is left
    hold: threading.Event | None = None  # set: the first request gets no answer until it is set (a slow receiver)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        receiver.received.append(Received(self.path, dict(self.headers.items()), body))
        if receiver.hold is not None and len(receiver.received) == 1:
            receiver.hold.wait(timeout=60)
        code = receiver.codes.pop(0) if receiver.codes else 200
        answer = b"x" * 5000 if code >= 500 else b'{"ok":true}'
        try:
            self.send_response(code)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except OSError:
            pass  # the sender is gone (a killed worker)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    settings.OCOP_WEBHOOKS_ALLOW_PRIVATE = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.receiver = Receiver(f"http://127.0.0.1:{server.server_address[1]}/hooks/ocop?x=1")  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.receiver  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
