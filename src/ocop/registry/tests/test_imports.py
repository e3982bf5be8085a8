import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from ocop.accounts.models import Role
from ocop.core.excel import write_workbook
from ocop.places.models import Commune
from ocop.registry.columns import PRODUCER_COLUMNS, PRODUCT_COLUMNS
from ocop.registry.imports import run_import
from ocop.registry.models import Producer, Product
from ocop.testing import make_producer, make_user

PRODUCER_HEADERS = [t for _n, t in PRODUCER_COLUMNS]
PRODUCT_HEADERS = [t for _n, t in PRODUCT_COLUMNS]


def producer_row(name, identifier, commune, district="", kind="Hợp tác xã", province="Hà Nội", women=""):
    return [kind, name, identifier, "Nguyễn Văn A", "0912345678", "", "Thôn 1", commune, district, province, women, ""]


def xlsx(headers, rows):
    return io.BytesIO(write_workbook(title="x", headers=headers, rows=rows))


def test_dry_run_lists_every_bad_row_and_saves_nothing(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    rows = [
        producer_row("HTX Gốm Bát Tràng", "0101111111", "Bát Tràng"),
        producer_row("HTX Sai Mã", "12345", "Ba Vì"),
        producer_row("HTX Không Xã", "0101111112", "Xã Không Tồn Tại"),
        producer_row("HTX Lặp", "0101111111", "Ba Vì"),
        producer_row("HTX Loại Lạ", "0101111113", "Ba Vì", kind="Liên hiệp"),
        producer_row("HTX Cờ", "0101111114", "Ba Vì", women="có lẽ"),
    ]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=coordinator, commit=True)
    assert not report.committed
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "Mã số thuế / Số định danh / Số ĐKKD"),
        (4, "Xã/Phường"),
        (5, "Mã số thuế / Số định danh / Số ĐKKD"),
        (6, "Loại chủ thể"),
        (7, "Nữ làm chủ"),
    ]
    assert report.errors[0].message == (
        "Mã số thuế “12345” phải có 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với chi nhánh."
    )
    assert report.errors[2].message == "Mã số “0101111111” bị trùng với dòng 2."
    assert Producer.objects.count() == 0


def test_legacy_addresses_convert_and_split_communes_wait_for_a_choice(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    rows = [
        producer_row("HTX Tản Lĩnh", "0102222221", "Xã Tản Lĩnh", district="Huyện Ba Vì"),
        producer_row("HTX Gốm Cũ", "0102222222", "Bát Tràng", district="Gia Lâm"),
    ]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=coordinator, commit=True)
    assert report.errors == []
    assert [(c.row, c.legacy, [n for _i, n, _d in c.candidates]) for c in report.choices] == [
        (3, "Bát Tràng, Gia Lâm", ["Xã Bát Tràng", "Phường Long Biên", "Xã Gia Lâm"])
    ]
    assert not report.committed and Producer.objects.count() == 0

    long_bien = Commune.objects.get(province__code="01", name="Phường Long Biên")
    report = run_import(
        "producers", xlsx(PRODUCER_HEADERS, rows), user=coordinator, commit=True, choices={3: long_bien.pk}
    )
    assert (report.committed, report.created) == (True, 2)
    tan_linh = Producer.objects.get(identifier="0102222221")
    assert (tan_linh.commune.name, tan_linh.legacy_commune.name, tan_linh.legacy_commune.district.name) == (
        "Xã Suối Hai",
        "Xã Tản Lĩnh",
        "Huyện Ba Vì",
    )
    assert Producer.objects.get(identifier="0102222222").commune == long_bien


def test_commune_officer_may_only_import_into_their_communes(db):
    officer = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    rows = [producer_row("HTX A", "0103333331", "Bát Tràng"), producer_row("HTX B", "0103333332", "Ba Vì")]
    report = run_import("producers", xlsx(PRODUCER_HEADERS, rows), user=officer, commit=True)
    assert [(e.row, e.column) for e in report.errors] == [(3, "Xã/Phường")]
    assert Producer.objects.count() == 0


def test_products_import_all_or_nothing(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    producer = make_producer(identifier="0104444441")
    good = ["0104444441", "", "Chè búp", "1-12", "Bát Tràng", "", "Hà Nội", "", "", "Túi", "200 g", "8934588012228", ""]
    by_name = [
        "",
        producer.name,
        "Mật ong",
        "Mật ong, các sản phẩm từ mật ong, mật khác",
        "Bát Tràng",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "Tạm dừng",
    ]
    bad_gtin = ["0104444441", "", "Trà sen", "1-13", "Bát Tràng", "", "", "", "", "Hộp", "", "8934588012229", ""]
    unknown = ["0109999999", "", "Bánh", "9-99", "Bát Tràng", "", "", "", "", "", "", "", ""]
    report = run_import(
        "products", xlsx(PRODUCT_HEADERS, [good, by_name, bad_gtin, unknown]), user=coordinator, commit=True
    )
    assert [(e.row, e.column) for e in report.errors] == [
        (4, "Mã vạch (GTIN)"),
        (5, "Mã số chủ thể"),
        (5, "Bộ sản phẩm"),
    ]
    assert Product.objects.count() == 0
    report = run_import("products", xlsx(PRODUCT_HEADERS, [good, by_name]), user=coordinator, commit=True)
    assert (report.committed, report.created) == (True, 2)
    products = {p.name: p for p in Product.objects.all()}
    assert [(p.name, p.size, p.gtin) for p in products["Chè búp"].packs.all()] == [("Túi", "200 g", "8934588012228")]
    assert (products["Mật ong"].product_set.code, products["Mật ong"].status) == ("1-04", "paused")
    assert products["Mật ong"].search_text == f"mat ong {producer.search_text.split(' 0104444441')[0]}"


def test_not_an_excel_file(db):
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    report = run_import("producers", io.BytesIO(b"%PDF-1.4 fake"), user=coordinator, commit=True)
    assert [(e.row, e.message) for e in report.errors] == [(0, "Tệp không phải là sổ tính Excel (.xlsx).")]
    report = run_import("producers", xlsx(["Tên"], [["x"]]), user=coordinator, commit=False)
    assert report.errors[0].message == "Thiếu cột: Loại chủ thể, Tên chủ thể, Xã/Phường."


def test_command_line_import(db, tmp_path, capsys):
    path = tmp_path / "p.xlsx"
    path.write_bytes(
        xlsx(PRODUCER_HEADERS, [producer_row("HTX Dòng Lệnh", "0105555551", "Bát Tràng", "Gia Lâm")]).getvalue()
    )
    with pytest.raises(CommandError):
        call_command("import", "producers", str(path), "--commit")
    assert Producer.objects.count() == 0
    call_command(
        "import",
        "producers",
        str(path),
        "--commit",
        "--choose",
        f"2={Commune.objects.get(province__code='01', name='Xã Bát Tràng').code}",
    )
    assert Producer.objects.get().name == "HTX Dòng Lệnh"
    out = tmp_path / "out.xlsx"
    call_command("export", "producers", str(out))
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert [c.value for c in ws[2]][:3] == ["Hợp tác xã", "HTX Dòng Lệnh", "0105555551"]


def test_import_audit_names_related_records(db, time_machine):
    from ocop.core.audit import history

    time_machine.move_to(dt.datetime(2026, 5, 4, 8, 30, tzinfo=dt.UTC), tick=False)
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    producer = make_producer(identifier="0104444442")
    row = ["0104444442", "", "Trà sen", "1-13", "Bát Tràng", "", "Hà Nội", "", "", "", "", "", ""]
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
