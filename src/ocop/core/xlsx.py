"""Reading uploaded .xlsx workbooks safely: in a child process with limits (see ocop.core.xlsxchild).

A hostile or broken workbook can make a reader allocate hundreds of GiB and abort the process; only the child
can die that way. The web process gets the cells back, or an ExcelError whose message tells the user what to do.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ocop.core.xlsxchild import sniff

logger = logging.getLogger(__name__)

CHILD_MODULE = "ocop.core.xlsxchild"
_SOURCE_DIR = str(Path(__file__).resolve().parents[2])  # the folder holding the ocop package


class ExcelError(ValueError):
    """The file is not a readable .xlsx workbook, or lacks the expected columns."""


@dataclass(frozen=True)
class RawSheet:
    """A sheet as read: its name, its rows from row 1 (cut to the last row and column holding a value) and its
    merged ranges ("A1:C1")."""

    name: str
    rows: list[list[Any]]
    merged: list[str]


WAIT_BEAT_SECONDS = 5.0  # how often a reader's `on_wait` is called while the child works
_on_wait: ContextVar[Callable[[], None] | None] = ContextVar("ocop_xlsx_on_wait", default=None)


def _limits() -> dict[str, int]:
    part = settings.OCOP_IMPORT_MAX_PART_BYTES
    return {
        "max_rows": settings.OCOP_IMPORT_MAX_ROWS,
        "max_columns": settings.OCOP_IMPORT_MAX_COLUMNS,
        "max_part_bytes": part,
        # One read inflates at most two parts' worth: a big sheet and its shared strings, not the same part again
        # and again (a relationship list naming one 99 MB part 400 times), nor a thousand parts just under the limit.
        "max_total_bytes": 2 * part,
        # No more text in the cells returned than one part may hold: a 32,767-character shared string referenced
        # by every cell would otherwise hand the parent gigabytes.
        "max_text_bytes": part,
        "memory_mb": settings.OCOP_IMPORT_MEMORY_MB,
    }


@contextmanager
def waiting(on_wait: Callable[[], None]) -> Iterator[None]:
    """Within the block, every read calls `on_wait` before it starts, every WAIT_BEAT_SECONDS while the child works,
    and when it ends: a job's heartbeat, without passing it through every importer. If `on_wait` raises, the child
    is killed and the exception goes on."""
    token = _on_wait.set(on_wait)
    try:
        yield
    finally:
        _on_wait.reset(token)


def read_workbook(
    path: str,
    sheets: Sequence[str | None],
    stats: dict[str, int] | None = None,
    *,
    optional: Collection[str] = (),
    on_wait: Callable[[], None] | None = None,
    every: float | None = None,
) -> dict[str | None, RawSheet]:
    """Read the named sheets (None: the first sheet) of the workbook at `path` in a child process.

    Raises ExcelError, with a message for the user, for anything that is not a readable .xlsx within the limits
    (OCOP_IMPORT_MAX_ROWS, OCOP_IMPORT_MAX_COLUMNS, OCOP_IMPORT_MAX_PART_MB, OCOP_IMPORT_MEMORY_MB,
    OCOP_IMPORT_TIMEOUT_SECONDS). Sheets named in `optional` may be missing: they are left out of the answer.
    `on_wait` (default: the one `waiting()` set) is called before, every `every` seconds (default
    WAIT_BEAT_SECONDS) during, and after the read. `stats`, when given, receives the child's peak memory
    ("peak_kb"), for the benchmarks.
    """
    limits = _limits()
    request = {
        "path": path,
        "sheets": list(sheets),
        "optional": [name for name in optional if name in sheets],
        "parent_pid": os.getpid(),
        **limits,
    }
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_SOURCE_DIR, os.environ.get("PYTHONPATH")]))}
    timeout = settings.OCOP_IMPORT_TIMEOUT_SECONDS
    beat = on_wait or _on_wait.get() or (lambda: None)
    beat()
    every = WAIT_BEAT_SECONDS if every is None else every
    stdout, stderr, returncode = _run_child(pickle.dumps(request), env=env, timeout=timeout, beat=beat, every=every)
    if returncode is None:  # past its time: killed
        raise ExcelError(_message("timeout", {"seconds": timeout}, limits))
    beat()
    if returncode < 0:  # killed by a signal: a Rust abort on a failed allocation, or the kernel's OOM killer
        raise ExcelError(_message("memory", {}, limits))
    try:
        answer = pickle.loads(stdout)  # noqa: S301  # written by our own child process
    except Exception as exc:  # nothing (or half an answer) came back
        text = stderr.decode("utf-8", "replace")
        code = "memory" if "MemoryError" in text else "unreadable"
        logger.warning("Workbook reader exited %s on %s: %s", returncode, path, text[-2000:])
        raise ExcelError(_message(code, {}, limits)) from exc
    if stats is not None:
        stats["peak_kb"] = answer.get("peak_kb", 0)
    if "error" in answer:
        if answer["error"] == "unreadable" and answer["args"].get("detail"):
            logger.info("Unreadable workbook %s: %s", path, answer["args"]["detail"])
        raise ExcelError(_message(answer["error"], answer["args"], limits))
    return {wanted: RawSheet(**sheet) for wanted, sheet in answer["sheets"].items()}


def _run_child(
    request: bytes, *, env: dict[str, str], timeout: float, beat: Callable[[], None], every: float
) -> tuple[bytes, bytes, int | None]:
    """Run the reader on `request`; (stdout, stderr, exit code), the code None when it ran past `timeout` seconds.
    `beat` is called every `every` seconds while it runs; the child never outlives this call."""
    deadline = time.monotonic() + timeout
    child = subprocess.Popen(  # noqa: S603  # our own interpreter and module; the file's path goes through stdin
        [sys.executable, "-m", CHILD_MODULE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    pending: bytes | None = request
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return b"", b"", None
            try:
                stdout, stderr = child.communicate(pending, timeout=min(left, every))
                return stdout, stderr, child.returncode
            except subprocess.TimeoutExpired:
                pending = None  # sent: communicate() goes on from where it stopped
                if deadline - time.monotonic() > 0:
                    beat()
    finally:
        if child.returncode is None:
            child.kill()
            child.communicate()


def check_upload(upload: IO[bytes]) -> None:
    """The cheap check an upload form runs before storing the file: not empty, and its first bytes are a zip's.

    Reads a few KB (and, for an old OLE2 file, a bounded walk of its directory) and stores nothing; the full
    check happens when the workbook is read. Raises ExcelError.
    """
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    code = "empty" if not size else sniff(upload)
    if code is not None:
        raise ExcelError(_message(code, {}, _limits()))


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _message(code: str, args: dict[str, Any], limits: dict[str, int]) -> str:
    """The user's message for a refusal code of the child."""
    if code == "encrypted":
        return _(
            "The file is password-protected: open it in Excel, remove the password (File › Info › Protect "
            "Workbook) and save it again as .xlsx."
        )
    if code == "xls":
        return _("The file is an old Excel 97–2003 workbook (.xls): open it in Excel and save it as .xlsx.")
    if code == "csv":
        return _("The file is text (a CSV file?), not an Excel workbook: open it in Excel and save it as .xlsx.")
    if code == "not_xlsx":
        return _("The file is not an Excel workbook (.xlsx).")
    if code == "empty":
        return _("The file is empty.")
    if code == "no_sheets":
        return _("The workbook is empty.")
    if code == "no_sheet":
        return _("The workbook has no sheet “%(name)s”.") % {"name": args["sheet"]}
    if code == "too_large":
        return _("The workbook is too large once unpacked: the parts to read hold more than %(limit)s MB together.") % {
            "limit": _number(limits["max_total_bytes"] // (1024 * 1024))
        }
    if code == "too_much_text":
        return _(
            "The cells hold too much text (more than %(limit)s MB): delete what lies outside the table, or split the "
            "file."
        ) % {"limit": _number(limits["max_text_bytes"] // (1024 * 1024))}
    if code == "part_too_large":
        return _("The workbook is too large once unpacked: its part %(part)s holds more than %(limit)s MB.") % {
            "part": args["part"],
            "limit": _number(limits["max_part_bytes"] // (1024 * 1024)),
        }
    if code == "too_many_rows":
        return _(
            "Sheet “%(sheet)s” has %(rows)s rows, more than the %(limit)s an import may have: split it into "
            "several files."
        ) % {"sheet": args["sheet"], "rows": _number(args["rows"]), "limit": _number(limits["max_rows"])}
    if code == "too_many_columns":
        return _(
            "Sheet “%(sheet)s” holds data in cell %(cell)s, beyond the %(limit)s columns an import may have: "
            "delete what lies outside the table and save the file again."
        ) % {"sheet": args["sheet"], "cell": args["cell"], "limit": _number(limits["max_columns"])}
    if code == "memory":
        return _(
            "Reading the file needs more memory than allowed (%(limit)s MB): delete the empty rows and columns "
            "outside the table, or split the file."
        ) % {"limit": _number(limits["memory_mb"])}
    if code == "timeout":
        return _("Reading the file took longer than %(seconds)s seconds: split it into smaller files.") % {
            "seconds": args["seconds"]
        }
    return _("The workbook could not be read: it may be damaged. Open it in Excel and save it again as .xlsx.")
