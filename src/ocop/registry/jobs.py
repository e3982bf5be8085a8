"""Import jobs. The upload request only stores the workbook and queues it; the task worker reads it (bounded, in a
child process under a memory ceiling), checks every row, and later saves. A worker that dies mid-job leaves a job
that is detected as abandoned (core.jobs) and can be run again: nothing of it was saved, the save being one
transaction.

A worker claims a queued job with one conditional update, so a task enqueued twice (or two workers) runs it once; it
beats while it works, the long wait for the workbook's reader included; and it writes its result only while it still
holds the job. Stored workbooks hold personal data: those of finished jobs are deleted after OCOP_IMPORT_KEEP_DAYS
(`ocop purge_import_files`, daily); the job stays, saying its file is gone."""

from __future__ import annotations

import datetime as dt
import logging
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core import jobs as leases
from ocop.core.xlsx import waiting
from ocop.registry.importing import Choices, ImportReport
from ocop.registry.imports import can_import, run_import
from ocop.registry.models import NAME_MAX, ImportJob, ImportMode, ImportStatus, IncompleteRows

logger = logging.getLogger(__name__)

# Jobs whose file nobody needs any more once they are old: saved, stopped, refused, or checked and left there.
FINISHED = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.REFUSED, ImportStatus.CHECKED)


RUNNING = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.SAVING)


class TooManyImports(ValueError):
    """A user's imports waiting or running are bounded: one person's files never hold the one worker for everyone."""


class ImportFileGone(ValueError):
    """The job's workbook is no longer stored (deleted after the keeping period, or lost): it cannot run again.
    The message is for the user."""


def _queue(job: ImportJob) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: process_import.enqueue(job_id=job_id))


@transaction.atomic
def start_import(*, kind: str, upload: IO[bytes], original_name: str, by: Any) -> ImportJob:
    """Store the workbook and queue its dry run on the worker. Side effects: a stored file, a task."""
    if not can_import(by, kind):
        raise PermissionDenied
    waiting = ImportJob.objects.filter(created_by=by, status__in=RUNNING).count()
    if waiting >= settings.OCOP_IMPORT_MAX_WAITING:
        raise TooManyImports(
            _("You have %(n)s imports waiting or running: wait until one is done before uploading another.")
            % {"n": waiting}
        )
    if len(original_name) > NAME_MAX:
        raise ValidationError({"file": [_("The file's name is too long (at most 255 characters): rename it.")]})
    job = ImportJob(kind=kind, created_by=by, original_name=original_name)
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


def _gone_message() -> str:
    return _(
        "The file of this import is no longer kept (files are deleted %(days)s days after an import ends): it cannot "
        "be run again. Upload the file again to import it."
    ) % {"days": settings.OCOP_IMPORT_KEEP_DAYS}


def rerun_import(*, job: ImportJob, by: Any) -> ImportJob:
    """Run a failed job again (its worker died, or an unexpected error stopped it): the same step, from the start.

    Raises ImportFileGone, with the user's message, when its file is no longer stored; the job then says so (its
    file cleared, the message as its failure). Side effects: a task."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.created_by_id != getattr(by, "pk", None):
            raise PermissionDenied
        if not (job.status == ImportStatus.FAILED or job.waiting_too_long):
            raise ValueError(job.status)
        if job.file.name and job.file.storage.exists(job.file.name):
            job.status, job.processed, job.failure = ImportStatus.QUEUED, 0, ""
            job.save(update_fields=["status", "processed", "failure", "updated_at"])
            _queue(job)
            return job
    _forget_file(job, status=ImportStatus.FAILED)
    raise ImportFileGone(_gone_message())


def _forget_file(job: ImportJob, *, status: str) -> None:
    """The job's file is gone: say so on the job (file cleared, the message as its failure, `status`)."""
    ImportJob.objects.filter(pk=job.pk).update(
        file="", failure=_gone_message(), status=status, updated_at=timezone.now()
    )
    job.file.name, job.failure, job.status = "", _gone_message(), status


def execute(job: ImportJob) -> ImportReport | None:
    """Claim a queued job and run its step (dry run, or commit) under this worker's lease. Returns its report, or
    None when the job was not this worker's to run (no longer queued, or taken by another worker), or was taken
    from it meanwhile (then nothing is written)."""
    running = ImportStatus.SAVING if job.commit else ImportStatus.CHECKING
    if not leases.claim(job, unchanged=["status", "updated_at"], status=running, processed=0):
        return None  # already run (a task enqueued twice), taken by another worker, or withdrawn

    def alive(**fields: Any) -> None:
        if not leases.beat(ImportJob, job.pk, **fields):
            raise leases.LeaseLost

    def progress(done: int, total: int) -> None:
        alive(processed=done, total=total)

    try:
        fh = job.file.open("rb")
    except FileNotFoundError:
        logger.warning("Import job %s: its file %s is missing.", job.pk, job.file.name)
        _forget_file(job, status=ImportStatus.FAILED)
        return None
    try:
        with fh, waiting(alive):
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
    except leases.LeaseLost:
        logger.warning("Import job %s was taken from this worker (%s) while it ran; it stops.", job.pk, leases.owner())
        return None
    except Exception:
        message = _("The import stopped on an unexpected error; nothing was saved. Press “Run again”, or report it.")
        _finish(job, status=ImportStatus.FAILED, failure=message, report=ImportReport(kind=job.kind).as_dict())
        raise
    job.report = report.as_dict()
    job.total = job.processed = report.total
    if report.file_error:
        job.status = ImportStatus.REFUSED
    else:
        job.status = ImportStatus.DONE if report.committed else ImportStatus.CHECKED
    if not _finish(job, status=job.status, report=job.report, total=job.total, processed=job.processed):
        logger.warning("Import job %s was taken from this worker (%s) before it ended.", job.pk, leases.owner())
        return None
    if job.status == ImportStatus.REFUSED:
        # A file we will not read is not kept: nothing refers to it.
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
    return report


def _finish(job: ImportJob, **fields: Any) -> bool:
    """Write the job's outcome if this worker still holds it (running, its lease); returns whether it did."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, lease_owner=leases.owner(), status__in=ImportJob.RUNNING_STATES).update(
            updated_at=timezone.now(), **fields
        )
    )


@task()
def process_import(*, job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return  # already run (a task enqueued twice), or withdrawn
    execute(job)


def purge_import_files(*, now: dt.datetime | None = None) -> int:
    """Delete the stored workbooks of jobs finished (saved, stopped, refused, or checked and left) more than
    OCOP_IMPORT_KEEP_DAYS ago: they hold personal data nobody needs any more. The jobs stay, their file cleared
    and a note as their failure; a job checked but never saved becomes failed (it can no longer be saved).

    Each job is changed only if it has not moved since it was read (someone saving it now keeps its file). Returns
    how many files were deleted. Side effects: files deleted, jobs updated."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.OCOP_IMPORT_KEEP_DAYS)
    old = ImportJob.objects.filter(status__in=FINISHED, updated_at__lt=cutoff).exclude(file="")
    deleted = 0
    for job in old.only("pk", "file", "status", "updated_at").iterator():
        name = job.file.name or ""
        status = ImportStatus.FAILED if job.status == ImportStatus.CHECKED else job.status
        changed = ImportJob.objects.filter(pk=job.pk, status=job.status, updated_at=job.updated_at, file=name).update(
            file="", failure=_gone_message(), status=status, updated_at=now
        )
        if changed and name:
            job.file.storage.delete(name)
            deleted += 1
    if deleted:
        logger.info("Deleted the stored files of %d import(s) finished before %s.", deleted, cutoff)
    return deleted
