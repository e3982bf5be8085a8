"""The public catalogue: certified products, searchable without login; only a valid certificate makes an OCOP
product."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from ocop.certificates import queries
from ocop.certificates.catalogue import STATUSES, certified_products, latest_certificates, product_status
from ocop.certificates.rules import shows_as_ocop
from ocop.core.cells import whole_digits
from ocop.core.collation import vi
from ocop.core.phones import phone_display, tel_uri
from ocop.core.search import RankedSearch
from ocop.core.uploads import file_response
from ocop.outlets.queries import stockists
from ocop.places.models import Commune, Province
from ocop.registry.models import Product, ProductGroup, ProductPhoto

PAGE_SIZE = 24
COUNT_CAP = 1000  # past this many matches the page says "1,000+" and offers the first 1,000


class _Capped:
    """The catalogue's results for the paginator: counted up to COUNT_CAP only."""

    def __init__(self, results: RankedSearch[Product]) -> None:
        self.results = results
        self.capped = results.capped_count(COUNT_CAP)

    def count(self) -> int:
        return self.capped

    def __len__(self) -> int:
        return self.capped

    def __getitem__(self, index: slice) -> list[Product]:
        return self.results[index]


def _int(value: str | None) -> int | None:
    """A filter's id: 1 to 18 ASCII digits, else no filter (a value past the database's integers is not an id)."""
    return whole_digits(value) if value else None


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    g = request.GET
    status = g.get("status") or "current"
    status = status if status in STATUSES else "current"
    stars = _int(g.get("stars")) if g.get("stars") in ("3", "4", "5") else None
    province = g.get("province", "")
    commune = _int(g.get("commune"))
    if commune and province and not Commune.objects.filter(pk=commune, province__code=province).exists():
        commune = None  # a commune of another province (the province was changed since): no commune filter
    results = certified_products(
        q=g.get("q", "").strip()[:100], status=status, stars=stars, group=g.get("group", ""), province=province,
        commune=commune,
    )  # fmt: skip
    capped = _Capped(results)
    page: Page[Product] = Paginator(capped, PAGE_SIZE).get_page(g.get("page"))  # type: ignore[arg-type]
    products = list(page.object_list)
    certs = latest_certificates(products)
    rows = [(p, certs.get(p.pk), product_status(p), "★" * (p.ocop_stars or 0)) for p in products]
    return render(
        request,
        "public/catalogue.html",
        {
            "page": page,
            "rows": rows,
            "query": urlencode([(k, str(v)) for k, v in g.items() if k != "page" and v]),
            "status": status,
            "more": capped.capped >= COUNT_CAP,
            "groups": ProductGroup.objects.order_by("position"),
            "provinces": Province.objects.filter(central=False).order_by(vi("short_name")),
            "communes": Commune.objects.filter(province__code=province).order_by(vi("short_name")) if province else [],
        },
    )


def _certified(pk: int) -> Product:
    product = (
        Product.objects.filter(pk=pk).exclude(ocop_status="")
        .select_related("producer", "product_set", "group", "province", "commune", "legacy_district")
        .first()
    )  # fmt: skip
    if product is None:
        raise Http404
    return product


@require_GET
def product_page(request: HttpRequest, pk: int) -> HttpResponse:
    product = _certified(pk)
    status = product_status(product)
    cert = latest_certificates([product]).get(product.pk)
    # The page names the product as certified; its name of today, when the producer renamed it, shows beside.
    certified = queries.names_as_certified(cert.pk)[0] if cert else product.name
    return render(
        request,
        "public/product.html",
        {
            "p": product,
            "certified_name": certified,
            "current_name": queries.current_name(certified, product.name),
            "cert": cert,
            "status": status,
            "ocop": shows_as_ocop(status),
            "photos": product.photos.all(),
            "packs": queries.packs_of(cert) if cert and shows_as_ocop(status) else [],
            "star_marks": "★" * (product.ocop_stars or 0),
            "producer_tel": tel_uri(product.producer.phone),
            "producer_phone": phone_display(product.producer.phone),
            "stockists": stockists(product.pk).select_related("commune").order_by("name")[:50]
            if shows_as_ocop(status)
            else [],
        },
    )


@require_GET
def product_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    product = _certified(pk)
    photo = ProductPhoto.objects.filter(pk=photo_pk, product=product).first()
    if photo is None:
        raise Http404
    response = file_response(photo.image, content_type=photo.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
