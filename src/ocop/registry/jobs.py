"""Import jobs. The upload request only stores the workbook and queues it; the task worker reads it (bounded, in a
child process under a memory ceiling), checks every row, and later saves. A worker that dies mid-job leaves a job
that is detected as abandoned (core.jobs) and can be run again: nothing of it was saved, the save being one
transaction."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from ocop.core import jobs as leases
from ocop.registry.importing import Choices, ImportReport
from ocop.registry.imports import can_import, run_import
from ocop.registry.models import ImportJob, ImportMode, ImportStatus, IncompleteRows


def _queue(job: ImportJob) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: process_import.enqueue(job_id=job_id))


@transaction.atomic
def start_import(*, kind: str, upload: IO[bytes], original_name: str, by: Any) -> ImportJob:
    """Store the workbook and queue its dry run on the worker. Side effects: a stored file, a task."""
    if not can_import(by, kind):
        raise PermissionDenied
    job = ImportJob(kind=kind, created_by=by, original_name=original_name[:255])
    job.file.save("import.xlsx", File(upload), save=False)
    try:
        job.save()
    except Exception:
        job.file.delete(save=False)
        raise
    _queue(job)
    return job


@transaction.atomic
def queue_import(*, job: ImportJob, by: Any, commit: bool, choices: Choices, mode: str, incomplete: str) -> ImportJob:
    """Check the file again with the person's choices, or (commit) save it: all rows or none, or the good rows with
    the rest parked. Side effects: a task."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != getattr(by, "pk", None) or not can_import(by, job.kind):
        raise PermissionDenied
    if job.status != ImportStatus.CHECKED:
        raise ValueError(job.status)
    job.choices = choices.as_dict()
    job.mode = ImportMode(mode)
    job.incomplete = IncompleteRows(incomplete)
    job.commit = commit
    job.status, job.processed = ImportStatus.QUEUED, 0
    job.save(update_fields=["choices", "mode", "incomplete", "commit", "status", "processed", "updated_at"])
    _queue(job)
    return job


@transaction.atomic
def rerun_import(*, job: ImportJob, by: Any) -> ImportJob:
    """Run a failed job again (its worker died, or an unexpected error stopped it): the same step, from the start."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != getattr(by, "pk", None):
        raise PermissionDenied
    if not (job.status == ImportStatus.FAILED or job.waiting_too_long) or not job.file:
        raise ValueError(job.status)
    job.status, job.processed, job.failure = ImportStatus.QUEUED, 0, ""
    job.save(update_fields=["status", "processed", "failure", "updated_at"])
    _queue(job)
    return job


def execute(job: ImportJob) -> ImportReport:
    """Run the job's step (dry run, or commit) under this worker's lease."""
    leases.take(job, status=ImportStatus.SAVING if job.commit else ImportStatus.CHECKING, processed=0)

    def progress(done: int, total: int) -> None:
        leases.beat(ImportJob, job.pk, processed=done, total=total)

    try:
        with job.file.open("rb") as fh:
            report = run_import(
                job.kind,
                fh,
                user=job.created_by,
                commit=job.commit,
                choices=Choices.from_dict(job.choices),
                progress=progress,
                mode=job.mode,
                incomplete=job.incomplete,
                job=job,
            )
    except Exception:
        message = _("The import stopped on an unexpected error; nothing was saved. Press “Run again”, or report it.")
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, failure=message, report=ImportReport(kind=job.kind).as_dict()
        )
        raise
    job.report = report.as_dict()
    job.total = job.processed = report.total
    if report.file_error:
        # A file we will not read is not kept: nothing refers to it.
        job.status = ImportStatus.REFUSED
        job.file.delete(save=False)
    else:
        job.status = ImportStatus.DONE if report.committed else ImportStatus.CHECKED
    job.save(update_fields=["report", "total", "processed", "status", "file", "updated_at"])
    return report


@task()
def process_import(*, job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return  # already run (a task enqueued twice), or withdrawn
    execute(job)
