"""`ocop import producers|products|criteria FILE.xlsx [--commit] [--choose ROW=COMMUNE_CODE ...] [--user NAME]`"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ocop.accounts.models import User
from ocop.accounts.services import system_user
from ocop.places.models import Commune
from ocop.registry.imports import import_kinds, run_import


class Command(BaseCommand):
    help = "Check an Excel workbook (producers, products, criteria) as a dry run; with --commit, save all rows or none."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=import_kinds())
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="save when every row is good")
        parser.add_argument(
            "--choose",
            action="append",
            default=[],
            metavar="ROW=COMMUNE_CODE",
            help="today's commune for a row whose former commune was split",
        )
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args: Any, **options: Any) -> None:
        user: User | None = system_user()
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']}")
        choices: dict[int, int] = {}
        for item in options["choose"]:
            row, _sep, code = item.partition("=")
            commune = Commune.objects.filter(code=code.strip()).first()
            if not row.strip().isdigit() or commune is None:
                raise CommandError(f"--choose {item}: expected ROW=COMMUNE_CODE")
            choices[int(row)] = commune.pk
        try:
            with open(options["file"], "rb") as fh:
                report = run_import(options["kind"], fh, user=user, commit=options["commit"], choices=choices)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        for issue in report.errors:
            self.stdout.write(f"row {issue.row} · {issue.column}: {issue.message}")
        for choice in report.pending_choices:
            options_text = "; ".join(f"{name} (--choose {choice.row}=<code>)" for _id, name, _d in choice.candidates)
            self.stdout.write(f"row {choice.row} · {choice.legacy} was split: choose one of {options_text}")
        if report.committed:
            self.stdout.write(f"{report.created} {report.kind} imported.")
        elif report.ok:
            self.stdout.write(f"{report.total} rows are good. Run again with --commit to save them.")
        else:
            raise CommandError(
                f"{report.error_rows} bad row(s), {len(report.pending_choices)} row(s) need a choice; nothing saved."
            )
