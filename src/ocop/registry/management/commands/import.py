"""`ocop import KIND FILE [--commit] [--park] [--incomplete create|park] [--choose WORDS=COMMUNE_CODE] [--user NAME]`

A dry run by default. It always ends with one line: `rows: R read, C created, U updated, S unchanged, P parked,
E errors`. Without --park, saving is all or nothing; with --park the good rows are saved and the rest parked in the
review queue (their errors are counted among the parked)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from ocop.accounts.models import User
from ocop.accounts.services import system_user
from ocop.core.bulk import analyze
from ocop.core.cells import whole_digits
from ocop.places.models import Commune
from ocop.registry.importing import ERROR, REVIEW, Choices
from ocop.registry.imports import import_kinds, run_import
from ocop.registry.models import ImportMode, IncompleteRows


class Command(BaseCommand):
    help = (
        "Check an Excel workbook as a dry run; with --commit save it (all rows or none, or with --park the good rows)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=import_kinds())
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="save (all rows or none, unless --park)")
        parser.add_argument("--park", action="store_true", help="save the good rows and park the rest for review")
        parser.add_argument(
            "--incomplete",
            choices=[c.value for c in IncompleteRows],
            default=IncompleteRows.CREATE,
            help="rows without a tax code or commune: create them flagged (default), or park them",
        )
        parser.add_argument(
            "--choose",
            action="append",
            default=[],
            metavar="ROW|WORDS=COMMUNE_CODE",
            help="today's commune for a row's former commune (applies to every row with the same place words)",
        )
        parser.add_argument("--user", help="act as this user (default: the system account)")

    def handle(self, *args: Any, **options: Any) -> None:
        user: User | None = system_user()
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']}")
        mode = ImportMode.PARK if options["park"] else ImportMode.ALL_OR_NOTHING
        rows_chosen, words_chosen = self._choices(options["choose"])
        path = options["file"]
        try:
            open(path, "rb").close()  # a clear message for a missing file, before any work
        except OSError as exc:
            raise CommandError(str(exc)) from exc

        def run(choices: Choices, commit: bool) -> Any:
            try:
                return run_import(
                    options["kind"], path, user=user, commit=commit, choices=choices, mode=mode,
                    incomplete=options["incomplete"],
                )  # fmt: skip
            except PermissionDenied:
                raise CommandError(f"{user.username} may not run the {options['kind']} import") from None

        choices = Choices(places=words_chosen)
        if rows_chosen:
            # A choice given by row number applies to that row's place words, as on the dry-run page.
            first = run(choices, commit=False)
            for choice in first.places:
                for row, commune_id in rows_chosen.items():
                    if row in choice.rows:
                        choices.places[choice.words] = commune_id
        report = run(choices, commit=options["commit"])
        if report.committed:
            analyze()  # PostgreSQL's planner counts the rows just saved (core.bulk.analyze)
        for issue in report.errors:
            where = f"row {issue.row}" if issue.row else "file"
            self.stdout.write(
                f"{where} · {issue.column}: {issue.message}" if issue.column else f"{where}: {issue.message}"
            )
        for choice in report.pending_choices:
            names = "; ".join(f"{name} {code}" for _id, code, name, _s in choice.candidates)
            rows = ", ".join(str(r) for r in choice.rows)
            self.stdout.write(
                f"rows {rows} · “{choice.text}”: choose today's commune (--choose {choice.rows[0]}=CODE): {names}"
            )
        for row in report.rows:
            if row.action == REVIEW and row.similar:
                names = "; ".join(f"{s[1]} ({s[2]}%)" for s in row.similar)
                self.stdout.write(f"row {row.row} · {row.label}: looks like {names}")
        for name, district, rows in report.unknown_places:
            self.stdout.write(f"not in our places data: {name} {district} (rows {', '.join(map(str, rows))})")
        self.stdout.write(report.summary())
        # The command fails when it did not (or, in a dry run, would not) save: a script sees it in the exit code.
        blocked = not report.committed if options["commit"] else not report.can_commit(mode)
        if blocked:
            raise CommandError(
                report.file_error
                or f"nothing saved: {report.count(ERROR)} row(s) with errors, {report.count(REVIEW)} waiting for review"
                " (fix them, or use --park)"
            )

    def _choices(self, items: list[str]) -> tuple[dict[int, int], dict[str, int]]:
        by_row: dict[int, int] = {}
        by_words: dict[str, int] = {}
        for item in items:
            key, _sep, code = item.rpartition("=")
            commune = Commune.objects.filter(code=code.strip()).first()
            if not key.strip() or commune is None:
                raise CommandError(f"--choose {item}: expected ROW=COMMUNE_CODE or WORDS=COMMUNE_CODE")
            row = whole_digits(key)
            if row is not None:
                by_row[row] = commune.pk
            else:
                from ocop.places.address import AddressParser

                by_words[AddressParser(default_province_id=None).parse(key).words or key] = commune.pk
        return by_row, by_words
