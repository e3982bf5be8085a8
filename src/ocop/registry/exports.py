"""Exports of producers and products in the same columns as the imports, with each record's id first: importing an
export again matches every row to its record (0 created, 0 updated)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ocop.core.excel import Kind, TitleBlock, write_sheets, write_workbook
from ocop.places.queries import issuing_body
from ocop.registry.columns import KIND_LABELS, PRODUCER_COLUMNS, PRODUCT_COLUMNS, STATUS_LABELS
from ocop.registry.models import Producer, Product, ProductSet


def _yes(value: bool) -> str:
    return "x" if value else ""


def _district(record: Producer | Product) -> str:
    """A record without a commune keeps its former district (what the list it came from said)."""
    return record.legacy_district.name if record.commune_id is None and record.legacy_district else ""


def producer_rows(qs: QuerySet[Producer]) -> Iterator[list[Any]]:
    qs = qs.select_related("province", "commune", "legacy_district")
    for p in qs.iterator(chunk_size=1000):
        yield [
            p.pk,
            KIND_LABELS.get(p.kind, p.kind),  # type: ignore[call-overload]
            p.name,
            p.identifier,
            p.legal_representative,
            p.phone,
            p.email,
            p.address,
            p.commune.name if p.commune else "",
            _district(p),
            p.province.name,
            _yes(p.women_led),
            _yes(p.ethnic_minority),
        ]


def product_rows(qs: QuerySet[Product]) -> Iterator[list[Any]]:
    qs = qs.select_related("producer", "product_set", "province", "commune", "legacy_district")
    for p in qs.prefetch_related("packs").iterator(chunk_size=1000):
        packs = list(p.packs.all())
        first = packs[0] if packs else None
        yield [
            p.pk,
            p.producer_id,
            p.producer.identifier,
            p.producer.name,
            p.name,
            p.product_set.code if p.product_set else "",
            p.commune.name if p.commune else "",
            _district(p),
            p.province.name,
            p.description,
            p.story,
            first.name if first else "",
            first.size if first else "",
            first.gtin if first else "",
            STATUS_LABELS.get(p.status, p.status),  # type: ignore[call-overload]
        ]


PRODUCER_KINDS = [Kind.ID]  # the record's id: digits without separators (an import matches it)
PRODUCT_KINDS = [Kind.ID, Kind.ID]  # the product's and its producer's


def export_producers(qs: QuerySet[Producer], *, issuer: str | None = None) -> bytes:
    """Every producer of `qs` in the import columns, under a title block naming `issuer` (default: the programme)."""
    block = TitleBlock(issuer=issuer or issuing_body(), name=_("List of producers"))
    return write_workbook(title="Chủ thể", headers=[t for _n, t in PRODUCER_COLUMNS], rows=producer_rows(qs),
                          kinds=PRODUCER_KINDS, block=block)  # fmt: skip


def export_products(qs: QuerySet[Product], *, issuer: str | None = None) -> bytes:
    block = TitleBlock(issuer=issuer or issuing_body(), name=_("List of products"))
    return write_workbook(title="Sản phẩm", headers=[t for _n, t in PRODUCT_COLUMNS], rows=product_rows(qs),
                          kinds=PRODUCT_KINDS, block=block)  # fmt: skip


def template_workbook(kind: str) -> bytes:
    """An empty workbook with the column titles and one example row (no id: a new record)."""
    if kind == "producers":
        example = ["", "Hợp tác xã", "HTX Nông nghiệp Ví dụ", "0101234567", "Nguyễn Văn A", "0912345678",
                   "htx@example.vn", "Thôn Đông", "Xã Ba Vì", "", "Hà Nội", "x", ""]  # fmt: skip
        block = TitleBlock(issuer=issuing_body(), name=_("Import template: producers"))
        return write_workbook(title="Chủ thể", headers=[t for _n, t in PRODUCER_COLUMNS], rows=[example],
                              kinds=PRODUCER_KINDS, block=block)  # fmt: skip
    example = ["", "", "0101234567", "HTX Nông nghiệp Ví dụ", "Chè búp Ba Vì", "1-12", "Tản Lĩnh", "Ba Vì", "Hà Nội",
               "Chè xanh sao tay", "", "Túi", "200 g", "", "Đang sản xuất"]  # fmt: skip
    # What "Bộ sản phẩm" takes, on a second sheet (the import reads the first): a set's code or name, or a group.
    catalogue = [
        (ps.code, ps.name, ps.group.name)
        for ps in ProductSet.objects.filter(is_active=True).select_related("group").order_by("group__position", "code")
    ]
    return write_sheets([
        ("Sản phẩm", [t for _n, t in PRODUCT_COLUMNS], [example], PRODUCT_KINDS),
        ("Danh mục bộ sản phẩm", ["Mã bộ sản phẩm", "Tên bộ sản phẩm", "Nhóm sản phẩm"], catalogue),
    ], block=TitleBlock(issuer=issuing_body(), name=_("Import template: products")))  # fmt: skip
