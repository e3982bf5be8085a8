"""Import jobs run on the task worker: the upload only stores the file; a worker killed mid-import leaves a job that
the next worker marks as failed, and "Run again" finishes it with nothing saved twice."""

import datetime as dt
import io
import os
import signal

import pytest
from django.core.management import call_command
from django.utils import timezone

from ocop.accounts.models import Role
from ocop.core import jobs as leases
from ocop.core.excel import write_workbook
from ocop.registry.columns import PRODUCER_COLUMNS, PRODUCT_COLUMNS
from ocop.registry.importing import Choices
from ocop.registry.jobs import ImportFileGone, execute, purge_import_files, queue_import, rerun_import, start_import
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
        assert job.failure == (  # it was saving: "Run again" saves again
            "Tiến trình lưu tệp này dừng đột ngột; chưa dòng nào được lưu. Bấm “Chạy lại” để lưu lại, với các lựa "
            "chọn đã có."
        )
        rerun_import(job=job, by=coordinator)
        wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).exists(), what="the rerun")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    job.refresh_from_db()
    assert (job.report["total"], sum(r["action"] == "create" for r in job.report["rows"])) == (6000, 6000)
    assert (Product.objects.filter(producer=producer).count(), ProductPack.objects.count()) == (6000, 6000)


# ---- leases: one worker per job, and no live worker reaped --------------------------------------------------------


def test_two_workers_handed_one_queued_job_run_it_once(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    job = start_import(kind="producers", upload=producers_workbook(3), original_name="a.xlsx", by=coordinator)
    first, second = ImportJob.objects.get(pk=job.pk), ImportJob.objects.get(pk=job.pk)  # both read it queued
    assert [r["action"] for r in execute(first).as_dict()["rows"]] == ["create"] * 3
    assert execute(second) is None
    job.refresh_from_db()
    assert (job.status, job.processed, job.lease_owner) == (ImportStatus.CHECKED, 3, leases.owner())


def test_a_live_worker_on_this_host_is_not_reaped_for_an_old_beat(db, time_machine):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    job = start_import(kind="producers", upload=producers_workbook(1), original_name="a.xlsx", by=coordinator)
    assert leases.claim(job, unchanged=["status"], status=ImportStatus.CHECKING)
    # An hour with no beat (a long read): the worker's process (this one) still runs, and started before its beat.
    time_machine.move_to(job.heartbeat_at + dt.timedelta(hours=1))
    job.refresh_from_db()
    assert (leases.reap(job), leases.reap_all()) == (False, 0)
    job.refresh_from_db()
    assert (job.status, job.lease_owner, job.failure) == (ImportStatus.CHECKING, leases.owner(), "")


def test_a_pid_taken_by_a_process_started_after_the_last_beat_is_a_dead_worker(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    job = start_import(kind="producers", upload=producers_workbook(1), original_name="a.xlsx", by=coordinator)
    long_ago = timezone.now() - dt.timedelta(days=400)  # before this process (which now has the pid) started
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, lease_owner=leases.owner(),
                                               heartbeat_at=long_ago)  # fmt: skip
    job.refresh_from_db()
    assert leases.reap(job) is True
    job.refresh_from_db()
    assert (job.status, job.lease_owner, job.failure) == (
        ImportStatus.FAILED,
        f"reaped:{leases.owner()}",
        "Tiến trình xử lý tệp này dừng đột ngột; chưa dòng nào được lưu. Bấm “Chạy lại” để chạy lại từ đầu.",
    )
    # The worker, had it lived, finds it no longer holds the job.
    assert leases.beat(ImportJob, job.pk, processed=1) is False


def test_the_reaper_leaves_a_job_that_beat_since_it_was_read(db, time_machine):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    job = start_import(kind="producers", upload=producers_workbook(1), original_name="a.xlsx", by=coordinator)
    beat_at = timezone.now() - dt.timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, lease_owner="elsewhere:4242",
                                               heartbeat_at=beat_at)  # fmt: skip
    seen = ImportJob.objects.get(pk=job.pk)  # 10 minutes without a beat, on another host: abandoned, as read
    assert leases.abandoned(seen) is True
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())  # ...but it beats now
    assert leases.reap(seen) is False
    job.refresh_from_db()
    assert (job.status, job.lease_owner) == (ImportStatus.CHECKING, "elsewhere:4242")
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=leases.LEASE_SECONDS + 1))
    assert leases.reap_all() == 1
    job.refresh_from_db()
    assert (job.status, job.lease_owner) == (ImportStatus.FAILED, "reaped:elsewhere:4242")


# ---- stored files are kept OCOP_IMPORT_KEEP_DAYS -------------------------------------------------------------------


GONE = (
    "Tệp của lần nhập này không còn được lưu (tệp bị xoá 30 ngày sau khi lần nhập kết thúc): không thể chạy lại. "
    "Hãy tải tệp lên lại để nhập."
)


def test_files_of_finished_imports_are_deleted_after_the_keeping_period_and_the_jobs_stay(db, settings, time_machine):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    time_machine.move_to(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))

    def job_in(status):
        job = start_import(kind="producers", upload=producers_workbook(1), original_name=f"{status}.xlsx",
                           by=coordinator)  # fmt: skip
        if status != ImportStatus.QUEUED:
            execute(job)  # checked
        if status == ImportStatus.DONE:
            queue_import(job=job, by=coordinator, commit=True, choices=Choices(), mode=ImportMode.ALL_OR_NOTHING,
                         incomplete=IncompleteRows.CREATE)  # fmt: skip
            execute(ImportJob.objects.get(pk=job.pk))
        if status == ImportStatus.FAILED:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, failure="stopped")
        return ImportJob.objects.get(pk=job.pk)

    jobs = {s: job_in(s) for s in (ImportStatus.DONE, ImportStatus.CHECKED, ImportStatus.FAILED, ImportStatus.QUEUED)}
    assert [j.status for j in jobs.values()] == ["done", "checked", "failed", "queued"]
    stored = {s: settings.MEDIA_ROOT / j.file.name for s, j in jobs.items()}
    assert all(path.exists() for path in stored.values())

    time_machine.move_to(dt.datetime(2026, 3, 30, 9, tzinfo=dt.UTC))  # 29 days on: all kept
    assert purge_import_files() == 0
    time_machine.move_to(dt.datetime(2026, 3, 31, 9, 1, tzinfo=dt.UTC))  # 30 days and a minute on
    out = io.StringIO()
    call_command("purge_import_files", stdout=out)
    assert out.getvalue() == "3 import file(s) older than 30 days deleted\n"
    after = {s: ImportJob.objects.get(pk=j.pk) for s, j in jobs.items()}
    assert {s: (j.status, j.file.name, j.failure) for s, j in after.items()} == {
        "done": ("done", "", GONE),
        "checked": ("failed", "", GONE),  # it can no longer be saved
        "failed": ("failed", "", GONE),
        "queued": ("queued", jobs["queued"].file.name, ""),  # not finished: a worker may still take it
    }
    assert {s: path.exists() for s, path in stored.items()} == {
        "done": False, "checked": False, "failed": False, "queued": True,
    }  # fmt: skip
    assert ImportJob.objects.count() == 4
    assert purge_import_files() == 0  # a second run finds nothing

    with pytest.raises(ImportFileGone) as gone:
        rerun_import(job=after["failed"], by=coordinator)
    assert str(gone.value) == GONE
    assert ImportJob.objects.get(pk=after["failed"].pk).status == ImportStatus.FAILED


def test_run_again_says_so_when_the_file_was_lost(db, settings):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    job = start_import(kind="producers", upload=producers_workbook(1), original_name="a.xlsx", by=coordinator)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)
    (settings.MEDIA_ROOT / job.file.name).unlink()  # removed by hand, or lost with a disk
    with pytest.raises(ImportFileGone) as gone:
        rerun_import(job=job, by=coordinator)
    assert str(gone.value) == GONE
    job.refresh_from_db()
    assert (job.status, job.file.name, job.failure) == (ImportStatus.FAILED, "", GONE)
