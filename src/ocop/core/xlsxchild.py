"""Reads sheets of an .xlsx workbook in a child process: `python -m ocop.core.xlsxchild`.

calamine (Rust) allocates a sheet's whole extent, from its first to its last non-empty cell, before reading a
value: a 1.6 KB upload with cells A1 and XFD1048576 asks for 512 GiB and the process aborts, which no Python
`except` can catch. So the web process never opens a workbook itself: it starts this module, which caps its own
address space, refuses what is not an .xlsx, measures every part calamine will open by inflating it (never by what
the zip declares), finds each sheet's real extent by streaming its XML, and only then lets calamine read within it.

What we measure must be what calamine reads, so the parts are found as calamine 0.37 finds them: the folder of the
workbook from `_rels/.rels`, the shared strings and styles at their fixed names in it (whatever the relationships
say), and every name looked up without regard to ASCII case or to a backslash for a slash.

Protocol: one pickled request on stdin, {"path", "sheets", "optional", "max_rows", "max_columns", "max_part_bytes",
"max_total_bytes", "max_text_bytes", "memory_mb", "parent_pid"}, where "sheets" lists sheet names (None: the first
sheet) and "optional" those that may be missing (left out of the answer); one pickled answer on stdout,
{"sheets": {requested: {"name", "rows", "merged"}}} or {"error": code, "args": {...}}.

Imports no Django (nor, at module level, lxml or calamine): the parent imports `sniff` from here, and the child
must start fast and never touch settings or the database.
"""

from __future__ import annotations

import pickle
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

# calamine matches elements by their local name, whatever their namespace: so does the scan.
_ROW, _CELL, _MERGE = "row", "c", "mergeCell"
_VALUE = frozenset({"v", "is"})
# Elements that may repeat by the million in a worksheet: each is cleared once read so the tree stays small.
_SCAN_TAGS = [
    f"{{*}}{name}"
    for name in (
        "row", "mergeCell", "col", "hyperlink", "dataValidation", "conditionalFormatting", "brk", "ignoredError",
        "protectedRange", "cellWatch",
    )
]  # fmt: skip
_DIGITS = "0123456789"
_GET_R = methodcaller("get", "r")
_STRIP_LETTERS = methodcaller("lstrip", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
EXCEL_MAX_ROWS = 1_048_576  # no sheet Excel writes has a row past this one
EXCEL_MAX_TEXT = 32_767  # the most characters an Excel cell holds: longer text is cut to it
_TRIM_EVERY = 1024  # elements read between two removals of the finished ones from the tree
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_LOCAL_NAMES: dict[Any, str] = {}


def _local(tag: Any) -> str:
    """An element's local name ("row" for "{ns}row"); "" for a comment or processing instruction. Cached: the same
    few tags come back millions of times."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
        if len(_LOCAL_NAMES) < 4096:
            _LOCAL_NAMES[tag] = name
    return name


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


class Budget:
    """What one read may inflate in all, across its parts: a part named twice, or scanned then measured, counts
    once, but many parts each just under the part limit must not add up to minutes of work."""

    def __init__(self, limit: int) -> None:
        self.limit, self.used = limit, 0

    def spend(self, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            raise Refusal("too_large")


class PartStream:
    """One zip member, inflated as it is read and refused past `limit` bytes, whatever size the zip declares
    (a few hundred KB of deflated spaces inflate to 150 MB). Only the compressed length is taken from the
    central directory: it bounds what we read from the file, not what comes out. What comes out is also spent
    from `budget`, the whole read's."""

    def __init__(self, fh: IO[bytes], info: zipfile.ZipInfo, limit: int, budget: Budget | None = None) -> None:
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
        self.name, self.limit, self.total, self.budget = info.filename, limit, 0, budget

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
            if self.budget is not None:
                self.budget.spend(len(out))
            if out:
                return out
            if self._inflate is not None and self._inflate.eof:
                self._done = True
            elif not self._pending and self._left == 0:
                if self._inflate is not None:
                    raise Refusal("unreadable")  # the deflate stream stops short
                self._done = True
        return b""


class Package:
    """The zip's members as calamine finds them: by name without regard to ASCII case, with `\\` read as `/`, else
    by the exact name. Two members calamine would take for one are refused (which one it reads is anyone's guess).
    Each member is inflated at most once per read, and all of them from one budget."""

    def __init__(self, fh: IO[bytes], zf: zipfile.ZipFile, *, limit: int, budget: Budget) -> None:
        self.fh, self.limit, self.budget = fh, limit, budget
        self.exact: dict[str, zipfile.ZipInfo] = {}
        self.folded: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            key = info.filename.replace("\\", "/").translate(_ASCII_LOWER)
            if key in self.folded:
                raise Refusal("unreadable")
            self.folded[key] = self.exact[info.filename] = info
        self.measured: set[str] = set()

    def find(self, path: str) -> zipfile.ZipInfo | None:
        return self.folded.get(path.translate(_ASCII_LOWER)) or self.exact.get(path)

    def stream(self, info: zipfile.ZipInfo) -> PartStream:
        """The member, to be read to its end (a reader that stops early has raised a Refusal)."""
        self.measured.add(info.filename)
        return PartStream(self.fh, info, self.limit, self.budget)

    def read(self, path: str) -> bytes | None:
        """The whole member at `path` (None when there is none), within the limits."""
        info = self.find(path)
        if info is None:
            return None
        stream, chunks = self.stream(info), []
        while chunk := stream.read(CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)

    def measure(self, path: str) -> None:
        """Inflate the member at `path`, if there is one and it was not inflated yet, keeping nothing."""
        info = self.find(path)
        if info is not None and info.filename not in self.measured:
            stream = self.stream(info)
            while stream.read(CHUNK):
                pass


def _parser() -> Any:
    from lxml import etree

    # No entities, no network, libxml2's default size guards: a workbook's XML never needs more.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _relationships(data: bytes) -> list[tuple[str | None, str, str]]:
    """(Id, Type, Target) of each relationship, in document order; a missing Type or Target reads as ""."""
    from lxml import etree

    return [
        (rel.get("Id"), rel.get("Type", ""), rel.get("Target", ""))
        for rel in etree.fromstring(data, _parser()).iter("{*}Relationship")
    ]


def _workbook_folder(package: Package) -> str:
    """The folder of the workbook part ("xl/"), from the package's last officeDocument relationship, as calamine
    takes it: a docx names word/document.xml, whose folder holds no workbook."""
    data = package.read("_rels/.rels")
    if data is None:
        raise Refusal("not_xlsx")
    targets = [target for _id, kind, target in _relationships(data) if kind.endswith("/relationships/officeDocument")]
    if not targets:
        raise Refusal("not_xlsx")
    folder = targets[-1][: targets[-1].rfind("/") + 1]
    return folder[1:] if folder.startswith("/") else folder


def _sheet_parts(package: Package, folder: str) -> list[tuple[str, str]]:
    """The sheets in workbook order as (name, member path as calamine builds it: no `..` resolved)."""
    from lxml import etree

    rels, book = package.read(f"{folder}_rels/workbook.xml.rels"), package.read(f"{folder}workbook.xml")
    if rels is None or book is None:
        raise Refusal("not_xlsx")  # a zip, but not a workbook (a .docx, a zipped folder)
    targets = {rel_id: target for rel_id, _kind, target in _relationships(rels) if rel_id is not None}
    sheets = []
    for sheet in etree.fromstring(book, _parser()).iter("{*}sheet"):
        rel_id = None
        for key, value in sheet.attrib.items():  # "r:id" by its local name, the last one winning, as in calamine
            if key == "id" or str(key).endswith("}id"):
                rel_id = value
        target = targets.get(rel_id, "") if rel_id is not None else ""
        path = target[1:] if target.startswith("/") else f"{folder}{target}" if target else ""
        sheets.append((sheet.get("name", ""), path))
    return sheets


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


def _holds_value(cell: Any) -> bool:
    return any(_local(child.tag) in _VALUE for child in cell)


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
            last = candidates[index]
            if _local(last.tag) == _CELL and _holds_value(last):  # else a formula alone, or no cell: look closer
                column = _column_number(top[: len(top) - len(suffix)])
                if column > max_columns:
                    raise Refusal("too_many_columns", sheet=sheet, cell=top)
                return int(suffix), column
    # Slow path, cell by cell: cells without `r`, mixed rows, lower case, formulas without a cached value.
    last_row = last_column = column = 0
    for cell in cells:
        if _local(cell.tag) != _CELL:
            continue
        ref = cell.get("r")
        if ref:  # e.g. "XFD1048576"; its own row wins over the <row>'s, as in calamine
            letters = ref.rstrip(_DIGITS)
            if len(letters) == len(ref):
                raise Refusal("unreadable")
            cell_row, column = int(ref[len(letters) :]), _column_number(letters)
        else:
            cell_row, column = row, column + 1
        if len(cell) and _holds_value(cell):
            if column > max_columns:
                raise Refusal("too_many_columns", sheet=sheet, cell=f"{column_letters(column)}{cell_row}")
            last_row, last_column = max(last_row, cell_row), max(last_column, column)
    return last_row, last_column


def scan_sheet(stream: Any, *, sheet: str, max_columns: int) -> tuple[int, int, list[str]]:
    """The real extent of a worksheet, (last row, last column) holding a value, and its merged ranges.

    Streams the XML and drops each element once read, so memory does not grow with the sheet. A cell holds a value
    when it has a <v> (even empty, as calamine counts it) or an inline string <is>; a formula or style alone
    does not. A <row> or <c> without `r` follows the previous one. The declared <dimension> is ignored. A row
    numbered past Excel's last (1,048,576), or more <row> elements than that, is refused when it is met: no file
    Excel writes has one, and millions of empty rows would otherwise keep the scan busy.
    """
    from lxml import etree

    last_row = max_row = max_column = rows_seen = 0
    merged: list[str] = []
    events = etree.iterparse(
        stream, events=("end",), tag=_SCAN_TAGS, resolve_entities=False, no_network=True, huge_tree=False
    )
    for seen, (_event, element) in enumerate(events, start=1):
        name = _local(element.tag)
        if name == _ROW:
            number = element.get("r")
            last_row = int(number) if number else last_row + 1
            rows_seen += 1
            if last_row < 1:
                raise Refusal("unreadable")
            if last_row > EXCEL_MAX_ROWS or rows_seen > EXCEL_MAX_ROWS:
                raise Refusal("too_many_rows", sheet=sheet, rows=max(last_row, rows_seen))
            if len(element):  # an empty <row/>, the commonest padding, holds nothing: keep it cheap
                row, column = _row_extent(list(element), last_row, sheet=sheet, max_columns=max_columns)
                max_row, max_column = max(max_row, row), max(max_column, column)
                element.clear()
        elif name == _MERGE:
            merged.append(element.get("ref", ""))
        if not seen % _TRIM_EVERY:  # drop the finished siblings in batches: one call per element doubles the scan
            parent = element.getparent()
            if parent is not None:
                del parent[: len(parent) - 1]
    return max_row, max_column, merged


def read(request: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    """Check and read the requested sheets of the workbook at request["path"]; raise Refusal on a bad file."""
    limit, optional = request["max_part_bytes"], set(request.get("optional", ()))
    with open(request["path"], "rb") as fh:
        code = sniff(fh)
        if code is not None:
            raise Refusal(code)
        try:
            zf = zipfile.ZipFile(fh)
        except zipfile.BadZipFile as exc:
            raise Refusal("not_xlsx") from exc
        package = Package(fh, zf, limit=limit, budget=Budget(request["max_total_bytes"]))
        folder = _workbook_folder(package)
        sheets = _sheet_parts(package, folder)
        if not sheets:
            raise Refusal("no_sheets")
        # calamine loads these whole when it opens the workbook, from these names whatever the relationships say.
        for part in ("sharedStrings.xml", "styles.xml"):
            package.measure(f"{folder}{part}")
        extents: dict[str | None, tuple[str, int, int, list[str]]] = {}
        scanned: dict[str, tuple[int, int, list[str]]] = {}  # by member: a sheet asked for twice is scanned once
        for wanted in request["sheets"]:
            name, part = sheets[0] if wanted is None else next((s for s in sheets if s[0] == wanted), ("", ""))
            if not name:
                if wanted in optional:
                    continue
                raise Refusal("no_sheet", sheet=wanted)
            info = package.find(part) if part else None
            if info is None:
                raise Refusal("unreadable")
            if info.filename not in scanned:
                stream = package.stream(info)
                scanned[info.filename] = scan_sheet(stream, sheet=name, max_columns=request["max_columns"])
            rows, columns, merged = scanned[info.filename]
            if rows > request["max_rows"]:
                raise Refusal("too_many_rows", sheet=name, rows=rows)
            extents[wanted] = (name, rows, columns, merged)
    return _read_values(request["path"], extents, max_text=request["max_text_bytes"])


class _Text:
    """The bytes of text an answer carries (cells and merged ranges), refused past `limit`: one 32,767-character
    shared string may fill every cell, and the parent holds the whole answer in memory."""

    def __init__(self, limit: int) -> None:
        self.limit, self.used = limit, 0

    def add(self, text: str) -> None:
        self.used += len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
        if self.used > self.limit:
            raise Refusal("too_much_text")


def _clean_row(row: list[Any], text: _Text) -> list[Any]:
    """One row's values as the parent receives them: text cut to Excel's 32,767 characters, whole floats as ints.
    NaN and infinity pass as they are (no Excel writes them: the sheet's reader refuses them where it reads), and so
    do booleans (a yes/no column takes them)."""
    for index, value in enumerate(row):
        kind = type(value)
        if kind is str:
            if value:
                if len(value) > EXCEL_MAX_TEXT:
                    value = row[index] = value[:EXCEL_MAX_TEXT]
                text.add(value)
        elif kind is float and value.is_integer():
            row[index] = int(value)
    return row


def _read_values(
    path: str, extents: dict[str | None, tuple[str, int, int, list[str]]], *, max_text: int
) -> dict[str | None, Any]:
    """Read each sheet with calamine, now that its extent is known to be within the limits."""
    from python_calamine import CalamineWorkbook

    answer: dict[str | None, Any] = {}
    text = _Text(max_text)
    with CalamineWorkbook.from_path(path) as book:
        for wanted, (name, rows, columns, merged) in extents.items():
            for ref in merged:
                text.add(ref)
            values: list[list[Any]] = []
            if rows:
                values = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=rows)  # type: ignore[assignment]
                for index, row in enumerate(values):
                    values[index] = _clean_row(row[:columns], text)
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
