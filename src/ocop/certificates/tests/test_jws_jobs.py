"""Certificates signed before the JWS form get theirs on the task worker (certificates.jws_jobs): queued when the
worker starts (a core.worker_jobs start-up job) and each local midnight, with the code of `ocop sign_jws`; a missing
private key is logged by name and the task does not fail."""

import datetime as dt
import logging
import signal

import pytest
from django.core.management import call_command
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ocop.certificates import jws_jobs
from ocop.certificates.models import Certificate, SigningKey
from ocop.certificates.tests.conftest import issue, office  # noqa: F401  # the fixture
from ocop.core import worker_jobs
from ocop.testing import run_queued_tasks

NOON = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)  # 16:00 in Hà Nội
MIDNIGHT = dt.datetime(2026, 1, 10, 17, tzinfo=dt.UTC)  # 11 January, 00:00 in Hà Nội


def _queued():
    return sorted(
        (r.run_after for r in DBTaskResult.objects.filter(task_path=jws_jobs.TASK_PATH, status="READY")),
    )


def _lines(caplog):
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "ocop.worker"]


def test_the_worker_starts_by_queueing_the_fill():
    assert jws_jobs.queue_now in worker_jobs.AT_START
    assert worker_jobs.AT_START.count(jws_jobs.queue_now) == 1


def test_the_fill_signs_what_was_signed_before_and_queues_the_next_midnight(office, time_machine, caplog):  # noqa: F811
    caplog.set_level(logging.INFO, logger="ocop.worker")
    time_machine.move_to(NOON, tick=False)
    signed, unsigned = issue(office), issue(office, number="2/QĐ-UBND")
    issued = unsigned.jws
    Certificate.objects.filter(pk=unsigned.pk).update(jws="")  # as the upgrade finds a certificate signed before
    SigningKey.objects.filter(key_id=unsigned.key_id).update(active=False)  # retired since: it still signs its own
    worker_jobs.run_at_start()
    worker_jobs.run_at_start()  # a worker started again: one fill queued, not two
    assert DBTaskResult.objects.filter(task_path=jws_jobs.TASK_PATH, status="READY").count() == 1
    assert run_queued_tasks(jws_jobs.TASK_PATH) == 1
    assert Certificate.objects.get(pk=unsigned.pk).jws == issued  # the same JWS as at issue (Ed25519)
    assert Certificate.objects.get(pk=signed.pk).jws == signed.jws
    assert _queued() == [MIDNIGHT]
    assert _lines(caplog) == [("INFO", "JWS: 1 certificate(s) signed as JWS.")]

    # At midnight: nothing left to sign; the next midnight queued, once.
    time_machine.move_to(MIDNIGHT, tick=False)
    caplog.clear()
    assert run_queued_tasks(jws_jobs.TASK_PATH) == 1
    assert _queued() == [MIDNIGHT + dt.timedelta(days=1)]
    assert _lines(caplog) == [("INFO", "JWS: 0 certificate(s) signed as JWS.")]


def test_a_missing_private_key_is_logged_and_the_task_does_not_fail(office, time_machine, caplog, settings):  # noqa: F811
    caplog.set_level(logging.INFO, logger="ocop.worker")
    time_machine.move_to(NOON, tick=False)
    cert = issue(office)
    Certificate.objects.filter(pk=cert.pk).update(jws="")
    (settings.OCOP_KEYS_DIR / f"{cert.key_id}.key").unlink()
    jws_jobs.queue_now()
    assert run_queued_tasks(jws_jobs.TASK_PATH) == 1  # a failed task would fail the test (run_queued_tasks)
    assert Certificate.objects.get(pk=cert.pk).jws == ""
    assert _lines(caplog) == [
        ("INFO", "JWS: 0 certificate(s) signed as JWS."),
        (
            "ERROR",
            f"JWS: private key(s) missing from OCOP_KEYS_DIR, their certificates left without JWS: {cert.key_id}",
        ),
    ]
    assert _queued() == [MIDNIGHT]  # tried again at midnight
    assert jws_jobs.fill_and_log() == jws_jobs.JwsFill(signed=0, missing_keys=[cert.key_id])


@pytest.fixture
def signals():
    """`ocop worker` sets its own signal handlers: put the test runner's back."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for s, h in handlers.items():
        signal.signal(s, h)


@pytest.mark.django_db(transaction=True)
def test_ocop_worker_fills_at_start(reference_data, office, time_machine, signals):  # noqa: F811
    """The real worker (`ocop worker --batch`): its start-up job queues the fill, which it runs before it stops."""
    time_machine.move_to(NOON)
    cert = issue(office)
    issued = cert.jws
    Certificate.objects.filter(pk=cert.pk).update(jws="")
    call_command("worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
    assert Certificate.objects.get(pk=cert.pk).jws == issued
    done = DBTaskResult.objects.filter(task_path=jws_jobs.TASK_PATH).exclude(status="READY")
    assert [r.status for r in done] == [TaskResultStatus.SUCCESSFUL]
    assert _queued() == [MIDNIGHT]
