"""What a subscriber who means harm can make of its webhook: an address that reaches our own network through an IPv6
form carrying an IPv4 address, a port 0, or a receiver that trickles its answer to hold the task worker."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError

from ocop.certificates.tests.conftest import office  # noqa: F401
from ocop.webhooks import delivery, services
from ocop.webhooks.models import Subscription

REFUSED = "Địa chỉ nhận (URL): {host} thuộc mạng nội bộ, loopback hoặc link-local; webhook chỉ gửi tới địa chỉ công khai trên Internet."


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://[64:ff9b::7f00:1]/", "64:ff9b::7f00:1"),  # NAT64 to 127.0.0.1
        ("https://[64:ff9b::a00:1]/", "64:ff9b::a00:1"),  # NAT64 to 10.0.0.1
        ("https://[64:ff9b:1::a00:1]/", "64:ff9b:1::a00:1"),  # local-use NAT64
        ("https://[2002:7f00:1::]/", "2002:7f00:1::"),  # 6to4 of 127.0.0.1
        ("https://[2002:a9fe:a9fe::1]/", "2002:a9fe:a9fe::1"),  # 6to4 of 169.254.169.254
        ("https://[::127.0.0.1]/", "::127.0.0.1"),  # IPv4-compatible
        ("https://[::ffff:0:7f00:1]/", "::ffff:0:7f00:1"),  # IPv4-translated (SIIT)
        ("https://[fec0::1]/", "fec0::1"),  # site-local
    ],
)
def test_an_ipv6_form_of_a_private_address_is_refused(office, settings, url, host):  # noqa: F811
    settings.OCOP_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as refused:
        services.create_subscription(by=office.coordinator, name="Sàn", url=url, events=["certificate.issued"])
    assert refused.value.message_dict == {"url": [REFUSED.format(host=host)]}
    assert Subscription.objects.count() == 0


def test_a_public_address_in_those_forms_is_still_accepted(office, settings):  # noqa: F811
    settings.OCOP_WEBHOOKS_ALLOW_PRIVATE = False
    for url in ("https://[64:ff9b::5db8:d822]/hook", "https://[2002:5db8:d822::1]/hook"):  # 93.184.216.34
        services.create_subscription(by=office.coordinator, name="Sàn", url=url, events=["certificate.issued"])
    assert sorted(Subscription.objects.values_list("url", flat=True)) == [
        "https://[2002:5db8:d822::1]/hook",
        "https://[64:ff9b::5db8:d822]/hook",
    ]


def test_port_0_is_refused(office, settings):  # noqa: F811
    settings.OCOP_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as refused:
        services.create_subscription(
            by=office.coordinator, name="Sàn", url="https://93.184.216.34:0/", events=["certificate.issued"]
        )
    assert refused.value.message_dict == {"url": ["Địa chỉ nhận (URL): hãy nhập một địa chỉ bắt đầu bằng https://."]}


TRICKLES = {
    # http://: the answer's status line and headers at once, then its body a byte at a time
    "http": b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n",
    # https://: a TLS record's header announcing 16 KB, then the handshake a byte at a time
    "https": b"\x16\x03\x03\x40\x00",
}


@pytest.fixture(params=sorted(TRICKLES))
def trickler(request) -> Iterator[str]:
    """A receiver (the outside world) that trickles its answer, one byte every 50 ms: each read gets a byte well
    within the per-read timeout, so only a deadline on the whole exchange stops it."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            if request.param == "http":
                connection.recv(65536)
            connection.sendall(TRICKLES[request.param])
            while not stop.wait(0.05):
                try:
                    connection.sendall(b"x")
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"{request.param}://127.0.0.1:{listener.getsockname()[1]}/hook"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_a_receiver_trickling_its_answer_is_cut_at_the_deadline(settings, trickler):
    """Without a deadline on the whole exchange, 2 KB at a byte every 50 ms held the worker 100 s (and a byte every
    9 s, five hours), every other delivery and task waiting behind it."""
    settings.OCOP_WEBHOOKS_ALLOW_PRIVATE = True
    settings.OCOP_WEBHOOKS_SEND_SECONDS = 1
    started = time.monotonic()
    with pytest.raises(TimeoutError) as cut:
        delivery.post(trickler, {"Content-Type": "application/json"}, b"{}")
    assert str(cut.value) == "no whole answer within 1 s"
    assert time.monotonic() - started < 5


def _self_signed(tmp_path) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_file), str(key_file)


def test_the_handshake_still_checks_the_receivers_certificate(settings, tmp_path):
    """The TLS handshake now runs after the socket is known (so the deadline can cut it): it still verifies the
    certificate, and a receiver with one no authority signed is refused."""
    settings.OCOP_WEBHOOKS_ALLOW_PRIVATE = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed(tmp_path))
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with contextlib.suppress(OSError), context.wrap_socket(connection, server_side=True) as tls:
            tls.recv(1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with pytest.raises(ssl.SSLCertVerificationError) as refused:
            delivery.post(f"https://127.0.0.1:{listener.getsockname()[1]}/hook", {}, b"{}")
        assert refused.value.verify_message == "self-signed certificate"
    finally:
        thread.join(timeout=5)
        listener.close()
