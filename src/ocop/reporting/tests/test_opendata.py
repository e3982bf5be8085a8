"""The open data files: made on the task worker within a minute of a change (one rebuild per burst) and at
midnight, never inside a request; rows with codes and names, validated against their Table Schema."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

from django.conf import settings
from django_tasks_db.models import DBTaskResult
from frictionless import Resource, Schema, validate

from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.places.models import Commune
from ocop.registry import services as registry
from ocop.reporting import opendata
from ocop.testing import run_queued_tasks

NOON = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)  # 16:00 in Hà Nội
TASK = opendata.TASK_PATH


def _csv(client, name="certificates.csv"):
    response = client.get(f"/open-data/{name}")
    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _queued():
    return list(DBTaskResult.objects.filter(task_path=TASK, status="READY").values_list("run_after", flat=True))


def _worker():
    """The real worker's run of every rebuild due now (ocop.testing.run_queued_tasks: db_worker's Worker.run_task)."""
    return run_queued_tasks(TASK)


def _resource(name, schema):
    """The file as frictionless reads it (a path inside its base directory) against the schema's descriptor."""
    return Resource(path=name, basepath=str(_folder()), schema=Schema.from_descriptor(schema))


def _folder():
    """Where the files are in the tests: the local folder under MEDIA_ROOT."""
    return Path(settings.MEDIA_ROOT) / "opendata"


def _built(office):  # noqa: F811
    cert = issue(office)
    opendata.write_register()
    return cert


def test_each_row_carries_codes_and_names_and_validates_against_its_schema(office, client, time_machine):  # noqa: F811
    time_machine.move_to(NOON, tick=False)
    cert = _built(office)
    rows = _csv(client)
    assert rows == [{
        "certificate_number": "01-2025-00001", "certificate_code": cert.code, "product_id": str(office.product.pk),
        "product_name": "Bình gốm men lam", "product_name_today": "Bình gốm men lam",
        "producer_id": str(office.producer.pk), "producer_name": "HTX Gốm Bát Tràng",
        "producer_name_today": "HTX Gốm Bát Tràng", "province_code": "01", "province_name": "Thành phố Hà Nội",
        "commune_code": cert.commune.code, "commune_name": "Xã Bát Tràng", "stars": "4", "issued_on": "2025-11-20",
        "valid_until": "2028-11-20", "status": "valid", "decision_number": cert.decision.number,
        "issuing_body": "Ủy ban nhân dân Thành phố Hà Nội", "issuing_level": "province", "issuing_province_code": "01",
    }]  # fmt: skip
    assert cert.commune.code == Commune.objects.get(name="Xã Bát Tràng").code and len(cert.commune.code) == 5
    schema = json.loads(b"".join(client.get("/open-data/certificates.schema.json").streaming_content))
    assert [f["name"] for f in schema["fields"]] == list(rows[0])
    assert schema["fields"][0] == {
        "name": "certificate_number", "title": "Số giấy chứng nhận", "description":
        "Certificate number (province-year-sequence)", "type": "string", "format": "default",
        "constraints": {"required": True, "unique": True},
    }  # fmt: skip
    report = validate(_resource("certificates.csv", schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 1
    table = _resource("certificates.csv", schema)
    with table:
        (row,) = list(table.row_stream)
    assert (row["province_code"], row["commune_code"], row["product_id"], row["stars"], row["issued_on"]) == (
        "01", cert.commune.code, office.product.pk, 4, dt.date(2025, 11, 20))  # fmt: skip
    data = json.loads(opendata.read("certificates.json"))
    assert (data["count"], data["items"][0]) == (1, {**rows[0], "product_id": office.product.pk,
                                                     "producer_id": office.producer.pk, "stars": 4})  # fmt: skip
    products = _csv(client, "products.csv")
    assert products == [{
        "product_id": str(office.product.pk), "product_name": "Bình gốm men lam",
        "producer_id": str(office.producer.pk), "producer_name": "HTX Gốm Bát Tràng", "province_code": "01",
        "province_name": "Thành phố Hà Nội", "commune_code": cert.commune.code, "commune_name": "Xã Bát Tràng",
        "stars": "4", "certificate_number": "01-2025-00001", "valid_until": "2028-11-20",
        "url": f"http://127.0.0.1:8000/san-pham/{office.product.pk}/",
    }]  # fmt: skip
    product_schema = json.loads(opendata.read("products.schema.json"))
    fields = {f["name"]: f for f in product_schema["fields"]}
    assert (fields["url"]["format"], fields["url"]["constraints"], fields["certificate_number"]["constraints"]) == (
        "uri", {"required": True}, {"required": True})  # fmt: skip
    assert schema["fields"][-2]["constraints"] == {"required": True, "enum": ["province", "ministry", "district"]}
    assert validate(_resource("products.csv", product_schema)).valid


def test_a_rename_reaches_the_files_on_the_worker_within_the_window(
    office, client, time_machine, django_capture_on_commit_callbacks,  # noqa: F811
):  # fmt: skip
    time_machine.move_to(NOON, tick=False)
    _built(office)
    before = client.get("/open-data/products.csv")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        registry.update_product(product=office.product, by=office.coordinator, name="Bình gốm Bát Tràng cao cấp")
    with django_capture_on_commit_callbacks(execute=True):
        registry.update_producer(producer=office.producer, by=office.coordinator, name="HTX Gốm sứ Bát Tràng")
    # one rebuild for the burst, due 20 seconds after the first change
    assert _queued() == [NOON + dt.timedelta(seconds=20)]
    # until it runs, a reader gets the previous complete files, untouched
    assert _worker() == 0
    assert [r["product_name"] for r in _csv(client, "products.csv")] == ["Bình gốm men lam"]
    assert client.get("/open-data/products.csv")["ETag"] == before
    time_machine.move_to(NOON + dt.timedelta(seconds=20), tick=False)
    assert _worker() == 1
    assert [(r["product_name"], r["producer_name"]) for r in _csv(client, "products.csv")] == [
        ("Bình gốm Bát Tràng cao cấp", "HTX Gốm sứ Bát Tràng")]  # fmt: skip
    (row,) = _csv(client)
    assert (row["product_name"], row["product_name_today"], row["producer_name"], row["producer_name_today"]) == (
        "Bình gốm men lam", "Bình gốm Bát Tràng cao cấp", "HTX Gốm Bát Tràng", "HTX Gốm sứ Bát Tràng")  # fmt: skip
    assert client.get("/open-data/products.csv")["ETag"] != before
    # the build queued the next midnight's (statuses follow the date), nothing else
    assert _queued() == [dt.datetime(2026, 1, 10, 17, tzinfo=dt.UTC)]


def test_a_status_change_never_rebuilds_inside_a_request(
    office, client, time_machine, django_capture_on_commit_callbacks,  # noqa: F811
):  # fmt: skip
    time_machine.move_to(NOON, tick=False)
    cert = _built(office)
    path = _folder() / "certificates.csv"
    stamp, etag = path.stat().st_mtime_ns, client.get("/open-data/certificates.csv")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(by=office.coordinator, certificate=cert, reason="Kiểm tra")
    for url in ("/open-data/", "/open-data/certificates.csv", "/open-data/dcat.json", "/open-data/certificates.json"):
        assert client.get(url).status_code == 200
    assert (path.stat().st_mtime_ns, client.get("/open-data/certificates.csv")["ETag"]) == (stamp, etag)
    assert [r["status"] for r in _csv(client)] == ["valid"]
    assert len(_queued()) == 1  # the readers who found the files behind joined the queued rebuild
    time_machine.move_to(NOON + dt.timedelta(seconds=20), tick=False)
    assert _worker() == 1
    assert [r["status"] for r in _csv(client)] == ["suspended"]
    assert client.get("/open-data/certificates.csv")["ETag"] != etag


def test_before_the_first_build_readers_are_told_the_files_are_being_prepared(office, client, time_machine):  # noqa: F811
    time_machine.move_to(NOON, tick=False)
    issue(office)
    for url in ("/open-data/", "/open-data/certificates.csv", "/open-data/dcat.json"):
        response = client.get(url)
        assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "Các tệp dữ liệu mở đang được chuẩn bị. Vui lòng quay lại sau ít phút." in response.content.decode()
    assert _queued() == [NOON]  # one build, queued at once, however many readers came
    assert _worker() == 1
    page = client.get("/open-data/")
    assert page.status_code == 200 and "1 giấy chứng nhận" in page.content.decode()
    assert client.get("/open-data/certificates.xml").status_code == 404


def test_a_download_answers_304_to_a_reader_who_has_it(office, client, time_machine):  # noqa: F811
    time_machine.move_to(NOON, tick=False)
    _built(office)
    first = client.get("/open-data/certificates.csv")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")  # a strong validator
    again = client.get("/open-data/certificates.csv", headers={"If-None-Match": etag})
    assert (again.status_code, again["ETag"], again.content) == (304, etag, b"")
    since = client.get("/open-data/certificates.csv", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other = client.get("/open-data/certificates.csv", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200


def test_a_new_day_brings_expiries_from_the_midnight_rebuild(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False)
    issue(office, on=dt.date(2023, 1, 10))
    assert _worker() == 0
    client.get("/open-data/")  # no files: one build queued now
    assert _worker() == 1
    assert [r["status"] for r in _csv(client)] == ["expiring"]
    midnight = dt.datetime(2026, 1, 10, 17, tzinfo=dt.UTC)  # 00:00 on 11/01 in Hà Nội
    assert _queued() == [midnight]
    time_machine.move_to(midnight, tick=False)
    assert [r["status"] for r in _csv(client)] == ["expiring"]  # until the worker runs
    assert _worker() == 1
    assert [r["status"] for r in _csv(client)] == ["expired"]
    assert _queued() == [midnight + dt.timedelta(days=1)]


def test_unit_and_sales_point_changes_queue_one_rebuild(
    office, time_machine, django_capture_on_commit_callbacks,  # noqa: F811
):  # fmt: skip
    from ocop.outlets.tests.conftest import register
    from ocop.testing import make_user

    time_machine.move_to(NOON, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        bat_trang = Commune.objects.get(name="Xã Bát Tràng")
        bat_trang.name = "Xã Gốm Bát Tràng"
        bat_trang.save()
    assert _queued() == [NOON + dt.timedelta(seconds=20)]
    DBTaskResult.objects.all().delete()
    from ocop.accounts.models import Role

    with django_capture_on_commit_callbacks(execute=True):
        register(make_user(Role.COMMERCE_OFFICER, username="commerce"))
    assert _queued() == [NOON + dt.timedelta(seconds=20)]


def test_the_cron_command_rebuilds_the_files_now(office, time_machine):  # noqa: F811
    from django.core.management import call_command

    time_machine.move_to(NOON, tick=False)
    issue(office)
    out = io.StringIO()
    call_command("build_open_data", stdout=out)
    assert out.getvalue().startswith("1 certificate(s), 1 product(s), 0 sales point(s) written in ")
    assert json.loads(opendata.read("meta.json"))["count"] == 1
    assert sorted(p.name for p in _folder().iterdir()) == sorted([*opendata.FILES, "meta.json"])  # no spool left


def test_on_sqlite_the_rebuild_sets_the_memory_settings_aside_and_back(transactional_db, time_machine):
    """The worker runs outside a transaction: the sort spills to a file and nothing is memory-mapped meanwhile."""
    from django.db import connection

    time_machine.move_to(NOON, tick=False)

    def pragmas():
        with connection.cursor() as cursor:
            values = []
            for name in ("mmap_size", "temp_store", "cache_size"):
                cursor.execute(f"PRAGMA {name}")
                values.append(cursor.fetchone()[0])
            return values

    if connection.vendor != "sqlite":
        assert opendata.write_register()["count"] == 0  # PostgreSQL: nothing to set aside
        return
    assert pragmas() == [268435456, 2, -65536]  # settings.py's values
    assert opendata.write_register()["count"] == 0
    assert pragmas() == [268435456, 2, -65536]  # restored
