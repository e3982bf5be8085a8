from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status

from ocop.api.auth import api_auth
from ocop.api.enums import DataFlag, ProducerKind, ProductStatus, plain
from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import Code, Id, PathId, Words
from ocop.api.text import LongText, Text
from ocop.core.search import RankedSearch
from ocop.places.models import Commune
from ocop.registry import access, services
from ocop.registry.duplicates import similar_products
from ocop.registry.models import Producer, Product, ProductSet
from ocop.registry.queries import product_listing, product_rows

router = ApiRouter(tags=["registry"], auth=api_auth)


class ProducerOut(Schema):
    id: int
    kind: ProducerKind
    name: str
    identifier: str
    legal_representative: str
    phone: str
    email: str
    address: str
    commune_code: str | None = Field(None, alias="commune.code")
    commune_name: str | None = Field(None, alias="commune.name")
    province_code: str = Field(alias="province.code")
    data_flags: list[DataFlag]
    women_led: bool
    ethnic_minority: bool


class ProducerIn(Schema):
    kind: ProducerKind
    name: Text = Field(max_length=255)
    identifier: Text = Field("", max_length=32)
    legal_representative: Text = Field("", max_length=200)
    phone: Text = Field("", max_length=20)
    email: Text = Field("", max_length=254)
    address: Text = Field("", max_length=300)
    commune_code: Text = Field(max_length=8)
    women_led: bool = False
    ethnic_minority: bool = False


class ProducerPatch(Schema):
    kind: ProducerKind | None = None
    name: Text | None = Field(None, max_length=255)
    identifier: Text | None = Field(None, max_length=32)
    legal_representative: Text | None = Field(None, max_length=200)
    phone: Text | None = Field(None, max_length=20)
    email: Text | None = Field(None, max_length=254)
    address: Text | None = Field(None, max_length=300)
    commune_code: Text | None = Field(None, max_length=8)
    women_led: bool | None = None
    ethnic_minority: bool | None = None


class PackOut(Schema):
    name: str
    size: str
    gtin: str


class PackIn(Schema):
    name: Text = Field(max_length=120)
    size: Text = Field("", max_length=60)
    gtin: Text = Field("", max_length=14)


class ProductOut(Schema):
    id: int
    name: str
    producer_id: int
    producer_name: str = Field(alias="producer.name")
    product_set_code: str | None = Field(None, alias="product_set.code")
    product_set_name: str | None = Field(None, alias="product_set.name")
    group_code: str | None = Field(None, alias="group.code")
    group_name: str | None = Field(None, alias="group.name")
    commune_code: str | None = Field(None, alias="commune.code")
    commune_name: str | None = Field(None, alias="commune.name")
    province_code: str = Field(alias="province.code")
    data_flags: list[DataFlag]
    description: str
    story: str
    status: ProductStatus
    packs: list[PackOut]


class SimilarOut(Schema):
    id: int = Field(alias="product.id")
    name: str = Field(alias="product.name")
    producer_name: str = Field(alias="product.producer.name")
    score: int


class ProductCreated(ProductOut):
    possible_duplicates: list[SimilarOut]


class ProductIn(Schema):
    producer_id: Id
    name: Text = Field(max_length=255)
    product_set_code: Text = Field(max_length=32)
    commune_code: Text = Field(max_length=8)
    description: LongText = ""
    story: LongText = ""
    status: ProductStatus = ProductStatus.ACTIVE
    packs: list[PackIn] = []


class ProductPatch(Schema):
    name: Text | None = Field(None, max_length=255)
    product_set_code: Text | None = Field(None, max_length=32)
    commune_code: Text | None = Field(None, max_length=8)
    description: LongText | None = None
    story: LongText | None = None
    status: ProductStatus | None = None


class ProducerPage(Page[ProducerOut]): ...


class ProductPage(Page[ProductOut]): ...


class ProducerFilters(PageQuery):
    q: Words | None = Field(None, description="words of the name, tax code or address (marks optional)")
    province: Code | None = None
    commune: Code | None = None
    kind: ProducerKind | None = None


class ProductFilters(PageQuery):
    q: Words | None = Field(None, description="words of the name (marks optional)")
    province: Code | None = None
    commune: Code | None = None
    group: Code | None = None


def _page(request: HttpRequest, rows: RankedSearch[Any], filters: PageQuery) -> dict[str, Any]:
    """A page of a ranked search: by rank, then folded name, then id, with words; by folded name and id without."""
    return paginate(request, cast(Sequence[Any], rows), filters, count=rows.count())


def _refuse_nulls(data: dict[str, Any]) -> None:
    """PATCH bodies may leave a field out, not set it to null."""
    nulls = [k for k, v in data.items() if v is None]
    if nulls:
        raise ValidationError({k: [_("This field cannot be null.")] for k in nulls})


def _commune(code: str, field: str = "commune_code") -> Commune:
    commune = Commune.objects.filter(code=code).select_related("province").first()
    if commune is None:
        raise ValidationError({field: [_("Unknown commune code “%(code)s”.") % {"code": code}]})
    return commune


def _product_set(code: str) -> ProductSet:
    product_set = ProductSet.objects.filter(code=code, is_active=True).first()
    if product_set is None:
        raise ValidationError({"product_set_code": [_("Unknown product set “%(code)s”.") % {"code": code}]})
    return product_set


@router.get("/producers", response=ProducerPage, summary="Producers visible to you")
def list_producers(request: HttpRequest, filters: Query[ProducerFilters]) -> dict[str, Any]:
    qs = access.producers_visible_to(request.user)
    if filters.province:
        qs = qs.filter(province__code=filters.province)
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    if filters.kind:
        qs = qs.filter(kind=filters.kind.value)
    ranked = RankedSearch(
        qs.order_by("search_text", "id"), filters.q, select=("province", "commune", "legacy_district")
    )
    return _page(request, ranked, filters)


@router.get("/producers/{producer_id}", response=ProducerOut)
def get_producer(request: HttpRequest, producer_id: PathId) -> Producer:
    return access.get_producer_for_user(request.user, producer_id)


@router.post("/producers", response={201: ProducerOut})
def create_producer(request: HttpRequest, payload: ProducerIn) -> Status[Producer]:
    data = plain(payload.dict())
    data["commune"] = _commune(data.pop("commune_code"))
    return Status(201, services.create_producer(by=request.user, **data))


@router.patch("/producers/{producer_id}", response=ProducerOut)
def update_producer(request: HttpRequest, producer_id: PathId, payload: ProducerPatch) -> Producer:
    producer = access.get_producer_for_user(request.user, producer_id, write=True)
    data = plain(payload.dict(exclude_unset=True))
    if "commune_code" in data:
        data["commune"] = _commune(data.pop("commune_code") or "")
    _refuse_nulls(data)
    return services.update_producer(producer=producer, by=request.user, **data)


def _products(request: HttpRequest) -> QuerySet[Product]:
    return product_rows(access.products_visible_to(request.user))


@router.get("/products", response=ProductPage, summary="Products visible to you")
def list_products(request: HttpRequest, filters: Query[ProductFilters]) -> dict[str, Any]:
    qs = access.products_visible_to(request.user)
    if filters.province:
        qs = qs.filter(province__code=filters.province)
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    if filters.group:
        qs = qs.filter(group__code=filters.group)
    return _page(request, product_listing(qs.order_by("search_text", "id"), filters.q), filters)


@router.get("/products/{product_id}", response=ProductOut)
def get_product(request: HttpRequest, product_id: PathId) -> Product:
    access.get_product_for_user(request.user, product_id)
    return _products(request).get(pk=product_id)


@router.post("/products", response={201: ProductCreated})
def create_product(request: HttpRequest, payload: ProductIn) -> Status[Product]:
    data = plain(payload.dict())
    producer = access.producers_visible_to(request.user).filter(pk=data.pop("producer_id")).first()
    if producer is None:
        raise ValidationError({"producer_id": [_("No such producer.")]})
    commune = _commune(data.pop("commune_code"))
    similar = similar_products(
        access.products_visible_to(request.user), name=data["name"], producer_id=producer.pk, commune_id=commune.pk
    )
    product = services.create_product(
        by=request.user,
        producer=producer,
        product_set=_product_set(data.pop("product_set_code")),
        commune=commune,
        **data,
    )
    created = _products(request).get(pk=product.pk)
    created.possible_duplicates = similar  # type: ignore[attr-defined]  # a warning for the client, not a block
    return Status(201, created)


@router.patch("/products/{product_id}", response=ProductOut)
def update_product(request: HttpRequest, product_id: PathId, payload: ProductPatch) -> Product:
    product = access.get_product_for_user(request.user, product_id, write=True)
    data = plain(payload.dict(exclude_unset=True))
    _refuse_nulls(data)
    if "product_set_code" in data:
        data["product_set"] = _product_set(data.pop("product_set_code"))
    if "commune_code" in data:
        data["commune"] = _commune(data.pop("commune_code"))
    services.update_product(product=product, by=request.user, **data)
    return _products(request).get(pk=product.pk)
