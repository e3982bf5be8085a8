"""Certificates signed before the JWS form get theirs on the task worker, with no one to run `ocop sign_jws`: a fill
is queued each time the worker starts (core.worker_jobs) and each fill queues the next at local midnight. A fill is
`signing.fill_missing_jws`, the command's own code, in batches; it logs how many it signed. A private key missing
from OCOP_KEYS_DIR is logged as an error naming it, its certificates left for the next run: the task does not fail,
the worker goes on (until then /api/v1/certificates/{code}/jws answers 404 for them)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from ocop.certificates.signing import JwsFill, fill_missing_jws
from ocop.core.worker_jobs import log, next_midnight

TASK_PATH = "ocop.certificates.jws_jobs.fill_jws"


def _queued() -> Any:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")


def fill_and_log() -> JwsFill:
    result = fill_missing_jws()
    log.info("JWS: %d certificate(s) signed as JWS.", result.signed)
    if result.missing_keys:
        log.error(
            "JWS: private key(s) missing from OCOP_KEYS_DIR, their certificates left without JWS: %s",
            ", ".join(result.missing_keys),
        )
    return result


def queue_now() -> None:
    """Queue a fill to run at once, unless one is queued to run by now (the worker's start-up job)."""
    from django_tasks_db.models import get_date_max

    if not _queued().filter(Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now())).exists():
        fill_jws.enqueue()


def queue_midnight() -> None:
    """Queue the fill of the next local midnight, unless it is queued already."""
    midnight = next_midnight()
    if not _queued().filter(run_after=midnight).exists():
        fill_jws.using(run_after=midnight).enqueue()


@task()
def fill_jws() -> None:
    queue_midnight()  # first: a fill that fails does not end the daily runs
    fill_and_log()
