"""Object storage in the tests: an S3 emulator (moto's server, the outside world) on 127.0.0.1, and a fixture that
points the files' STORAGES at a fresh bucket of it, as OCOP_STORAGE_URL would (no Django or domain app imported at
module level: core's tests use it too)."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class Bucket:
    """One test's bucket: its name, the OCOP_STORAGE_URL naming it (for worker processes) and a boto3 client."""

    name: str
    url: str
    client: Any

    def names(self, prefix: str = "") -> list[str]:
        """Every object's name in the bucket (under `prefix`), sorted."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.name, Key=key)["Body"].read())


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """An S3 emulator for the session, on a free port of 127.0.0.1 (which pytest-socket allows): its host:port."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_storage(s3_server: str, settings: Any) -> Bucket:
    """The files in a new bucket of the emulator for this test: STORAGES "default" and "pages" as settings.py makes
    them from OCOP_STORAGE_URL (Django's setting_changed then forgets the storages built before)."""
    import boto3

    from ocop.core.env import storage_url
    from ocop.core.storage_settings import file_storages

    name = f"ocop-{uuid.uuid4().hex[:16]}"
    url = f"s3://test:test%2Fsecret@{s3_server}/{name}?region=us-east-1&secure=false"
    options = storage_url("OCOP_STORAGE_URL", url)
    assert options is not None
    client = boto3.client(
        "s3", endpoint_url=f"http://{s3_server}", region_name="us-east-1",
        aws_access_key_id=options["access_key"], aws_secret_access_key=options["secret_key"],
    )  # fmt: skip
    client.create_bucket(Bucket=name)
    settings.OCOP_STORAGE = options
    settings.STORAGES = {
        **settings.STORAGES,
        **file_storages(options, memory_bytes=settings.FILE_UPLOAD_MAX_MEMORY_SIZE),
    }
    return Bucket(name, url, client)
