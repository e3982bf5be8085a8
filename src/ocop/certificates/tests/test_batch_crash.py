"""A worker killed while it lays out a decision's certificate PDFs: its layout processes die with it, the next
worker marks the batch stopped, and "Run again" makes only the PDFs still missing."""

import datetime as dt
import os
import signal
from pathlib import Path

from django.utils import timezone

from ocop.certificates import jobs, services
from ocop.certificates.models import BatchState, Certificate, CertificateBatch
from ocop.evaluation.testing import council_result
from ocop.testing import make_product, province, start_worker, wait_for


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # a zombie has ended; only its parent may still have to reap it


def test_a_batch_killed_mid_way_resumes_from_the_first_missing_pdf(reference_data, office, tmp_path, settings):
    decision = services.draft_decision(by=office.coordinator, province=province())
    for i in range(60):
        product = office.product if i == 0 else make_product(producer=office.producer, name=f"Lọ hoa {i}")
        council_result(product, 3)
        services.add_item(by=office.coordinator, decision=decision, product=product, stars=3)
    services.issue_decision(by=office.coordinator, decision=decision, number="77/QĐ-UBND",
                            signed_on=timezone.localdate() - dt.timedelta(days=3))  # fmt: skip
    batch = jobs.start_pdf_batch(by=office.coordinator, decision=decision)

    worker = start_worker(tmp_path, OCOP_PDF_PROCESSES="2")
    try:
        wait_for(lambda: CertificateBatch.objects.filter(pk=batch.pk, done__gte=25, done__lt=60).exists(),
                 what="the first PDFs")  # fmt: skip
        layout = _children(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    assert layout  # the layout processes it had started...
    wait_for(lambda: all(_gone(pid) for pid in layout), timeout=10, what="the layout processes to end")  # ...end too
    made = dict(Certificate.objects.exclude(pdf="").values_list("pk", "pdf"))
    batch.refresh_from_db()
    # The progress bar is written after the PDFs it counts, so a kill may leave it behind them, never ahead.
    assert (batch.state, 25 <= len(made) < 60, 25 <= batch.done <= len(made)) == (BatchState.RUNNING, True, True)

    second = start_worker(tmp_path, OCOP_PDF_PROCESSES="1")
    try:
        wait_for(lambda: CertificateBatch.objects.filter(pk=batch.pk, state=BatchState.FAILED).exists(), what="reap")
        batch.refresh_from_db()
        assert batch.failure.startswith("Tiến trình làm các tệp PDF dừng đột ngột.")
        stamps = {pk: (settings.MEDIA_ROOT / name).stat().st_mtime_ns for pk, name in made.items()}
        jobs.rerun_pdf_batch(by=office.coordinator, batch=batch)
        wait_for(lambda: CertificateBatch.objects.filter(pk=batch.pk, state=BatchState.DONE).exists(), what="resume")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    batch.refresh_from_db()
    assert (batch.done, batch.total, Certificate.objects.filter(pdf="").count()) == (60, 60, 0)
    # The PDFs made before the crash were kept as they were: only the missing ones were laid out.
    assert {pk: (settings.MEDIA_ROOT / name).stat().st_mtime_ns for pk, name in made.items()} == stamps
    assert dict(Certificate.objects.filter(pk__in=made).values_list("pk", "pdf")) == made
