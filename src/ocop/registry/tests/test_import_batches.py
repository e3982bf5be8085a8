"""A product import plans its rows a batch of producers at a time (`product_rows.PRODUCERS_AT_ONCE`), loading and
dropping each batch's products: the outcome of every row is the same whatever the batch, with the rows of producers
interleaved in the file, look-alikes, a barcode of another producer's product, a row repeating an earlier new one of
its producer and a product of another producer's name."""

import io

import pytest

from ocop.accounts.models import Role
from ocop.core.excel import write_workbook
from ocop.registry import product_rows
from ocop.registry.columns import PRODUCT_COLUMNS
from ocop.registry.imports import run_import
from ocop.registry.models import ImportMode, Product
from ocop.testing import make_producer, make_product, make_user

HEADERS = [t for _n, t in PRODUCT_COLUMNS]


def _row(name, ident, *, pack="", gtin="", description=""):
    return ["", "", ident, "", name, "1-12", "Bát Tràng", "", "Hà Nội", description, "", pack, "", gtin, ""]


@pytest.mark.parametrize("at_once", [1, 2, 250])
def test_every_row_comes_out_the_same_whatever_the_batch(db, monkeypatch, at_once):
    monkeypatch.setattr(product_rows, "PRODUCERS_AT_ONCE", at_once)
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    a, b, c = (make_producer(identifier=f"010555555{n}") for n in (1, 2, 3))
    tea = make_product(
        producer=a, name="Chè búp Ba Vì đặc biệt", packs=[{"name": "Hộp", "size": "", "gtin": "8934588012228"}]
    )
    jar = make_product(producer=b, name="Bình gốm men rạn")
    rows = [
        _row("Chè búp Ba Vì đặc biệt loại 1", a.identifier),  # 2: looks like A's tea
        _row("Bình gốm men rạn", b.identifier, description="Men rạn cổ"),  # 3: B's jar, a new description
        _row("Nước mắm", a.identifier),  # 4: new for A
        _row("Gốm lam", b.identifier, pack="Hộp", gtin="8934588012228"),  # 5: the barcode of A's tea
        _row("Nước mắm", a.identifier),  # 6: the same product as row 4
        _row("Chè búp Ba Vì đặc biệt", c.identifier),  # 7: C's, of A's tea's name: new, no look-alike
        _row("Chè búp Ba Vì đặc biệt", a.identifier),  # 8: A's tea itself
    ]
    report = run_import(
        "products", io.BytesIO(write_workbook(title="x", headers=HEADERS, rows=rows)), user=coordinator,
        commit=True, mode=ImportMode.PARK,
    )  # fmt: skip
    assert report.summary() == "rows: 7 read, 2 created, 1 updated, 1 unchanged, 3 parked, 2 errors"
    assert [(r.row, r.action, r.reason, r.record == tea.pk, [s[0] for s in r.similar]) for r in report.rows] == [
        (2, "parked", "similar", False, [tea.pk]),
        (3, "update", "", False, []),
        (4, "create", "", False, []),
        (5, "parked", "error", False, []),
        (6, "parked", "error", False, []),
        (7, "create", "", False, []),
        (8, "unchanged", "", True, []),
    ]
    assert [e.message for e in report.errors] == [
        f"Mã vạch 8934588012228 đã thuộc sản phẩm “{tea.name}” của chủ thể khác.",
        "Trùng sản phẩm với dòng 4.",
    ]
    jar.refresh_from_db()
    assert jar.description == "Men rạn cổ"
    assert sorted(Product.objects.values_list("producer__identifier", "name")) == [
        ("0105555551", "Chè búp Ba Vì đặc biệt"), ("0105555551", "Nước mắm"), ("0105555552", "Bình gốm men rạn"),
        ("0105555553", "Chè búp Ba Vì đặc biệt"),
    ]  # fmt: skip
