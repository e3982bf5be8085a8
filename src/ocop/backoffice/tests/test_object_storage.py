"""The files in object storage (OCOP_STORAGE_URL; an S3 emulator, moto's server, stands for MinIO or a province's S3):
uploads, downloads through the views that check access, the certificates' PDFs made by the worker, the open-data
files, an import from a stored workbook, the report workbooks, a backup and restore, all through the bucket: nothing
is written under MEDIA_ROOT (each test ends by checking that the folder was never made)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.accounts.models import Role
from ocop.certificates.models import Certificate
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.certificates.tests.test_pdfs import _decision
from ocop.conftest import client_for
from ocop.registry.importing import Choices
from ocop.registry.jobs import queue_import, start_import
from ocop.registry.models import Document, ImportMode, ImportStatus, IncompleteRows, Producer
from ocop.registry.tests.test_jobs import producers_workbook, run_worker
from ocop.reporting import jobs, opendata
from ocop.reporting.tests.conftest import scene  # noqa: F401
from ocop.testing import make_document, make_user, pdf_bytes, province
from ocop.testing_commands import run_command


def nothing_local(tmp_path: Path) -> bool:
    """MEDIA_ROOT (the tests' tmp_path/files) was never made, nor the local page folder."""
    return not (tmp_path / "files").exists() and not (tmp_path / "pages").exists()


def test_an_upload_lands_in_the_bucket_and_comes_back_only_through_the_checked_view(s3_storage, world, tmp_path):
    client = client_for(world.users["producer"])
    data = pdf_bytes("Giấy chứng nhận cơ sở đủ điều kiện ATTP")
    url = reverse("backoffice:document_create", kwargs={"pk": world.producer.pk})
    upload = SimpleUploadedFile("giấy.pdf", data, content_type="application/pdf")
    assert client.post(url, {"kind": "food_safety", "number": "ATTP-9", "file": upload}).status_code == 302
    document = Document.objects.get(number="ATTP-9")
    assert s3_storage.names() == sorted([
        world.photo.image.name, world.document.file.name, world.job.file.name, document.file.name,
    ])  # fmt: skip
    assert s3_storage.read(document.file.name) == data
    download = reverse("backoffice:document_file", kwargs={"pk": document.pk})
    answer = client.get(download)
    assert (answer.status_code, answer["Content-Type"], answer["Content-Disposition"]) == (
        200, "application/pdf", "attachment; filename*=utf-8''gi%E1%BA%A5y.pdf"
    )  # fmt: skip
    assert b"".join(answer.streaming_content) == data
    photo = client.get(reverse("backoffice:photo_file", kwargs={"pk": world.product.pk, "photo_pk": world.photo.pk}))
    assert b"".join(photo.streaming_content) == s3_storage.read(world.photo.image.name)
    assert client_for(world.users["charlie"]).get(download).status_code == 404  # another province's
    assert client_for(None).get(download)["Location"].startswith(reverse("login"))
    s3_storage.client.delete_object(Bucket=s3_storage.name, Key=document.file.name)  # lost from the bucket
    assert client.get(download).status_code == 404
    assert nothing_local(tmp_path)


def test_the_workers_certificate_pdfs_land_in_the_bucket_and_download(
    s3_storage, reference_data, office, time_machine, settings, tmp_path  # noqa: F811
):  # fmt: skip
    settings.OCOP_PDF_PROCESSES = 1
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    decision = _decision(office, n=2)
    client = client_for(office.coordinator)
    assert client.post(reverse("backoffice:decision_pdfs", kwargs={"pk": decision.pk})).status_code == 302
    run_worker()
    names = sorted(Certificate.objects.values_list("pdf", flat=True))
    assert names == ["certificates/2026/01-2026-00001.pdf", "certificates/2026/01-2026-00002.pdf"]
    assert s3_storage.names("certificates/") == names
    cert = Certificate.objects.get(pdf=names[0])
    answer = client.get(reverse("backoffice:certificate_pdf", kwargs={"pk": cert.pk}))
    assert (answer.status_code, answer.content) == (200, s3_storage.read(names[0]))
    assert answer.content.startswith(b"%PDF-")
    assert nothing_local(tmp_path)


def test_the_open_data_files_are_rebuilt_into_the_bucket_and_served_from_it(
    s3_storage, office, client, time_machine, tmp_path  # noqa: F811
):  # fmt: skip
    time_machine.move_to(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC), tick=False)
    issue(office)
    meta = opendata.write_register()
    assert s3_storage.names("opendata/") == sorted(f"opendata/{name}" for name in [*opendata.FILES, "meta.json"])
    assert meta["sizes"] == {name: len(s3_storage.read(f"opendata/{name}")) for name in opendata.FILES}
    assert json.loads(s3_storage.read("opendata/meta.json")) == meta
    got = client.get("/open-data/certificates.csv")
    body = b"".join(got.streaming_content)
    assert body == s3_storage.read("opendata/certificates.csv") and body.count(b"\r\n") == 2  # heading, one row
    etag = s3_storage.client.head_object(Bucket=s3_storage.name, Key="opendata/certificates.csv")["ETag"].strip('"')
    assert got["ETag"] == f'"{etag}-{len(body):x}"'
    head = client.head("/open-data/certificates.csv")
    assert (head["ETag"], head["Content-Length"], head["Last-Modified"], head.content) == (
        got["ETag"], str(len(body)), got["Last-Modified"], b""
    )  # fmt: skip
    assert client.get("/open-data/certificates.csv", headers={"If-None-Match": got["ETag"]}).status_code == 304
    dcat = json.loads(client.get("/open-data/dcat.json").content)
    sizes = {d["@id"].rsplit("#", 1)[1]: d.get("dcat:byteSize") for d in _distributions(dcat)}
    assert sizes["certificates.csv"] == len(body)
    time_machine.move_to(dt.datetime(2026, 1, 10, 12, 1, tzinfo=dt.UTC), tick=False)
    issue(office)
    opendata.write_register()  # the next build replaces every object whole
    again = client.get("/open-data/certificates.csv")
    assert again["ETag"] != got["ETag"] and b"".join(again.streaming_content).count(b"\r\n") == 3
    assert nothing_local(tmp_path)


def _distributions(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if node.get("@type") == "dcat:Distribution" else []
        return found + [d for value in node.values() for d in _distributions(value)]
    if isinstance(node, list):
        return [d for value in node for d in _distributions(value)]
    return []


def test_an_import_reads_its_workbook_from_the_bucket(s3_storage, reference_data, tmp_path):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    job = start_import(kind="producers", upload=producers_workbook(3), original_name="lon.xlsx", by=coordinator)
    assert s3_storage.names() == [job.file.name] and job.file.name.startswith("imports/")
    run_worker()  # the worker reads the object into a temporary copy for the workbook reader
    job.refresh_from_db()
    assert (job.status, job.processed, job.report["errors"]) == (ImportStatus.CHECKED, 3, [])
    queue_import(job=job, by=coordinator, commit=True, choices=Choices(), mode=ImportMode.ALL_OR_NOTHING,
                 incomplete=IncompleteRows.CREATE)  # fmt: skip
    run_worker()
    job.refresh_from_db()
    assert (job.status, sorted(Producer.objects.values_list("name", flat=True))) == (
        ImportStatus.DONE, ["HTX Nền 0", "HTX Nền 1", "HTX Nền 2"]
    )  # fmt: skip
    assert nothing_local(tmp_path)


def test_a_backup_reads_the_bucket_and_a_restore_puts_it_back_as_it_was(
    s3_storage, reference_data, office, tmp_path  # noqa: F811
):  # fmt: skip
    issue(office)
    document = make_document(producer=office.producer)
    storages["pages"].save("v/2026-12-05/ABC.html", ContentFile(b"<p>page</p>"))  # made again, never backed up
    stored = s3_storage.names()
    assert "pages/v/2026-12-05/ABC.html" in stored
    code, output = run_command("backup", str(tmp_path / "backup"))
    assert code == 0, output
    assert f"Đang sao chép các tệp từ s3://{s3_storage.name}…" in output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    files = {n: d for n, d in manifest["files"].items() if n.startswith("files/")}
    assert files == {
        f"files/{name}": hashlib.sha256(s3_storage.read(name)).hexdigest() for name in stored if "pages/" not in name
    }
    assert f"files/{document.file.name}" in files and manifest["folders"]["files"] == f"s3://{s3_storage.name}"

    # Then the bucket changes: a file lost, one rewritten, a stray one added.
    s3_storage.client.delete_object(Bucket=s3_storage.name, Key=document.file.name)
    storages["default"].delete(document.file.name)
    s3_storage.client.put_object(Bucket=s3_storage.name, Key="documents/stray.pdf", Body=b"%PDF stray")

    code, output = run_command("restore", str(tmp_path / "backup"), "--force")
    assert code == 0, output
    assert f"Đang khôi phục các tệp vào s3://{s3_storage.name}…" in output
    assert s3_storage.names() == [name for name in stored if not name.startswith("pages/")]  # the pages removed
    assert {f"files/{n}": hashlib.sha256(s3_storage.read(n)).hexdigest() for n in s3_storage.names()} == files
    with Document.objects.get(pk=document.pk).file.open("rb") as fh:
        assert fh.read() == (tmp_path / "backup" / "files" / document.file.name).read_bytes()
    assert nothing_local(tmp_path)


def test_two_report_workbooks_of_one_period_are_stored_apart_in_the_bucket_and_download(
    s3_storage, scene, tmp_path  # noqa: F811
):  # fmt: skip
    runs = [
        jobs.start_report(by=scene.coordinator, province=province(), starts_on=dt.date(2026, 1, 1),
                          ends_on=dt.date(2026, 12, 31))
        for _ in range(2)
    ]  # fmt: skip
    for made in runs:
        jobs.run_report(made)
        made.refresh_from_db()
    assert runs[0].file.name != runs[1].file.name  # never overwritten: the second gets a name of its own
    assert s3_storage.names("reports/") == sorted(made.file.name for made in runs)
    for made in runs:
        response = client_for(scene.coordinator).get(reverse("backoffice:periodic_report_file", args=[made.pk]))
        assert response["Content-Disposition"] == 'attachment; filename="bao-cao-ocop-20260101-20261231.xlsx"'
        assert b"".join(response.streaming_content) == s3_storage.read(made.file.name)
    assert nothing_local(tmp_path)
