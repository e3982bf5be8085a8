"""`ocop sweep_outlets`: daily, removal tasks for products on a shelf whose certificate expired (once each)."""

from typing import Any

from django.core.management.base import BaseCommand

from ocop.outlets.stock import sweep


class Command(BaseCommand):
    help = "Raise removal tasks for products on outlet shelves whose certificate has expired; safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{sweep()} removal tasks raised")
