"""/open-data/: the register of certificates, the catalogue of OCOP products and the sales points as files, the
transparency log's signed checkpoints, and a DCAT catalogue (JSON-LD) describing them.

A request never builds a file (reporting.opendata): it serves the last complete one, with a strong ETag and
Last-Modified (304 to a reader who has it), and queues a rebuild when the files are missing or behind. Before the
first build it answers 503 with a page saying the files are being prepared. Every address answers HEAD as GET
(link checkers and harvesters ask it), without the body."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from ocop.core.storage import open_stamped
from ocop.reporting import opendata
from ocop.reporting.opendata_sets import CERTIFICATE_COLUMNS, PRODUCT_COLUMNS

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
RETRY_SECONDS = 30


def _preparing(request: HttpRequest) -> HttpResponse:
    response = render(request, "public/opendata_preparing.html", status=503)
    response["Retry-After"] = str(RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    meta = opendata.ensure(opendata.current())
    if meta is None:
        return _preparing(request)
    return render(request, "public/opendata.html", {
        "meta": meta, "generated": dt.datetime.fromisoformat(meta["generated_at"]), "license": LICENSE,
        "certificate_columns": CERTIFICATE_COLUMNS, "product_columns": PRODUCT_COLUMNS,
    })  # fmt: skip


@require_safe
def download(request: HttpRequest, name: str) -> HttpResponseBase:
    """One of the files, as last built: opened once, and its ETag and date read from the file that is sent."""
    if name not in opendata.FILES:
        raise Http404
    try:
        fh, stamp = open_stamped(opendata.storage(), opendata.stored_name(name))
    except FileNotFoundError:  # before the first build, or a dataset newer than the last build (an upgrade)
        opendata.ensure(opendata.current(), missing=True)
        return _preparing(request)
    opendata.ensure(opendata.current())
    response: HttpResponseBase
    if request.method == "HEAD":  # the headers of the file, none of its bytes
        fh.close()
        response = HttpResponse(content_type=opendata.FILES[name])
        response["Content-Length"] = str(stamp.size)
    else:
        response = FileResponse(fh, content_type=opendata.FILES[name])
    response["Content-Disposition"] = f'inline; filename="ocop-{name}"'
    response["Cache-Control"] = "no-cache"  # kept, but checked each time: the ETag answers 304 while it holds
    response["ETag"] = f'"{stamp.tag}"'  # a new file is a new tag (inode and date; a bucket's own ETag)
    response["Last-Modified"] = http_date(stamp.modified)
    answer = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(stamp.modified),
        response=response,  # type: ignore[arg-type]  # a FileResponse is answered like any other
    )
    if answer is not response and not fh.closed:
        fh.close()
    return answer or response


def _vi_en(vi: str, en: str) -> list[dict[str, str]]:
    return [{"@language": "vi", "@value": vi}, {"@language": "en", "@value": en}]


CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "vcard": "http://www.w3.org/2006/vcard/ns#",
    "dcat:downloadURL": {"@type": "@id"}, "dcat:accessURL": {"@type": "@id"}, "dcat:landingPage": {"@type": "@id"},
    "dcat:mediaType": {"@type": "@id"}, "dct:license": {"@type": "@id"}, "dct:conformsTo": {"@type": "@id"},
    "dct:spatial": {"@type": "@id"}, "dct:accrualPeriodicity": {"@type": "@id"}, "foaf:homepage": {"@type": "@id"},
    "vcard:hasURL": {"@type": "@id"}, "dct:relation": {"@type": "@id"},
    "dct:modified": {"@type": "xsd:dateTime"}, "dct:issued": {"@type": "xsd:date"},
    "dcat:byteSize": {"@type": "xsd:nonNegativeInteger"},
}  # fmt: skip
MEDIA = "https://www.iana.org/assignments/media-types/"
VIETNAM = "http://publications.europa.eu/resource/authority/country/VNM"
CONTINUOUS = "http://purl.org/cld/freq/continuous"


@require_safe
def dcat(request: HttpRequest) -> HttpResponse:
    """The datasets described with DCAT in JSON-LD, every address from OCOP_PUBLIC_BASE_URL. Only the CSV tables
    conform to the Table Schemas (dct:conformsTo), which are not distributions themselves; the JSON files are
    {"items": [...]} documents. The signed checkpoints are a dataset of their own, related to the register.
    A strong ETag (of the body) and Last-Modified (when the files were made): 304 to a harvester who has it."""
    meta = opendata.ensure(opendata.current())
    if meta is None:
        return _preparing(request)
    base = settings.OCOP_PUBLIC_BASE_URL.rstrip("/")
    page = base + reverse("open_data")

    def url(name: str) -> str:
        return base + reverse("open_data_file", args=[name])

    def distribution(name: str, fmt: str, media: str, vi: str, en: str, schema: str = "") -> dict[str, Any]:
        out = {"@id": f"{page}#{name}", "@type": "dcat:Distribution", "dct:title": _vi_en(vi, en),
               "dcat:downloadURL": url(name), "dcat:accessURL": page, "dcat:mediaType": MEDIA + media,
               "dct:format": fmt, "dct:license": LICENSE, "dct:modified": meta["generated_at"]}  # fmt: skip
        if name in meta.get("sizes", {}):  # as built, from meta.json: the storage is not asked
            out["dcat:byteSize"] = meta["sizes"][name]
        if schema:
            out["dct:conformsTo"] = url(schema)
        return out

    def dataset(key: str, vi: str, en: str, about_vi: str, about_en: str, files: list[dict[str, Any]],
                keywords: list[str], **more: Any) -> dict[str, Any]:  # fmt: skip
        return {
            "@id": f"{page}#{key}", "@type": "dcat:Dataset", "dct:identifier": key, "dct:title": _vi_en(vi, en),
            "dct:description": _vi_en(about_vi, about_en), "dct:publisher": {"@id": publisher["@id"]},
            "dcat:contactPoint": contact, "dct:license": LICENSE, "dct:issued": meta.get("first_day", meta["day"]),
            "dct:modified": meta["generated_at"], "dct:spatial": VIETNAM, "dct:accrualPeriodicity": CONTINUOUS,
            "dcat:landingPage": page, "dcat:keyword": ["OCOP", "Mỗi xã một sản phẩm", *keywords],
            "dcat:distribution": files, **more,
        }  # fmt: skip

    publisher = {"@id": f"{base}/#publisher", "@type": "foaf:Organization",
                 "foaf:name": "Cơ quan thường trực Chương trình OCOP", "foaf:homepage": base + "/"}  # fmt: skip
    contact = {"@type": "vcard:Organization", "vcard:fn": "Cơ quan thường trực Chương trình OCOP",
               "vcard:hasURL": page}  # fmt: skip
    certificates = dataset(
        "certificates", "Danh sách giấy chứng nhận sản phẩm OCOP", "Register of OCOP product certificates",
        "Mọi giấy chứng nhận sản phẩm OCOP: số, mã tra cứu, sản phẩm, chủ thể, tỉnh và xã (đơn vị hành chính từ "
        "1/7/2025) với mã và tên, hạng sao, ngày cấp, hiệu lực, tình trạng hôm nay, quyết định và cơ quan ban hành.",
        "Every OCOP product certificate: number, verification code, product, producer, province and commune (units "
        "from 1 July 2025) with codes and names, stars, dates, today's status, decision and issuing body.",
        [distribution("certificates.csv", "CSV", "text/csv", "Bảng CSV (UTF-8)", "CSV table (UTF-8)",
                      "certificates.schema.json"),
         distribution("certificates.json", "JSON", "application/json", "JSON", "JSON")],
        ["giấy chứng nhận", "certificates"],
        **{"dct:relation": f"{page}#checkpoints"},
    )  # fmt: skip
    signed = dataset(
        "checkpoints", "Các mốc kiểm chứng có ký số của nhật ký minh bạch",
        "Signed checkpoints of the transparency log",
        "Các mốc kiểm chứng có ký số của nhật ký minh bạch các giấy chứng nhận: ai cũng kiểm tra được danh sách giấy "
        "chứng nhận không bị sửa lại về sau.",
        "The signed checkpoints of the certificates' transparency log: anyone can check that the register was not "
        "rewritten afterwards.",
        [distribution("checkpoints.json", "JSON", "application/json",
                      "Các mốc kiểm chứng có ký số của nhật ký minh bạch",
                      "Signed checkpoints of the transparency log")],
        ["nhật ký minh bạch", "transparency log"],
        **{"dct:relation": f"{page}#certificates"},
    )  # fmt: skip
    products = dataset(
        "products", "Danh mục sản phẩm OCOP đang còn hiệu lực", "Catalogue of OCOP products in force",
        "Các sản phẩm đang là sản phẩm OCOP hôm nay: mã và tên sản phẩm, chủ thể, tỉnh và xã, hạng sao, số giấy "
        "chứng nhận, hiệu lực đến và trang công khai.",
        "The products that are OCOP products today: id and name, producer, province and commune, stars, certificate "
        "number, valid until and public page.",
        [distribution("products.csv", "CSV", "text/csv", "Bảng CSV (UTF-8)", "CSV table (UTF-8)",
                      "products.schema.json"),
         distribution("products.json", "JSON", "application/json", "JSON", "JSON")],
        ["sản phẩm", "products"],
    )  # fmt: skip
    outlets = dataset(
        "sales-points", "Điểm bán sản phẩm OCOP", "OCOP sales points",
        "Các điểm giới thiệu và bán sản phẩm OCOP đã được công nhận, với tọa độ, địa chỉ, tỉnh và xã và trang "
        "công khai (GeoJSON).",
        "The recognised OCOP sales points with coordinates, address, province and commune and public page "
        "(GeoJSON).",
        [distribution("sales-points.geojson", "GeoJSON", "application/geo+json", "GeoJSON", "GeoJSON")],
        ["điểm bán", "sales points"],
    )  # fmt: skip
    body = {
        "@context": CONTEXT,
        "@id": base + reverse("open_data_dcat"),
        "@type": "dcat:Catalog",
        "dct:title": _vi_en("Dữ liệu mở OCOP", "OCOP open data"),
        "dct:description": _vi_en("Dữ liệu mở của Chương trình Mỗi xã một sản phẩm (OCOP).",
                                  "Open data of the One Commune One Product (OCOP) programme."),
        "dct:publisher": publisher,
        "dct:license": LICENSE,
        "dct:modified": meta["generated_at"],
        "foaf:homepage": page,
        "dcat:dataset": [certificates, products, outlets, signed],
    }  # fmt: skip
    content = json.dumps(body, ensure_ascii=False).encode()
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    modified = int(dt.datetime.fromisoformat(meta["generated_at"]).timestamp())
    response = HttpResponse(content, content_type="application/ld+json")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = "no-cache"
    return get_conditional_response(request, etag=etag, last_modified=modified, response=response) or response
