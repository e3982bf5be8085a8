"""Certificates in the API, open to everyone: the status behind a QR, the register, the keys and the log."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema

from ocop.api.errors import ApiRouter
from ocop.api.params import MAX_ID, Code, PageNumber, PathCode
from ocop.certificates import log, queries
from ocop.certificates.models import Certificate, LogHead, SigningKey
from ocop.certificates.rules import shows_as_ocop

router = ApiRouter(tags=["certificates"])
PAGE_SIZE = 50


class CertificateOut(Schema):
    code: str
    number: str
    status: str = Field(
        description="what a reader sees today: valid, expiring, expired, suspended, revoked, superseded"
    )
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


class CertificatePage(Schema):
    count: int
    items: list[CertificateOut]


class CertificateFilters(Schema):
    status: Literal["current", "valid", "expiring", "expired", "suspended", "revoked", "superseded"] | None = Field(
        None, description="current = valid or expiring (an OCOP product today); default: all"
    )
    stars: int | None = Field(None, ge=3, le=5)
    province: Code | None = Field(None, description="province code, e.g. 01 for Hà Nội")
    page: PageNumber = 1


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


def _listing() -> QuerySet[Certificate]:
    return (
        queries.with_certified_names(queries.with_status(Certificate.objects.all()))
        .select_related("product", "producer", "commune", "province", "decision")
        .prefetch_related("packs")
    )


@router.get("/certificates", response=CertificatePage, summary="The register of certificates")
def list_certificates(request: HttpRequest, filters: Query[CertificateFilters]) -> dict[str, Any]:
    qs = _listing()
    if filters.status:
        qs = qs.filter(queries.status_q(filters.status))
    if filters.stars:
        qs = qs.filter(stars=filters.stars)
    if filters.province:
        qs = qs.filter(province__code=filters.province)
    qs = qs.order_by("-issued_on", "number")
    start = (filters.page - 1) * PAGE_SIZE
    return {"count": qs.count(), "items": [_out(request, c) for c in qs[start : start + PAGE_SIZE]]}


@router.get("/certificates/{code}", response=CertificateOut, summary="One certificate by the code in its QR")
def get_certificate(request: HttpRequest, code: PathCode) -> dict[str, Any]:
    cert = queries.by_code(code)
    if cert is None:
        raise Http404
    return _out(request, cert)


class KeyOut(Schema):
    province: str
    key_id: str
    public_key: str = Field(description="Ed25519, base64url of the 32 raw bytes")
    active: bool


@router.get("/keys", response=list[KeyOut], summary="The provinces' public keys for checking QR signatures offline")
def keys(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"province": k.province.code, "key_id": k.key_id, "public_key": k.public_key, "active": k.active}
        for k in SigningKey.objects.select_related("province").order_by("province__code", "created_at")
    ]


class LogEntryOut(Schema):
    seq: int
    at: str
    event: str
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
