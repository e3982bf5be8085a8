"""`ocop worker`: the background worker to run (`make run`, the systemd unit in docs/deployment.md).

It is `ocop db_worker` (django-tasks-db's worker, after marking a dead worker's jobs as failed) that does not die on a
database error. The library's loop only tolerates a lock met while picking a task; a lock met opening its exclusive
transaction (SQLite: another write held longer than the busy timeout), a lock timeout or a dropped connection
(PostgreSQL) raise OperationalError out of `Worker.run`, and the plain `db_worker` exits for good: open data and
e-mails then silently stop. Here the same Worker object is run again after such an error, once its connections are
closed, after a pause doubling from FIRST_PAUSE up to MAX_PAUSE. SIGTERM and SIGINT stop it as they stop the
library's worker (after the task under way, or at once while it waits). Any other exception still stops it: the
service manager (systemd's Restart=always) is the outer guard.

Before taking tasks (and after each new start) it runs the apps' start-up jobs (core.worker_jobs: e.g. the JWS of
certificates signed before it existed, queued now and then each midnight)."""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Worker, logger

from ocop.core import worker_jobs
from ocop.core.management.commands.db_worker import Command as DbWorkerCommand

FIRST_PAUSE = 1.0  # seconds before the first new start after a database error
MAX_PAUSE = 60.0  # the pause doubles after each error in a row, up to this
STEADY = 300.0  # a run this long was not "in a row": the next error waits FIRST_PAUSE again


class SteadyWorker(Worker):
    def run(self) -> None:
        pause = FIRST_PAUSE
        while True:
            started = time.monotonic()
            try:
                worker_jobs.run_at_start()  # the apps' start-up jobs (quick, idempotent), again after an error
                super().run()
                return  # --batch done, --max-tasks reached, or asked to stop
            except OperationalError as error:
                if not self.running:
                    return
                if time.monotonic() - started >= STEADY:
                    pause = FIRST_PAUSE
                logger.warning("Worker stopped by a database error (%s); starting again in %g s", error, pause)
                connections.close_all()
                time.sleep(pause)  # a signal meanwhile exits here (Worker.shutdown: no task running)
                pause = min(pause * 2, MAX_PAUSE)


class Command(DbWorkerCommand):
    help = "Run the background worker, started again after a database error (locked database, lost connection)"

    def configure_logging(self, verbosity: int) -> None:
        """The start-up jobs' and their tasks' lines (core.worker_jobs.log) shown as the worker's own."""
        super().configure_logging(verbosity)
        worker_jobs.log.setLevel(logger.level)

    def handle(self, *args: Any, **options: Any) -> None:
        self.reap(options.get("verbosity", 1))
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = SteadyWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process runs the worker
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
