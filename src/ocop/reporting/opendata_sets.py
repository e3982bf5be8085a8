"""The open datasets' columns and rows: the certificates register, the public catalogue of OCOP products and the
sales points. Each row comes from a chunked queryset iterator of plain values (never model instances, never a list
of all rows), so a file of 300,000 rows is written with the memory of one chunk.

Each tabular dataset has its columns described once (`Column`); its Frictionless Table Schema is made from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Subquery

from ocop.certificates import queries
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.models import Certificate, Status
from ocop.outlets.enums import OutletStatus
from ocop.outlets.models import Outlet
from ocop.registry.models import Product

CHUNK = 2000
STATUSES = [s.value for s in Status]
LEVELS = [level.value for level in IssuingLevel]
DECIMALS = 6  # coordinates to a tenth of a metre, without the float noise of 105.85199999999999


@dataclass(frozen=True)
class Column:
    name: str
    title: str  # Vietnamese
    description: str  # English
    type: str = "string"
    constraints: dict[str, Any] = field(default_factory=dict)
    format: str = "default"  # "uri" for an address

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "title": self.title, "description": self.description,
                               "type": self.type, "format": self.format}  # fmt: skip
        if self.constraints:
            out["constraints"] = self.constraints
        return out


REQUIRED: dict[str, Any] = {"required": True}
PROVINCE_CODE = {"required": True, "pattern": "[0-9]{2}"}
COMMUNE_CODE = {"pattern": "[0-9]{5}"}  # empty for a certificate of the ministry's or a province's own level

CERTIFICATE_COLUMNS = [
    Column("certificate_number", "Số giấy chứng nhận", "Certificate number (province-year-sequence)", "string",
           {"required": True, "unique": True}),
    Column("certificate_code", "Mã tra cứu (mã QR)", "Verification code behind the QR mark", "string",
           {"required": True, "unique": True}),
    Column("product_id", "Mã sản phẩm", "Product id in the register", "integer", {"required": True, "minimum": 1}),
    Column("product_name", "Tên sản phẩm (như được chứng nhận)", "Product name as certified", "string", REQUIRED),
    Column("product_name_today", "Tên sản phẩm hiện tại", "Product name today (after any rename)", "string",
           REQUIRED),
    Column("producer_id", "Mã chủ thể", "Producer id in the register", "integer", {"required": True, "minimum": 1}),
    Column("producer_name", "Tên chủ thể (như được chứng nhận)", "Producer name as certified", "string", REQUIRED),
    Column("producer_name_today", "Tên chủ thể hiện tại", "Producer name today (after any rename)", "string",
           REQUIRED),
    Column("province_code", "Mã tỉnh/thành phố", "Province code (units from 1 July 2025)", "string", PROVINCE_CODE),
    Column("province_name", "Tỉnh/thành phố", "Province name (units from 1 July 2025)", "string", REQUIRED),
    Column("commune_code", "Mã xã/phường/đặc khu", "Commune code (units from 1 July 2025)", "string", COMMUNE_CODE),
    Column("commune_name", "Xã/phường/đặc khu", "Commune name (units from 1 July 2025)", "string"),
    Column("stars", "Hạng sao", "Stars (3 to 5)", "integer", {"required": True, "minimum": 3, "maximum": 5}),
    Column("issued_on", "Ngày cấp", "Date of issue (yyyy-mm-dd)", "date", REQUIRED),
    Column("valid_until", "Hiệu lực đến", "Valid until (yyyy-mm-dd)", "date", REQUIRED),
    Column("status", "Tình trạng hôm nay", "Status today: valid, expiring (valid, ending within 90 days), expired, "
           "suspended, revoked, superseded", "string", {"required": True, "enum": STATUSES}),
    Column("decision_number", "Số quyết định công nhận", "Number of the recognition decision", "string", REQUIRED),
    Column("issuing_body", "Cơ quan ban hành", "Body that issued the decision, as written on it", "string",
           REQUIRED),
    Column("issuing_level", "Cấp ban hành", "Level of the issuing body: province (People's Committee), ministry "
           "(Ministry of Agriculture and Environment), district (former district People's Committee, before July "
           "2025)", "string", {"required": True, "enum": LEVELS}),
    Column("issuing_province_code", "Mã tỉnh của cơ quan ban hành", "Province code of the issuing People's "
           "Committee (of the former district's province for a district); empty for the ministry", "string",
           {"pattern": "[0-9]{2}"}),
]  # fmt: skip

PRODUCT_COLUMNS = [
    Column("product_id", "Mã sản phẩm", "Product id in the register", "integer",
           {"required": True, "unique": True, "minimum": 1}),
    Column("product_name", "Tên sản phẩm", "Product name today", "string", REQUIRED),
    Column("producer_id", "Mã chủ thể", "Producer id in the register", "integer", {"required": True, "minimum": 1}),
    Column("producer_name", "Tên chủ thể", "Producer name today", "string", REQUIRED),
    Column("province_code", "Mã tỉnh/thành phố", "Province code (units from 1 July 2025)", "string", PROVINCE_CODE),
    Column("province_name", "Tỉnh/thành phố", "Province name (units from 1 July 2025)", "string", REQUIRED),
    Column("commune_code", "Mã xã/phường/đặc khu", "Commune code (units from 1 July 2025)", "string", COMMUNE_CODE),
    Column("commune_name", "Xã/phường/đặc khu", "Commune name (units from 1 July 2025)", "string"),
    Column("stars", "Hạng sao", "Stars (3 to 5)", "integer", {"required": True, "minimum": 3, "maximum": 5}),
    Column("certificate_number", "Số giấy chứng nhận", "Number of its certificate in force", "string", REQUIRED),
    Column("valid_until", "Hiệu lực đến", "Valid until (yyyy-mm-dd)", "date", REQUIRED),
    Column("url", "Trang công khai", "Public page of the product", "string", REQUIRED, "uri"),
]  # fmt: skip


def table_schema(columns: list[Column], key: str) -> dict[str, Any]:
    """A Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/) of the columns."""
    return {"fields": [c.schema() for c in columns], "primaryKey": [key], "missingValues": [""]}


def base_url() -> str:
    """OCOP_PUBLIC_BASE_URL without its final slash: the files' links start with it."""
    return str(settings.OCOP_PUBLIC_BASE_URL).rstrip("/")


# The public pages' paths by kind ("product", "outlet") as format strings ("/san-pham/{}/"), told by the public app
# at start (its AppConfig.ready): the domain never holds a URL name (core/tests/test_no_urls_below_interfaces.py).
_public_paths: Callable[[str], str] | None = None


def set_public_paths(paths: Callable[[str], str]) -> None:
    global _public_paths
    _public_paths = paths


def _url_of(kind: str) -> str:
    """The public address of a kind's page, as a format string ("https://…/san-pham/{}/")."""
    if _public_paths is None:
        raise RuntimeError("The public app is not installed: open data has no page to link to.")
    return base_url() + _public_paths(kind)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def certificate_rows(today: dt.date) -> Iterator[dict[str, Any]]:
    qs = queries.with_certified_names(queries.with_status(Certificate.objects.all(), today))
    values = qs.order_by("province__code", "year", "sequence", "id").values_list(  # type: ignore[misc]  # annotations
        "number", "code", "product_id", "certified_product", "product__name", "producer_id", "certified_producer",
        "producer__name", "province__code", "province__name", "commune__code", "commune__name", "stars", "issued_on",
        "valid_until", "reader_status", "decision__number", "decision__issuing_body", "decision__level",
        "decision__province__code",
    )  # fmt: skip
    for row in values.iterator(chunk_size=CHUNK):
        (number, code, product_id, product, product_today, producer_id, producer, producer_today, province_code,
         province, commune_code, commune, stars, issued_on, valid_until, status, decision, body, level,
         body_province) = row  # fmt: skip
        yield {
            "certificate_number": number, "certificate_code": code, "product_id": product_id,
            "product_name": product, "product_name_today": product_today, "producer_id": producer_id,
            "producer_name": producer, "producer_name_today": producer_today, "province_code": province_code,
            "province_name": province, "commune_code": commune_code or "", "commune_name": commune or "",
            "stars": stars, "issued_on": _iso(issued_on), "valid_until": _iso(valid_until), "status": status,
            "decision_number": decision, "issuing_body": body, "issuing_level": level,
            "issuing_province_code": "" if level == IssuingLevel.MINISTRY else body_province,
        }  # fmt: skip


def product_rows(today: dt.date) -> Iterator[dict[str, Any]]:
    """The public catalogue: the products that are OCOP products today (a valid certificate, not past its date)."""
    in_force = Certificate.objects.filter(product=OuterRef("pk"), status=Status.VALID, valid_until__gte=today)
    qs = Product.objects.filter(queries.status_q("current", today, prefix="ocop_")).annotate(
        certificate=Subquery(in_force.order_by("-issued_on", "-id").values("number")[:1])
    )
    values = qs.order_by("id").values_list(
        "id", "name", "producer_id", "producer__name", "province__code", "province__name", "commune__code",
        "commune__name", "ocop_stars", "certificate", "ocop_until",
    )  # fmt: skip
    page = _url_of("product")
    for row in values.iterator(chunk_size=CHUNK):
        (pk, name, producer_id, producer, province_code, province, commune_code, commune, stars, number,
         until) = row  # fmt: skip
        yield {
            "product_id": pk, "product_name": name, "producer_id": producer_id, "producer_name": producer,
            "province_code": province_code, "province_name": province, "commune_code": commune_code or "",
            "commune_name": commune or "", "stars": stars, "certificate_number": number or "",
            "valid_until": _iso(until), "url": page.format(pk),
        }  # fmt: skip


def outlet_features() -> Iterator[dict[str, Any]]:
    """The recognised OCOP sales points as GeoJSON features (longitude first, as GeoJSON orders them)."""
    values = (
        Outlet.objects.filter(status=OutletStatus.RECOGNISED)
        .order_by("code", "id")
        .values_list(
            "code",
            "name",
            "kind",
            "address",
            "latitude",
            "longitude",
            "approximate",
            "province__code",
            "province__name",
            "commune__code",
            "commune__name",
        )
    )
    page = _url_of("outlet")
    for row in values.iterator(chunk_size=CHUNK):
        code, name, kind, address, lat, lon, approximate, province_code, province, commune_code, commune = row
        yield {
            "type": "Feature",
            "id": code,
            "geometry": {"type": "Point", "coordinates": [round(lon, DECIMALS), round(lat, DECIMALS)]},
            "properties": {
                "code": code, "name": name, "kind": kind, "address": address, "approximate": approximate,
                "province_code": province_code, "province_name": province, "commune_code": commune_code,
                "commune_name": commune, "url": page.format(code),
            },
        }  # fmt: skip
