"""Import jobs run on the task worker: the upload only stores the file; a worker killed mid-import leaves a job that
the next worker marks as failed, and "Run again" finishes it with nothing saved twice."""

import io
import os
import signal

from django.core.management import call_command

from ocop.accounts.models import Role
from ocop.core.excel import write_workbook
from ocop.registry.columns import PRODUCER_COLUMNS, PRODUCT_COLUMNS
from ocop.registry.importing import Choices
from ocop.registry.jobs import queue_import, rerun_import, start_import
from ocop.registry.models import ImportJob, ImportMode, ImportStatus, IncompleteRows, Producer, Product, ProductPack
from ocop.testing import make_producer, make_user, start_worker, wait_for


def run_worker():
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


def producers_workbook(n):
    rows = [["", "Hợp tác xã", f"HTX Nền {i}", f"0106{i:06d}", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""]
            for i in range(n)]  # fmt: skip
    return io.BytesIO(write_workbook(title="x", headers=[t for _n, t in PRODUCER_COLUMNS], rows=rows))


def test_the_upload_only_stores_the_file_and_the_worker_checks_then_saves(reference_data):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    job = start_import(kind="producers", upload=producers_workbook(5), original_name="lon.xlsx", by=coordinator)
    job.refresh_from_db()
    assert (job.status, job.total, job.report) == (ImportStatus.QUEUED, 0, {})
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.processed, job.report["errors"], job.lease_owner != "") == (
        ImportStatus.CHECKED,
        5,
        [],
        True,
    )
    assert Producer.objects.count() == 0
    queue_import(job=job, by=coordinator, commit=True, choices=Choices(), mode=ImportMode.ALL_OR_NOTHING,
                 incomplete=IncompleteRows.CREATE)  # fmt: skip
    run_worker()
    job.refresh_from_db()
    assert (job.status, [r["action"] for r in job.report["rows"]]) == (ImportStatus.DONE, ["create"] * 5)
    assert Producer.objects.count() == 5
    assert ImportJob.objects.count() == 1


def test_a_refused_file_is_not_kept(reference_data, settings):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    upload = io.BytesIO(write_workbook(title="x", headers=["Tên"], rows=[["x"]]))
    job = start_import(kind="producers", upload=upload, original_name="sai.xlsx", by=coordinator)
    stored = settings.MEDIA_ROOT / job.file.name
    assert stored.exists()
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.file.name, stored.exists()) == (ImportStatus.REFUSED, "", False)
    assert job.report["errors"][0]["message"] == "Thiếu cột: Tên chủ thể."


def test_a_worker_killed_mid_import_leaves_a_job_the_next_worker_fails_and_run_again_finishes(reference_data, tmp_path):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    producer = make_producer(identifier="0107070707")
    rows = [["", "", "0107070707", "", f"Sản phẩm {i}", "1-12", "Bát Tràng", "", "Hà Nội", "", "", "Túi", "", "", ""]
            for i in range(6000)]  # fmt: skip
    upload = io.BytesIO(write_workbook(title="x", headers=[t for _n, t in PRODUCT_COLUMNS], rows=rows))
    job = start_import(kind="products", upload=upload, original_name="lon.xlsx", by=coordinator)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.total) == (ImportStatus.CHECKED, 6000)
    queue_import(job=job, by=coordinator, commit=True, choices=Choices(), mode=ImportMode.ALL_OR_NOTHING,
                 incomplete=IncompleteRows.CREATE)  # fmt: skip

    worker = start_worker(tmp_path)
    try:
        # Kill it while it is saving, half-way through the rows.
        wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.SAVING, processed__gte=3000).exists(),
                 what="the worker saving")  # fmt: skip
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    job.refresh_from_db()
    assert (job.status, Product.objects.filter(producer=producer).count(), ProductPack.objects.count()) == (
        ImportStatus.SAVING, 0, 0
    )  # fmt: skip

    # The next worker finds the job abandoned, and says so.
    second = start_worker(tmp_path)
    try:
        wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.FAILED).exists(), what="the reaper")
        job.refresh_from_db()
        assert job.failure == (
            "Tiến trình xử lý tệp này dừng đột ngột; chưa dòng nào được lưu. Bấm “Chạy lại” để chạy lại từ đầu."
        )
        rerun_import(job=job, by=coordinator)
        wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).exists(), what="the rerun")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    job.refresh_from_db()
    assert (job.report["total"], sum(r["action"] == "create" for r in job.report["rows"])) == (6000, 6000)
    assert (Product.objects.filter(producer=producer).count(), ProductPack.objects.count()) == (6000, 6000)
