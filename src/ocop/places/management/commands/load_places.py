from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ocop.core.bulk import analyze
from ocop.places.loader import SuccessionsError, load_places, load_successions


class Command(BaseCommand):
    help = (
        "Load provinces and communes (since 1 July 2025) and the legacy units with their mapping; with --successions, "
        "also the communes merged before 2025 listed in FILE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--successions",
            metavar="FILE",
            type=Path,
            help="CSV (UTF-8) or .xlsx with the columns Tên cũ, Huyện cũ, Mã xã kế thừa, Nghị quyết and optionally "
            "Tỉnh cũ (default: the former provinces of OCOP_DEFAULT_PROVINCE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_places()
        if options["successions"] is not None:
            if not options["successions"].is_file():
                raise CommandError(f"No such file: {options['successions']}")
            try:
                extra = load_successions(options["successions"], default_province_code=settings.OCOP_DEFAULT_PROVINCE)
            except SuccessionsError as exc:
                raise CommandError(str(exc)) from exc
            for name, count in extra.created.items():
                report.add(name, count)
        analyze()  # PostgreSQL's planner counts the units just loaded (core.bulk.analyze)
        for name, count in report.created.items():
            self.stdout.write(f"{name}: {count} added")
        if report.total == 0:
            self.stdout.write("Nothing to add: administrative units are up to date.")
