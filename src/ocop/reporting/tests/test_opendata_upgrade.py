"""The open data files after an upgrade, a changed public address, and a database that refuses a write: a reader
always gets a page or the last files (never a 500), and a rebuild is queued when the files are stale, with no
write when one already is."""

import datetime as dt
import json
import logging
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.reporting import opendata
from ocop.reporting.tests.test_opendata import NOON, _csv, _queued, _worker

WRITES = ("INSERT", "UPDATE", "DELETE")


def _previous_version_meta():
    """meta.json as the first version wrote it (no products, outlets, format nor base_url), and the files it made:
    no products.csv, products.json, products.schema.json nor sales-points.geojson."""
    meta = json.loads(opendata.read("meta.json"))
    old = {key: meta[key] for key in ("generated_at", "day", "log_seq", "checkpoint_id", "count")}
    folder = Path(settings.MEDIA_ROOT) / "opendata"
    (folder / "meta.json").write_text(json.dumps(old))
    for name in ("products.csv", "products.json", "products.schema.json", "sales-points.geojson"):
        (folder / name).unlink()


def test_a_meta_of_the_previous_version_is_stale_and_the_page_still_renders(office, client, time_machine):  # noqa: F811
    time_machine.move_to(NOON, tick=False)
    issue(office)
    opendata.write_register()
    _previous_version_meta()
    page = client.get("/open-data/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "1 giấy chứng nhận." in body and body.count("Số lượng đang cập nhật.") == 2
    assert _queued() == [NOON + dt.timedelta(seconds=20)]  # stale: its rebuild queued
    preparing = client.get("/open-data/products.csv")
    assert (preparing.status_code, preparing["Retry-After"]) == (503, "30")
    assert client.get("/open-data/certificates.csv").status_code == 200  # the files it has are served
    assert client.get("/open-data/dcat.json").status_code == 200
    assert _queued() == [NOON + dt.timedelta(seconds=20)]  # every reader joined the one rebuild
    time_machine.move_to(NOON + dt.timedelta(seconds=20), tick=False)
    assert _worker() == 1
    meta = opendata.current()
    assert (meta["format"], meta["products"], meta["outlets"], opendata.stale(meta)) == (opendata.FORMAT, 1, 0, False)
    body = client.get("/open-data/").content.decode()
    assert "1 sản phẩm." in body and "0 điểm bán." in body and "Số lượng đang cập nhật" not in body
    assert len(_csv(client, "products.csv")) == 1


def test_a_stale_read_writes_nothing_when_a_rebuild_is_queued(
    office, client, time_machine, django_capture_on_commit_callbacks,  # noqa: F811
):  # fmt: skip
    time_machine.move_to(NOON, tick=False)
    cert = issue(office)
    opendata.write_register()
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(by=office.coordinator, certificate=cert, reason="Kiểm tra")
    assert opendata.stale(opendata.current()) and _queued() == [NOON + dt.timedelta(seconds=20)]
    time_machine.move_to(NOON + dt.timedelta(seconds=10), tick=False)
    with CaptureQueriesContext(connection) as ctx:
        for url in ("/open-data/", "/open-data/certificates.csv", "/open-data/dcat.json"):
            assert client.get(url).status_code == 200
    assert [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
    assert _queued() == [NOON + dt.timedelta(seconds=20)]


def test_a_database_refusing_the_queue_write_still_serves_the_last_files(office, client, time_machine, caplog):  # noqa: F811
    time_machine.move_to(NOON, tick=False)
    issue(office)
    opendata.write_register()
    etag = client.get("/open-data/certificates.csv")["ETag"]
    time_machine.move_to(NOON + dt.timedelta(days=1), tick=False)  # a new day: stale, and nothing queued
    assert _queued() == []
    table = DBTaskResult._meta.db_table
    refused = []

    def locked(execute, sql, params, many, context):  # the database, as SQLite answers past its busy timeout
        if sql.lstrip().upper().startswith("INSERT") and table in sql:
            refused.append(sql)
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with caplog.at_level(logging.WARNING, logger="ocop.reporting.opendata"), connection.execute_wrapper(locked):
        page = client.get("/open-data/")
        download = client.get("/open-data/certificates.csv")
    assert (page.status_code, download.status_code, download["ETag"]) == (200, 200, etag)
    assert "1 giấy chứng nhận" in page.content.decode()
    assert b"01-2025-00001" in b"".join(download.streaming_content)
    assert len(refused) == 2 and _queued() == []
    assert [r.getMessage() for r in caplog.records] == [
        "open data: the rebuild of stale files could not be queued (database is locked); serving the last files"
    ] * 2
    assert client.get("/open-data/").status_code == 200  # the database writable again: the rebuild is queued
    assert _queued() == [NOON + dt.timedelta(days=1, seconds=20)]


def test_a_new_public_address_rebuilds_the_files_with_it(office, client, time_machine):  # noqa: F811
    time_machine.move_to(NOON, tick=False)
    issue(office)
    opendata.write_register()
    (row,) = _csv(client, "products.csv")
    assert row["url"] == f"http://127.0.0.1:8000/san-pham/{office.product.pk}/"
    assert _queued() == []  # the files follow the address they were made with
    with override_settings(OCOP_PUBLIC_BASE_URL="https://ocop.example.vn/"):
        assert opendata.stale(opendata.current())
        assert client.get("/open-data/").status_code == 200
        assert _queued() == [NOON + dt.timedelta(seconds=20)]
        time_machine.move_to(NOON + dt.timedelta(seconds=20), tick=False)
        assert _worker() == 1
        (row,) = _csv(client, "products.csv")
        assert row["url"] == f"https://ocop.example.vn/san-pham/{office.product.pk}/"
        assert opendata.current()["base_url"] == "https://ocop.example.vn"
        assert not opendata.stale(opendata.current())
