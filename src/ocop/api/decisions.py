"""Recognition decisions (quyết định công nhận) in the API, open to everyone.

An issued decision is a published legal document: the certificates it created are already public (the register,
the QR page, the open data name its number and issuing body), so its number, date, issuing body, signer and the
certificates it lists are read without logging in, as certificates are (`ocop.certificates.queries.
published_decisions`). A draft is the office's work and is not in the API: it is a 404 like an unknown id.

Both reads carry an ETag and a Last-Modified and answer 304 (ocop.api.caching) under the status policy (public,
no-cache): a decision lists its certificates' statuses, which a cache must never show older than their change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Max, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema

from ocop.api import caching
from ocop.api.caching import cached
from ocop.api.enums import CertificateStatus, IssuingLevel, LegalBasis
from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import Code, PathId
from ocop.certificates import queries
from ocop.certificates.models import Certificate, Decision

router = ApiRouter(tags=["decisions"])


class IssuerOut(Schema):
    code: str = Field(description="the province's code, or TW for the ministry (the central level)")
    name: str


class DecisionOut(Schema):
    id: int
    number: str = Field(description="the decision's number, e.g. 1234/QĐ-UBND")
    signed_on: dt.date | None = Field(description="the decision's date")
    date_approximate: bool = Field(
        description="true when only the year is known (a list entered from history): signed_on is then the year's "
        "last day"
    )
    level: IssuingLevel
    issuing_body: str = Field(description="the issuing body as the decision names it")
    province: IssuerOut = Field(description="the province whose body issued it, or the central level")
    district: str | None = Field(description="the former district that issued it (before July 2025), if one")
    signer: str = Field(description="who signed it")
    signer_title: str = Field(description="the signer's title as signed, e.g. PHÓ CHỦ TỊCH; may be empty")
    signer_authority: str = Field(description="the signing authority as signed, e.g. KT. CHỦ TỊCH; may be empty")
    legal_basis: LegalBasis
    historical: bool = Field(description="entered from a recognition list of the past, not issued here")
    certificate_count: int = Field(description="how many certificates it created")


class DecisionPage(Page[DecisionOut]): ...


class DecisionCertificateOut(Schema):
    number: str = Field(description="the certificate's number")
    code: str = Field(description="the code behind its QR: /api/v1/certificates/{code} reads it")
    product_id: int
    product: str = Field(description="the product's name as certified")
    producer: str = Field(description="the producer's name as certified")
    stars: int
    potential_five: bool = Field(description="4 stars, potential 5 stars (referred to the central round)")
    issued_on: dt.date
    valid_until: dt.date
    status: CertificateStatus


class DecisionDetailOut(DecisionOut):
    certificates: list[DecisionCertificateOut] = Field(description="the certificates it created, in its order")


class DecisionFilters(PageQuery):
    year: int | None = Field(None, ge=2018, le=2100, description="the year it was signed in")
    province: Code | None = Field(None, description="the issuing province's code (01 for Hà Nội), or TW")
    level: IssuingLevel | None = None


def _listing() -> QuerySet[Decision]:
    return (
        queries.published_decisions()
        .select_related("province", "legacy_district")
        .annotate(certificate_count=Count("certificates"))
    )


def _decision(d: Decision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "number": d.number,
        "signed_on": d.signed_on,
        "date_approximate": d.date_approximate,
        "level": d.level,
        "issuing_body": d.issuing_body,
        "province": {"code": d.province.code, "name": d.province.name},
        "district": d.legacy_district.name if d.legacy_district else None,
        "signer": d.signer,
        "signer_title": d.signer_title,
        "signer_authority": d.signer_authority,
        "legal_basis": d.legal_basis,
        "historical": d.historical,
        "certificate_count": d.certificate_count,  # type: ignore[attr-defined]
    }


@router.get(
    "/decisions", response={200: DecisionPage, 304: None}, summary="Issued recognition decisions, the latest first"
)
@cached(caching.STATUS)
def list_decisions(request: HttpRequest, filters: Query[DecisionFilters]) -> dict[str, Any]:
    qs = _listing()
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.province:
        qs = qs.filter(province__code=filters.province)
    if filters.level:
        qs = qs.filter(level=filters.level.value)
    # What the list shows is the decisions' own (their certificates are made when they are issued).
    caching.modified(request, qs.aggregate(Max("updated_at"))["updated_at__max"])
    return paginate(request, qs.order_by(F("signed_on").desc(nulls_last=True), "-id"), filters, _decision)


def _certificate(c: Certificate) -> dict[str, Any]:
    return {
        "number": c.number,
        "code": c.code,
        "product_id": c.product_id,
        "product": c.certified_product,  # type: ignore[attr-defined]
        "producer": c.certified_producer,  # type: ignore[attr-defined]
        "stars": c.stars,
        "potential_five": c.potential_five,
        "issued_on": c.issued_on,
        "valid_until": c.valid_until,
        "status": c.reader_status,  # type: ignore[attr-defined]
    }


@router.get(
    "/decisions/{decision_id}",
    response={200: DecisionDetailOut, 304: None},
    summary="An issued decision with the certificates it lists",
)
@cached(caching.STATUS)
def get_decision(request: HttpRequest, decision_id: PathId) -> dict[str, Any]:
    decision = _listing().filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    rows = queries.with_certified_names(queries.with_status(decision.certificates.all()))
    certificates = list(rows.order_by("item__position", "item_id"))
    # Their statuses change with them (a suspension) and with the date (expiring, expired); the names are as issued.
    caching.modified(request, decision.updated_at, *(c.updated_at for c in certificates), daily=True)
    return {**_decision(decision), "certificates": [_certificate(c) for c in certificates]}
