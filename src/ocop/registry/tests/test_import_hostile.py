"""What a hostile or careless file cannot do: write outside the importer's province, plant rows in another
province's review queue, crash on digits that are not ASCII, learn another province's product names, or queue the
same row twice by writing it another way."""

import pytest

from ocop.accounts.models import Role
from ocop.places.models import Commune
from ocop.registry.imports import run_import
from ocop.registry.models import ImportMode, ParkedRow, ParkState, Producer, Product
from ocop.registry.parking import fix_parked_row, parked_rows_visible_to
from ocop.testing import make_producer, make_product, make_user

from .test_imports import PRODUCER_HEADERS, PRODUCT_HEADERS, producer_row, product_row, xlsx


@pytest.fixture
def haiphong(db):
    return make_user(Role.PROVINCE_COORDINATOR, username="charlie", province_code="31")


@pytest.fixture
def hanoi(db):
    return make_user(Role.PROVINCE_COORDINATOR, username="coordinator")


def errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


OUTSIDE = "Địa chỉ thuộc Thành phố Hà Nội, ngoài phạm vi tỉnh của bạn."


def test_a_row_without_a_commune_stays_in_the_importers_province(haiphong):
    rows = [
        producer_row("HTX Xâm Nhập Một", "", "Xã Không Tồn Tại"),  # says Hà Nội in the province column
        producer_row("HTX Xâm Nhập Hai", "", "", district="Quận Ba Đình"),
        producer_row("HTX Nhà Mình", "", "Xã Không Tồn Tại", province=""),  # no province: Hải Phòng's own
    ]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=haiphong, commit=True, mode=ImportMode.PARK)
    assert errors(report) == [(2, "Xã/Phường", OUTSIDE), (3, "Xã/Phường", OUTSIDE)]
    assert list(Producer.objects.values_list("name", "province__code", "commune")) == [("HTX Nhà Mình", "31", None)]
    # The two refused rows wait in Hải Phòng's queue, not in Hà Nội's.
    parked = list(ParkedRow.objects.order_by("row").values_list("row", "province__code", "commune"))
    assert parked == [(2, "31", None), (3, "31", None)]
    assert not parked_rows_visible_to(make_user(Role.PROVINCE_COORDINATOR)).exists()


def test_an_update_cannot_move_a_producer_to_another_province(haiphong):
    own = make_producer(name="HTX Hải Phòng", commune=Commune.objects.filter(province__code="31").first())
    row = producer_row("HTX Hải Phòng", "", "", district="Quận Ba Đình", pk=own.pk)
    report = run_import("producers", xlsx(PRODUCER_HEADERS, [row]), user=haiphong, commit=True)
    assert (report.committed, errors(report)) == (False, [(2, "Xã/Phường", OUTSIDE)])
    own.refresh_from_db()
    assert (own.province.code, own.commune.province.code) == ("31", "31")


def test_rows_naming_another_provinces_commune_are_queued_in_ones_own(haiphong, hanoi):
    commune_officer = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    rows = [producer_row("Hộ Tiêm Vào Hàng Đợi", "", "Bát Tràng")]
    run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=haiphong, commit=True, mode=ImportMode.PARK)
    row = ParkedRow.objects.get()
    assert (row.province.code, row.commune, list(row.candidates.all())) == ("31", None, [])
    assert not parked_rows_visible_to(hanoi).exists()
    assert not parked_rows_visible_to(commune_officer).exists()


def test_the_same_row_written_another_way_is_queued_once_and_a_fixed_row_is_not_queued_again(hanoi):
    bad = producer_row("HTX Cờ Lạ", "0101111114", "Bát Tràng", women="có lẽ")
    variants = [bad, [*bad[:2], "HTX  Cờ\tLạ", *bad[3:]], [*bad[:2], "HTX Cờ Lạ".replace("ờ", "ờ"), *bad[3:]]]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, variants), user=hanoi, commit=True, mode=ImportMode.PARK)
    assert (ParkedRow.objects.count(), report.already_queued) == (1, 2)
    row = ParkedRow.objects.get()
    fixed = fix_parked_row(by=hanoi, parked=row, cells={**row.cells, "Nữ làm chủ": "x"})
    assert fixed.committed
    again = run_import("producers", xlsx(PRODUCER_HEADERS, [bad]), user=hanoi, commit=True, mode=ImportMode.PARK)
    assert (ParkedRow.objects.count(), again.already_queued, ParkedRow.objects.get().state) == (
        1,
        1,
        ParkState.RESOLVED,
    )


def test_invisible_characters_never_reach_the_queue(hanoi):
    row = producer_row("HTX \u202eGiả\u200b", "", "Bát Tràng")
    run_import("producers", xlsx(PRODUCER_HEADERS, [row]), user=hanoi, commit=True, mode=ImportMode.PARK)
    assert ParkedRow.objects.get().cells["Tên chủ thể"] == "HTX Giả"


@pytest.mark.parametrize("value", ["²", "¹¹", "99999999999999999999", "١٢"])
def test_an_id_that_is_not_ascii_digits_is_a_row_error(hanoi, value):
    rows = [producer_row("HTX Gốm", "", "Bát Tràng", pk=value)]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=hanoi, commit=False)
    assert errors(report) == [(2, "ID", f"“{value}” không phải ID của hồ sơ (một số nguyên lấy từ tệp xuất).")]


def test_a_barcode_of_a_product_one_cannot_see_is_not_named(hanoi, haiphong):
    secret = make_product(
        producer=make_producer(name="Cơ sở Hải Phòng", commune=Commune.objects.filter(province__code="31").first()),
        name="Nước mắm bí mật chưa công bố",
    )
    secret.packs.create(name="Chai", gtin="8939990000016")
    make_producer(name="HTX Gốm Bát Tràng")
    rows = [product_row("Bình gốm", producer="HTX Gốm Bát Tràng", gtin="8939990000016", pack="Hộp")]
    report = run_import("products", xlsx(PRODUCT_HEADERS, rows), user=hanoi, commit=False)
    assert errors(report) == [(2, "Mã vạch (GTIN)", "Mã vạch 8939990000016 đã thuộc một sản phẩm của chủ thể khác.")]


def test_a_commune_officer_updates_a_producer_without_restating_its_commune(db):
    officer = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    producer = make_producer(name="HTX Gốm Bát Tràng")
    row = [producer.pk, "Hợp tác xã", "HTX Gốm Bát Tràng", "", "", "0987111222", "", "", "", "", "", "", ""]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, [row]), user=officer, commit=True)
    producer.refresh_from_db()
    assert (report.committed, report.updated, producer.phone, producer.commune.name) == (
        True, 1, "0987111222", "Xã Bát Tràng"
    )  # fmt: skip


def test_a_group_alone_keeps_the_product_in_its_group_and_a_wrong_name_is_answered_with_the_closest(hanoi):
    make_producer(name="HTX Gốm Bát Tràng", identifier="0101234567")
    rows = [
        product_row("Bình gốm", ident="0101234567", product_set="Thủ công mỹ nghệ"),
        product_row("Bánh gạo", ident="0101234567", product_set="Chế biến từ gạo ngũ cốc"),
        product_row("Chè sen", ident="0101234567", product_set="Đồ uốngg"),
    ]
    report = run_import("products", xlsx(PRODUCT_HEADERS, rows), user=hanoi, commit=True, mode=ImportMode.PARK)
    assert errors(report) == [
        (
            4,
            "Bộ sản phẩm",
            "Bộ sản phẩm hoặc nhóm sản phẩm “Đồ uốngg” không có trong danh mục. Có phải là: Đồ uống; 2-03 Đồ uống không cồn?",
        )
    ]
    saved = dict(Product.objects.values_list("name", "group__name"))
    assert saved == {"Bình gốm": "Hàng thủ công mỹ nghệ", "Bánh gạo": "Thực phẩm"}
    assert Product.objects.get(name="Bình gốm").product_set is None
    assert Product.objects.get(name="Bánh gạo").product_set.code == "1-06"


def test_an_exports_pack_size_edited_is_updated_and_a_phone_typed_as_a_number_keeps_its_zero(hanoi):
    producer = make_producer(name="HTX Chè Tản", identifier="0101234568")
    product = make_product(producer=producer, name="Chè búp", packs=[{"name": "Túi", "size": "1 bộ", "gtin": ""}])
    row = product_row("Chè búp", ident="0101234568", pack="Túi")
    row[12] = "200 g"  # Khối lượng/Thể tích
    row[0] = product.pk
    report = run_import("products", xlsx(PRODUCT_HEADERS, [row]), user=hanoi, commit=True)
    assert [(r.action, r.changes) for r in report.rows] == [("update", {"Khối lượng/Thể tích": ["1 bộ", "200 g"]})]
    assert list(product.packs.values_list("name", "size")) == [("Túi", "200 g")]
    phone = producer_row("HTX Chè Tản", "0101234568", "Bát Tràng")
    phone[5] = 987111222  # a number cell: Excel dropped the 0
    run_import("producers", xlsx(PRODUCER_HEADERS, [phone]), user=hanoi, commit=True)
    producer.refresh_from_db()
    assert producer.phone == "0987111222"


def test_a_matched_product_is_read_back_with_every_compared_field_as_stored(hanoi):
    """The import reads a hundred thousand products as plain rows and makes instances of the ones rows match: each
    field must land on its own attribute (a field out of the model's order would shift the others)."""
    from ocop.registry.matching import PRODUCT_COMPARED, ProductBook

    producer = make_producer(name="HTX Chè Tản", identifier="0101234569")
    product = make_product(producer=producer, name="Chè búp", description="Mô tả", story="Câu chuyện")
    book = ProductBook(hanoi, {producer.pk}, set(), set(), {producer.pk: producer.name})
    read = book.get(product.pk)
    stored = Product.objects.values(*PRODUCT_COMPARED).get(pk=product.pk)
    assert {name: getattr(read, name) for name in PRODUCT_COMPARED} == stored
    assert stored["group_id"] is not None and stored["commune_id"] is not None
