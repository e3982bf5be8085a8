import io

from django.core.management import call_command

from ocop.accounts.models import Role
from ocop.core.excel import write_workbook
from ocop.registry.columns import PRODUCER_COLUMNS
from ocop.registry.jobs import commit_import, start_import
from ocop.registry.models import ImportJob, ImportStatus, Producer
from ocop.testing import make_user


def run_worker():
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


def test_large_import_runs_on_the_task_worker(reference_data, settings):
    # Transactional: the worker checks its connection between tasks, as in production, so the test
    # commits for real instead of running inside one test transaction.
    settings.OCOP_IMPORT_BACKGROUND_ROWS = 3
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    rows = [
        ["Hợp tác xã", f"HTX Nền {i}", f"01066666{i:02d}", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""]
        for i in range(5)
    ]
    upload = io.BytesIO(write_workbook(title="x", headers=[t for _n, t in PRODUCER_COLUMNS], rows=rows))
    job = start_import(kind="producers", upload=upload, original_name="lon.xlsx", by=coordinator)
    job.refresh_from_db()
    assert (job.background, job.status, job.total) == (True, ImportStatus.QUEUED, 5)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.processed, job.report["errors"]) == (ImportStatus.CHECKED, 5, [])
    assert Producer.objects.count() == 0
    commit_import(job=job, choices={})
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.report["created"]) == (ImportStatus.DONE, 5)
    assert Producer.objects.count() == 5
    assert ImportJob.objects.count() == 1
