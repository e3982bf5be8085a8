"""Import jobs: a workbook is stored, checked, then committed; large ones run on the task worker."""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from ocop.core.excel import ExcelError, read_sheet
from ocop.registry.imports import ImportReport, RowIssue, run_import
from ocop.registry.models import ImportJob, ImportStatus


def _row_count(job: ImportJob) -> int:
    try:
        with job.file.open("rb") as fh:
            # Counting the rows costs a read of the sheet; a workbook's own dimension tag may be missing.
            return sum(1 for _row in read_sheet(fh, required=[]).rows)
    except ExcelError:
        return 0


@transaction.atomic
def start_import(*, kind: str, upload: IO[bytes], original_name: str, by: Any) -> ImportJob:
    """Store the workbook and check it: here if small, on the worker if large. Side effects: a task."""
    job = ImportJob(kind=kind, created_by=by, original_name=original_name[:255])
    job.file.save("import.xlsx", File(upload), save=False)
    job.save()
    job.total = _row_count(job)
    job.background = job.total > settings.OCOP_IMPORT_BACKGROUND_ROWS
    job.save(update_fields=["total", "background", "updated_at"])
    if job.background:
        job_id = job.pk
        transaction.on_commit(lambda: process_import.enqueue(job_id=job_id, commit=False))
    else:
        execute(job, commit=False)
    return job


def commit_import(*, job: ImportJob, choices: dict[int, int]) -> ImportJob:
    """Save a checked import with the user's choices for split communes; all rows or none."""
    job.choices = {str(k): v for k, v in choices.items()}
    job.status = ImportStatus.QUEUED
    job.processed = 0
    job.save(update_fields=["choices", "status", "processed", "updated_at"])
    if job.background:
        job_id = job.pk
        transaction.on_commit(lambda: process_import.enqueue(job_id=job_id, commit=True))
    else:
        execute(job, commit=True)
    return job


def execute(job: ImportJob, *, commit: bool) -> ImportReport:
    job.status = ImportStatus.SAVING if commit else ImportStatus.CHECKING
    job.save(update_fields=["status", "updated_at"])

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed=done, total=total)

    try:
        with job.file.open("rb") as fh:
            report = run_import(
                job.kind,
                fh,
                user=job.created_by,
                commit=commit,
                choices={int(k): int(v) for k, v in job.choices.items()},
                progress=progress,
            )
    except Exception:
        report = ImportReport(
            kind=job.kind,
            errors=[
                RowIssue(
                    row=0,
                    column="",
                    message=_(
                        "The import stopped on an unexpected error; nothing was saved. "
                        "Please report it to the administrator."
                    ),
                )
            ],
        )
        job.status = ImportStatus.FAILED
        job.report = report.as_dict()
        job.save(update_fields=["status", "report", "updated_at"])
        raise
    job.report = report.as_dict()
    job.total = report.total
    job.processed = report.total
    job.status = ImportStatus.DONE if report.committed else ImportStatus.CHECKED
    job.save(update_fields=["report", "total", "processed", "status", "updated_at"])
    return report


@task()
def process_import(*, job_id: int, commit: bool) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    execute(job, commit=commit)
