"""`ocop db_worker`: django-tasks-db's worker, which first marks the jobs of a worker that died as failed (so they can
be run again) instead of leaving them "running" forever. `ocop worker` (worker.py) is the one to run: the same, and it
is started again after a database error."""

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from ocop.core import jobs


class Command(WorkerCommand):
    def reap(self, verbosity: int) -> None:
        reaped = jobs.reap_all()
        if reaped and verbosity > 0:
            self.stdout.write(f"{reaped} job(s) of a stopped worker marked as failed; they can be run again.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.reap(options.get("verbosity", 1))
        super().handle(*args, **options)
