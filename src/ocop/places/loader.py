"""Fill our administrative-unit tables from the vietnamadminunits package data (MIT), and from an office's file of
communes merged before 2025 that the package lacks (`load_successions`).

Reads the package's bundled SQLite dataset and conversion tables directly; the package's online
geocoder is never called. Only missing rows are added, so running it twice changes nothing and names
edited in our tables stay as edited.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from django.db import transaction
from django.utils.translation import gettext as _

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
from ocop.places.queries import central_level
from ocop.places.resolver import HISTORIC_PROVINCES, name_key, read_unit

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
    central_level()
    return report


# ---- successions of communes merged before 2025 -----------------------------------------------------------------

# The columns of a successions file, as an office writes them.
NAME, DISTRICT, SUCCESSOR, RESOLUTION, PROVINCE = "Tên cũ", "Huyện cũ", "Mã xã kế thừa", "Nghị quyết", "Tỉnh cũ"
_COMMUNE_KINDS = {"xa": "Xã", "phuong": "Phường", "thi tran": "Thị trấn"}


class SuccessionsError(ValueError):
    """A successions file that cannot be loaded; the message names the row and column."""


def _read_table(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a CSV (UTF-8, with or without BOM) or .xlsx file, each with its spreadsheet row number and
    its cells by folded column title."""
    if path.suffix.lower() == ".xlsx":
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several error types for a file that is not a workbook
            raise SuccessionsError(_("The file is not an Excel workbook (.xlsx).")) from exc
        try:
            rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)] if workbook.worksheets else []
        finally:
            workbook.close()
    elif path.suffix.lower() == ".csv":
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = [list(r) for r in csv.reader(handle)]
        except UnicodeDecodeError as exc:
            raise SuccessionsError(_("The CSV file is not UTF-8 text.")) from exc
    else:
        raise SuccessionsError(_("The file must be a .csv or .xlsx file."))
    headers = [fold(str(h)) if h is not None else "" for h in (rows[0] if rows else [])]
    missing = [c for c in (NAME, DISTRICT, SUCCESSOR, RESOLUTION) if fold(c) not in headers]
    if missing:
        raise SuccessionsError(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    table = []
    for number, values in enumerate(rows[1:], start=2):
        cells = {
            h: " ".join(unicodedata.normalize("NFC", _cell(v)).split()) for h, v in zip(headers, values, strict=False)
        }
        if any(cells.values()):
            table.append((number, cells))
    return table


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():  # a code Excel stored as a number
        value = int(value)
    return "" if value is None else str(value)


@dataclass
class _Row:
    number: int
    kind: str
    name: str
    district: LegacyDistrict
    commune: Commune
    resolution: str


def _problem(row: int, column: str, message: str) -> SuccessionsError:
    return SuccessionsError(
        _("Row %(row)s, column “%(column)s”: %(problem)s") % {"row": row, "column": column, "problem": message}
    )


class _Units:
    """The units a successions file refers to, read once for all its rows."""

    def __init__(self, default_province_code: str) -> None:
        self.provinces = list(LegacyProvince.objects.select_related("successor"))
        self.defaults = [p for p in self.provinces if p.successor.code == default_province_code]
        self.districts = list(LegacyDistrict.objects.select_related("province"))
        self._names: dict[int, set[str]] = {}

    def provinces_named(self, text: str) -> list[LegacyProvince]:
        key = name_key(text)
        code = HISTORIC_PROVINCES.get(key)
        return [p for p in self.provinces if key in (name_key(p.name), fold(p.short_name)) or p.code == code]

    def districts_named(self, text: str, provinces: list[LegacyProvince]) -> list[LegacyDistrict]:
        kind, name = read_unit(text)
        key, ids = fold(name), {p.pk for p in provinces}
        return [
            d
            for d in self.districts
            if d.province_id in ids
            and key in (name_key(d.name), fold(d.short_name))
            and (kind is None or fold(d.kind) == kind)
        ]

    def has_commune(self, district: LegacyDistrict, name: str) -> bool:
        """Whether the package data already has a commune of that name in the district (added rows aside)."""
        names = self._names.get(district.pk)
        if names is None:
            rows = district.communes.exclude(key__startswith="extra_").values_list("name", "short_name")
            names = self._names[district.pk] = {k for name, short in rows for k in (name_key(name), fold(short))}
        return fold(name) in names


def _check_row(number: int, cells: dict[str, str], units: _Units) -> _Row:
    def cell(column: str) -> str:
        value = cells.get(fold(column), "")
        if not value and column not in (PROVINCE, RESOLUTION):
            raise _problem(number, column, _("a value is required."))
        return value

    kind, name = read_unit(cell(NAME))
    district_text, code, resolution, province_text = cell(DISTRICT), cell(SUCCESSOR), cell(RESOLUTION), cell(PROVINCE)
    provinces = units.provinces_named(province_text) if province_text else units.defaults
    if not provinces and province_text:
        raise _problem(number, PROVINCE, _("no former province is called “%(value)s”.") % {"value": province_text})
    if not provinces:  # OCOP_DEFAULT_PROVINCE names no province: the file must say which
        raise _problem(number, PROVINCE, _("a value is required."))
    districts = units.districts_named(district_text, provinces)
    if not districts:
        raise _problem(number, DISTRICT, _("no former district is called “%(value)s”.") % {"value": district_text})
    if len(districts) > 1:
        message = _("several former districts are called “%(value)s”: write its kind too (huyện, quận, thị xã...).")
        raise _problem(number, DISTRICT, message % {"value": district_text})
    district = districts[0]
    if code.isdigit() and len(code) < 5:  # a spreadsheet drops the leading zeros of "00565"
        code = code.zfill(5)
    commune = Commune.objects.filter(code=code).first()
    if commune is None:
        raise _problem(number, SUCCESSOR, _("no commune of today has the code “%(value)s”.") % {"value": code})
    if commune.province_id != district.province.successor_id:
        message = _("%(commune)s (%(code)s) is not in the province that %(district)s belongs to now.")
        raise _problem(number, SUCCESSOR, message % {"commune": commune.name, "code": code, "district": district.name})
    if units.has_commune(district, name):
        message = _("“%(name)s” is already a former commune of %(district)s in our data.")
        raise _problem(number, NAME, message % {"name": cells[fold(NAME)], "district": district.name})
    return _Row(number, _COMMUNE_KINDS.get(kind or "", ""), name, district, commune, resolution)


def load_successions(path: Path, *, default_province_code: str) -> LoadReport:
    """Add communes merged before 2025 that the package data lacks, each with today's commune it is part of.

    Every row is checked before anything is written; a bad row raises SuccessionsError naming its row and column.
    Running the same file twice adds nothing. Side effects: LegacyCommune (key "extra_<district code>_<name>", no
    code) and CommuneSuccession rows; the first successor of a former commune is the suggested one.
    """
    units = _Units(default_province_code)
    rows = [_check_row(number, cells, units) for number, cells in _read_table(path)]
    report = LoadReport()
    with transaction.atomic():
        for row in rows:
            key = f"extra_{row.district.code}_{fold(row.name).replace(' ', '_')}"
            full_name = f"{row.kind} {row.name}" if row.kind else row.name
            legacy, created = LegacyCommune.objects.get_or_create(
                key=key,
                defaults={
                    "district": row.district,
                    "name": full_name,
                    "short_name": row.name,
                    "kind": row.kind,
                    "resolution": row.resolution,
                    "search_text": fold(full_name),
                },
            )
            report.add("former communes", int(created))
            if not legacy.successions.filter(commune=row.commune).exists():
                is_default = not legacy.successions.exists()
                CommuneSuccession.objects.create(legacy_commune=legacy, commune=row.commune, is_default=is_default)
                report.add("successions", 1)
    return report
