"""`ocop load_criteria`: the criteria catalogues shipped with OCOP Hub (historical 1048 data, the demo 148 sheet)."""

from typing import Any

from django.core.management.base import BaseCommand

from ocop.evaluation.catalogue import load_reference_criteria


class Command(BaseCommand):
    help = "Load the criteria catalogues shipped with OCOP Hub; versions already present are left as they are."

    def handle(self, *args: Any, **options: Any) -> None:
        for code, created in load_reference_criteria():
            self.stdout.write(f"{code}: {'loaded' if created else 'already present'}")
