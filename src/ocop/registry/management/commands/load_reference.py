from typing import Any

from django.core.management.base import BaseCommand

from ocop.registry.reference import load_classification


class Command(BaseCommand):
    help = "Load the product groups and product sets (reference data)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"product groups and sets: {load_classification()} added")
