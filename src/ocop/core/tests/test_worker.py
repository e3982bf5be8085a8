"""`ocop worker` outlives a database that stays locked longer than it will wait, where django-tasks-db's own worker
(`ocop db_worker`) dies: on a real database, another connection holds the lock (SQLite: a write transaction; PostgreSQL:
an exclusive lock on the tasks table) until the worker has given up once; the worker, waiting only 200 ms for a lock
here, logs the error, starts again and runs the queued task."""

from __future__ import annotations

import logging
import signal
import sqlite3
import threading
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db(transaction=True)


@task()
def double(*, n: int) -> int:
    return n * 2


class Seen(logging.Handler):
    """The worker's log (django_tasks_db's logger); `stopped` is set when it reports a database error."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        self.stopped = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        if record.getMessage().startswith("Worker stopped by a database error"):
            self.stopped.set()


@pytest.fixture
def seen() -> Iterator[Seen]:
    handler = Seen()
    log = logging.getLogger("django_tasks_db")
    level = log.level
    log.addHandler(handler)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield handler
    log.removeHandler(handler)
    log.setLevel(level)
    for s, h in handlers.items():  # the worker sets its own
        signal.signal(s, h)


@pytest.fixture
def short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections made from now on wait 200 ms for a lock (5 s in settings)."""
    options = connection.settings_dict["OPTIONS"]
    if connection.vendor == "sqlite":
        assert "PRAGMA busy_timeout=5000;" in options["init_command"]
        monkeypatch.setitem(options, "init_command", options["init_command"].replace("=5000;", "=200;"))
    else:
        monkeypatch.setitem(options, "options", options.get("options", "") + " -c lock_timeout=200")
    connections.close_all()


def hold_the_lock(taken: threading.Event, release: threading.Event) -> None:
    """Another connection holds the lock the worker needs until `release` (or 20 s)."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the write lock
        taken.set()
        release.wait(20)
        other.execute("ROLLBACK")
        other.close()
    else:
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f"LOCK TABLE {DBTaskResult._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            taken.set()
            release.wait(20)
            cursor.execute("ROLLBACK")
        connection.close()


def run_worker_under_a_lock(command: str, released_on: threading.Event | None) -> None:
    """`command` runs its tasks while another connection holds the lock, released when `released_on` is set (or when
    the command has returned)."""
    taken, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_the_lock, args=(taken, release))
    holder.start()
    try:
        assert taken.wait(10)
        # The lock is released once the worker has met it (it waited its 200 ms and gave up), not after a set time.
        if released_on is not None:

            def release_then() -> None:
                released_on.wait(20)
                release.set()

            threading.Thread(target=release_then, daemon=True).start()
        call_command(command, "--batch", "--no-reload", "--no-startup-delay", "--interval", "0")
    finally:
        release.set()
        holder.join(30)


def test_the_worker_meets_a_lock_longer_than_its_wait_starts_again_and_runs_the_task(seen, short_lock_wait):
    queued = double.enqueue(n=21)
    run_worker_under_a_lock("worker", released_on=seen.stopped)
    result = DBTaskResult.objects.get(pk=queued.id)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 42)
    stops = [m for m in seen.messages if m.startswith("Worker stopped by a database error")]
    assert len(stops) == 1, seen.messages
    expected = "database is locked" if connection.vendor == "sqlite" else "canceling statement due to lock timeout"
    assert expected in stops[0]
    assert stops[0].endswith("; starting again in 1 s")
    assert seen.messages[-1].startswith("No more tasks to run for worker_id=")


def test_the_library_worker_alone_dies_on_the_same_lock(seen, short_lock_wait):
    """Why `ocop worker` exists: the plain `db_worker` exits with the error and the task is never run."""
    queued = double.enqueue(n=21)
    with pytest.raises(OperationalError):
        run_worker_under_a_lock("db_worker", released_on=None)  # the lock held until the worker has died
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.READY
