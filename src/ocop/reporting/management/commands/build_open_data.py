"""`ocop build_open_data`: rebuild the open data files now (/open-data/), as the task worker does after a change and
at midnight; from cron just after midnight too, so a day's statuses are out even if the worker was down then."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from ocop.reporting.opendata import write_register


class Command(BaseCommand):
    help = "Rebuild the open data files (certificates, products, sales points, checkpoints) now."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        meta = write_register()
        self.stdout.write(
            f"{meta['count']} certificate(s), {meta['products']} product(s), {meta['outlets']} sales point(s) "
            f"written in {time.monotonic() - started:.1f} s."
        )
