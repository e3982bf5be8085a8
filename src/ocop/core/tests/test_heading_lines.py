"""The heading of an administrative document (issue 17, a tester's findings): no short word alone on the last line of
the issuing body's name, fixed columns so a long place does not squeeze the body, the number on one line."""

from __future__ import annotations

from django.template import engines
from django.template.loader import render_to_string

from ocop.core.pdf import render_pdf
from ocop.core.text import balanced_lines
from ocop.testing_pdf import pdf_text


def test_no_short_word_alone_on_the_last_line():
    assert balanced_lines("HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP", 20) == [
        "HỘI ĐỒNG ĐÁNH GIÁ,", "PHÂN HẠNG SẢN", "PHẨM OCOP"
    ]  # fmt: skip


def test_a_long_place_does_not_squeeze_the_issuing_body(db):
    place = "Xã Rất Dài Tên Địa Danh Một Trăm Ký Tự Để Thử Nghiệm Bố Cục Của Tiêu Đề Văn Bản Hành Chính Nhà Nước"
    heading = render_to_string("documents/_heading.html", {
        "issuer": {"parent": "Ủy ban nhân dân Thành phố Hà Nội", "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP"},
        "number_line": "\u00a0" * 8 + "/BB-VPĐP", "place_date": f"{place}, ngày 04 tháng 12 năm 2026"})  # fmt: skip
    page = engines["django"].from_string(
        "{% extends 'documents/admin_base.html' %}{% block content %}" + heading + "{% endblock %}"
    )
    lines = pdf_text(render_pdf(page.render({}))).splitlines()
    assert lines[:7] == [
        "ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "HỘI ĐỒNG ĐÁNH GIÁ,", "PHÂN HẠNG SẢN PHẨM OCOP", "Số: /BB-VPĐP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    ]  # fmt: skip
