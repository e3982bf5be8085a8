from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from ocop.certificates.catalogue import counts_by_group_and_stars
from ocop.outlets.enums import OutletKind
from ocop.places.queries import default_province
from ocop.public.maps import allows_tiles, tile_layer
from ocop.registry.models import ProductGroup


@require_GET
@allows_tiles
def home(request: HttpRequest) -> HttpResponse:
    """The consumer's front door: search the catalogue, the province's OCOP products by star and by group, where to
    buy them, a QR check and the open data. Two aggregate queries and the province's row."""
    province = default_province()
    code = province.code if province else ""
    counts = counts_by_group_and_stars(code)
    catalogue = reverse("catalogue")

    def link(**filters: str) -> str:
        return f"{catalogue}?{urlencode({'province': code, **filters} if code else filters)}"

    stars = [(s, "★" * s, sum(n for (_g, st), n in counts.items() if st == s), link(stars=str(s))) for s in (5, 4, 3)]
    by_group: dict[int | None, int] = {}
    for (group, _s), n in counts.items():
        by_group[group] = by_group.get(group, 0) + n
    groups = [(g, by_group.get(g.pk, 0), link(group=g.code)) for g in ProductGroup.objects.order_by("position")]
    # The small map of the sales points (front.js loads Leaflet and map.js when it comes into view).
    map_files = {
        "styles": [static(f) for f in ("vendor/leaflet/leaflet.css", "vendor/markercluster/MarkerCluster.css",
                                       "vendor/markercluster/MarkerCluster.Default.css")],
        "scripts": [static(f) for f in ("vendor/leaflet/leaflet.js", "vendor/markercluster/leaflet.markercluster.js",
                                        "ocop/map.js")],
    }  # fmt: skip
    return render(
        request,
        "public/home.html",
        {
            "province": province,
            "total": sum(counts.values()),
            "all_link": link(),
            "stars": stars,
            "groups": groups,
            "map_styles": json.dumps(map_files["styles"]),
            "map_scripts": json.dumps(map_files["scripts"]),
            "geojson_url": reverse("api:outlets") + (f"?{urlencode({'province': code})}" if code else ""),
            "outlet_page": reverse("outlet_page", args=["CODE"]),
            "kind_labels": json.dumps({k: str(v) for k, v in OutletKind.choices}, ensure_ascii=False),
            **tile_layer(),
        },
    )


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on pages that name no icon (a copy of a page, a PDF viewer): our icon."""
    response = HttpResponseRedirect(static("ocop/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
