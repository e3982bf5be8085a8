"""One way to page every list of the API: `page` (from 1) and `page_size` (1 to 200, 50 by default) in the query,
and the same envelope in the answer: `count`, `next` and `previous` (absolute links to the neighbouring pages with
the request's other filters kept, or null) and `items`.

A list's order must be stable (end it with a unique column, e.g. `("-issued_on", "number")` or `("name", "id")`),
so that walking the pages returns every row once. Use it as:

    class ThingFilters(PageQuery):        # the list's filters, with page and page_size
        status: ThingStatus | None = None

    class ThingPage(Page[ThingOut]): ...  # a named schema for the OpenAPI document

    @router.get("/things", response=ThingPage)
    def things(request, filters: Query[ThingFilters]):
        return paginate(request, qs.order_by("name", "id"), filters, lambda t: to_out(t))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from ninja import Field, Schema

from ocop.api.params import PageNumber

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE, description=f"items a page, 1 to {MAX_PAGE_SIZE}")]


class PageQuery(Schema):
    page: PageNumber = 1
    page_size: PageSize = DEFAULT_PAGE_SIZE


class Page[T](Schema):
    count: int = Field(description="items in the whole list, across its pages")
    next: str | None = Field(description="the next page's absolute URL, or null on the last page")
    previous: str | None = Field(description="the previous page's absolute URL, or null on the first page")
    items: list[T]


def _link(request: HttpRequest, page: int) -> str:
    query: QueryDict = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


def paginate(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    filters: PageQuery,
    out: Callable[[Any], Any] | None = None,
    *,
    count: int | None = None,
) -> dict[str, Any]:
    """The page `filters.page` of `rows` (a queryset in a stable order, or a list), each item through `out`."""
    size = filters.page_size
    total = count if count is not None else (rows.count() if isinstance(rows, QuerySet) else len(rows))
    start = (filters.page - 1) * size
    chunk: Iterable[Any] = rows[start : start + size] if start < total else []
    items = [out(r) for r in chunk] if out else list(chunk)
    return {
        "count": total,
        "next": _link(request, filters.page + 1) if start + size < total else None,
        "previous": _link(request, min(filters.page - 1, max(1, -(-total // size)))) if filters.page > 1 else None,
        "items": items,
    }
