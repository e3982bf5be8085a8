"""Every workbook the project writes, opened and printed by LibreOffice (vi-VN profile, see core/tests/office.py):
the periodic report, the producer and product exports, an outlet's sales sheet and the import templates. Nothing
shows as ### or in exponent notation, dates read dd/mm/yyyy, money 201.234.567 ₫, long names whole, and every page
is A4 landscape."""

import datetime as dt
import io
from csv import reader

import pytest
from openpyxl import load_workbook

from ocop.certificates.history import history_template
from ocop.core.tests.office import assert_readable, open_in_libreoffice
from ocop.core.tests.test_workbook_print import DESCRIPTION, NEXT, lines_on_paper, stored
from ocop.core.xlsxstyle import LINE_HEIGHT, MAX_WIDTH, wrapped_lines
from ocop.evaluation.criteria_import import criteria_template
from ocop.outlets.sales import outlet_sheet, sales_template
from ocop.promotion import services as promotion
from ocop.registry.exports import export_producers, export_products, template_workbook
from ocop.registry.models import Producer, Product
from ocop.reporting import stats, workbook
from ocop.testing import make_product, province

LONG_EVENT = (
    "Tuần lễ giới thiệu sản phẩm OCOP và đặc sản vùng miền Thành phố Hà Nội năm 2026 tại Hoàng thành Thăng Long"
)
LONG_PRODUCT = "Chè búp sao tay đặc sản vùng đồi Ba Vì đóng hộp quà tặng cao cấp của Hợp tác xã Nông nghiệp Ba Trại"


def _report(scene) -> bytes:
    fair = promotion.create_event(by=scene.coordinator, province=province(), kind="fair", name=LONG_EVENT,
                                  organiser="Sở Công Thương", starts_on=dt.date(2026, 11, 4),
                                  ends_on=dt.date(2026, 11, 8), place="Hoàng thành Thăng Long")  # fmt: skip
    gom = Producer.objects.get(name="HTX Gốm Bát Tràng")
    booth = promotion.allocate_booth(by=scene.coordinator, event=fair, producer=gom)
    promotion.record_outcome(by=scene.coordinator, booth=booth, revenue="201.234.567", contracts="1", visitors="12500")
    s = stats.Scope(province().pk, None, workbook.as_of(dt.date(2026, 12, 31)))
    return workbook.build(s, dt.date(2026, 1, 1), dt.date(2026, 12, 31), False, None)


# What each writer's workbook must show, in the CSV of one of its sheets and on paper.
WRITERS = {
    "report": (_report, "Xúc tiến thương mại", [
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Kỳ báo cáo: 01/01/2026 – 31/12/2026", "Ngày lập: 29/11/2026",
        f"{LONG_EVENT},hội chợ,04/11/2026,08/11/2026,1,201.234.567 ₫,1,0 ₫,12.500",
        "Hội chợ OCOP Hà Nội 2026,hội chợ,10/05/2026,14/05/2026,1,30.000.000 ₫,2,0 ₫,500",
    ]),
    "products": (lambda scene: export_products(Product.objects.order_by("pk")), "Sản phẩm", [
        "CHƯƠNG TRÌNH MỖI XÃ MỘT SẢN PHẨM (OCOP)", "Danh sách sản phẩm", LONG_PRODUCT,
    ]),
    "producers": (lambda scene: export_producers(Producer.objects.order_by("pk"), issuer="Ủy ban nhân dân Xã Bát Tràng"),
                  "Chủ thể", ["ỦY BAN NHÂN DÂN XÃ BÁT TRÀNG", "Danh sách chủ thể", "HTX Gốm Bát Tràng"]),
    "outlet sheet": (lambda scene: outlet_sheet(scene.outlet, dt.date(2026, 9, 1)), "Doanh số", [
        "Kỳ báo cáo: 09/2026", "09/2026", "Bình gốm men lam,10,12.500.000 ₫",
    ]),
    "sales template": (lambda scene: sales_template(), "Doanh số", ["Mẫu nhập dữ liệu: doanh số hằng tháng",
                                                                     "40,2.400.000 ₫"]),
    "producers template": (lambda scene: template_workbook("producers"), "Chủ thể", ["HTX Nông nghiệp Ví dụ"]),
    "products template": (lambda scene: template_workbook("products"), "Danh mục bộ sản phẩm", [
        "1-01,\"Rau, củ, quả, hạt tươi\",Thực phẩm",
    ]),
    "history template": (lambda scene: history_template(), "Danh sách", ["5087/QĐ-UBND,12/11/2019,2019,"]),
    "criteria": (lambda scene: criteria_template(), "Phiên bản", ["Bộ tiêu chí DEMO-148"]),
}  # fmt: skip


@pytest.mark.parametrize("writer", list(WRITERS))
def test_libreoffice_shows_and_prints_every_workbook_whole(writer, scene, tmp_path):
    make, sheet, shown = WRITERS[writer]
    make_product(producer=Producer.objects.get(name="Hộ Chè Ba Vì"), name=LONG_PRODUCT)
    printed = open_in_libreoffice(make(scene), tmp_path)
    assert_readable(printed)
    csv, text = printed.csv[sheet], printed.pdf_text
    for value in shown:
        assert value in csv, (value, csv[:2000])
        for cell in next(reader([value])):  # on paper, cell by cell (a wrapped cell's lines come after its row)
            assert cell in text, cell


def test_the_product_exports_long_description_does_not_run_over_the_next_product(scene, tmp_path):
    # Two products alone in the export: a description of 400 characters, then the next product's name.
    tea = Producer.objects.get(name="Hộ Chè Ba Vì")
    described = make_product(producer=tea, name="Chè Ba Vì mô tả dài", description=DESCRIPTION)
    following = make_product(producer=tea, name=NEXT)
    data = export_products(Product.objects.filter(pk__in=[described.pk, following.pk]).order_by("pk"))
    ws = load_workbook(io.BytesIO(data))["Sản phẩm"]
    header = next(r for r in range(1, 21) if ws.cell(row=r, column=2).value == "ID chủ thể")
    column = next(c.column_letter for c in ws[header] if c.value == "Mô tả")
    assert (ws[f"{column}{header + 1}"].value, ws.column_dimensions[column].width) == (DESCRIPTION, stored(MAX_WIDTH))
    assert ws.row_dimensions[header + 1].height == wrapped_lines(DESCRIPTION, MAX_WIDTH) * LINE_HEIGHT == 135
    runs = lines_on_paper(open_in_libreoffice(data, tmp_path).pdf)
    last = [y for y, text in runs if "CUỐICÙNG" in text]
    name = [y for y, text in runs if NEXT in text]
    assert len(last) == 1 and len(name) == 1, runs
    assert last[0] - name[0] >= LINE_HEIGHT / 2  # the description's last line above the next product's name
