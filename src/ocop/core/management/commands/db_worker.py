"""`ocop db_worker`: django-tasks-db's worker, which first marks the jobs of a worker that died as failed (so they can
be run again) instead of leaving them "running" forever."""

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from ocop.core import jobs


class Command(WorkerCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        reaped = jobs.reap_all()
        if reaped and options.get("verbosity", 1) > 0:
            self.stdout.write(f"{reaped} job(s) of a stopped worker marked as failed; they can be run again.")
        super().handle(*args, **options)
