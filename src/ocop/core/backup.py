"""Backups of an installation: the database, the data folders and a manifest that says what a backup holds.

A backup is a folder (docs/deployment.md, "Backup and restore"):

- `database.sqlite3` (SQLite, copied with SQLite's online backup API, consistent while the application writes) or
  `database.pgdump` (PostgreSQL, `pg_dump --format=custom` inside an exported REPEATABLE READ snapshot);
- `files/`: the files of the "default" storage (uploaded files, generated PDFs, workbooks, open-data files): MEDIA_ROOT,
  or, when OCOP_STORAGE_URL names a bucket, its objects read through the storage (all but the QR pages under pages/);
  `keys/`: OCOP_KEYS_DIR (the provinces' private signing keys), unless it lies inside MEDIA_ROOT;
- `manifest.json`, written last: when it was made, the database vendor, the last migration of each app, the rows of
  every table (counted in the dump itself, so they agree with it) and the SHA-256 of every other file.

A restore checks every checksum, and that it can write the data folders, before it touches anything. Stored QR pages
(the "pages" storage) and collected static files are made again from the database and the code, so they are not in a
backup; a restore removes the stored pages.
The files go back the same way they came: into MEDIA_ROOT, or uploaded into the bucket (whose objects not in the
backup are removed), so a backup of a one-machine installation restores into one on object storage, and back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core.storage import stored_names, upload
from ocop.core.storage_settings import PAGES

MANIFEST = "manifest.json"
FORMAT = 1
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Connection settings handed to pg_dump and pg_restore through their environment (a password never on a command line).
PG_ENV = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
PG_OPTION_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (translated) names the file or the reason."""


@dataclass
class Census:
    """What a database holds: rows per table and the last migration of each app."""

    rows: dict[str, int] = field(default_factory=dict)
    migrations: dict[str, str] = field(default_factory=dict)


def data_folders() -> list[tuple[str, Path]]:
    """The local folders a backup copies as they are, by their name inside the backup: MEDIA_ROOT, unless the files
    are in a bucket (`in_bucket`: then `copy_stored_files` reads them), and OCOP_KEYS_DIR unless inside MEDIA_ROOT."""
    media = Path(settings.MEDIA_ROOT).resolve()
    keys = Path(settings.OCOP_KEYS_DIR).resolve()
    folders = [] if in_bucket() else [("files", media)]
    if in_bucket() or not keys.is_relative_to(media):
        folders.append(("keys", keys))
    return folders


# The variable that sets each data folder, named when a restore cannot write the folder.
FOLDER_VARIABLES = {"files": "OCOP_DATA_DIR", "keys": "OCOP_KEYS_DIR"}


def check_writable_folders() -> None:
    """Refuse a restore that could not replace a data folder (BackupError): a read-only one, such as signing keys
    mounted read-only from a secret store, or a path that is not a folder. Called before the restore changes anything,
    so that it does not stop half-way, after the database was replaced."""
    for name, target in data_folders():
        if not _writable_folder(target):
            variable = FOLDER_VARIABLES[name]
            raise BackupError(
                _(
                    "%(path)s (%(variable)s) is not a writable folder, and a restore replaces what it holds: point "
                    "%(variable)s at a writable folder for the restore."
                )
                % {"path": target, "variable": variable}
            )


def _writable_folder(target: Path) -> bool:
    """The folder and every folder under it can be emptied and written into; or, absent, it can be made."""
    if not target.exists():
        parent = target.parent
        while not parent.exists():
            parent = parent.parent
        return parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
    if not target.is_dir():
        return False
    folders = [target, *(p for p in target.rglob("*") if p.is_dir() and not p.is_symlink())]
    return all(os.access(p, os.W_OK | os.X_OK) for p in folders)


# ---- the files in a bucket --------------------------------------------------------------------------------------


def in_bucket() -> bool:
    """The files are in object storage (OCOP_STORAGE_URL), not in MEDIA_ROOT."""
    return not isinstance(storages["default"], FileSystemStorage)


def bucket_address() -> str:
    """The bucket the files are in, as s3://bucket/prefix (no endpoint, no key): where a backup's files came from."""
    where = storages["default"]
    return "s3://" + "/".join(p for p in (getattr(where, "bucket_name", ""), getattr(where, "location", "")) if p)


def _backed_up(name: str) -> bool:
    return not name.startswith(f"{PAGES}/")  # the QR pages share the bucket; they are made again, never backed up


def copy_stored_files(target: Path) -> int:
    """Every file of the bucket but the QR pages, read through the storage into `target`; returns how many."""
    where = storages["default"]
    target.mkdir()
    count = 0
    for name in stored_names(where):
        if not _backed_up(name):
            continue
        path = target / name
        if not path.resolve().is_relative_to(target.resolve()):
            raise BackupError(_("The stored file %(file)s has a name outside the folder.") % {"file": name})
        path.parent.mkdir(parents=True, exist_ok=True)
        with where.open(name, "rb") as fh, path.open("wb") as out:
            shutil.copyfileobj(fh, out, CHUNK)
        count += 1
    return count


def put_stored_files(source: Path) -> None:
    """Make the bucket hold exactly the files of `source` (a backup's checked files/): each uploaded under its own
    name, then every other object but the QR pages removed."""
    where: Storage = storages["default"]
    kept = set()
    for path in files_under(source) if source.is_dir() else []:
        name = path.relative_to(source).as_posix()
        with path.open("rb") as fh:
            upload(where, name, fh)
        kept.add(name)
    for name in stored_names(where):
        if name not in kept and _backed_up(name):
            where.delete(name)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def files_under(root: Path) -> list[Path]:
    """Every regular file under root, in a stable order."""
    return sorted(p for p in root.rglob("*") if p.is_file())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def count_rows(cursor: Any, tables: Iterable[str]) -> Census:
    census = Census()
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # a table name read from the database
        census.rows[table] = cursor.fetchone()[0]
    if "django_migrations" in census.rows:
        cursor.execute("SELECT app, MAX(name) FROM django_migrations GROUP BY app ORDER BY app")
        census.migrations = dict(cursor.fetchall())
    return census


def vendor() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(
            _("A %(vendor)s database cannot be backed up or restored: only SQLite and PostgreSQL are supported.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


# ---- the database ---------------------------------------------------------------------------------------------


def dump_database(dest: Path) -> Census:
    """Write the database to dest; the census is taken of what was written."""
    if vendor() == "sqlite":
        return _dump_sqlite(dest)
    return _dump_postgresql(dest)


def _outside_transaction() -> None:
    if connection.in_atomic_block:
        raise BackupError(_("A backup or a restore must run outside a transaction."))
    connection.ensure_connection()


def _sqlite_refused(exc: sqlite3.Error) -> BackupError:
    return BackupError(_("SQLite refused the copy (%(error)s); the database was left as it was.") % {"error": exc})


def _dump_sqlite(dest: Path) -> Census:
    _outside_transaction()
    copy = sqlite3.connect(dest)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file: no -wal beside it
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
        return count_rows(cursor, [row[0] for row in cursor.fetchall()])
    except sqlite3.Error as exc:
        raise _sqlite_refused(exc) from exc
    finally:
        copy.close()


def _dump_postgresql(dest: Path) -> Census:
    _outside_transaction()
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump reads the snapshot this transaction exported, so the counts below are of exactly what it wrote.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run_pg("pg_dump", ["--format=custom", f"--file={dest}", f"--snapshot={snapshot}", _database_name()])
        return count_rows(cursor, connection.introspection.table_names(cursor))


def restore_database(dump: Path) -> None:
    """Replace the configured database with the dump (the caller checked the dump's checksum)."""
    _outside_transaction()
    if vendor() == "sqlite":
        # A page-by-page copy into the live connection: an application still writing makes it wait (busy_timeout),
        # then fail as "database is locked", leaving the file as it was.
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        except sqlite3.Error as exc:
            raise _sqlite_refused(exc) from exc
        finally:
            source.close()
    else:
        connection.close()  # no lock of ours stands in the way of pg_restore's DROP TABLE
        _run_pg(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={_database_name()}", str(dump)],
        )
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _database_name() -> str:
    return str(connection.settings_dict["NAME"])


def _pg_environment() -> dict[str, str]:
    env = dict(os.environ, PGAPPNAME="ocop-backup")
    options = connection.settings_dict.get("OPTIONS") or {}
    for key, var in PG_ENV.items():
        if connection.settings_dict.get(key):
            env[var] = str(connection.settings_dict[key])
    for key, var in PG_OPTION_ENV.items():
        if options.get(key):
            env[var] = str(options[key])
    return env


def _run_pg(tool: str, arguments: list[str]) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(_("%(tool)s is not installed (the PostgreSQL client tools).") % {"tool": tool})
    done = subprocess.run(  # noqa: S603  # our own arguments, no shell
        [program, "--no-password", *arguments], env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed (exit status %(code)s); the database was left as it was: %(error)s")
            % {"tool": tool, "code": done.returncode, "error": done.stderr.strip()}
        )


def live_census(tables: Iterable[str]) -> Census:
    with connection.cursor() as cursor:
        return count_rows(cursor, tables)


def occupied_table() -> str | None:
    """The first table of the project's apps (ocop.*) that holds a row, if any."""
    existing = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.app_config.name.startswith("ocop.") or not meta.managed or meta.proxy:
            continue
        if meta.db_table in existing and model._base_manager.exists():
            return meta.db_table
    return None


# ---- the backup folder ----------------------------------------------------------------------------------------


def write_manifest(folder: Path, *, vendor_name: str, census: Census, sources: dict[str, str]) -> dict[str, Any]:
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": vendor_name,
        "database": DUMPS[vendor_name],
        "folders": sources,
        "migrations": census.migrations,
        "rows": census.rows,
        "files": {p.relative_to(folder).as_posix(): sha256(p) for p in files_under(folder) if p.name != MANIFEST},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a backup folder, after every file was checked against it: else BackupError naming the file."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(dir)s holds no %(manifest)s: it is not a backup, or its backup did not finish.")
            % {"dir": folder, "manifest": MANIFEST}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files: dict[str, str] = manifest["files"]
        if manifest["format"] != FORMAT or manifest["vendor"] not in DUMPS:
            raise ValueError(f"format {manifest['format']}, vendor {manifest['vendor']}")
        dt.datetime.fromisoformat(manifest["created_at"])
        if not all(isinstance(manifest[key], dict) for key in ("files", "rows", "migrations")):
            raise TypeError("files, rows and migrations must be objects")
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(_("%(file)s is not a backup manifest (%(error)s).") % {"file": path, "error": exc}) from exc
    root = folder.resolve()
    present = {p.relative_to(folder).as_posix() for p in files_under(folder) if p.name != MANIFEST}
    for name, digest in sorted(files.items()):
        path = folder / name
        if not path.resolve().is_relative_to(root) or not path.is_file():
            raise BackupError(_("The backup is incomplete: %(file)s is missing.") % {"file": path})
        if sha256(path) != digest:
            raise BackupError(
                _("The backup is damaged: %(file)s differs from its checksum in the manifest.") % {"file": path}
            )
    extra = sorted(present - set(files))
    if extra:
        raise BackupError(
            _("The backup holds a file its manifest does not list: %(file)s.") % {"file": folder / extra[0]}
        )
    if DUMPS[manifest["vendor"]] not in files:
        raise BackupError(
            _("The backup is incomplete: %(file)s is missing.") % {"file": folder / DUMPS[manifest["vendor"]]}
        )
    return manifest


def copy_folder(source: Path, target: Path) -> None:
    """Copy a data folder into the backup (an absent one is an empty one)."""
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir()


def replace_folder(source: Path, target: Path) -> None:
    """Make target hold exactly what source holds (file modes kept: the keys stay 0600). Emptied in place rather than
    renamed, so a target that is a mount point or a symbolic link stays one."""
    empty_folder(target)
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)


def clear_page_cache() -> None:
    """The stored QR pages may show a state newer than the restored database; requests make them again."""
    pages = storages["pages"]
    if not isinstance(pages, FileSystemStorage):
        for name in stored_names(pages):
            pages.delete(name)
    elif settings.OCOP_PAGE_CACHE_DIR and Path(settings.OCOP_PAGE_CACHE_DIR).is_dir():
        empty_folder(Path(settings.OCOP_PAGE_CACHE_DIR))


def empty_folder(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
