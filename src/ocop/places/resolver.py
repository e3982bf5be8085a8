"""Turn the place names people type (today's or pre-2025) into today's commune: the pieces under the address parser.

Here: reading one unit name as written (its prefix, abbreviated or not, and folded key), the unit tables as dicts
(`PlaceTables`), and `PlaceResolver`, the column-based interface older callers use, which delegates to the one
address parser (`ocop.places.address`). An old address is converted through the official old→new mapping; where the
old commune was split, every candidate is returned and the user must choose; nothing is ever geocoded.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ocop.core.text import fold
from ocop.places.models import Commune, CommuneSuccession, LegacyCommune, LegacyDistrict, LegacyProvince, Province

if TYPE_CHECKING:
    from ocop.places.address import AddressParser

_PREFIX = re.compile(r"^(thanh pho|tinh|quan|huyen|thi xa|thi tran|xa|phuong|dac khu|tp)\s+")
# Provinces people still write that are older than our legacy tables (Hà Tây joined Hà Nội in 2008) or that they
# abbreviate, by folded name → legacy province code.
HISTORIC_PROVINCES = {"ha tay": "01", "hn": "01", "thua thien hue": "46", "hcm": "79", "tphcm": "79", "sai gon": "79"}


def name_key(text: str | None) -> str:
    """Folded name without its unit prefix: "Huyện Ba Vì" and "ba vi" give the same key."""
    folded = fold(text)
    stripped = _PREFIX.sub("", folded)
    return stripped or folded


# ---- reading a unit name as written ----------------------------------------------------------------------------

# A unit prefix as written (accented, unaccented, abbreviated, with or without a dot) → canonical kind and level.
_KINDS = {
    "thi tran": "thi tran", "tt": "thi tran", "xa": "xa", "x": "xa", "phuong": "phuong", "p": "phuong",
    "dac khu": "dac khu", "quan": "quan", "q": "quan", "huyen": "huyen", "h": "huyen", "thi xa": "thi xa",
    "tx": "thi xa", "thanh pho": "thanh pho", "tp": "thanh pho", "t p": "thanh pho", "tinh": "tinh",
}  # fmt: skip
_LEVELS = {"thi tran": "commune", "xa": "commune", "phuong": "commune", "dac khu": "commune", "quan": "district",
           "huyen": "district", "thi xa": "district", "thanh pho": "city", "tinh": "province"}  # fmt: skip
_UNIT_PREFIX = re.compile(
    r"^(thị\s+trấn|thi\s+tran|thị\s+xã|thi\s+xa|thành\s+phố|thanh\s+pho|đặc\s+khu|dac\s+khu|tỉnh|tinh|huyện|huyen|"
    r"quận|quan|phường|phuong|xã|xa|t\.\s?p|tt|tx|tp|x|p|q|h)(?:\.\s*|\s+|(?=\d))",
    re.IGNORECASE,
)
_DOTTED = re.compile(r"(?:tt|tx|tp|t\.p|x|p|q|h)\.\S*")
# Inside one part with no separator ("Thôn 3 xã Phù Đổng huyện Gia Lâm"), split before a prefix word. Only forms
# that cannot be part of a name: accented words ("xã", never the "Xá" of Đặng Xá), dotted or capital abbreviations,
# and unaccented words when written in lower case (names are capitalised).
_INNER_ONE = {"xã", "phường", "quận", "huyện", "tỉnh", "xa", "phuong", "quan", "huyen", "tinh"}
_INNER_TWO = {("thị", "trấn"), ("thị", "xã"), ("thành", "phố"), ("đặc", "khu"), ("thi", "tran"), ("thi", "xa"),
              ("thanh", "pho")}  # fmt: skip
# Words that open a street-level part (thôn, số nhà, đường...): such a part is kept as the street, not reported as an
# unknown commune.
_STREET = {
    "thon", "xom", "so", "sn", "duong", "pho", "ngo", "ngach", "hem", "kiet", "to", "tdp", "ap", "khu", "kp", "khoi",
    "ban", "lang", "cum", "km", "ql", "tl", "dt", "kcn", "ccn", "kdc", "toa", "tang", "lo", "bon", "buon", "doi",
}  # fmt: skip


Signature = tuple[str, str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class UnitName:
    """One unit's name as written, read: its prefix (kind), folded key, and the position it was found in."""

    raw: str  # as written (NFC)
    name: str  # as written, without its prefix
    key: str  # folded name without prefix
    whole: str  # folded, prefix included: tried when the prefix was a misreading ("Quan Sơn")
    level: str | None  # from the prefix: commune, district, city (province or district), province
    kind: str | None
    hint: str | None  # from the column it came from (parts()): what its position suggests

    @property
    def signature(self) -> Signature:
        return (self.key, self.whole, self.kind, self.hint)

    def readings(self) -> list[tuple[str, str | None]]:
        return [(self.key, self.kind)] if self.whole == self.key else [(self.key, self.kind), (self.whole, None)]

    @property
    def written(self) -> str:
        """Folded, with its prefix normalised: "TT. Trâu Quỳ" → "thi tran trau quy"."""
        return f"{self.kind} {self.key}" if self.kind else self.key

    @property
    def street_like(self) -> bool:
        first = self.whole.split(" ", 1)[0]
        return first in _STREET or any(ch.isdigit() for ch in first)


@lru_cache(maxsize=65536)  # pure; lists repeat the same place names row after row
def unit_name(raw: str) -> UnitName | None:
    """`raw` (NFC, one unit) read; None when it holds no name ("-", a lone prefix)."""
    if len(raw) > 2 and raw[:2] in ("TT", "TX", "TP") and raw[2].isupper():  # "TTTrâu Quỳ", "TPHCM"
        raw = f"{raw[:2]} {raw[2:]}"
    match = _UNIT_PREFIX.match(raw)
    name = raw[match.end() :].strip() if match else raw
    key = fold(name)
    if not key:
        return None
    if match is None:
        return UnitName(raw, name, key, key, None, None, None)
    prefix = fold(match.group(1))
    kind = _KINDS[prefix]
    return UnitName(raw, name, key, f"{prefix} {key}", _LEVELS[kind], kind, None)


def read_unit(text: str) -> tuple[str | None, str]:
    """(kind, name as written without its prefix) of one unit name: "TT. Trâu Quỳ" → ("thi tran", "Trâu Quỳ"). The
    kind is folded ("xa", "phuong", "thi tran", "huyen", ...) or None when no prefix was written."""
    part = unit_name(" ".join(unicodedata.normalize("NFC", text).split()))
    return (part.kind, part.name) if part is not None else (None, "")


def _opens_unit(words: list[str], i: int) -> bool:
    """Whether words[i] is a unit prefix inside a part written without separators."""
    word, low = words[i], words[i].lower()
    spelled = word == low or not word.isascii()  # accented, or unaccented in lower case
    if low in _INNER_ONE:
        return spelled and not (low in ("xã", "xa") and words[i - 1].lower() in ("thị", "thi"))
    if i + 2 < len(words) and (low, words[i + 1].lower()) in _INNER_TWO:
        return spelled
    return word in ("TP", "TT", "TX") or _DOTTED.fullmatch(low) is not None


@lru_cache(maxsize=65536)
def split_units(piece: str) -> tuple[str, ...]:
    """One part written without separators, cut before each prefix: "Thôn 3 xã Phù Đổng" → ("Thôn 3", "xã Phù Đổng")."""
    words = piece.split()
    if len(words) < 3:  # a prefix inside needs a word before it and a name after it
        return (piece,)
    cuts = [0, *(i for i in range(1, len(words) - 1) if _opens_unit(words, i)), len(words)]
    return tuple(" ".join(words[a:b]) for a, b in itertools.pairwise(cuts))


# ---- the unit tables -----------------------------------------------------------------------------------------


class PlaceTables:
    """The unit tables as dicts, loaded once per import: today's units at once, the ten thousand legacy ones the
    first time a row needs them."""

    def __init__(self) -> None:
        self.province_by_key: dict[str, int] = {}
        self.province_words: dict[int, str] = {}
        self.province_names: dict[int, str] = {}
        for pid, name, short in Province.objects.filter(central=False).values_list("id", "name", "short_name"):
            self.province_by_key[name_key(name)] = self.province_by_key[fold(short)] = pid
            self.province_words[pid], self.province_names[pid] = fold(name), name
        self.commune_ids: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.commune_names: dict[int, str] = {}
        self.commune_codes: dict[int, str] = {}
        self.commune_province: dict[int, int] = {}
        self.commune_kind: dict[int, str] = {}
        rows = Commune.objects.values_list("id", "code", "name", "short_name", "province_id", "kind")
        for cid, code, name, short, pid, kind in rows:
            self.commune_names[cid], self.commune_codes[cid], self.commune_province[cid] = name, code, pid
            self.commune_kind[cid] = kind.replace("_", " ")  # CommuneKind values fold like the prefixes
            for key in {name_key(name), fold(short)}:
                self.commune_ids[(pid, key)].append(cid)
        self.legacy_province_by_key: dict[str, list[int]] = defaultdict(list)
        self.legacy_province_words: dict[int, str] = {}
        self.legacy_successor: dict[int, int] = {}
        self.predecessors: dict[int, list[int]] = defaultdict(list)
        by_code = {}
        for lp, code, name, short, successor in LegacyProvince.objects.values_list(
            "id", "code", "name", "short_name", "successor_id"
        ):
            by_code[code] = lp
            for key in {name_key(name), fold(short)}:
                self.legacy_province_by_key[key].append(lp)
            self.legacy_province_words[lp], self.legacy_successor[lp] = fold(name), successor
            self.predecessors[successor].append(lp)
        for key, code in HISTORIC_PROVINCES.items():
            if code in by_code and key not in self.legacy_province_by_key:
                self.legacy_province_by_key[key].append(by_code[code])
        # Names written with " - " (Bà Rịa - Vũng Tàu, Văn Miếu - Quốc Tử Giám): the splitter rejoins them.
        self.hyphenated = {name_key(n) for n in self.commune_names.values() if "-" in n}
        for model in (LegacyProvince, LegacyDistrict):
            self.hyphenated |= {
                name_key(n) for n in model.objects.filter(name__contains="-").values_list("name", flat=True)
            }
        self._legacy = False

    def load_legacy(self) -> None:
        if self._legacy:
            return
        self._legacy = True
        self.districts: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.district_kind: dict[int, str] = {}
        self.district_label: dict[int, str] = {}  # "huyện Gia Lâm", as a sentence names it
        self.district_words: dict[int, str] = {}
        self.district_province: dict[int, int] = {}
        for did, name, short, kind, lp in LegacyDistrict.objects.values_list(
            "id", "name", "short_name", "kind", "province_id"
        ):
            for key in {name_key(name), fold(short)}:
                self.districts[(lp, key)].append(did)
            self.district_kind[did], self.district_province[did] = fold(kind), lp
            self.district_label[did] = kind.lower() + name[len(kind) :] if kind and name.startswith(kind) else name
            self.district_words[did] = fold(name)
        self.legacy_ids: dict[tuple[int, str], list[int]] = defaultdict(list)  # (district, key)
        self.legacy_in_province: dict[tuple[int, str], list[int]] = defaultdict(list)  # (legacy province, key)
        self.legacy_kind: dict[int, str] = {}
        self.legacy_words: dict[int, str] = {}
        self.legacy_district: dict[int, int] = {}
        self.district_communes: dict[int, list[int]] = defaultdict(list)
        for lc, name, short, kind, did in LegacyCommune.objects.values_list(
            "id", "name", "short_name", "kind", "district_id"
        ):
            for key in {name_key(name), fold(short)}:
                self.legacy_ids[(did, key)].append(lc)
                self.legacy_in_province[(self.district_province[did], key)].append(lc)
            self.legacy_kind[lc], self.legacy_words[lc], self.legacy_district[lc] = fold(kind), fold(name), did
            self.district_communes[did].append(lc)
        self.successions: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        self.commune_districts: dict[int, set[int]] = defaultdict(set)  # today's commune → former districts
        for lc, cid, default in CommuneSuccession.objects.values_list("legacy_commune_id", "commune_id", "is_default"):
            self.successions[lc].append((cid, default))
            self.commune_districts[cid].add(self.legacy_district[lc])
        self._district_successors: dict[int, list[tuple[int, bool]]] = {}

    def district_successors(self, district_id: int) -> list[tuple[int, bool]]:
        """Today's communes the former district's communes went to; suggested where one went there by default."""
        found = self._district_successors.get(district_id)
        if found is None:
            suggested: dict[int, bool] = {}
            for lc in self.district_communes[district_id]:
                for cid, default in self.successions[lc]:
                    suggested[cid] = suggested.get(cid, False) or default
            found = self._district_successors[district_id] = list(suggested.items())
        return found


@dataclass
class PlaceMatch:
    commune_id: int | None = None
    legacy_commune_id: int | None = None
    candidates: list[tuple[int, str, bool]] = field(default_factory=list)  # (commune id, name, suggested)
    error: str | None = None
    column: str | None = None

    @property
    def needs_choice(self) -> bool:
        return self.commune_id is None and len(self.candidates) > 1


class PlaceResolver:
    """Resolves (province, district, commune) cells through the address parser; loads the tables once for many
    rows (imports)."""

    def __init__(self) -> None:
        self.tables = PlaceTables()
        self.commune_names = self.tables.commune_names
        self._parsers: dict[int | None, AddressParser] = {}

    def resolve(
        self,
        *,
        province: str | None,
        commune: str | None,
        district: str | None = None,
        default_province_id: int | None = None,
        province_column: str = "province",
        commune_column: str = "commune",
        district_column: str = "district",
    ) -> PlaceMatch:
        # address.py builds on this module's tables: imported here so that module loading stays one-way.
        from ocop.places.address import AddressParser, AddressStatus

        if not commune:  # this interface places a record in a commune; a bare district is the parser's business
            return PlaceMatch(error=_("Commune is required."), column=commune_column)
        parser = self._parsers.get(default_province_id)
        if parser is None:
            parser = self._parsers[default_province_id] = AddressParser(
                default_province_id=default_province_id, tables=self.tables
            )
        address = parser.parts(commune=commune, district=district, province=province)
        candidates = [(c.commune_id, c.name, c.suggested) for c in address.candidates]
        if address.status == AddressStatus.RESOLVED:
            return PlaceMatch(commune_id=address.commune_id, legacy_commune_id=address.legacy_commune_id)
        if address.status in (AddressStatus.CHOOSE, AddressStatus.DISTRICT_ONLY):
            return PlaceMatch(legacy_commune_id=address.legacy_commune_id, candidates=candidates)
        if address.status == AddressStatus.UNKNOWN_PROVINCE:
            return PlaceMatch(error=address.message, column=province_column)
        unknown_district = bool(district) and address.legacy_district_id is None and not address.unknown_name
        return PlaceMatch(error=address.message, column=district_column if unknown_district else commune_column)
