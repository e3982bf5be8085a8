from typing import Any

from django.core.management.base import BaseCommand

from ocop.places.loader import load_places


class Command(BaseCommand):
    help = "Load provinces and communes (since 1 July 2025) and the legacy units with their mapping."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_places()
        for name, count in report.created.items():
            self.stdout.write(f"{name}: {count} added")
        if report.total == 0:
            self.stdout.write("Nothing to add: administrative units are up to date.")
