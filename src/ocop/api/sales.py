"""An outlet's monthly sales: read by month, and reported a month at a time (a supermarket chain's system sends what
each of its outlets sold). Reading follows the back office's sales page: the outlet's operator, the officers who
manage it and the commune's officers read every line; a producer whose products are on the shelf reads its own
products' lines only. Reporting goes through the same service as the back office's sales form and its Excel import
(ocop.outlets.sales.record_sales), with its rules."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest
from ninja import Field, Path, Query, Schema
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ocop.api.auth import api_auth
from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import Id, PathCode
from ocop.core.collation import vi
from ocop.outlets import access, sales
from ocop.outlets.models import SalesRecord

router = ApiRouter(tags=["sales"], auth=api_auth)

Year = Annotated[int, Path(ge=sales.FIRST_YEAR, le=sales.LAST_YEAR, description="the year, e.g. 2026")]
Month = Annotated[int, Path(ge=1, le=12, description="the month, 1 to 12")]


def _number(value: Any) -> Any:
    """A JSON number, not text that reads as one (the document declares a number)."""
    if isinstance(value, str | bool):
        raise PydanticCustomError("decimal_type", "Enter a number.")
    return value


Quantity = Annotated[
    Decimal,
    BeforeValidator(_number),
    WithJsonSchema({"type": "number", "minimum": 0, "exclusiveMaximum": int(sales.QUANTITY_LIMIT)}),
]


class SalesLineOut(Schema):
    product_id: int
    product: str = Field(description="the product's name today")
    producer: str = Field(description="the producer credited with the sale")
    quantity: Decimal = Field(description="units sold, to hundredths")
    revenue: int = Field(description="revenue in whole đồng (VND)")


class SalesMonthOut(Schema):
    year: int
    month: int = Field(description="1 to 12")
    revenue: int = Field(description="the sum of the lines listed, in đồng (VND)")
    lines: list[SalesLineOut] = Field(description="a line per product, by name")


class SalesMonthPage(Page[SalesMonthOut]):
    pass


class SalesFilters(PageQuery):
    year: int | None = Field(None, ge=sales.FIRST_YEAR, le=sales.LAST_YEAR, description="only this year's months")


class SalesLineIn(Schema):
    product_id: Id = Field(description="the product's id; it must have been on the outlet's OCOP shelf that month")
    quantity: Quantity = Field(
        ge=0, lt=sales.QUANTITY_LIMIT, description="units sold, not negative (rounded to hundredths)"
    )
    revenue: int = Field(ge=0, le=sales.REVENUE_LIMIT - 1, description="revenue in whole đồng (VND), not negative")


class SalesMonthIn(Schema):
    lines: list[SalesLineIn] = Field(
        min_length=1,
        max_length=2000,
        description="a line per product sold (1 to 2,000); a product named twice is refused",
    )


def _months(rows: QuerySet[SalesRecord], months: list[dt.date]) -> list[dict[str, Any]]:
    """The months asked for (newest first), each with its lines."""
    lines: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    found = (
        rows.filter(month__in=months)
        .select_related("product", "producer")
        .order_by("month", vi("product__name"), "product_id")
    )
    for r in found:
        lines[r.month].append(
            {
                "product_id": r.product_id,
                "product": r.product.name,
                "producer": r.producer.name,
                "quantity": r.quantity,
                "revenue": r.revenue,
            }
        )
    return [
        {"year": m.year, "month": m.month, "revenue": sum(line["revenue"] for line in lines[m]), "lines": lines[m]}
        for m in months
    ]


@router.get("/outlets/{code}/sales", response=SalesMonthPage, summary="An outlet's monthly sales, newest month first")
def list_outlet_sales(request: HttpRequest, code: PathCode, filters: Query[SalesFilters]) -> dict[str, Any]:
    outlet = access.get_outlet_by_code(request.user, code)
    rows = sales.records_of(request.user, outlet)
    if filters.year:
        rows = rows.filter(month__year=filters.year)
    months = rows.values("month").annotate(n=Count("id"), total=Sum("revenue")).order_by("-month")
    page = paginate(request, months, filters)
    page["items"] = _months(rows, [m["month"] for m in page["items"]])
    return page


_ROW_KEY = re.compile(r"^(product|quantity|revenue)-(\d+)$")
_FIELD = {"product": "product_id", "quantity": "quantity", "revenue": "revenue"}


def _named(exc: ValidationError) -> ValidationError:
    """The service names a line's field as its sales form does (`quantity-2`); the API as the body does
    (`lines.2.quantity`)."""
    named: dict[str, list[str]] = {}
    for key, messages in exc.message_dict.items():
        match = _ROW_KEY.match(key)
        field = f"lines.{match[2]}.{_FIELD[match[1]]}" if match else key
        named.setdefault(field, []).extend(messages)
    return ValidationError(named)


@router.put(
    "/outlets/{code}/sales/{year}/{month}",
    response=SalesMonthOut,
    summary="Report a month of an outlet's sales",
)
def report_outlet_sales(
    request: HttpRequest, code: PathCode, year: Year, month: Month, payload: SalesMonthIn
) -> dict[str, Any]:
    """Each line records (or corrects) that month's figures for its product; a product not named keeps what was
    reported before. The whole body is checked first and nothing is written unless every line is good: the product
    was on the outlet's OCOP shelf at some time in that month, is named once, and the month has begun. Needs a write
    token (or the session) of the outlet's operator or an officer who manages it."""
    outlet = access.get_outlet_by_code(request.user, code)
    first = dt.date(year, month, 1)
    entries = [
        sales.Entry(product_id=line.product_id, quantity=line.quantity, revenue=line.revenue, row=n)
        for n, line in enumerate(payload.lines)
    ]
    try:
        sales.record_sales(by=request.user, outlet=outlet, month=first, entries=entries)
    except ValidationError as exc:
        raise _named(exc) from None
    return _months(sales.records_of(request.user, outlet), [first])[0]
