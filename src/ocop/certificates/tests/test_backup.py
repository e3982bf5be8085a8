"""`ocop backup` and `ocop restore` (ocop.core.backup): a round trip with a certificate, its log entries, a signing key
and a stored document; and the refusals that leave everything as it was. Transactional: pg_restore runs in another
process and must see committed data, and SQLite's backup API needs the connection outside a transaction."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from ocop.certificates.models import Certificate, LogEntry, SigningKey
from ocop.certificates.tests.conftest import issue
from ocop.registry.models import Document, Producer
from ocop.testing import make_document, make_producer
from ocop.testing_commands import run_command

pytestmark = pytest.mark.django_db(transaction=True)


def digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def counts(tables: Any) -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            found[table] = cursor.fetchone()[0]
    return found


def state() -> tuple[Any, ...]:
    """What a refused restore must leave as it was: the rows, the stored files and the keys."""
    return (
        sorted(Producer.objects.values_list("name", flat=True)),
        Document.objects.count(),
        digests(Path(settings.MEDIA_ROOT)),
        digests(Path(settings.OCOP_KEYS_DIR)),
    )


@pytest.fixture
def made(reference_data: Any, office: Any, tmp_path: Path) -> dict[str, Any]:
    """An installation with a certificate (its log entries, its province's signing key) and a stored document,
    backed up into tmp_path/backup."""
    certificate = issue(office)
    document = make_document(producer=office.producer)
    code, output = run_command("backup", str(tmp_path / "backup"))
    assert code == 0, output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    return {"certificate": certificate, "document": document, "dir": tmp_path / "backup", "manifest": manifest}


def test_a_restore_brings_back_the_rows_files_and_keys_of_the_backup(made: dict[str, Any]) -> None:
    manifest, document, folder = made["manifest"], made["document"], made["dir"]
    media, keys = Path(settings.MEDIA_ROOT), Path(settings.OCOP_KEYS_DIR)
    # The manifest: the vendor, counts of exactly what was there, the migration state, a checksum per file.
    dump = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]
    assert manifest["vendor"] == connection.vendor
    rows = manifest["rows"]
    assert (rows["certificates_certificate"], rows["certificates_signingkey"], rows["registry_document"]) == (1, 1, 1)
    assert rows["certificates_logentry"] == LogEntry.objects.count() >= 1
    assert rows == counts(rows)
    latest = max(name for app, name in MigrationLoader(connection).disk_migrations if app == "certificates")
    assert manifest["migrations"]["certificates"] == latest
    key_file = f"keys/{SigningKey.objects.get().key_id}.key"
    stored = {f"files/{name}": digest for name, digest in digests(media).items()} | {
        f"keys/{name}": digest for name, digest in digests(keys).items()
    }
    assert f"files/{document.file.name}" in stored and key_file in stored
    assert manifest["files"] == stored | {dump: hashlib.sha256((folder / dump).read_bytes()).hexdigest()}

    # Then the data changes: a row deleted, a row added, a stored file rewritten, the key lost.
    Path(document.file.path).write_bytes(b"%PDF-1.4 rewritten")
    Document.objects.filter(pk=document.pk).delete()
    make_producer(name="HTX Đến sau")
    for key in keys.iterdir():
        key.unlink()

    code, output = run_command("restore", str(folder), "--force")

    assert code == 0, output
    assert counts(rows) == rows
    assert {f"files/{n}": d for n, d in digests(media).items()} | {
        f"keys/{n}": d for n, d in digests(keys).items()
    } == (stored)
    assert not Producer.objects.filter(name="HTX Đến sau").exists()
    assert Document.objects.get().pk == document.pk
    assert Certificate.objects.get().number == made["certificate"].number
    assert make_producer(name="HTX Sau khôi phục").pk > made["certificate"].item.product.producer_id  # sequences too
    if connection.vendor == "postgresql":  # the log's append-only guard came back with its table
        with connection.cursor() as cursor:
            cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'certificates_logentry_append_only'")
            assert cursor.fetchall() == [("O",)]
    assert f"Số dòng khớp với bản sao lưu: {len(rows)} bảng, {sum(rows.values())} dòng." in output
    entries = rows["certificates_logentry"]
    assert (
        f"verify-log: Nhật ký minh bạch nguyên vẹn và khớp với các giấy chứng nhận: {entries} mục." in output
        and f"Đã khôi phục từ {folder}." in output
    )


def test_a_restore_refuses_a_database_with_data_and_a_damaged_backup_and_changes_nothing(
    made: dict[str, Any], tmp_path: Path
) -> None:
    folder = made["dir"]
    make_producer(name="HTX Đến sau")
    Path(made["document"].file.path).write_bytes(b"%PDF-1.4 rewritten")
    before = state()

    code, output = run_command("restore", str(folder))
    assert (code, state()) == (1, before)
    assert output.endswith("thêm --force để thay thế. Không có gì thay đổi.")

    # One byte changed in a stored file of the backup: refused before anything, naming the file, even with --force.
    damaged = folder / "files" / made["document"].file.name
    damaged.write_bytes(damaged.read_bytes() + b" ")
    code, output = run_command("restore", str(folder), "--force")
    assert (code, state()) == (1, before)
    assert output == (
        f"Bản sao lưu bị hỏng: tệp {damaged} không khớp mã kiểm tra (SHA-256) trong tệp kê khai. Không có gì thay đổi."
    )

    # A backup never goes into a folder that holds something.
    code, output = run_command("backup", str(folder))
    assert (code, output) == (1, f"Thư mục {folder} không trống: hãy chọn thư mục mới hoặc trống cho bản sao lưu.")
    assert json.loads((folder / "manifest.json").read_text()) == made["manifest"]
