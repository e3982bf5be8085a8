"""Certificates in the API, open to everyone: the status behind a QR, the register, the keys and the log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema

from ocop.api import caching
from ocop.api.caching import cached
from ocop.api.enums import CertificateStatus, CertificateStatusFilter, LogEvent
from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import MAX_ID, Code, PathCode
from ocop.certificates import log, queries
from ocop.certificates.models import Certificate, LogHead, SigningKey
from ocop.certificates.rules import shows_as_ocop

router = ApiRouter(tags=["certificates"])


class CertificateOut(Schema):
    code: str
    number: str
    status: CertificateStatus = Field(description="what a reader sees today")
    ocop: bool = Field(description="true when the product may be presented as an OCOP product today")
    stars: int
    product: str = Field(description="the product's name as certified (as it stood at issue)")
    current_name: str | None = Field(
        description="the product's name today when the producer has renamed it since; null when unchanged"
    )
    product_id: int
    producer: str = Field(description="the producer's name as certified")
    current_producer: str | None = Field(description="the producer's name today when it changed since; else null")
    commune: str | None
    province: str
    issued_on: dt.date
    valid_until: dt.date
    decision: str
    issuing_body: str
    status_reason: str
    status_since: dt.date | None
    packs: list[str]
    url: str


class CertificatePage(Page[CertificateOut]): ...


class CertificateFilters(PageQuery):
    status: CertificateStatusFilter | None = Field(
        None, description="current = valid or expiring (an OCOP product today); default: all"
    )
    stars: int | None = Field(None, ge=3, le=5)
    province: Code | None = Field(None, description="province code, e.g. 01 for Hà Nội")


def _out(request: HttpRequest, c: Certificate) -> dict[str, Any]:
    status = c.reader_status  # type: ignore[attr-defined]
    return {
        "code": c.code,
        "number": c.number,
        "status": status,
        "ocop": shows_as_ocop(status),
        "stars": c.stars,
        "product": c.certified_product,  # type: ignore[attr-defined]
        "current_name": queries.current_name(c.certified_product, c.product.name),  # type: ignore[attr-defined]
        "product_id": c.product_id,
        "producer": c.certified_producer,  # type: ignore[attr-defined]
        "current_producer": queries.current_name(c.certified_producer, c.producer.name),  # type: ignore[attr-defined]
        "commune": c.commune.name if c.commune else None,
        "province": c.province.name,
        "issued_on": c.issued_on,
        "valid_until": c.valid_until,
        "decision": c.decision.number,
        "issuing_body": c.decision.issuing_body,
        "status_reason": c.status_reason,
        "status_since": c.status_since,
        "packs": [p["name"] for p in queries.packs_of(c)],
        "url": request.build_absolute_uri(f"/v/{c.code}"),
    }


def _listing(qs: QuerySet[Certificate]) -> QuerySet[Certificate]:
    return (
        queries.with_certified_names(queries.with_status(qs))
        .select_related("product", "producer", "commune", "province", "decision")
        .prefetch_related("packs")
    )


@router.get(
    "/certificates", response={200: CertificatePage, 304: None}, summary="The register of certificates, newest first"
)
@cached(caching.STATUS)
def list_certificates(request: HttpRequest, filters: Query[CertificateFilters]) -> dict[str, Any]:
    qs = Certificate.objects.all()
    if filters.stars:
        qs = qs.filter(stars=filters.stars)
    if filters.province:
        qs = qs.filter(province__code=filters.province)
    # What a reader sees of a certificate changes with it, its product's and its producer's names. Stamped before
    # the status filter: a certificate suspended (or revoked) leaves `?status=current`, and the list without it is
    # newer than the latest row still in it (else If-Modified-Since would keep the suspended one listed as current).
    stamps = qs.aggregate(Max("updated_at"), Max("product__updated_at"), Max("producer__updated_at")).values()
    caching.modified(request, *stamps, daily=True)
    if filters.status:
        qs = qs.filter(queries.status_q(filters.status.value))
    rows = _listing(qs).order_by("-issued_on", "number")
    return paginate(request, rows, filters, lambda c: _out(request, c))


@router.get(
    "/certificates/{code}", response={200: CertificateOut, 304: None}, summary="One certificate by the code in its QR"
)
@cached(caching.STATUS)
def get_certificate(request: HttpRequest, code: PathCode) -> dict[str, Any]:
    cert = queries.by_code(code)
    if cert is None:
        raise Http404
    caching.modified(request, cert.updated_at, cert.product.updated_at, cert.producer.updated_at, daily=True)
    return _out(request, cert)


class KeyOut(Schema):
    province: str
    key_id: str
    public_key: str = Field(description="Ed25519, base64url of the 32 raw bytes")
    active: bool


@router.get(
    "/keys",
    response={200: list[KeyOut], 304: None},
    summary="The provinces' public keys for checking QR signatures offline (a short list: a key or two a province)",
)
@cached(caching.STATUS)
def keys(request: HttpRequest) -> list[dict[str, Any]]:
    rows = list(SigningKey.objects.select_related("province").order_by("province__code", "created_at", "id"))
    caching.modified(request, *(k.updated_at for k in rows))
    return [
        {"province": k.province.code, "key_id": k.key_id, "public_key": k.public_key, "active": k.active} for k in rows
    ]


class LogEntryOut(Schema):
    seq: int
    at: str
    event: LogEvent
    certificate: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


class LogPage(Schema):
    head_seq: int
    head_hash: str
    entries: list[LogEntryOut]


class LogFilters(Schema):
    after: int = Field(0, ge=0, le=MAX_ID, description="entries after this sequence number")
    limit: int = Field(1000, ge=1, le=5000)


@router.get("/transparency-log", response=LogPage, summary="The hash-chained log of certificate events")
def transparency_log(request: HttpRequest, filters: Query[LogFilters]) -> dict[str, Any]:
    head = LogHead.objects.filter(pk=1).first()
    return {
        "head_seq": head.seq if head else 0,
        "head_hash": head.hash if head else log.GENESIS,
        "entries": list(log.entries(after=filters.after, limit=filters.limit)),
    }
