"""Leases on background jobs: a worker takes a job with its host and pid and beats while it works; a job whose worker
is gone (the pid no longer runs on this host, or no beat for LEASE_SECONDS) is marked failed and can be run again.

The check runs when a worker starts (our `db_worker`), and whenever someone looks at a job (its page)."""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

from django.apps import apps
from django.utils import timezone

from ocop.core.models import LeasedJob

LEASE_SECONDS = 300  # no beat for this long: the worker is gone even on another machine


def _manager(model: type[LeasedJob]) -> Any:
    return model._default_manager  # the concrete job model's manager (the abstract base has none)


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def take(job: LeasedJob, **fields: Any) -> None:
    """This worker holds `job` now; `fields` (its state) are written in the same update."""
    now = timezone.now()
    _manager(type(job)).filter(pk=job.pk).update(lease_owner=owner(), heartbeat_at=now, failure="", **fields)
    job.lease_owner, job.heartbeat_at, job.failure = owner(), now, ""
    for name, value in fields.items():
        setattr(job, name, value)


def beat(model: type[LeasedJob], pk: Any, **fields: Any) -> None:
    _manager(model).filter(pk=pk).update(heartbeat_at=timezone.now(), **fields)


def _alive(lease_owner: str, now: dt.datetime, heartbeat: dt.datetime | None) -> bool:
    host, _sep, pid = lease_owner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)  # signal 0: does the process exist?
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        # A pid may be reused by another process: the heartbeat still bounds how long a dead job looks alive.
    return heartbeat is not None and now - heartbeat < dt.timedelta(seconds=LEASE_SECONDS)


def abandoned(job: LeasedJob) -> bool:
    state = getattr(job, job.state_field)
    if state not in job.RUNNING_STATES or not job.lease_owner:
        return False
    return not _alive(job.lease_owner, timezone.now(), job.heartbeat_at)


def reap(job: LeasedJob) -> bool:
    """Mark `job` failed if its worker is gone. Returns whether it was."""
    if not abandoned(job):
        return False
    job.mark_abandoned()
    return True


def leased_models() -> list[type[LeasedJob]]:
    return [m for m in apps.get_models() if issubclass(m, LeasedJob)]


def reap_all() -> int:
    """Every job of every kind whose worker is gone is marked failed; returns how many."""
    count = 0
    for model in leased_models():
        running = _manager(model).filter(**{f"{model.state_field}__in": model.RUNNING_STATES}).exclude(lease_owner="")
        for job in running:
            count += reap(job)
    return count
