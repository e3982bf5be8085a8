"""One parser for the addresses people write, used by every import.

Published OCOP lists (2019–2025) give places as people write them: "xã Phù Đổng, huyện Gia Lâm", "Phù Đổng - Gia
Lâm - Hà Nội", "P. Trúc Bạch, Q. Ba Đình", a former district alone, or today's "xã Phù Đổng, TP Hà Nội". The
parser reads from the right (province, then former district, then commune) and converts a pre-2025 commune to
today's through CommuneSuccession. It never guesses: a split former commune or a bare district gives candidates
for a person to choose from, and a name in none of our tables is reported as such. Nothing is geocoded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.utils.translation import gettext as _

from ocop.core.text import fold
from ocop.places.resolver import PlaceTables, Signature, UnitName, split_units, unit_name


class AddressStatus(StrEnum):
    RESOLVED = "resolved"
    CHOOSE = "choose"  # a split former commune, or a name several units share: a person picks a candidate
    DISTRICT_ONLY = "district_only"
    NOT_FOUND = "not_found"
    UNKNOWN_PROVINCE = "unknown_province"
    EMPTY = "empty"


@dataclass(frozen=True)
class Candidate:
    commune_id: int
    code: str
    name: str
    suggested: bool


@dataclass
class Address:
    # The place part, folded, with the kinds written out from our data ("xa bat trang, huyen gia lam, thanh pho ha
    # noi" for both "Bát Tràng, Gia Lâm" and "xã Bát Tràng - huyện Gia Lâm"): a choice made for one row applies to
    # every row with the same words.
    words: str
    status: str  # an AddressStatus
    commune_id: int | None = None
    province_id: int | None = None
    legacy_commune_id: int | None = None
    legacy_district_id: int | None = None
    candidates: list[Candidate] = field(default_factory=list)
    unknown_name: str = ""
    street: str = ""
    message: str = ""
    district_name: str = ""  # the former district as our data names it ("huyện Gia Lâm"), or as written if unknown


# Separators between parts. "/" only when not between digits (a house number 12/3), a hyphen only with a space on
# one side at least ("Phù Đổng - Gia Lâm"), dashes always. Captured, so names written with " - " can be rejoined.
_SEPARATOR = re.compile(r"\s*([,;]|(?<!\d)/|/(?!\d)|\s-+\s*|-+\s|[–—])\s*")
_COUNTRY = {"viet nam", "vietnam", "vn"}


def _copy(a: Address, *, street: str) -> Address:
    """A copy the caller may change without touching the cache (faster than dataclasses.replace)."""
    return Address(
        a.words, a.status, a.commune_id, a.province_id, a.legacy_commune_id, a.legacy_district_id,
        list(a.candidates), a.unknown_name, street, a.message, a.district_name,
    )  # fmt: skip


def _sorted(candidates: list[Candidate]) -> list[Candidate]:
    """Suggested first, then by name: the order a person chooses from."""
    return sorted(candidates, key=lambda c: (not c.suggested, fold(c.name)))


def _candidates(tables: PlaceTables, pairs: list[tuple[int, bool]]) -> list[Candidate]:
    """Today's communes of (commune id, suggested) pairs, once each: suggested if any pair suggests it."""
    merged: dict[int, bool] = {}
    for cid, suggested in pairs:
        merged[cid] = merged.get(cid, False) or suggested
    return [Candidate(cid, tables.commune_codes[cid], tables.commune_names[cid], s) for cid, s in merged.items()]


def _prefer(ids: list[int], kinds: dict[int, str], kind: str | None) -> list[int]:
    """Of several units with the same name, those of the written kind ("TT Yên Viên" and "xã Yên Viên" differ)."""
    if kind and len(ids) > 1:
        return [i for i in ids if kinds[i] == kind] or ids
    return ids


@dataclass(frozen=True)
class _Province:
    id: int
    tiers: list[list[int]]  # legacy provinces to search, the one named first
    words: str


@dataclass(frozen=True)
class _Head:
    province: _Province
    districts: list[int]
    consumed: int  # parts read from the right: the province and former district written


class AddressParser:
    """Parses addresses against tables loaded once; results are cached by text, so an import's ten thousand rows,
    which repeat a few hundred places, cost one parse per distinct place.

    Messages are translated when a place is first parsed: use one parser per import (one language)."""

    def __init__(self, *, default_province_id: int | None, tables: PlaceTables | None = None) -> None:
        self.tables = tables or PlaceTables()
        self.default_province_id = default_province_id
        self.commune_names = self.tables.commune_names
        self.commune_province = self.tables.commune_province
        self._by_text: dict[tuple[str, ...], Address] = {}
        self._heads: dict[tuple[Signature, ...], _Head | Address] = {}
        self._tails: dict[tuple[tuple[Signature, ...], Signature | None], tuple[Address, int]] = {}

    def parse(self, text: str | None) -> Address:
        """Free text: "Thôn 3, xã Phù Đổng, huyện Gia Lâm, thành phố Hà Nội"."""
        return self._cached((text or "",), lambda: self._pieces(text, None, limit=3))

    def parts(self, *, commune: str | None, district: str | None, province: str | None) -> Address:
        """Separate columns; each column's position decides how an unprefixed name is read first."""

        def pieces() -> tuple[list[str], list[UnitName]]:
            columns = [
                self._pieces(commune, "commune"),
                self._pieces(district, "district"),
                self._pieces(province, "province"),
            ]
            return [], [part for _unread, parts in columns for part in parts]

        return self._cached((commune or "", district or "", province or "", "\x00"), pieces)  # never a free text's key

    def choose(self, address: Address, commune_id: int) -> Address:
        """The address placed in the commune a person chose. Only a candidate may be chosen: any other id (a stale
        or forged choice) leaves the address as it was, still waiting."""
        if commune_id not in {c.commune_id for c in address.candidates}:
            return replace(address, candidates=list(address.candidates))
        return replace(
            address,
            status=AddressStatus.RESOLVED,
            commune_id=commune_id,
            province_id=self.commune_province[commune_id],
            candidates=list(address.candidates),
            message="",
        )

    # ---- splitting ----------------------------------------------------------------------------------------------

    def _pieces(
        self, text: str | None, hint: str | None, *, limit: int | None = None
    ) -> tuple[list[str], list[UnitName]]:
        """(pieces left unread, parts) of `text`, read from the right. With `limit`, reading stops once that many
        parts are read: what lies further left can only be the street, and rows differ most there."""
        text = unicodedata.normalize("NFC", text or "").strip()
        tokens = _SEPARATOR.split(text) if text else []
        pieces = tokens[:1]
        for sep, piece in zip(tokens[1::2], tokens[2::2], strict=True):
            joined = unit_name(f"{pieces[-1]} {piece}") if sep not in ",;/" else None
            if joined is not None and joined.key in self.tables.hyphenated:
                pieces[-1] = f"{pieces[-1]} - {piece}"  # "Bà Rịa - Vũng Tàu" is one name
            else:
                pieces.append(piece)
        parts: list[UnitName] = []
        while pieces and (limit is None or len(parts) < limit):
            units = [p for raw in split_units(pieces.pop()) if (p := unit_name(raw))]
            while not parts and units and units[-1].whole in _COUNTRY:
                units.pop()
            parts[:0] = units
        if hint and parts:  # the column says what its last name is (a written prefix still decides the level)
            parts[-1] = replace(parts[-1], hint=hint)
        return pieces, parts

    def _cached(self, key: tuple[str, ...], pieces: Callable[[], tuple[list[str], list[UnitName]]]) -> Address:
        found = self._by_text.get(key)
        if found is None:
            unread, parts = pieces()
            address, street_end = self._resolve(parts)
            street = ", ".join([*unread, *(p.raw for p in parts[:street_end])])
            found = self._by_text[key] = _copy(address, street=street)
        return _copy(found, street=found.street)

    # ---- reading from the right -----------------------------------------------------------------------------------

    def _resolve(self, parts: list[UnitName]) -> tuple[Address, int]:
        """(the address, how many leading parts are the street). Only the parts read are keys of the caches, so rows
        that differ in their street share one resolution; rows that fold alike ("Phú Thị", "phu thi") share it too, and
        its messages spell the name as the first of them did."""
        if not parts:
            return Address(words="", status=AddressStatus.EMPTY, message=_("Commune is required.")), 0
        head_key = tuple(p.signature for p in parts[-2:])
        head = self._heads.get(head_key)
        if head is None:
            head = self._heads[head_key] = self._head(parts[-2:])
        if isinstance(head, Address):
            return head, 0
        at = len(parts) - head.consumed - 1  # where the commune would be
        part = parts[at] if at >= 0 else None
        key = (head_key, part.signature if part is not None and head.consumed == 2 else None)
        tail = self._tails.get(key)
        if tail is None:
            tail = self._tails[key] = self._tail(head, part)
        return tail[0], at + 1 - tail[1]

    def _head(self, parts: list[UnitName]) -> _Head | Address:
        """The province and former district, read from the last two parts; an Address when one is unknown."""
        t = self.tables
        consumed = 0
        last = parts[-1]
        province = None
        if last.hint in (None, "province") and last.level in (None, "province", "city"):
            province = self._province(last)
            if province is not None:
                consumed = 1
            elif last.level == "province" or last.hint == "province":
                return self._unknown_province(parts, last.name)
        if province is None:
            if self.default_province_id is None:
                return self._unknown_province(parts, "")
            pid = self.default_province_id
            province = _Province(pid, [t.predecessors.get(pid, [])], t.province_words[pid])
        if consumed < len(parts):
            part = parts[-1 - consumed]
            if part.level in ("district", "city") or (part.level is None and part.hint in (None, "district")):
                if districts := self._districts(province, part):
                    return _Head(province, districts, consumed + 1)
                if part.level is not None or part.hint == "district":
                    words = f"{part.whole}, {province.words}"
                    message = _("Unknown former district “%(name)s”.") % {"name": part.raw}
                    status = AddressStatus.NOT_FOUND
                    return self._address(words, status, province, message, district_name=part.raw)
        return _Head(province, [], consumed)

    def _tail(self, head: _Head, part: UnitName | None) -> tuple[Address, int]:
        """The commune: (the address, 1 if `part` was read as a place, 0 if it is the street or absent)."""
        province, districts = head.province, head.districts
        if part is not None and part.level in (None, "commune"):
            found = self._commune(province, districts, part)
            if found is not None:
                return found, 1
            if part.level is None and part.hint != "commune" and part.street_like:
                pass  # "Thôn 3, Gia Lâm": a street before a former district; the commune is not given
            elif part.level is None and not districts and (as_district := self._districts(province, part)):
                return self._district_only(province, as_district), 1  # "Mỹ Đức" in the commune column
            else:
                return self._not_found(province, districts, part), 1
        if districts:
            return self._district_only(province, districts), 0
        return self._address(province.words, AddressStatus.EMPTY, province, _("Commune is required.")), 0

    def _province(self, part: UnitName) -> _Province | None:
        t = self.tables
        for key, _kind in part.readings():
            if (pid := t.province_by_key.get(key)) is not None:
                named = [lp for lp in t.legacy_province_by_key.get(key, []) if t.legacy_successor[lp] == pid]
                others = [lp for lp in t.predecessors.get(pid, []) if lp not in named]
                return _Province(pid, [named, others] if named else [others], t.province_words[pid])
            if lps := t.legacy_province_by_key.get(key):
                pid = t.legacy_successor[lps[0]]
                others = [lp for lp in t.predecessors.get(pid, []) if lp not in lps]
                return _Province(pid, [lps, others], t.legacy_province_words[lps[0]])
        return None

    def _districts(self, province: _Province, part: UnitName) -> list[int]:
        t = self.tables
        t.load_legacy()
        for key, kind in part.readings():
            for tier in province.tiers:
                ids = _prefer([d for lp in tier for d in t.districts.get((lp, key), [])], t.district_kind, kind)
                if ids:
                    return ids
        return []

    def _commune(self, province: _Province, districts: list[int], part: UnitName) -> Address | None:
        """The commune `part` names (within the former districts, if any were written), or None when no table has
        it."""
        t = self.tables
        for key, kind in part.readings():
            # No thị trấn since 2025: "TT Trâu Quỳ" is a former unit even where a commune of today has that name.
            today = [] if kind == "thi tran" else t.commune_ids.get((province.id, key), [])
            today = _prefer(today, t.commune_kind, kind)
            if today and not districts:
                return self._today_or_former(province, today, part, key, kind)
            t.load_legacy()
            if legacy := _prefer(self._legacy_named(province, districts, key), t.legacy_kind, kind):
                return self._from_legacy(province, legacy, part)
            # Today's commune written with its former district (lists of late 2025): taken if it descends from it.
            today = [cid for cid in today if t.commune_districts.get(cid, set()) & set(districts)]
            if len(today) == 1:
                return self._today(province, today, part)
        return None

    def _today_or_former(
        self, province: _Province, today: list[int], part: UnitName, key: str, kind: str | None
    ) -> Address:
        """A commune named without its district, where today's units bear the name: today's, unless a former unit of
        the name and the written kind went elsewhere ("xã Thanh Xuân" of Sóc Sơn is not today's Phường Thanh Xuân):
        then the person chooses between them."""
        t = self.tables
        t.load_legacy()
        former = self._legacy_named(province, [], key)
        if kind:
            former = [lc for lc in former if t.legacy_kind[lc] == kind]
        went = {cid for lc in former for cid, _default in t.successions.get(lc, [])}
        if not former or set(today) <= went:
            return self._today(province, today, part)
        if kind and all(t.commune_kind[cid] != kind for cid in today):
            return self._from_legacy(province, former, part)  # "xã X" where today only a "phường X" is left
        candidates = _sorted(_candidates(t, [(cid, False) for cid in today] + [
            pair for lc in former for pair in t.successions.get(lc, []) if pair[0] not in today
        ]))  # fmt: skip
        message = _("“%(name)s” is both a commune of today and a former commune elsewhere: choose which.")
        words = f"{part.written}, {province.words}"
        return self._address(
            words, AddressStatus.CHOOSE, province, message % {"name": part.name}, candidates=candidates
        )

    def _legacy_named(self, province: _Province, districts: list[int], key: str) -> list[int]:
        t = self.tables
        if districts:
            return [lc for d in districts for lc in t.legacy_ids.get((d, key), [])]
        for tier in province.tiers:
            if found := [lc for lp in tier for lc in t.legacy_in_province.get((lp, key), [])]:
                return found
        return []

    def _today(self, province: _Province, communes: list[int], part: UnitName) -> Address:
        t = self.tables
        if len(communes) == 1:
            words = f"{fold(t.commune_names[communes[0]])}, {province.words}"
            return self._address(words, AddressStatus.RESOLVED, province, commune_id=communes[0])
        message = _("Several communes are called “%(name)s”.") % {"name": part.name}
        candidates = _sorted(_candidates(t, [(cid, False) for cid in communes]))
        words = f"{part.written}, {province.words}"
        return self._address(words, AddressStatus.CHOOSE, province, message, candidates=candidates)

    def _from_legacy(self, province: _Province, legacy: list[int], part: UnitName) -> Address:
        """Former communes of one name → today's: resolved when they all went to one commune, else candidates."""
        t = self.tables
        districts = {t.legacy_district[lc] for lc in legacy}
        district = districts.pop() if len(districts) == 1 else None
        only = legacy[0] if len(legacy) == 1 else None
        candidates = _sorted(_candidates(t, [pair for lc in legacy for pair in t.successions.get(lc, [])]))
        words = t.legacy_words[only] if only is not None else part.written
        if district is not None:
            words = f"{words}, {t.district_words[district]}, {t.legacy_province_words[t.district_province[district]]}"
        else:
            words = f"{words}, {province.words}"
        if len(candidates) == 1:
            commune_id = candidates[0].commune_id
            return self._address(
                words,
                AddressStatus.RESOLVED,
                province,
                commune_id=commune_id,
                legacy_commune_id=only,
                district=district,
            )
        if only is not None and district is not None:
            message = _("“%(name)s” (%(district)s) was split on 1 July 2025: choose the commune it is part of now.")
            message %= {"name": part.name, "district": t.district_label[district]}
        elif district is not None:
            message = _("Several former communes are called “%(name)s”.") % {"name": part.name}
        else:
            message = _("“%(name)s” matches several former communes: give the former district too.")
            message %= {"name": part.name}
        return self._address(
            words,
            AddressStatus.CHOOSE,
            province,
            message,
            legacy_commune_id=only,
            district=district,
            candidates=candidates,
        )

    def _district_only(self, province: _Province, districts: list[int]) -> Address:
        """Only a former district: the communes of today its communes went to, by name."""
        t = self.tables
        candidates = _candidates(t, [pair for d in districts for pair in t.district_successors(d)])
        district = districts[0] if len(districts) == 1 else None
        words = ", ".join([*dict.fromkeys(t.district_words[d] for d in districts), province.words])
        if len(candidates) == 1:  # the whole former district went to one commune
            commune_id = candidates[0].commune_id
            return self._address(words, AddressStatus.RESOLVED, province, commune_id=commune_id, district=district)
        candidates.sort(key=lambda c: fold(c.name))
        message = _("Only the former district (%(district)s) is given: choose the commune it is part of now.")
        message %= {"district": ", ".join(t.district_label[d] for d in districts)}
        status = AddressStatus.DISTRICT_ONLY
        return self._address(words, status, province, message, district=district, candidates=candidates)

    def _not_found(self, province: _Province, districts: list[int], part: UnitName) -> Address:
        t = self.tables
        district = districts[0] if len(districts) == 1 else None
        words = ", ".join([part.written, *(t.district_words[d] for d in districts), province.words])
        if districts:
            message = _(
                "Commune “%(name)s” (%(district)s) is not in our administrative-unit data: it may have been merged "
                "before 2025. An office can add it with `ocop load_places --successions FILE`."
            ) % {"name": part.name, "district": ", ".join(t.district_label[d] for d in districts)}
        else:
            message = _(
                "Commune “%(name)s” is not in our administrative-unit data: it may have been merged before 2025. An "
                "office can add it with `ocop load_places --successions FILE`."
            ) % {"name": part.name}
        address = self._address(words, AddressStatus.NOT_FOUND, province, message, district=district)
        address.unknown_name = part.name
        return address

    def _unknown_province(self, parts: list[UnitName], name: str) -> Address:
        message = _("Unknown province “%(name)s”.") % {"name": name} if name else _("Province is required.")
        return Address(words=", ".join(p.whole for p in parts), status=AddressStatus.UNKNOWN_PROVINCE, message=message)

    def _address(
        self,
        words: str,
        status: AddressStatus,
        province: _Province,
        message: str = "",
        *,
        commune_id: int | None = None,
        legacy_commune_id: int | None = None,
        district: int | None = None,
        district_name: str = "",
        candidates: list[Candidate] | None = None,
    ) -> Address:
        t = self.tables
        return Address(
            words=words,
            status=status,
            commune_id=commune_id,
            province_id=t.commune_province[commune_id] if commune_id is not None else province.id,
            legacy_commune_id=legacy_commune_id,
            legacy_district_id=district,
            candidates=candidates or [],
            message=message,
            district_name=t.district_label[district] if district is not None else district_name,
        )
