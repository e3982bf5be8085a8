"""The administrative face: Times New Roman, else Tinos from the npm registry, complete for Vietnamese."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from ocop.core import pdf
from ocop.core.text import balanced_lines, place_date
from ocop.testing_pdf import non_admin_fonts, pdf_fonts, pdf_text

VIETNAMESE = "Ủy ban nhân dân thành phố Hà Nội, Phường Hoàn Kiếm: đặc sản, mứt gừng, ỹ ữ ự ẵ ₫"


def test_vietnamese_text_prints_in_tinos_every_letter_read_back():
    data = pdf.render_pdf(f"<p>{VIETNAMESE}</p><p><b>{VIETNAMESE}</b></p><p><i>{VIETNAMESE}</i></p>")

    # Each subset of @fontsource/tinos is its own family, so WeasyPrint embeds each file and no letter takes
    # another's glyph (one family for all subsets read "Kiếm" back as "Kihm"); no system face fills a gap.
    assert pdf_text(data).splitlines() == [VIETNAMESE] * 3
    assert pdf_fonts(data) == {
        "Tinos", "Tinos-Bold", "Tinos-Italic",
        "Tinos-Vietnamese", "Tinos-Vietnamese-Bold", "Tinos-Vietnamese-Italic",
    }  # fmt: skip
    assert non_admin_fonts(data) == set()


def test_the_font_list_puts_times_new_roman_first():
    assert pdf.ADMIN_FONT_FAMILY == '"Times New Roman", "Tinos", "Tinos Vietnamese", "Tinos Latin Ext", serif'


def test_without_the_npm_fonts_rendering_stops_naming_make_setup(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "TINOS_DIR", tmp_path / "node_modules" / "@fontsource" / "tinos")

    with pytest.raises(pdf.FontsMissing, match=r"run `make setup` \(npm ci\)"):
        pdf.render_pdf("<p>Hà Nội</p>")


def test_heading_closing_and_rules_of_an_administrative_document():
    html = render_to_string("documents/admin_base.html")
    assert "@page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm;" in html
    issuer = SimpleNamespace(parent="", name="Ủy ban nhân dân thành phố Hà Nội")
    sign = SimpleNamespace(authority="KT. CHỦ TỊCH", title="Phó Chủ tịch", name="Nguyễn Mạnh Quyền")
    context = {
        "issuer": issuer,
        "number_line": "1187/QĐ-UBND",
        "place_date": "Hà Nội, ngày 04 tháng 12 năm 2026",
        "recipients": ["Như Điều 3", "Bộ Nông nghiệp và Môi trường"],
        "sign": sign,
    }
    body = render_to_string("documents/_heading.html", context) + render_to_string("documents/_closing.html", context)
    data = pdf.render_pdf(html.replace("<body>\n", "<body>\n" + body))

    assert pdf_text(data).splitlines() == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        "Số: 1187/QĐ-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 04 tháng 12 năm 2026",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Bộ Nông nghiệp và Môi trường;",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Mạnh Quyền",
    ]
    assert non_admin_fonts(data) == set()


def test_place_date_writes_small_days_and_january_february_with_a_zero():
    assert place_date("Hà Nội", dt.date(2026, 12, 4)) == "Hà Nội, ngày 04 tháng 12 năm 2026"
    assert place_date("Huế", dt.date(2027, 2, 28)) == "Huế, ngày 28 tháng 02 năm 2027"
    assert place_date("Huế", dt.date(2027, 3, 9)) == "Huế, ngày 09 tháng 3 năm 2027"
    assert place_date("Huế", dt.date(2027, 1, 15)) == "Huế, ngày 15 tháng 01 năm 2027"


def test_balanced_lines_split_a_body_name_where_it_reads():
    assert balanced_lines("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI") == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"]
    assert balanced_lines("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG") == ["BỘ NÔNG NGHIỆP", "VÀ MÔI TRƯỜNG"]
    office = "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI THÀNH PHỐ HÀ NỘI"
    assert balanced_lines(office) == ["VĂN PHÒNG ĐIỀU PHỐI", "NÔNG THÔN MỚI", "THÀNH PHỐ HÀ NỘI"]
    assert balanced_lines("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH") == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]
    assert balanced_lines("VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI TRUNG ƯƠNG") == [
        "VĂN PHÒNG ĐIỀU PHỐI",
        "NÔNG THÔN MỚI TRUNG ƯƠNG",
    ]
    assert balanced_lines("HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP THÀNH PHỐ HÀ NỘI") == [
        "HỘI ĐỒNG ĐÁNH GIÁ,",
        "PHÂN HẠNG SẢN PHẨM OCOP",
        "THÀNH PHỐ HÀ NỘI",
    ]
    assert balanced_lines("SỞ CÔNG THƯƠNG") == ["SỞ CÔNG THƯƠNG"]
    assert balanced_lines("") == []
