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


def test_a_record_matched_twice_is_refused_at_the_second_row_and_the_file_settles(db):
    """Two rows naming one existing product (or producer): the second would overwrite the first, and importing the
    file again would update it back and forth. The second row is refused; run again, the first is unchanged."""
    from ocop.registry.columns import PRODUCER_COLUMNS

    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    owner = make_producer(identifier="0105050501")
    make_product(producer=owner, name="Bánh giò Thường Tín")
    rows = [
        _row("Bánh giò Thường Tín", owner.identifier, description="Loại to"),
        _row("Bánh giò Thường Tín", owner.identifier, description="Loại nhỏ"),
    ]
    book = io.BytesIO(write_workbook(title="x", headers=HEADERS, rows=rows))
    for expected in ("rows: 2 read, 0 created, 1 updated, 0 unchanged, 1 parked, 1 errors",
                     "rows: 2 read, 0 created, 0 updated, 1 unchanged, 1 parked, 1 errors"):  # fmt: skip
        book.seek(0)
        report = run_import("products", book, user=coordinator, commit=True, mode=ImportMode.PARK)
        assert report.summary() == expected
        assert [e.message for e in report.errors] == ["Trùng sản phẩm với dòng 2."]
    assert Product.objects.get(producer=owner).description == "Loại to"

    # The producer named twice by its name (no identifier in the rows): the second row is refused the same way.
    producer_rows = [["", "Hợp tác xã", owner.name, "", "", phone, "", "", "Bát Tràng", "", "Hà Nội", "", ""]
                     for phone in ("0912000001", "0912000002")]  # fmt: skip
    headers = [t for _n, t in PRODUCER_COLUMNS]
    report = run_import("producers", io.BytesIO(write_workbook(title="x", headers=headers, rows=producer_rows)),
                        user=coordinator, commit=True, mode=ImportMode.PARK)  # fmt: skip
    assert report.summary() == "rows: 2 read, 0 created, 1 updated, 0 unchanged, 1 parked, 1 errors"
    assert [e.message for e in report.errors] == ["Trùng chủ thể với dòng 2."]
    owner.refresh_from_db()
    assert owner.phone == "0912000001"


def test_an_id_of_another_producer_s_product_is_refused_not_moved(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    kim_lan, thuong_tin = make_producer(identifier="0104040401"), make_producer(identifier="0104040402")
    cup = make_product(producer=kim_lan, name="Bộ ấm chén men lam")
    row = _row("Bộ ấm chén men lam", thuong_tin.identifier)
    row[0] = str(cup.pk)
    report = run_import("products", io.BytesIO(write_workbook(title="x", headers=HEADERS, rows=[row])),
                        user=coordinator, commit=True, mode=ImportMode.PARK)  # fmt: skip
    assert report.summary() == "rows: 1 read, 0 created, 0 updated, 0 unchanged, 1 parked, 1 errors"
    assert [(e.column, e.message) for e in report.errors] == [
        ("ID", f"Sản phẩm {cup.pk} thuộc “{kim_lan.name}”, không phải chủ thể của dòng này.")
    ]
    cup.refresh_from_db()
    assert (cup.producer_id, cup.commune_id) == (kim_lan.pk, kim_lan.commune_id)


def test_a_province_alone_must_be_the_producer_s(db):
    """A product row that gives a province but no commune, district or address takes its producer's place only when
    the province is the producer's; another one, or one that does not exist, is refused at the column."""
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    owner = make_producer(identifier="0103030301")
    rows = []
    for name, where in (("Chè A", "Hà Nội"), ("Chè B", "Tỉnh Bắc Ninh"), ("Chè C", "Tỉnh Không Có")):
        row = _row(name, owner.identifier)
        row[6], row[8] = "", where  # no commune; the province column
        rows.append(row)
    report = run_import("products", io.BytesIO(write_workbook(title="x", headers=HEADERS, rows=rows)),
                        user=coordinator, commit=True, mode=ImportMode.PARK)  # fmt: skip
    assert report.summary() == "rows: 3 read, 1 created, 0 updated, 0 unchanged, 2 parked, 2 errors"
    assert [(e.row, e.column) for e in report.errors] == [(3, "Tỉnh/Thành phố"), (4, "Tỉnh/Thành phố")]
    assert report.errors[0].message == (
        "“Tỉnh Bắc Ninh” không phải tỉnh của chủ thể (Thành phố Hà Nội): hãy ghi xã của sản phẩm."
    )
    product = Product.objects.get(name="Chè A")
    assert (product.commune_id, product.province_id) == (owner.commune_id, owner.province_id)
