"""`ocop notify_expiring`: the daily watch of certificates and vault documents about to end, and the day's signed
checkpoint of the transparency log, and the reminders of a round's submission deadline (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ocop.certificates.notices import run_watch


class Command(BaseCommand):
    help = "Notify producers and their communes of certificates and documents about to end (once per window)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_watch()
        self.stdout.write(f"{result.certificates} certificate(s) and {result.documents} document(s) noticed.")
        if result.reminders:
            self.stdout.write(f"{result.reminders} dossier(s) reminded of their round's deadline.")
        if result.checkpoint is not None:
            self.stdout.write(f"Log checkpoint signed at entry {result.checkpoint}.")
