"""Fill our administrative-unit tables from the vietnamadminunits package data (MIT).

Reads the package's bundled SQLite dataset and conversion tables directly; the package's online
geocoder is never called. Only missing rows are added, so running it twice changes nothing and names
edited in our tables stay as edited.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from ocop.core.text import fold
from ocop.places.models import (
    Commune,
    CommuneKind,
    CommuneSuccession,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)

KIND_BY_TYPE = {"Xã": CommuneKind.COMMUNE, "Phường": CommuneKind.WARD, "Đặc khu": CommuneKind.SPECIAL_ZONE}


def data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or spec.origin is None:
        raise RuntimeError("vietnamadminunits is not installed")
    return Path(spec.origin).parent / "data"


def _rows(sql: str) -> list[dict[str, Any]]:
    with sqlite3.connect(data_dir() / "dataset.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql).fetchall()]


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.created[name] = self.created.get(name, 0) + count

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _legacy_key(row: dict[str, Any]) -> str:
    return f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"


@transaction.atomic
def load_places() -> LoadReport:
    report = LoadReport()
    current = _rows(
        "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, provinceKey, "
        "ward, wardShort, wardType, wardCode, wardLat, wardLon, wardKey FROM admin_units ORDER BY wardCode"
    )
    legacy = _rows(
        "SELECT province, provinceShort, provinceCode, provinceKey, district, districtShort, districtType, "
        "districtCode, districtKey, ward, wardShort, wardType, wardCode, wardKey "
        "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    )
    conversion = json.loads((data_dir() / "converter_2025.json").read_text(encoding="utf-8"))

    # Provinces and communes in force since 1 July 2025.
    known = set(Province.objects.values_list("code", flat=True))
    new_provinces = {}
    for r in current:
        if r["provinceCode"] not in known and r["provinceCode"] not in new_provinces:
            new_provinces[r["provinceCode"]] = Province(
                code=r["provinceCode"],
                name=r["province"],
                short_name=r["provinceShort"],
                latitude=r["provinceLat"],
                longitude=r["provinceLon"],
                search_text=fold(r["province"]),
            )
    Province.objects.bulk_create(new_provinces.values())
    report.add("provinces", len(new_provinces))
    province_id = dict(Province.objects.values_list("code", "id"))
    province_code_by_key = {r["provinceKey"]: r["provinceCode"] for r in current}

    known = set(Commune.objects.values_list("code", flat=True))
    new_communes = [
        Commune(
            code=r["wardCode"],
            province_id=province_id[r["provinceCode"]],
            name=r["ward"],
            short_name=r["wardShort"],
            kind=KIND_BY_TYPE[r["wardType"]],
            latitude=r["wardLat"],
            longitude=r["wardLon"],
            search_text=fold(r["ward"]),
        )
        for r in current
        if r["wardCode"] not in known
    ]
    Commune.objects.bulk_create(new_communes, batch_size=1000)
    report.add("communes", len(new_communes))
    commune_id = {(province_code_by_key[r["provinceKey"]], r["wardKey"]): r["wardCode"] for r in current}
    commune_pk = dict(Commune.objects.values_list("code", "id"))

    # The 63 former provinces, each merged into one of today's 34.
    successor_by_old_key = {old: new for new, olds in conversion["DICT_PROVINCE"].items() for old in olds}
    known = set(LegacyProvince.objects.values_list("code", flat=True))
    new_legacy_provinces = {}
    for r in legacy:
        if r["provinceCode"] in known or r["provinceCode"] in new_legacy_provinces:
            continue
        successor_code = province_code_by_key[successor_by_old_key[r["provinceKey"]]]
        new_legacy_provinces[r["provinceCode"]] = LegacyProvince(
            code=r["provinceCode"],
            name=r["province"],
            short_name=r["provinceShort"],
            successor_id=province_id[successor_code],
            search_text=fold(r["province"]),
        )
    LegacyProvince.objects.bulk_create(new_legacy_provinces.values())
    report.add("legacy provinces", len(new_legacy_provinces))
    legacy_province_id = dict(LegacyProvince.objects.values_list("code", "id"))

    known = set(LegacyDistrict.objects.values_list("code", flat=True))
    new_districts = {}
    for r in legacy:
        if r["districtCode"] in known or r["districtCode"] in new_districts:
            continue
        new_districts[r["districtCode"]] = LegacyDistrict(
            code=r["districtCode"],
            province_id=legacy_province_id[r["provinceCode"]],
            name=r["district"],
            short_name=r["districtShort"],
            kind=r["districtType"] or "",
            search_text=fold(r["district"]),
        )
    LegacyDistrict.objects.bulk_create(new_districts.values())
    report.add("legacy districts", len(new_districts))
    district_id = dict(LegacyDistrict.objects.values_list("code", "id"))

    known = set(LegacyCommune.objects.values_list("key", flat=True))
    new_legacy_communes = []
    for r in legacy:
        key = _legacy_key(r)
        if key in known:
            continue
        # Island districts had no communes: they stand for themselves.
        name = r["ward"] or r["district"]
        new_legacy_communes.append(
            LegacyCommune(
                key=key,
                code=r["wardCode"] or "",
                district_id=district_id[r["districtCode"]],
                name=name,
                short_name=r["wardShort"] or r["districtShort"],
                kind=r["wardType"] or "",
                search_text=fold(name),
            )
        )
    LegacyCommune.objects.bulk_create(new_legacy_communes, batch_size=1000)
    report.add("legacy communes", len(new_legacy_communes))
    legacy_pk = dict(LegacyCommune.objects.values_list("key", "id"))

    # Old commune → new commune(s).
    pairs: dict[tuple[int, int], bool] = {}
    for new_province_key, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        p_code = province_code_by_key[new_province_key]
        for new_ward_key, old_keys in wards.items():
            new_pk = commune_pk[commune_id[(p_code, new_ward_key)]]
            for old_key in old_keys:
                pairs[(legacy_pk[old_key], new_pk)] = True
    for new_province_key, olds in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        p_code = province_code_by_key[new_province_key]
        for old_key, candidates in olds.items():
            for c in candidates:
                new_pk = commune_pk[commune_id[(p_code, c["newWardKey"])]]
                pairs[(legacy_pk[old_key], new_pk)] = bool(c["isDefaultNewWard"])
    known_pairs = set(CommuneSuccession.objects.values_list("legacy_commune_id", "commune_id"))
    new_successions = [
        CommuneSuccession(legacy_commune_id=lc, commune_id=c, is_default=d)
        for (lc, c), d in pairs.items()
        if (lc, c) not in known_pairs
    ]
    CommuneSuccession.objects.bulk_create(new_successions, batch_size=2000)
    report.add("successions", len(new_successions))
    return report
