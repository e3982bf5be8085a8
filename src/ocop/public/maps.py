"""The outlet map's background, shared by the map page and the home page's small map: our own provinces outline, and
beneath it the tiles of a tile server when OCOP_MAP_TILES_URL is set (docs/deployment.md, "The map's background")."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csp import csp_override

from ocop.core.env import tile_origin


def tile_layer() -> dict[str, Any]:
    """The template's map_tiles, map_attribution and map_max_zoom (public/map_tiles.html writes them on the map)."""
    return {
        "map_tiles": settings.OCOP_MAP_TILES_URL,
        "map_attribution": settings.OCOP_MAP_ATTRIBUTION,
        "map_max_zoom": settings.OCOP_MAP_MAX_ZOOM,
    }


def allows_tiles(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page's Content-Security-Policy lets images come from the tile server, when one is set; only the map pages
    do, and no other host is ever allowed."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        origin = tile_origin(settings.OCOP_MAP_TILES_URL) if settings.OCOP_MAP_TILES_URL else None
        if origin is None:
            return view(request, *args, **kwargs)
        site = cast("dict[str, list[str]]", settings.SECURE_CSP)
        policy = {**site, "img-src": [*site.get("img-src", []), origin]}
        return csp_override(policy)(view)(request, *args, **kwargs)

    return wrapped
