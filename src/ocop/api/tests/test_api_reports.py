"""/reports/periodic: start a run, the task worker makes the workbook (the back office's job), poll it, download it;
only those who may report on the unit (ocop.reporting.access), another province's runs not found."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from ocop.api.tests.shop_scene import shop, shop_once  # noqa: F401  # the fixtures
from ocop.conftest import client_for
from ocop.reporting.models import ReportRun
from ocop.testing import commune, run_queued_tasks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _post(client, body):
    return client.post("/api/v1/reports/periodic", json.dumps(body), content_type="application/json")


def test_start_poll_and_download_with_the_task_worker(shop, django_capture_on_commit_callbacks):  # noqa: F811
    client = client_for(shop.w.users["commerce"])
    with django_capture_on_commit_callbacks(execute=True):  # the run is queued after its transaction commits
        started = _post(client, {"starts_on": "2026-07-01", "ends_on": "2026-11-30", "commune": "00577"})
    assert started.status_code == 202
    run = ReportRun.objects.get(pk=started.json()["id"])
    poll = f"http://testserver/api/v1/reports/periodic/{run.pk}"
    queued = {
        "id": run.pk,
        "state": "queued",
        "done": 0,
        "total": 1,
        "percent": 0,
        "province_code": "01",
        "commune_code": "00577",
        "starts_on": "2026-07-01",
        "ends_on": "2026-11-30",
        "legacy": False,
        "created_at": started.json()["created_at"],
        "poll_url": poll,
        "workbook_url": None,
    }
    assert started.json() == queued
    assert client.get(poll).json() == queued
    assert client.get(poll + "/workbook").status_code == 404  # not made yet
    assert run_queued_tasks("ocop.reporting.jobs.make_report") == 1  # the worker's own run of the queued task
    done = client.get(poll).json()
    assert done == {
        **queued,
        "state": "done",
        "done": 10,
        "total": 10,
        "percent": 100,
        "workbook_url": poll + "/workbook",
    }
    download = client.get(done["workbook_url"])
    assert (download.status_code, download["Content-Type"]) == (200, XLSX)
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-ocop-20260701-20261130-00577.xlsx"'
    sheets = load_workbook(io.BytesIO(download.getvalue()), read_only=True).sheetnames
    assert "Theo hạng sao" in sheets
    for who in ("charlie", "producer", "outlet"):  # others' runs are not found
        assert client_for(shop.w.users[who]).get(poll).status_code == 404
        assert client_for(shop.w.users[who]).get(poll + "/workbook").status_code == 404
    assert client_for(shop.w.users["commune"]).get(poll).json()["state"] == "done"  # the commune's officer


def test_a_commune_officer_reports_on_their_commune(shop):  # noqa: F811
    started = _post(client_for(shop.w.users["commune"]), {"starts_on": "2026-01-01", "ends_on": "2026-06-30"})
    assert (started.status_code, started.json()["commune_code"]) == (202, "00577")
    elsewhere = {"starts_on": "2026-01-01", "ends_on": "2026-06-30", "commune": commune("Long Biên").code}
    assert _post(client_for(shop.w.users["commune"]), elsewhere).status_code == 403


def test_bad_bodies_name_the_field_and_start_nothing(shop):  # noqa: F811
    client = client_for(shop.w.users["coordinator"])
    runs = ReportRun.objects.count()
    cases = [
        ({"starts_on": "2026-12-31", "ends_on": "2026-01-01"}, "ends_on", "Kỳ báo cáo không thể kết thúc trước khi bắt đầu."),
        ({"starts_on": "2026-01-01"}, "ends_on", "Trường này là bắt buộc."),
        ({"starts_on": "2026-01-01", "ends_on": "2026-12-31", "province": "99"}, "province",
         "Mã tỉnh/thành phố “99” không có trong danh mục."),
        ({"starts_on": "2026-01-01", "ends_on": "2026-12-31", "commune": "00000"}, "commune",
         "Mã xã/phường “00000” không có trong danh mục."),
        ({"starts_on": "2026-01-01", "ends_on": "2026-12-31", "commune": commune("Lê Chân", "31").code}, "commune",
         "Xã/phường này thuộc tỉnh khác."),
    ]  # fmt: skip
    for body, field, message in cases:
        bad = _post(client, body)
        assert (bad.status_code, bad.json()) == (
            422,
            {"detail": [{"field": field, "message": message}], "code": "invalid"},
        )
    outsider = _post(
        client_for(shop.w.users["charlie"]), {"starts_on": "2026-01-01", "ends_on": "2026-12-31", "province": "01"}
    )
    assert (outsider.status_code, outsider.json()["code"]) == (403, "forbidden")
    assert ReportRun.objects.count() == runs
