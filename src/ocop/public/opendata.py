"""/open-data/: the register of certificates as CSV and JSON, the transparency log's signed checkpoints, and a DCAT
description of the dataset."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ocop.reporting.opendata import FIELDS, current_register, register_path

LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "public/opendata.html", {"meta": current_register(), "fields": FIELDS, "license": LICENSE})


@require_GET
def download(request: HttpRequest, kind: str) -> FileResponse:
    types = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
    if kind not in types:
        raise Http404
    content_type = types[kind]
    response = FileResponse(register_path(kind).open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="ocop-certificates.{kind}"'
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def checkpoints(request: HttpRequest) -> FileResponse:
    response = FileResponse(register_path("json", "checkpoints").open("rb"), content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="ocop-checkpoints.json"'
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def dcat(request: HttpRequest) -> JsonResponse:
    """The dataset described with DCAT (JSON-LD), for data portals."""
    meta = current_register()
    base = settings.OCOP_PUBLIC_BASE_URL.rstrip("/")

    def distribution(kind: str, media: str, path: str = "") -> dict[str, Any]:
        url = base + (path or reverse("open_data_file", args=[kind]))
        return {"@type": "dcat:Distribution", "dcat:downloadURL": url, "dcat:accessURL": url,
                "dcat:mediaType": media, "dct:format": kind.upper(), "dct:license": LICENSE}  # fmt: skip

    signed = {**distribution("json", "application/json", reverse("open_data_checkpoints")),
              "dct:title": [{"@language": "vi", "@value": "Các mốc kiểm chứng có ký số của nhật ký minh bạch"},
                            {"@language": "en", "@value": "Signed checkpoints of the transparency log"}]}  # fmt: skip

    body = {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#"},
        "@id": base + reverse("open_data_dcat"),
        "@type": "dcat:Dataset",
        "dct:title": [{"@language": "vi", "@value": "Danh sách giấy chứng nhận sản phẩm OCOP"},
                      {"@language": "en", "@value": "Register of OCOP product certificates"}],
        "dct:description": [
            {"@language": "vi", "@value": "Mọi giấy chứng nhận sản phẩm OCOP: số, sản phẩm, chủ thể, xã, hạng sao, "
                                          "ngày cấp, hiệu lực và tình trạng hôm nay."},
            {"@language": "en", "@value": "Every OCOP product certificate: number, product, producer, commune, "
                                          "stars, dates and today's status."},
        ],
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": "Cơ quan thường trực Chương trình OCOP"},
        "dct:license": LICENSE,
        "dct:modified": meta["generated_at"],
        "dct:spatial": "Việt Nam",
        "dcat:keyword": ["OCOP", "Mỗi xã một sản phẩm", "giấy chứng nhận", "certificates"],
        "dcat:landingPage": base + reverse("open_data"),
        "dcat:distribution": [distribution("csv", "text/csv"), distribution("json", "application/json"), signed],
        "ocop:fields": FIELDS,
        "ocop:count": meta["count"],
    }  # fmt: skip
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
