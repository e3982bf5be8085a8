"""Certificate PDFs made on the task worker: one batch per request, with progress the page polls. A batch whose
worker died is marked failed (core.jobs) and, run again, goes on from the first certificate without its PDF."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task

from ocop.certificates import access, status_notices
from ocop.certificates.models import BatchState, Certificate, CertificateBatch, Decision
from ocop.certificates.pdf import render_certificates
from ocop.core import jobs as leases


def _queue(batch: CertificateBatch) -> None:
    batch_id = batch.pk
    transaction.on_commit(lambda: make_pdfs.enqueue(batch_id=batch_id))


@transaction.atomic
def start_pdf_batch(*, by: Any, decision: Decision) -> CertificateBatch:
    """Queue the PDFs of an issued decision's certificates. Side effects: a task after commit."""
    access.require(access.can_manage(by, decision.province_id) and not decision.historical)
    batch = CertificateBatch.objects.create(decision=decision, created_by=by, total=decision.certificates.count())
    _queue(batch)
    return batch


@transaction.atomic
def rerun_pdf_batch(*, by: Any, batch: CertificateBatch) -> CertificateBatch:
    """Run a stopped batch again: it makes only the PDFs still missing. Side effects: a task after commit."""
    access.require(access.can_manage(by, batch.decision.province_id))
    batch = CertificateBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.FAILED:
        raise ValueError(batch.state)
    batch.state, batch.failure = BatchState.QUEUED, ""
    batch.save(update_fields=["state", "failure", "updated_at"])
    _queue(batch)
    return batch


def run_batch(batch: CertificateBatch) -> None:
    """Make the PDFs the decision's certificates lack, in order; those already made are kept (a rerun resumes)."""
    started = time.monotonic()
    certs = batch.decision.certificates.filter(pdf="").order_by("sequence")
    before = batch.total - certs.count()
    leases.take(batch, state=BatchState.RUNNING, done=before)

    def progress(done: int) -> None:
        leases.beat(CertificateBatch, batch.pk, done=before + done)

    try:
        for cert, data in render_certificates(certs, progress, processes=settings.OCOP_PDF_PROCESSES):
            cert.pdf.save(f"{cert.number}.pdf", ContentFile(data), save=False)
            Certificate.objects.filter(pk=cert.pk).update(pdf=cert.pdf.name)
    except Exception:
        CertificateBatch.objects.filter(pk=batch.pk).update(state=BatchState.FAILED)
        raise
    CertificateBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.DONE, done=batch.total, seconds=time.monotonic() - started
    )
    made = batch.decision.certificates.exclude(pdf="").select_related("product", "producer", "decision")
    status_notices.certificates_ready(certificates=made)


@task()
def make_pdfs(*, batch_id: int) -> None:
    batch = CertificateBatch.objects.select_related("decision").filter(pk=batch_id).first()
    if batch is None or batch.state != BatchState.QUEUED:
        return  # already made (a task enqueued twice)
    run_batch(batch)
