"""Turn the place names people type (today's or pre-2025) into today's commune.

An old address (commune, district, province) is converted through the official old→new mapping.
Where the old commune was split, every candidate is returned and the user must choose; nothing is
ever geocoded.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ocop.core.text import fold
from ocop.places.models import Commune, CommuneSuccession, LegacyCommune, LegacyDistrict, LegacyProvince, Province

_PREFIX = re.compile(r"^(thanh pho|tinh|quan|huyen|thi xa|thi tran|xa|phuong|dac khu|tp)\s+")


def name_key(text: str | None) -> str:
    """Folded name without its unit prefix: "Huyện Ba Vì" and "ba vi" give the same key."""
    folded = fold(text)
    stripped = _PREFIX.sub("", folded)
    return stripped or folded


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
    """Loads the unit tables once; resolves many rows quickly (imports).

    Today's provinces and communes are loaded at once; the ten thousand legacy units only when a row
    first needs them.
    """

    def __init__(self) -> None:
        self._legacy_loaded = False
        self.provinces: dict[str, int] = {}
        for p in Province.objects.only("id", "name", "short_name"):
            self.provinces[name_key(p.name)] = p.id
            self.provinces[name_key(p.short_name)] = p.id
        self.communes: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.commune_names: dict[int, str] = {}
        for c in Commune.objects.only("id", "name", "short_name", "province_id"):
            self.commune_names[c.id] = c.name
            for key in {name_key(c.name), name_key(c.short_name)}:
                self.communes[(c.province_id, key)].append(c.id)

    def _load_legacy(self) -> None:
        if self._legacy_loaded:
            return
        self._legacy_loaded = True
        self.legacy_provinces: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for lp in LegacyProvince.objects.only("id", "name", "short_name", "successor_id"):
            for key in {name_key(lp.name), name_key(lp.short_name)}:
                self.legacy_provinces[key].append((lp.id, lp.successor_id))
        self.districts: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.districts_of_province: dict[int, list[int]] = defaultdict(list)
        for d in LegacyDistrict.objects.only("id", "name", "short_name", "province_id"):
            self.districts_of_province[d.province_id].append(d.id)
            for key in {name_key(d.name), name_key(d.short_name)}:
                self.districts[(d.province_id, key)].append(d.id)
        self.legacy_communes: dict[tuple[int, str], list[int]] = defaultdict(list)
        for lc in LegacyCommune.objects.only("id", "name", "short_name", "district_id"):
            for key in {name_key(lc.name), name_key(lc.short_name)}:
                self.legacy_communes[(lc.district_id, key)].append(lc.id)
        self.successions: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        for s in CommuneSuccession.objects.values_list("legacy_commune_id", "commune_id", "is_default"):
            self.successions[s[0]].append((s[1], s[2]))

    def _from_legacy(self, legacy_id: int) -> PlaceMatch:
        succ = self.successions.get(legacy_id, [])
        if len(succ) == 1:
            return PlaceMatch(commune_id=succ[0][0], legacy_commune_id=legacy_id)
        candidates = sorted(
            ((cid, self.commune_names[cid], default) for cid, default in succ), key=lambda c: (not c[2], c[1])
        )
        return PlaceMatch(legacy_commune_id=legacy_id, candidates=candidates)

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
        if not commune:
            return PlaceMatch(error=_("Commune is required."), column=commune_column)
        pkey = name_key(province) if province else None
        province_id = self.provinces.get(pkey) if pkey else default_province_id
        ckey = name_key(commune)
        if province_id is not None and not district:
            current = self.communes.get((province_id, ckey), [])
            if len(current) == 1:
                return PlaceMatch(commune_id=current[0])
        self._load_legacy()
        legacy_pairs = self.legacy_provinces.get(pkey, []) if pkey else []
        if province_id is None and legacy_pairs:
            province_id = legacy_pairs[0][1]
        if province_id is None:
            return PlaceMatch(error=_("Unknown province “%(name)s”.") % {"name": province}, column=province_column)
        if not legacy_pairs:
            legacy_pairs = [
                (lp_id, succ)
                for pairs in self.legacy_provinces.values()
                for lp_id, succ in pairs
                if succ == province_id
            ]
        legacy_province_ids = list(dict.fromkeys(lp for lp, _succ in legacy_pairs))

        if district:
            dkey = name_key(district)
            district_ids = [d for lp in legacy_province_ids for d in self.districts.get((lp, dkey), [])]
            if not district_ids:
                return PlaceMatch(
                    error=_("Unknown former district “%(name)s”.") % {"name": district}, column=district_column
                )
            legacy_ids = [lc for d in district_ids for lc in self.legacy_communes.get((d, ckey), [])]
            if len(legacy_ids) == 1:
                return self._from_legacy(legacy_ids[0])
            if not legacy_ids:
                return PlaceMatch(
                    error=_("Unknown former commune “%(commune)s” in “%(district)s”.")
                    % {"commune": commune, "district": district},
                    column=commune_column,
                )
            return PlaceMatch(
                error=_("Several former communes are called “%(name)s”.") % {"name": commune}, column=commune_column
            )

        current = self.communes.get((province_id, ckey), [])
        if len(current) == 1:
            return PlaceMatch(commune_id=current[0])
        if len(current) > 1:
            return PlaceMatch(
                error=_("Several communes are called “%(name)s”.") % {"name": commune}, column=commune_column
            )
        legacy_ids = [
            lc
            for lp in legacy_province_ids
            for d in self.districts_of_province.get(lp, [])
            for lc in self.legacy_communes.get((d, ckey), [])
        ]
        if len(legacy_ids) == 1:
            return self._from_legacy(legacy_ids[0])
        if len(legacy_ids) > 1:
            return PlaceMatch(
                error=_("“%(name)s” matches several former communes: give the former district too.")
                % {"name": commune},
                column=district_column,
            )
        return PlaceMatch(error=_("Unknown commune “%(name)s”.") % {"name": commune}, column=commune_column)
