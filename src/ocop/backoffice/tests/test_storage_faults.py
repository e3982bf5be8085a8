"""The files' bucket out of reach (OCOP_STORAGE_URL): a hung bucket fails a request within short timeouts, and a
request that fails on the storage (hung, gone, keys refused) answers 503 with a Vietnamese message, writing nothing;
a download whose bucket is gone is that outage, not a 404 (only an object that is gone is)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.conftest import client_for
from ocop.core.env import storage_url
from ocop.core.storage_faults import storage_fault
from ocop.core.storage_settings import file_storages
from ocop.registry.models import Document
from ocop.testing import pdf_bytes

MESSAGE = "Kho lưu trữ tệp tạm thời không truy cập được; hãy thử lại sau."


def test_the_bucket_is_asked_with_short_timeouts_and_three_tries():
    options = storage_url("OCOP_STORAGE_URL", "s3://k:s@minio:9000/ocop?secure=false")
    made = file_storages(options, memory_bytes=1)
    config = made["default"]["OPTIONS"]["client_config"]
    assert made["pages"]["OPTIONS"]["client_config"] is config
    assert (config.connect_timeout, config.read_timeout, config.retries, config.s3, config.signature_version) == (
        5, 30, {"max_attempts": 3, "mode": "standard"}, {"addressing_style": "path"}, "s3v4"
    )  # fmt: skip
    short = file_storages(options, memory_bytes=1, timeout_seconds=2, attempts=1)["default"]["OPTIONS"]
    assert (short["client_config"].connect_timeout, short["client_config"].read_timeout) == (2, 2)
    assert short["client_config"].retries == {"max_attempts": 1, "mode": "standard"}


def test_what_counts_as_the_storage_out_of_reach():
    def client_error(code: str) -> ClientError:
        return ClientError({"Error": {"Code": code, "Message": code}}, "PutObject")

    assert storage_fault(EndpointConnectionError(endpoint_url="http://127.0.0.1:1")) is True
    assert storage_fault(ReadTimeoutError(endpoint_url="http://127.0.0.1:1")) is True
    assert [storage_fault(client_error(c)) for c in ("NoSuchBucket", "AccessDenied", "InvalidAccessKeyId")] == [
        True, True, True
    ]  # fmt: skip
    assert [storage_fault(client_error(c)) for c in ("NoSuchKey", "404", "SlowDown")] == [False, False, False]
    try:  # as boto3's S3UploadFailedError: raised from the ClientError
        try:
            raise client_error("SignatureDoesNotMatch")
        except ClientError as exc:
            raise RuntimeError("upload failed") from exc
    except RuntimeError as wrapped:
        assert storage_fault(wrapped) is True
    assert (storage_fault(FileNotFoundError("x")), storage_fault(ValueError("x")), storage_fault(None)) == (
        False, False, False
    )  # fmt: skip


@pytest.fixture
def hung_bucket(settings) -> Iterator[None]:
    """STORAGES at a bucket that accepts connections and never answers (1 s timeouts, one try)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        port = listener.getsockname()[1]
        options = storage_url("OCOP_STORAGE_URL", f"s3://k:s@127.0.0.1:{port}/ocop-files?secure=false")
        settings.STORAGES = {
            **settings.STORAGES,
            **file_storages(options, memory_bytes=1024, timeout_seconds=1, attempts=1),
        }
        yield


def upload(world, number: str):
    client = client_for(world.users["producer"])
    url = reverse("backoffice:document_create", kwargs={"pk": world.producer.pk})
    data = SimpleUploadedFile("giấy.pdf", pdf_bytes("ATTP"), content_type="application/pdf")
    return client.post(url, {"kind": "food_safety", "number": number, "file": data})


def test_an_upload_to_a_hung_bucket_fails_within_the_timeout_with_503(world, hung_bucket, caplog):
    before = sorted(Document.objects.values_list("pk", flat=True))
    with caplog.at_level(logging.ERROR, logger="ocop.storage"):
        answer = upload(world, "ATTP-HUNG")
    assert answer.status_code == 503
    assert MESSAGE in answer.content.decode()
    assert sorted(Document.objects.values_list("pk", flat=True)) == before  # nothing written
    path = reverse("backoffice:document_create", kwargs={"pk": world.producer.pk})
    logged = [r for r in caplog.records if r.name == "ocop.storage"]
    assert [r.getMessage() for r in logged] == [f"File storage unreachable on POST {path}"]
    assert isinstance(logged[0].exc_info[1], ReadTimeoutError)  # the traceback logged with it


def test_a_gone_bucket_is_an_outage_not_a_missing_file(s3_storage, world):
    client = client_for(world.users["producer"])
    document = world.document
    download = reverse("backoffice:document_file", kwargs={"pk": document.pk})
    assert client.get(download).status_code == 200
    s3_storage.client.delete_object(Bucket=s3_storage.name, Key=document.file.name)
    assert client.get(download).status_code == 404  # the object gone, the bucket there: the file is gone
    for name in s3_storage.names():
        s3_storage.client.delete_object(Bucket=s3_storage.name, Key=name)
    s3_storage.client.delete_bucket(Bucket=s3_storage.name)
    answer = client.get(download)
    assert (answer.status_code, MESSAGE in answer.content.decode()) == (503, True)
    before = Document.objects.count()
    answer = upload(world, "ATTP-GONE")
    assert (answer.status_code, MESSAGE in answer.content.decode()) == (503, True)
    assert (Document.objects.count(), Document.objects.filter(number="ATTP-GONE").exists()) == (before, False)


def test_the_deploy_check_warns_when_the_bucket_is_gone(s3_storage, settings):
    def run() -> list[tuple[str, str]]:
        found = checks.run_checks(tags=["ocop_storage"], include_deployment_checks=True)
        return [(message.id, message.msg.split(": ", 1)[0]) for message in found]

    assert run() == []
    s3_storage.client.delete_bucket(Bucket=s3_storage.name)
    assert run() == [("ocop.W101", f"The bucket {s3_storage.name!r} of OCOP_STORAGE_URL cannot be reached or used")]
    assert checks.run_checks(tags=["ocop_storage"]) == []  # a deploy check: no other command asks the bucket
    settings.OCOP_STORAGE = None
    assert checks.run_checks(tags=["ocop_storage"], include_deployment_checks=True) == []  # the local folder
