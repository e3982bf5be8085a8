"""`ocop purge_import_files`: daily, deletes the stored workbooks of imports finished more than OCOP_IMPORT_KEEP_DAYS
days ago (they hold personal data); the jobs stay, saying their file is gone."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ocop.registry.jobs import purge_import_files


class Command(BaseCommand):
    help = "Delete the stored files of imports finished more than OCOP_IMPORT_KEEP_DAYS days ago; safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_import_files()
        self.stdout.write(f"{deleted} import file(s) older than {settings.OCOP_IMPORT_KEEP_DAYS} days deleted")
