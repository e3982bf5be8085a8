"""Reads sheets of an .xlsx workbook in a child process: `python -m ocop.core.xlsxchild`.

calamine (Rust) allocates a sheet's whole extent, from its first to its last non-empty cell, before reading a
value: a 1.6 KB upload with cells A1 and XFD1048576 asks for 512 GiB and the process aborts, which no Python
`except` can catch. So the web process never opens a workbook itself: it starts this module, which caps its own
address space, refuses what is not an .xlsx, measures every part it reads by inflating it (never by what the zip
declares), finds each sheet's real extent by streaming its XML, and only then lets calamine read within it.

Protocol: one pickled request on stdin, {"path", "sheets", "max_rows", "max_columns", "max_part_bytes",
"memory_mb", "parent_pid"}, where "sheets" lists sheet names (None: the first sheet); one pickled answer on
stdout, {"sheets": {requested: {"name", "rows", "merged"}}} or {"error": code, "args": {...}}.

Imports no Django (nor, at module level, lxml or calamine): the parent imports `sniff` from here, and the child
must start fast and never touch settings or the database.
"""

from __future__ import annotations

import pickle
import posixpath
import resource
import struct
import sys
import zipfile
import zlib
from functools import lru_cache
from itertools import compress, count
from operator import methodcaller
from typing import IO, Any

from ocop.core.processes import die_with_parent

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEAD_BYTES = 4096
CHUNK = 64 * 1024
# Office encrypts a workbook into an OLE2 compound file holding a stream of this name (MS-OFFCRYPTO).
_ENCRYPTED_NAME = "EncryptedPackage".encode("utf-16-le")
_OLE_MAX_DIRECTORY_SECTORS = 128  # bounds the directory walk (and what a hostile file can make us read)
_OLE_LAST_REGULAR_SECTOR = 0xFFFFFFF9

_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)


def _tags(name: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{name}" for ns in _NAMESPACES)


_ROW, _CELL, _MERGE = _tags("row"), _tags("c"), _tags("mergeCell")
_VALUE = _tags("v") | _tags("is")
# Elements that may repeat by the million in a worksheet: each is cleared once read so the tree stays small.
_SCAN_TAGS = sorted(
    _ROW | _MERGE | _tags("col") | _tags("hyperlink") | _tags("dataValidation") | _tags("conditionalFormatting")
    | _tags("brk") | _tags("ignoredError") | _tags("protectedRange") | _tags("cellWatch")
)  # fmt: skip
_DIGITS = "0123456789"
_GET_R = methodcaller("get", "r")
_STRIP_LETTERS = methodcaller("lstrip", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class Refusal(Exception):
    """Why a workbook is not read: a code the parent turns into a message, and the message's arguments."""

    def __init__(self, code: str, **args: Any) -> None:
        super().__init__(code)
        self.code, self.args_ = code, args


def sniff(fh: IO[bytes]) -> str | None:
    """What the first bytes say: None for a zip (perhaps an .xlsx), else a refusal code. Reads at most the first
    4 KB and, for an OLE2 file, a bounded walk of its directory; leaves the file at its start."""
    try:
        fh.seek(0)
        head = fh.read(HEAD_BYTES)
        if not head:
            return "empty"
        if head.startswith(ZIP_MAGIC):
            return None
        if head.startswith(OLE2_MAGIC):
            return "encrypted" if _ole_is_encrypted(fh) else "xls"
        if head.startswith(b"%PDF-"):  # a PDF's header line is text, but it is no CSV
            return "not_xlsx"
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head:  # UTF-16 text, or no NUL at all
            return "csv"
        return "not_xlsx"
    finally:
        fh.seek(0)


def _ole_is_encrypted(fh: IO[bytes]) -> bool:
    """Walk an OLE2 compound file's directory chain (MS-CFB) looking for the EncryptedPackage stream."""
    fh.seek(0)
    header = fh.read(512)
    if len(header) < 512:
        return False
    shift = int.from_bytes(header[0x1E:0x20], "little")
    if shift not in (9, 12):  # 512- or 4096-byte sectors are the only ones the format allows
        return False
    size = 1 << shift
    fat_sectors = int.from_bytes(header[0x2C:0x30], "little")
    difat = struct.unpack("<109I", header[0x4C:0x200])[: min(fat_sectors, 109)]

    def next_sector(n: int) -> int:
        per_sector = size // 4
        if n // per_sector >= len(difat):
            return 0xFFFFFFFE  # beyond the FAT sectors the header lists: stop there
        fh.seek((difat[n // per_sector] + 1) * size + (n % per_sector) * 4)
        entry = fh.read(4)
        return int.from_bytes(entry, "little") if len(entry) == 4 else 0xFFFFFFFE

    sector, seen = int.from_bytes(header[0x30:0x34], "little"), set[int]()
    while sector <= _OLE_LAST_REGULAR_SECTOR and sector not in seen and len(seen) < _OLE_MAX_DIRECTORY_SECTORS:
        seen.add(sector)
        fh.seek((sector + 1) * size)
        data = fh.read(size)
        for offset in range(0, len(data) - 127, 128):  # directory entries: a 64-byte UTF-16 name, then its length
            entry = data[offset : offset + 128]
            if entry.startswith(_ENCRYPTED_NAME) and entry[64:66] == (len(_ENCRYPTED_NAME) + 2).to_bytes(2, "little"):
                return True
        sector = next_sector(sector)
    return False


class PartStream:
    """One zip member, inflated as it is read and refused past `limit` bytes, whatever size the zip declares
    (a few hundred KB of deflated spaces inflate to 150 MB). Only the compressed length is taken from the
    central directory: it bounds what we read from the file, not what comes out."""

    def __init__(self, fh: IO[bytes], info: zipfile.ZipInfo, limit: int) -> None:
        fh.seek(info.header_offset)
        local = fh.read(30)
        if len(local) != 30 or not local.startswith(ZIP_MAGIC) or info.flag_bits & 1:  # bit 0: an encrypted member
            raise Refusal("unreadable")
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        if info.compress_type == zipfile.ZIP_DEFLATED:
            self._inflate: Any = zlib.decompressobj(-15)
        elif info.compress_type == zipfile.ZIP_STORED:
            self._inflate = None
        else:
            raise Refusal("unreadable")
        self._fh, self._position = fh, info.header_offset + 30 + name_length + extra_length
        self._left, self._pending, self._done = info.compress_size, b"", False
        self.name, self.limit, self.total = info.filename, limit, 0

    def read(self, size: int = -1) -> bytes:
        size = size if size and size > 0 else CHUNK
        while not self._done:
            if not self._pending and self._left > 0:
                self._fh.seek(self._position)
                self._pending = self._fh.read(min(CHUNK, self._left))
                if not self._pending:
                    raise Refusal("unreadable")  # the file ends inside the member
                self._position += len(self._pending)
                self._left -= len(self._pending)
            if self._inflate is None:
                out, self._pending = self._pending[:size], self._pending[size:]
            else:
                out = self._inflate.decompress(self._pending, size)
                self._pending = self._inflate.unconsumed_tail
            self.total += len(out)
            if self.total > self.limit:
                raise Refusal("part_too_large", part=self.name)
            if out:
                return out
            if self._inflate is not None and self._inflate.eof:
                self._done = True
            elif not self._pending and self._left == 0:
                if self._inflate is not None:
                    raise Refusal("unreadable")  # the deflate stream stops short
                self._done = True
        return b""


def _read_part(fh: IO[bytes], zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError as exc:
        raise Refusal("unreadable") from exc
    stream, chunks = PartStream(fh, info, limit), []
    while chunk := stream.read(CHUNK):
        chunks.append(chunk)
    return b"".join(chunks)


def _parser() -> Any:
    from lxml import etree

    # No entities, no network, libxml2's default size guards: a workbook's XML never needs more.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _part_name(target: str) -> str:
    """A relationship target of xl/workbook.xml as a zip member name."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _sheet_parts(fh: IO[bytes], zf: zipfile.ZipFile, limit: int) -> tuple[list[tuple[str, str]], list[str]]:
    """The sheets in workbook order as (name, part), and the other parts calamine reads when it opens the book."""
    from lxml import etree

    workbook = etree.fromstring(_read_part(fh, zf, "xl/workbook.xml", limit), _parser())
    rels = etree.fromstring(_read_part(fh, zf, "xl/_rels/workbook.xml.rels", limit), _parser())
    targets, others = {}, []
    for rel in rels.iter("{*}Relationship"):
        if rel.get("TargetMode") == "External" or not rel.get("Target"):
            continue
        targets[rel.get("Id")] = _part_name(rel.get("Target", ""))
        if rel.get("Type", "").endswith(("/sharedStrings", "/styles")):
            others.append(targets[rel.get("Id")])
    sheets = []
    for sheet in workbook.iter("{*}sheet"):
        rel_id = next((v for k, v in sheet.attrib.items() if str(k).endswith("}id")), None)
        sheets.append((sheet.get("name", ""), targets.get(rel_id, "")))
    return sheets, others


@lru_cache(maxsize=32768)
def _column_number(letters: str) -> int:
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise Refusal("unreadable")
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row_extent(cells: list[Any], row: int, *, sheet: str, max_columns: int) -> tuple[int, int]:
    """(last row, last column) of the cells of one <row> that hold a value; (0, 0) when none does."""
    # Fast path, in C-level loops: lxml makes a Python object for every element we touch, and a per-cell Python
    # loop would triple the cost of the scan. It covers the usual row, where every cell with children has an
    # upper-case `r` ending in the same row number: the last column is then the longest, then greatest, `r`.
    candidates = list(compress(cells, map(len, cells)))  # a value cell has children; a styled blank has none
    if not candidates:
        return 0, 0
    refs = list(map(_GET_R, candidates))
    if None not in refs and "".join(refs).isupper():
        suffixes = set(map(_STRIP_LETTERS, refs))
        suffix = suffixes.pop()
        if not suffixes and suffix.isdecimal() and suffix.isascii():
            _length, top, index = max(zip(map(len, refs), refs, count()))
            if any(child.tag in _VALUE for child in candidates[index]):  # else a formula alone: look closer
                column = _column_number(top[: len(top) - len(suffix)])
                if column > max_columns:
                    raise Refusal("too_many_columns", sheet=sheet, cell=top)
                return int(suffix), column
    # Slow path, cell by cell: cells without `r`, mixed rows, lower case, formulas without a cached value.
    last_row = last_column = column = 0
    for cell in cells:
        if cell.tag not in _CELL:
            continue
        ref = cell.get("r")
        if ref:  # e.g. "XFD1048576"; its own row wins over the <row>'s, as in calamine
            letters = ref.rstrip(_DIGITS)
            if len(letters) == len(ref):
                raise Refusal("unreadable")
            cell_row, column = int(ref[len(letters) :]), _column_number(letters)
        else:
            cell_row, column = row, column + 1
        if len(cell) and any(child.tag in _VALUE for child in cell):
            if column > max_columns:
                raise Refusal("too_many_columns", sheet=sheet, cell=f"{column_letters(column)}{cell_row}")
            last_row, last_column = max(last_row, cell_row), max(last_column, column)
    return last_row, last_column


def scan_sheet(stream: Any, *, sheet: str, max_columns: int) -> tuple[int, int, list[str]]:
    """The real extent of a worksheet, (last row, last column) holding a value, and its merged ranges.

    Streams the XML and clears each row once read, so memory does not grow with the sheet. A cell holds a value
    when it has a <v> (even empty, as calamine counts it) or an inline string <is>; a formula or style alone
    does not. A <row> or <c> without `r` follows the previous one. The declared <dimension> is ignored.
    """
    from lxml import etree

    last_row = max_row = max_column = 0
    merged: list[str] = []
    events = etree.iterparse(
        stream, events=("end",), tag=_SCAN_TAGS, resolve_entities=False, no_network=True, huge_tree=False
    )
    for _event, element in events:
        if element.tag in _ROW:
            number = element.get("r")
            last_row = int(number) if number else last_row + 1
            if last_row < 1:
                raise Refusal("unreadable")
            row, column = _row_extent(list(element), last_row, sheet=sheet, max_columns=max_columns)
            max_row, max_column = max(max_row, row), max(max_column, column)
        elif element.tag in _MERGE:
            merged.append(element.get("ref", ""))
        element.clear()
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
    return max_row, max_column, merged


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def read(request: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    """Check and read the requested sheets of the workbook at request["path"]; raise Refusal on a bad file."""
    limit = request["max_part_bytes"]
    with open(request["path"], "rb") as fh:
        code = sniff(fh)
        if code is not None:
            raise Refusal(code)
        try:
            zf = zipfile.ZipFile(fh)
        except zipfile.BadZipFile as exc:
            raise Refusal("not_xlsx") from exc
        names = zf.namelist()
        if len(names) != len(set(names)):
            raise Refusal("unreadable")  # two members of one name: which one a reader takes is anyone's guess
        if "xl/workbook.xml" not in names:
            raise Refusal("not_xlsx")  # a zip, but not a workbook (a .docx, a zipped folder)
        sheets, others = _sheet_parts(fh, zf, limit)
        if not sheets:
            raise Refusal("no_sheets")
        for part in others:  # calamine loads these whole when it opens the workbook
            if part in names:
                stream = PartStream(fh, zf.getinfo(part), limit)
                while stream.read(CHUNK):
                    pass
        extents: dict[str | None, tuple[str, int, int, list[str]]] = {}
        for wanted in request["sheets"]:
            name, part = sheets[0] if wanted is None else next((s for s in sheets if s[0] == wanted), ("", ""))
            if not name:
                raise Refusal("no_sheet", sheet=wanted)
            if part not in names:
                raise Refusal("unreadable")
            rows, columns, merged = scan_sheet(
                PartStream(fh, zf.getinfo(part), limit), sheet=name, max_columns=request["max_columns"]
            )
            if rows > request["max_rows"]:
                raise Refusal("too_many_rows", sheet=name, rows=rows)
            extents[wanted] = (name, rows, columns, merged)
    return _read_values(request["path"], extents)


def _read_values(path: str, extents: dict[str | None, tuple[str, int, int, list[str]]]) -> dict[str | None, Any]:
    """Read each sheet with calamine, now that its extent is known to be within the limits."""
    from python_calamine import CalamineWorkbook

    answer: dict[str | None, Any] = {}
    with CalamineWorkbook.from_path(path) as book:
        for wanted, (name, rows, columns, merged) in extents.items():
            values: list[list[Any]] = []
            if rows:
                values = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=rows)  # type: ignore[assignment]
                for index, row in enumerate(values):
                    values[index] = [_whole(v) for v in row[:columns]]
            answer[wanted] = {"name": name, "rows": values, "merged": merged}
    return answer


def main() -> None:
    request = pickle.load(sys.stdin.buffer)  # noqa: S301  # written by our own parent process
    ceiling = request["memory_mb"] * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    # Past this, an allocation fails: MemoryError in Python, an abort in Rust; either way only we die.
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort must not write a core file of the address space
    die_with_parent(request["parent_pid"])
    try:
        answer: dict[str, Any] = {"sheets": read(request)}
    except Refusal as refusal:
        answer = {"error": refusal.code, "args": refusal.args_}
    except MemoryError:
        answer = {"error": "memory", "args": {}}
    except Exception as exc:  # noqa: BLE001  # lxml, zipfile and calamine raise many types on a damaged file
        answer = {"error": "unreadable", "args": {"detail": f"{type(exc).__name__}: {exc}"[:500]}}
    answer["peak_kb"] = _peak_kb()
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


def _peak_kb() -> int:
    """This process's own peak resident memory since it started (VmHWM: getrusage would count the parent's pages
    the child held between fork and exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    main()
