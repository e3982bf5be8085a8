"""`ocop build_scan_pages`: the day's copies of the QR pages, for nginx to serve (run just after midnight)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from ocop.public.scanpage import build_day


class Command(BaseCommand):
    help = "Make today's stored copies of every certificate's QR page (docs/deployment.md); safe to run any time."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        count = build_day()
        self.stdout.write(f"{count} QR pages stored in {time.monotonic() - started:.1f} s.")
