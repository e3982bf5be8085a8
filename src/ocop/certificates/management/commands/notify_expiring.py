"""`ocop notify_expiring`: tell producers and communes about certificates entering their last days (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ocop.certificates.notices import send_expiry_notices


class Command(BaseCommand):
    help = "E-mail producers and their communes about certificates that entered their last days (once each)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_expiry_notices()} certificate(s) noticed.")
