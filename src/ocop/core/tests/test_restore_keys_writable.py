"""`ocop restore` refuses, before it changes anything, a keys folder it could not write (OCOP_KEYS_DIR mounted
read-only from a secret store, or not a folder at all): before, it replaced the database and then stopped half-way.
Transactional, as the other backup tests (ocop/certificates/tests/test_backup.py): SQLite's backup API needs the
connection outside a transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from ocop.core import backup
from ocop.testing_commands import run_command

pytestmark = pytest.mark.django_db(transaction=True)


def state() -> tuple[Any, ...]:
    """What a refused restore must leave as it was: the rows, the stored files and the keys."""
    files = sorted(p.relative_to(settings.MEDIA_ROOT).as_posix() for p in Path(settings.MEDIA_ROOT).rglob("*"))
    keys = Path(settings.OCOP_KEYS_DIR)
    return (
        sorted(get_user_model().objects.values_list("username", flat=True)),
        files,
        sorted((p.name, p.read_bytes()) for p in keys.iterdir()) if keys.is_dir() else keys.read_bytes(),
    )


@pytest.fixture
def made(tmp_path: Path) -> Path:
    """An installation with a user, a stored file and a signing key file, backed up into tmp_path/backup; then a
    user added, so that a restore would change the database."""
    get_user_model().objects.create_user(username="truoc-sao-luu")
    media, keys = Path(settings.MEDIA_ROOT), Path(settings.OCOP_KEYS_DIR)
    media.mkdir(parents=True, exist_ok=True)
    (media / "note.txt").write_text("stored")
    keys.mkdir(mode=0o700)
    (keys / "01a1b2c3.key").write_text("private half")
    code, output = run_command("backup", str(tmp_path / "backup"))
    assert code == 0, output
    get_user_model().objects.create_user(username="sau-sao-luu")
    return tmp_path / "backup"


def refused(folder: Path, keys: Path) -> None:
    before = state()
    code, output = run_command("restore", str(folder), "--force")
    assert (code, state()) == (1, before)
    assert output.endswith(
        f"{keys} (OCOP_KEYS_DIR) không phải là thư mục ghi được, mà lệnh khôi phục phải thay những gì trong đó: hãy "
        "đặt OCOP_KEYS_DIR là một thư mục ghi được trong lúc khôi phục. Không có gì thay đổi."
    )
    assert "Đang khôi phục CSDL" not in output  # refused before the database


def test_a_keys_path_that_is_not_a_folder_is_refused_before_anything_changes(made: Path, settings: Any) -> None:
    # What a restore as root meets too: the keys variable set to a file (a secret store's single file, a typo).
    keys = Path(settings.OCOP_KEYS_DIR).parent / "keys.env"
    keys.write_text("OCOP_SIGNING_KEY_01a1b2c3=private half\n")
    settings.OCOP_KEYS_DIR = keys
    refused(made, keys)


def test_a_keys_folder_not_made_yet_is_writable_when_its_parent_is(tmp_path: Path, settings: Any) -> None:
    settings.OCOP_KEYS_DIR = tmp_path / "restored" / "keys"  # the restore makes it
    backup.check_writable_folders()
    file = tmp_path / "a-file"
    file.write_text("")
    settings.OCOP_KEYS_DIR = file / "keys"  # under a file: it cannot be made
    with pytest.raises(backup.BackupError, match="OCOP_KEYS_DIR"):
        backup.check_writable_folders()
