"""What the task worker (`ocop worker`) does each time it starts, before it takes tasks: the jobs the apps register
here (`at_start`, from their AppConfig.ready(); core imports no app). A job is quick and idempotent, typically
"queue my task now, unless it is queued already", and its task queues its next run itself (at local midnight).

A job's database error is the worker's: it is started again after a pause (worker.SteadyWorker), jobs first. Jobs
log through `log`, which the worker shows as it shows its own lines (`--verbosity`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.utils import timezone

log = logging.getLogger("ocop.worker")

AT_START: list[Callable[[], None]] = []


def at_start(job: Callable[[], None]) -> Callable[[], None]:
    """Run `job` each time the worker starts (registered once however often the app is made ready)."""
    if job not in AT_START:
        AT_START.append(job)
    return job


def run_at_start() -> None:
    for job in AT_START:
        job()


def next_midnight() -> dt.datetime:
    """The next local midnight, when the daily runs are queued."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time()))
