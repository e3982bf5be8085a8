"""Certificate PDFs made on the task worker: one batch per request, with progress the page polls."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task

from ocop.certificates import access
from ocop.certificates.models import BatchState, Certificate, CertificateBatch, Decision
from ocop.certificates.pdf import render_certificates


@transaction.atomic
def start_pdf_batch(*, by: Any, decision: Decision) -> CertificateBatch:
    """Queue the PDFs of an issued decision's certificates. Side effects: a task after commit."""
    access.require(access.can_manage(by, decision.province_id))
    batch = CertificateBatch.objects.create(decision=decision, created_by=by, total=decision.certificates.count())
    batch_id = batch.pk
    transaction.on_commit(lambda: make_pdfs.enqueue(batch_id=batch_id))
    return batch


def run_batch(batch: CertificateBatch) -> None:
    started = time.monotonic()
    CertificateBatch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING, done=0)

    def progress(done: int) -> None:
        CertificateBatch.objects.filter(pk=batch.pk).update(done=done)

    try:
        certs = batch.decision.certificates.order_by("sequence")
        for cert, data in render_certificates(certs, progress, processes=settings.OCOP_PDF_PROCESSES):
            cert.pdf.save(f"{cert.number}.pdf", ContentFile(data), save=False)
            Certificate.objects.filter(pk=cert.pk).update(pdf=cert.pdf.name)
    except Exception:
        CertificateBatch.objects.filter(pk=batch.pk).update(state=BatchState.FAILED)
        raise
    CertificateBatch.objects.filter(pk=batch.pk).update(state=BatchState.DONE, seconds=time.monotonic() - started)


@task()
def make_pdfs(*, batch_id: int) -> None:
    run_batch(CertificateBatch.objects.select_related("decision").get(pk=batch_id))
