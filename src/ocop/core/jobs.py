"""Leases on background jobs: a worker claims a job with its host and pid and beats while it works; a job whose worker
is gone is marked failed and can be run again.

A worker is gone when its pid no longer runs on this host (or runs a process started after the worker's last beat:
the pid was reused), or, for a worker on another host, when it has not beaten for LEASE_SECONDS. A worker on this
host whose process still runs is never reaped for an old beat: a long read of a workbook is work, not death.

Every write that decides who holds a job is conditional on what was read (the state, the owner, the last beat), so
two workers never run one job, and a reaper never fails a job that a worker took or beat in the meantime.

The check runs when a worker starts (our `db_worker`), and whenever someone looks at a job (its page)."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Collection
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from ocop.core.models import LeasedJob

LEASE_SECONDS = 300  # no beat for this long: a worker on another host is gone
# /proc/<pid>/stat gives a process's start in clock ticks after boot, /proc/stat the boot in whole seconds.
_BOOT_ROUNDING = dt.timedelta(seconds=1)


class LeaseLost(Exception):
    """This worker no longer holds the job (the reaper failed it, another worker took it): stop, write nothing."""


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


def claim(job: LeasedJob, *, unchanged: Collection[str], **fields: Any) -> bool:
    """Take `job` only if the fields named in `unchanged` still hold the values read (its state, its last change):
    one conditional UPDATE, so of two workers handed the same job exactly one gets True. `fields` (its new state)
    are written in the same update."""
    now = timezone.now()
    expected = {name: getattr(job, name) for name in unchanged}
    updated = (
        _manager(type(job))
        .filter(pk=job.pk, **expected)
        .update(lease_owner=owner(), heartbeat_at=now, failure="", **fields)
    )
    if updated:
        job.lease_owner, job.heartbeat_at, job.failure = owner(), now, ""
        for name, value in fields.items():
            setattr(job, name, value)
    return bool(updated)


def beat(model: type[LeasedJob], pk: Any, **fields: Any) -> bool:
    """Show life (and write `fields`) if this worker still holds the running job; returns whether it does."""
    running = {f"{model.state_field}__in": model.RUNNING_STATES}
    return bool(
        _manager(model).filter(pk=pk, lease_owner=owner(), **running).update(heartbeat_at=timezone.now(), **fields)
    )


def _started(pid: int) -> dt.datetime | None:
    """When the process `pid` started (Linux /proc), or None when that cannot be told."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        boot = next(
            int(line.split()[1]) for line in Path("/proc/stat").read_text(encoding="ascii").splitlines()
            if line.startswith("btime ")
        )  # fmt: skip
        ticks = int(stat[stat.rindex(")") + 2 :].split()[19])  # field 22; the name in () may hold spaces
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return dt.datetime.fromtimestamp(boot + ticks / os.sysconf("SC_CLK_TCK"), tz=dt.UTC)


def _alive(lease_owner: str, now: dt.datetime, heartbeat: dt.datetime | None) -> bool:
    host, _sep, pid = lease_owner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)  # signal 0: does the process exist?
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # it exists, under another user: only its start can tell whether it is our worker
        started = _started(int(pid))
        if started is not None:
            # The worker beat while it ran: a process started after its last beat took a dead worker's pid.
            return heartbeat is not None and started <= heartbeat + _BOOT_ROUNDING
    return heartbeat is not None and now - heartbeat < dt.timedelta(seconds=LEASE_SECONDS)


def abandoned(job: LeasedJob) -> bool:
    state = getattr(job, job.state_field)
    if state not in job.RUNNING_STATES or not job.lease_owner:
        return False
    return not _alive(job.lease_owner, timezone.now(), job.heartbeat_at)


def reap(job: LeasedJob) -> bool:
    """Mark `job` failed if its worker is gone. Returns whether it was.

    The lease is first taken from the dead worker with one conditional UPDATE (still running, same owner, same
    last beat): if the worker beat, finished, or another took the job since we read it, nothing changes. A worker
    wrongly thought dead then finds at its next beat that it lost the job (LeaseLost), and stops."""
    if not abandoned(job):
        return False
    model = type(job)
    with transaction.atomic():
        taken = (
            _manager(model)
            .filter(
                pk=job.pk,
                lease_owner=job.lease_owner,
                heartbeat_at=job.heartbeat_at,
                **{f"{model.state_field}__in": model.RUNNING_STATES},
            )
            .update(lease_owner=f"reaped:{job.lease_owner}"[:120])
        )
        if not taken:
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
