"""`ocop restore DIR [--force]`: put back a backup made by `ocop backup` (see ocop.core.backup).

In this order: every file of the backup is checked against the manifest's SHA-256 (a damaged, missing or unlisted file
stops the restore, named, before anything is touched), and so does a data folder it could not write (signing keys
mounted read-only: OCOP_KEYS_DIR must point at a writable folder for the restore); a database with any row in the
project's tables is refused unless --force; the database is replaced (SQLite: the online backup API into the
configured file; PostgreSQL: `pg_restore --clean --if-exists --no-owner` in one transaction), then the files (into
MEDIA_ROOT, or uploaded into the bucket of OCOP_STORAGE_URL) and the data folders (signing keys included), and the
stored QR pages are removed; the row counts are compared with the manifest's, and `ocop verify-log` is run. Exit
status 1 when anything differs. Stop the application and the worker first."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from ocop.core import backup


class Command(BaseCommand):
    # A backup or a restore is what one reaches for when something is wrong: no unrelated system check stops it.
    requires_system_checks: list[str] = []
    help = (
        "Restore a backup made by `ocop backup`: check its checksums, replace the database and the data folders, "
        "compare the row counts and run `ocop verify-log`. A database that holds data is replaced only with --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", help="the backup folder (the one `ocop backup` wrote)")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds data")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["dir"]).absolute()
        nothing = " " + _("Nothing was changed.")
        try:
            manifest = backup.read_manifest(folder)
            if manifest["vendor"] != backup.vendor():
                raise backup.BackupError(
                    _("This is a backup of a %(backup)s database; the configured database is %(ours)s.")
                    % {"backup": manifest["vendor"], "ours": connection.vendor}
                )
            backup.check_writable_folders()  # not half-way, after the database was replaced
        except backup.BackupError as exc:
            raise CommandError(str(exc) + nothing) from exc
        self.stdout.write(
            _("The backup of %(at)s is whole: %(n)s file(s) match their checksums.")
            % {"at": manifest["created_at"], "n": len(manifest["files"])}
        )
        occupied = backup.occupied_table()
        if occupied and not options["force"]:
            raise CommandError(
                _("The database is not empty (%(table)s has rows): add --force to replace it.") % {"table": occupied}
                + nothing
            )
        self.stdout.write(_("Restoring the database (%(vendor)s)…") % {"vendor": manifest["vendor"]})
        try:
            backup.restore_database(folder / manifest["database"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if backup.in_bucket():
            self.stdout.write(_("Restoring the files into %(where)s…") % {"where": backup.bucket_address()})
            backup.put_stored_files(folder / "files")
        for name, target in backup.data_folders():
            self.stdout.write(_("Restoring the data folder %(path)s…") % {"path": target})
            backup.replace_folder(folder / name, target)
        backup.clear_page_cache()
        failures = self._compare_rows(manifest["rows"])
        self._note_migrations()
        failures += self._verify_log()
        if failures:
            raise CommandError(" ".join(failures))
        self.stdout.write(self.style.SUCCESS(_("Restored from %(dir)s.") % {"dir": folder}))

    def _compare_rows(self, expected: dict[str, int]) -> list[str]:
        found = backup.live_census(expected).rows
        differ = [f"{table}: {n} ≠ {found[table]}" for table, n in expected.items() if found[table] != n]
        if differ:
            message = _("The row counts differ from the backup's (backup ≠ restored): %(tables)s.") % {
                "tables": "; ".join(differ)
            }
            self.stderr.write(message)
            return [message]
        self.stdout.write(
            _("The row counts match the backup's: %(tables)s tables, %(rows)s rows.")
            % {"tables": len(expected), "rows": sum(expected.values())}
        )
        return []

    def _note_migrations(self) -> None:
        executor = MigrationExecutor(connection)
        missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    _("The restored database lacks %(n)s migration(s) of this version: run `ocop migrate`.")
                    % {"n": len(missing)}
                )
            )

    def _verify_log(self) -> list[str]:
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("verify_log", stdout=out, stderr=err)
        except CommandError as exc:
            for line in err.getvalue().splitlines():
                self.stderr.write(line)
            message = _("ocop verify-log found a problem: %(error)s") % {"error": exc}
            self.stderr.write(message)
            return [message]
        self.stdout.write("verify-log: " + out.getvalue().strip())
        return []
