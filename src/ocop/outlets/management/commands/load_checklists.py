"""`ocop load_checklists`: the outlet checklists shipped with OCOP Hub (950/QĐ-BCT, 6385/QĐ-UBND)."""

from typing import Any

from django.core.management.base import BaseCommand

from ocop.outlets.checklists import load_checklists


class Command(BaseCommand):
    help = "Load the outlet checklists shipped with OCOP Hub; versions already present are left as they are."

    def handle(self, *args: Any, **options: Any) -> None:
        for code, created in load_checklists():
            self.stdout.write(f"{code}: {'loaded' if created else 'already present'}")
