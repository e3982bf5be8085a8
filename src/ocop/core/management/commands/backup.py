"""`ocop backup DIR`: the database, the data folders (uploaded files, generated PDFs, signing keys; the files read from
the bucket when OCOP_STORAGE_URL names one) and a manifest of
row counts and checksums, written into DIR (see ocop.core.backup). DIR is made, mode 0700: a backup holds personal data
and private keys. A DIR that already holds anything is refused, whatever it holds: each backup gets a folder of its own
(a dated name), so a backup never mixes with another or with a half-finished one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ocop.core import backup


class Command(BaseCommand):
    # A backup or a restore is what one reaches for when something is wrong: no unrelated system check stops it.
    requires_system_checks: list[str] = []
    help = (
        "Back up the database (SQLite online backup or pg_dump), the data folders (uploaded files, PDFs, signing "
        "keys) and a manifest of row counts and SHA-256 checksums into DIR, a new or empty folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", help="the folder to write the backup into (made if absent; must be empty)")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["dir"]).absolute()
        folders = backup.data_folders()
        try:
            vendor = backup.vendor()
            self._prepare(folder, folders)
            self.stdout.write(_("Copying the database (%(vendor)s)…") % {"vendor": vendor})
            dump = folder / backup.DUMPS[vendor]
            census = backup.dump_database(dump)
            sources = {name: str(path) for name, path in folders}
            if backup.in_bucket():  # the files in object storage, read through it (docs/deployment.md)
                sources["files"] = backup.bucket_address()
                self.stdout.write(_("Copying the files from %(where)s…") % {"where": sources["files"]})
                backup.copy_stored_files(folder / "files")
            for name, source in folders:
                self.stdout.write(_("Copying the data folder %(path)s…") % {"path": source})
                backup.copy_folder(source, folder / name)
            manifest = backup.write_manifest(folder, vendor_name=vendor, census=census, sources=sources)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup written to %(dir)s: the database (%(size)s, %(tables)s tables, %(rows)s rows) and "
                    "%(files)s file(s) of the data folders, each with its SHA-256 in %(manifest)s."
                )
                % {
                    "dir": folder,
                    "size": filesizeformat(dump.stat().st_size),
                    "tables": len(census.rows),
                    "rows": sum(census.rows.values()),
                    "files": len(manifest["files"]) - 1,
                    "manifest": backup.MANIFEST,
                }
            )
        )

    def _prepare(self, folder: Path, folders: list[tuple[str, Path]]) -> None:
        for _name, source in folders:
            if folder.resolve().is_relative_to(source):
                raise backup.BackupError(
                    _("%(dir)s lies inside the data folder %(path)s: choose a folder outside it.")
                    % {"dir": folder, "path": source}
                )
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise backup.BackupError(
                _("%(dir)s is not empty: give a new or empty folder for the backup.") % {"dir": folder}
            )
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
