import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from ocop.accounts.models import Role
from ocop.core.excel import write_workbook
from ocop.places.models import Commune
from ocop.registry.columns import PRODUCER_COLUMNS, PRODUCT_COLUMNS
from ocop.registry.exports import export_producers, export_products
from ocop.registry.importing import Choices
from ocop.registry.imports import run_import
from ocop.registry.models import ImportMode, IncompleteRows, ParkedRow, Producer, Product, ProductPack
from ocop.testing import make_producer, make_product, make_user

PRODUCER_HEADERS = [t for _n, t in PRODUCER_COLUMNS]
PRODUCT_HEADERS = [t for _n, t in PRODUCT_COLUMNS]
TAX = "Mã số thuế / Số định danh / Số ĐKKD"


def producer_row(name, identifier, commune, district="", kind="Hợp tác xã", province="Hà Nội", women="", pk=""):
    return [pk, kind, name, identifier, "Nguyễn Văn A", "0912345678", "", "Thôn 1", commune, district, province, women,
            ""]  # fmt: skip


def product_row(name, *, ident="", producer="", product_set="1-12", commune="Bát Tràng", pack="", gtin="", status=""):
    return ["", "", ident, producer, name, product_set, commune, "", "Hà Nội", "", "", pack, "", gtin, status]


def xlsx(headers, rows):
    return io.BytesIO(write_workbook(title="x", headers=headers, rows=rows))


def counts(report):
    return report.total, report.created, report.updated, report.unchanged, report.parked, report.error_rows


def test_dry_run_lists_every_bad_row_and_saves_nothing(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    rows = [
        producer_row("HTX Gốm Bát Tràng", "0101111111", "Bát Tràng"),
        producer_row("HTX Sai Mã", "123456789", "Ba Vì"),
        producer_row("HTX Lặp", "0101111111", "Ba Vì"),
        producer_row("HTX Loại Lạ", "0101111113", "Ba Vì", kind="Liên hiệp"),
        producer_row("HTX Cờ", "0101111114", "Ba Vì", women="có lẽ"),
    ]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=coordinator, commit=True)
    assert not report.committed
    assert [(e.row, e.column) for e in report.errors] == [
        (3, TAX),
        (4, TAX),
        (5, "Loại chủ thể"),
        (6, "Nữ làm chủ"),
    ]
    assert report.errors[0].message == (
        "Mã số thuế “123456789” phải có 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với chi nhánh."
    )
    assert report.errors[1].message == "Mã số “0101111111” bị trùng với dòng 2."
    assert counts(report) == (5, 1, 0, 0, 0, 4)
    assert report.summary() == "rows: 5 read, 1 created, 0 updated, 0 unchanged, 0 parked, 4 errors"
    assert Producer.objects.count() == 0


def test_split_communes_wait_for_one_choice_per_place(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    rows = [
        producer_row("HTX Tản Lĩnh", "0102222221", "Xã Tản Lĩnh", district="Huyện Ba Vì"),
        producer_row("HTX Gốm Cũ", "0102222222", "Bát Tràng", district="Gia Lâm"),
        producer_row("HTX Men Lam", "0102222223", "xã Bát Tràng", district="huyện Gia Lâm"),
    ]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=coordinator, commit=True)
    assert [(c.rows, [x[2] for x in c.candidates]) for c in report.places] == [
        ([3, 4], ["Xã Bát Tràng", "Phường Long Biên", "Xã Gia Lâm"])
    ]
    assert (counts(report), report.committed) == ((3, 1, 0, 0, 2, 0), False)
    long_bien = Commune.objects.get(province__code="01", name="Phường Long Biên")
    choices = Choices(places={report.places[0].words: long_bien.pk})
    report = run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=coordinator, commit=True, choices=choices)
    assert (report.committed, counts(report)) == (True, (3, 3, 0, 0, 0, 0))
    tan_linh = Producer.objects.get(identifier="0102222221")
    assert (tan_linh.commune.name, tan_linh.legacy_commune.name, tan_linh.legacy_commune.district.name) == (
        "Xã Suối Hai",
        "Xã Tản Lĩnh",
        "Huyện Ba Vì",
    )
    assert {p.commune for p in Producer.objects.filter(identifier__in=["0102222222", "0102222223"])} == {long_bien}


def test_commune_officer_may_only_import_into_their_communes(db):
    officer = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    rows = [
        producer_row("HTX A", "0103333331", "Bát Tràng"),
        producer_row("HTX B", "0103333332", "Ba Vì"),
        producer_row("HTX C", "", "", district="Huyện Mỹ Đức"),
    ]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=officer, commit=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "Xã/Phường", "Bạn không được đăng ký hồ sơ ở xã này."),
        (4, "Xã/Phường", "Chỉ văn phòng OCOP tỉnh mới nhập được hồ sơ chưa xác định xã."),
    ]
    assert Producer.objects.count() == 0


def test_real_lists_lack_identifiers_and_communes_records_are_flagged_or_parked(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    rows = [
        producer_row("HTX Rau Văn Đức", "", "", district="huyện Gia Lâm"),  # a former district only
        producer_row("HTX Phú Thị", "", "Phú Thị", district="Gia Lâm"),  # merged before 2025: not in our data
        producer_row("Công ty TNHH Mật ong Ba Vì", "", "Ba Vì", kind=""),  # no tax code; the type from the name
        producer_row("HTX Chè Hà Nội", "0106161616", ""),  # the province alone
    ]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=coordinator, commit=True)
    assert report.committed
    assert [(r.row, r.action, r.flags) for r in report.rows] == [
        (2, "create", ["thiếu mã số thuế", "chỉ có huyện cũ"]),
        (3, "create", ["thiếu mã số thuế", "chỉ có huyện cũ"]),
        (4, "create", ["thiếu mã số thuế"]),
        (5, "create", ["chưa xác định xã"]),
    ]
    assert [(name, rows) for name, _district, rows in report.unknown_places] == [("Phú Thị", [3])]
    van_duc = Producer.objects.get(name="HTX Rau Văn Đức")
    assert (van_duc.commune, van_duc.legacy_district.name, van_duc.province.code) == (None, "Huyện Gia Lâm", "01")
    assert Producer.objects.get(name="Công ty TNHH Mật ong Ba Vì").kind == "enterprise"

    again = [producer_row("HTX Hoa Đông Dư", "", "", district="huyện Gia Lâm")]
    report = run_import(
        "producers", xlsx(PRODUCER_HEADERS, again), user=coordinator, commit=True, mode=ImportMode.PARK,
        incomplete=IncompleteRows.PARK,
    )  # fmt: skip
    assert (report.committed, counts(report)) == (True, (1, 0, 0, 0, 1, 0))
    parked = ParkedRow.objects.get()
    assert (parked.reason, parked.row, parked.cells["Tên chủ thể"], parked.province.code) == (
        "incomplete", 2, "HTX Hoa Đông Dư", "01"
    )  # fmt: skip
    assert parked.candidates.filter(name="Xã Bát Tràng").exists()
    assert not Producer.objects.filter(name="HTX Hoa Đông Dư").exists()


def test_export_then_import_again_is_unchanged(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    first = make_producer(identifier="0106666661")
    second = make_producer(identifier="", kind="other", name="Tổ sản xuất rau an toàn")
    make_product(producer=first, packs=[{"name": "Túi", "size": "200 g", "gtin": "8934588012228"}])
    make_product(producer=first, description="Dòng một\nDòng hai")
    make_product(producer=second, set_code="1-01")
    producers = export_producers(Producer.objects.all())
    products = export_products(Product.objects.all())
    report = run_import("producers", io.BytesIO(producers), user=coordinator, commit=True)
    assert (report.committed, counts(report)) == (True, (2, 0, 0, 2, 0, 0))
    report = run_import("products", io.BytesIO(products), user=coordinator, commit=True)
    assert (report.committed, counts(report)) == (True, (3, 0, 0, 3, 0, 0))
    assert (Producer.objects.count(), Product.objects.count(), ProductPack.objects.count()) == (2, 3, 1)


def test_changed_rows_update_with_their_old_and_new_values(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    producer = make_producer(identifier="0107777771", phone="0912000000")
    ws = load_workbook(io.BytesIO(export_producers(Producer.objects.all()))).active
    row = [c.value for c in ws[6]]  # below the title block (issuing body, list's name, date made, a blank row)
    row[PRODUCER_HEADERS.index("Điện thoại")] = "0912 111 222"
    row[PRODUCER_HEADERS.index("Xã/Phường")] = "Ba Vì"
    row[PRODUCER_HEADERS.index("Email")] = ""  # an empty cell never erases what is recorded
    report = run_import("producers", xlsx(PRODUCER_HEADERS, [row]), user=coordinator, commit=True)
    assert [(r.action, r.record, r.changes) for r in report.rows] == [
        ("update", producer.pk, {"Điện thoại": ["0912000000", "0912111222"], "Xã/Phường": ["Xã Bát Tràng", "Xã Ba Vì"]})
    ]
    producer.refresh_from_db()
    assert (producer.phone, producer.commune.name, producer.province.code) == ("0912111222", "Xã Ba Vì", "01")


def test_look_alikes_wait_for_a_person_then_make_a_new_product(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    producer = make_producer(identifier="0108888881")
    existing = make_product(producer=producer, name="Chè búp Ba Vì đặc biệt")
    rows = [
        product_row("Chè búp Ba Vì đặc biệt loại 1", ident="0108888881"),
        product_row("Mật ong", ident="0108888881", product_set="1-04"),
    ]
    report = run_import("products", xlsx(PRODUCT_HEADERS, rows), user=coordinator, commit=True)
    assert (report.committed, counts(report)) == (False, (2, 1, 0, 0, 1, 0))
    assert [(r.row, r.action, r.reason, [s[0] for s in r.similar]) for r in report.rows] == [
        (2, "review", "similar", [existing.pk]),
        (3, "create", "", []),
    ]
    report = run_import(
        "products", xlsx(PRODUCT_HEADERS, rows), user=coordinator, commit=True, choices=Choices(same={2: "new"})
    )
    assert (report.committed, counts(report)) == (True, (2, 2, 0, 0, 0, 0))
    assert Product.objects.filter(producer=producer).count() == 3


def test_park_saves_the_good_rows_and_every_parked_row_can_be_fixed(db):
    from ocop.registry.parking import fix_parked_row

    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    make_producer(identifier="0109999991")
    rows = [
        product_row("Chè búp", ident="0109999991", pack="Túi", gtin="8934588012228"),
        product_row("Bánh chưng", ident="0109999991", product_set="9-99"),  # an unknown set: wrong
        product_row("Trà sen", ident="0109999991", gtin="8934588012229"),  # a wrong check digit: wrong
        product_row("Chè búp", ident="0109999991"),  # the same product as row 2
    ]
    report = run_import("products", xlsx(PRODUCT_HEADERS, rows), user=coordinator, commit=True, mode=ImportMode.PARK)
    assert report.committed
    assert report.summary() == "rows: 4 read, 1 created, 0 updated, 0 unchanged, 3 parked, 3 errors"
    assert report.created + report.updated + report.unchanged + report.parked == report.total
    assert sorted(ParkedRow.objects.values_list("row", "reason")) == [(3, "error"), (4, "error"), (5, "error")]
    bad_set = ParkedRow.objects.get(row=3)
    assert bad_set.problems == [
        {"column": "Bộ sản phẩm", "message": "Bộ sản phẩm hoặc nhóm sản phẩm “9-99” không có trong danh mục."}
    ]
    assert bad_set.cells["Tên sản phẩm"] == "Bánh chưng"

    still_bad = fix_parked_row(by=coordinator, parked=bad_set, cells={**bad_set.cells, "Bộ sản phẩm": "9-98"})
    assert [e.message for e in still_bad.errors] == ["Bộ sản phẩm hoặc nhóm sản phẩm “9-98” không có trong danh mục."]
    assert ParkedRow.objects.get(row=3).state == "open"
    fixed = fix_parked_row(by=coordinator, parked=bad_set, cells={**bad_set.cells, "Bộ sản phẩm": "1-06"})
    assert (fixed.committed, fixed.created) == (True, 1)
    bad_set.refresh_from_db()
    product = Product.objects.get(name="Bánh chưng")
    assert (bad_set.state, bad_set.result_kind, bad_set.result_id, product.product_set.code) == (
        "resolved", "product", product.pk, "1-06"
    )  # fmt: skip


def test_barcodes_are_never_duplicated(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    owner = make_producer(identifier="0101212121")
    other = make_producer(identifier="0101212122")
    taken = make_product(producer=owner, packs=[{"name": "Hộp", "size": "", "gtin": "8934588012228"}])
    rows = [
        product_row("Sản phẩm khác", ident="0101212122", pack="Hộp", gtin="8934588012228"),
        product_row("Sản phẩm thứ ba", ident="0101212122", pack="Túi", gtin="8934588012235"),
        product_row("Sản phẩm thứ tư", ident="0101212122", pack="Gói", gtin="8934588012235"),
    ]
    report = run_import("products", xlsx(PRODUCT_HEADERS, rows), user=coordinator, commit=True, mode=ImportMode.PARK)
    assert [(r.row, r.action) for r in report.rows] == [(2, "parked"), (3, "create"), (4, "parked")]
    assert [e.message for e in report.errors] == [
        f"Mã vạch 8934588012228 đã thuộc sản phẩm “{taken.name}” của chủ thể khác.",
        "Mã vạch 8934588012235 lặp lại dòng 3.",
    ]
    again = [product_row(taken.name, ident="0101212121", pack="Hộp", gtin="8934588012228")]
    report = run_import("products", xlsx(PRODUCT_HEADERS, again), user=coordinator, commit=True)
    assert [(r.row, r.action, r.record) for r in report.rows] == [(2, "unchanged", taken.pk)]
    assert ProductPack.objects.filter(gtin="8934588012228").count() == 1
    assert list(other.products.values_list("name", flat=True)) == ["Sản phẩm thứ ba"]


def test_a_pack_too_long_is_refused_never_cut(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    make_producer(identifier="0101313131")
    long_name = "Trà " + "x" * 130  # a product name longer than a pack's, used for the pack that has no name
    rows = [
        product_row("Trà hoa", ident="0101313131", pack="H" * 121),
        product_row(long_name, ident="0101313131", gtin="8934588012228"),
    ]
    report = run_import("products", xlsx(PRODUCT_HEADERS, rows), user=coordinator, commit=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Quy cách đóng gói", "Tối đa 120 ký tự (ô này có 121)."),
        (3, "Quy cách đóng gói", "Hãy đặt tên cho quy cách đóng gói (tối đa 120 ký tự)."),
    ]
    assert not report.committed
    assert not Product.objects.filter(producer__identifier="0101313131").exists()


def test_not_an_excel_file(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    report = run_import("producers", io.BytesIO(b"%PDF-1.4 fake"), user=coordinator, commit=True)
    assert [e.row for e in report.errors] == [0]
    assert report.file_error
    report = run_import("producers", xlsx(["Tên"], [["x"]]), user=coordinator, commit=False)
    assert report.file_error.startswith("Thiếu cột: Tên chủ thể")


def test_command_line_import_prints_the_summary_line(db, tmp_path, capsys):
    path = tmp_path / "p.xlsx"
    path.write_bytes(
        xlsx(PRODUCER_HEADERS, [producer_row("HTX Dòng Lệnh", "0105555551", "Bát Tràng", "Gia Lâm")]).getvalue()
    )
    with pytest.raises(CommandError):
        call_command("import", "producers", str(path))
    assert capsys.readouterr().out.splitlines()[-1] == (
        "rows: 1 read, 0 created, 0 updated, 0 unchanged, 1 parked, 0 errors"
    )
    with pytest.raises(CommandError):
        call_command("import", "producers", str(path), "--commit")
    assert Producer.objects.count() == 0
    code = Commune.objects.get(province__code="01", name="Xã Bát Tràng").code
    call_command("import", "producers", str(path), "--commit", "--choose", f"2={code}")
    assert capsys.readouterr().out.splitlines()[-1] == (
        "rows: 1 read, 1 created, 0 updated, 0 unchanged, 0 parked, 0 errors"
    )
    assert Producer.objects.get().name == "HTX Dòng Lệnh"
    out = tmp_path / "out.xlsx"
    call_command("export", "producers", str(out))
    call_command("import", "producers", str(out), "--commit", "--park")
    assert capsys.readouterr().out.splitlines()[-1] == (
        "rows: 1 read, 0 created, 0 updated, 1 unchanged, 0 parked, 0 errors"
    )


def test_command_line_import_of_products_and_criteria_ends_with_the_summary_line(db, tmp_path, capsys):
    """Every kind ends with the same line; a criteria version, saved whole or not at all, refuses --park."""
    make_producer(identifier="0106060606")
    path = tmp_path / "p.xlsx"
    rows = [
        product_row("Chè búp", ident="0106060606"),
        product_row("Bánh chưng", ident="0106060606", product_set="9-99"),
    ]
    path.write_bytes(xlsx(PRODUCT_HEADERS, rows).getvalue())
    call_command(
        "import", "products", str(path), "--commit", "--park", "--user", make_user(Role.PROVINCE_COORDINATOR).username
    )
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "rows: 2 read, 1 created, 0 updated, 0 unchanged, 1 parked, 1 errors"
    )
    assert list(Product.objects.values_list("name", flat=True)) == ["Chè búp"]
    with pytest.raises(CommandError):
        call_command("import", "criteria", str(path), "--commit", "--park")
    printed = capsys.readouterr()
    assert printed.out.splitlines()[-1] == "rows: 0 read, 0 created, 0 updated, 0 unchanged, 0 parked, 0 errors"
    assert (
        "Phiên bản tiêu chí được lưu toàn bộ hoặc không lưu: không thể để lại từng dòng." in printed.out + printed.err
    )


def test_import_audit_names_related_records(db, time_machine):
    from ocop.core.audit import history

    time_machine.move_to(dt.datetime(2026, 5, 4, 8, 30, tzinfo=dt.UTC), tick=False)
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    producer = make_producer(identifier="0104444442")
    row = product_row("Trà sen", ident="0104444442", product_set="1-13")
    run_import("products", xlsx(PRODUCT_HEADERS, [row]), user=coordinator, commit=True)
    entry = history(Product.objects.get(name="Trà sen")).get()
    assert (entry.action, entry.actor_id, entry.at) == (
        "import",
        coordinator.pk,
        dt.datetime(2026, 5, 4, 8, 30, tzinfo=dt.UTC),
    )
    assert (entry.object_id, entry.object_repr) == (str(Product.objects.get(name="Trà sen").pk), "Trà sen")
    assert entry.changes["producer"] == [None, producer.name]
    assert entry.changes["product_set"] == [None, "Các sản phẩm khác từ chè, trà"]
    assert entry.changes["commune"] == [None, "Xã Bát Tràng"]


def test_template_workbooks_import_cleanly(db):
    from ocop.registry.exports import template_workbook

    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    report = run_import("producers", io.BytesIO(template_workbook("producers")), user=coordinator, commit=True)
    assert (report.errors, report.created) == ([], 1)
    report = run_import("products", io.BytesIO(template_workbook("products")), user=coordinator, commit=True)
    assert (report.errors, report.created) == ([], 1)
    product = Product.objects.get()
    assert (product.name, product.commune.name, product.legacy_commune.name) == (
        "Chè búp Ba Vì",
        "Xã Suối Hai",
        "Xã Tản Lĩnh",
    )
    # Its second sheet lists what the "Bộ sản phẩm" column takes.
    sheet = load_workbook(io.BytesIO(template_workbook("products")))["Danh mục bộ sản phẩm"]
    rows = list(sheet.iter_rows(values_only=True))
    assert (rows[:5], rows[5], len(rows)) == (
        [("CHƯƠNG TRÌNH MỖI XÃ MỘT SẢN PHẨM (OCOP)", None, None), ("Mẫu nhập dữ liệu: sản phẩm", None, None),
         (f"Ngày lập: {timezone.localdate():%d/%m/%Y}", None, None), (None, None, None),
         ("Mã bộ sản phẩm", "Tên bộ sản phẩm", "Nhóm sản phẩm")],
        ("1-01", "Rau, củ, quả, hạt tươi", "Thực phẩm"), 32
    )  # fmt: skip
