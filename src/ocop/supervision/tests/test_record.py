"""The inspection record (biên bản kiểm tra) of a recorded inspection, as an administrative document (issue 17): the
standing office's heading, the legal basis, day and place, the team, the producer inspected and its representative,
the checklist, conclusion, findings and sanctions, and both sides' signatures kept with the last lines; read back
with pypdf, in Times New Roman or Tinos only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from ocop.accounts.models import Role
from ocop.outlets.tests.conftest import register
from ocop.places.models import IssuingBody
from ocop.supervision import services
from ocop.supervision.record import record_pdf
from ocop.supervision.tests.conftest import Team, all_ok, planned
from ocop.testing import make_user, non_admin_fonts, pdf_fonts, pdf_text, province


def _recorded(team: Team, summary: str = "", plan_team: str = "Lê Thị Hà – Sở Công Thương\n- Phạm Văn Tra – Sở Y tế;"):
    team.inspector.full_name = "Trần Văn Kiểm"
    team.inspector.save(update_fields=["full_name"])
    producer = team.office.producer
    producer.legal_representative = "Nguyễn Thị Gốm"
    producer.address = "Thôn 3"
    producer.save(update_fields=["legal_representative", "address"])
    plan = services.create_plan(
        by=team.office.coordinator, province=province(), title="Kiểm tra sản phẩm OCOP quý I/2026",
        starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31),
        team=plan_team,
    )  # fmt: skip
    inspection = planned(team, plan=plan, product=team.cert.product)
    return services.record(
        by=team.inspector, inspection=inspection, done_on=dt.date(2026, 3, 2), checks=all_ok(labels="x"),
        findings={"labels": services.FindingInput("Nhãn thiếu hạn sử dụng", "minor", dt.date(2026, 4, 1))},
        summary=summary,
    )  # fmt: skip


def test_the_record_has_the_parts_of_an_administrative_record(team):
    IssuingBody.objects.create(
        province=province(), name="Ủy ban nhân dân thành phố Hà Nội", symbol="UBND", place="Hà Nội",
        signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Mạnh Quyền",
        office_name="Văn phòng Điều phối nông thôn mới thành phố Hà Nội", office_symbol="VPĐP",
        office_signer_title="CHÁNH VĂN PHÒNG", office_signer_name="Ngô Văn Khoa",
    )  # fmt: skip
    inspection = _recorded(team)
    finding = inspection.findings.get()
    services.impose(by=team.office.coordinator, inspection=inspection, kind="warning", certificate=None,
                    reason="Nhãn thiếu hạn sử dụng", finding=finding)  # fmt: skip
    pdf = record_pdf(inspection)
    lines = pdf_text(pdf).splitlines()
    assert lines[:11] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        "VĂN PHÒNG ĐIỀU PHỐI",
        "NÔNG THÔN MỚI",
        "THÀNH PHỐ HÀ NỘI",
        "Số: /BB-VPĐP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 02 tháng 3 năm 2026",
        "BIÊN BẢN KIỂM TRA",
        "Sản phẩm OCOP sau công nhận: Bình gốm men lam",
    ]
    text = " ".join(lines)
    assert (
        "Căn cứ Quyết định số 148/QĐ-TTg ngày 24 tháng 02 năm 2023 của Thủ tướng Chính phủ ban hành Bộ tiêu chí và "
        "quy trình đánh giá, phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm; Căn cứ Kế hoạch kiểm tra “Kiểm tra "
        "sản phẩm OCOP quý I/2026” (từ ngày 01/03/2026 đến ngày 31/03/2026); Hôm nay, ngày 02/03/2026, tại Thôn 3, Xã "
        "Bát Tràng, Thành phố Hà Nội, chúng tôi gồm:"
    ) in text
    start = lines.index("1. Đoàn kiểm tra:")
    assert lines[start : start + 4] == [
        "1. Đoàn kiểm tra:",
        "- Trần Văn Kiểm – Trưởng đoàn;",
        "- Lê Thị Hà – Sở Công Thương;",
        "- Phạm Văn Tra – Sở Y tế;",
    ]
    assert "2. Cơ sở được kiểm tra: HTX Gốm Bát Tràng, địa chỉ: Thôn 3, Xã Bát Tràng, Thành phố Hà Nội." in text
    assert "Đại diện: Nguyễn Thị Gốm." in lines
    assert "1 Duy trì sản xuất sản phẩm đạt" in lines
    assert "6 Nhãn, bao bì và quy cách đóng gói chưa đạt" in lines
    assert "Cơ sở chưa đáp ứng yêu cầu ở 1 nội dung kiểm tra nêu tại mục IV." in lines
    assert (
        "1. Nhãn, bao bì và quy cách đóng gói: Nhãn thiếu hạn sử dụng (mức độ: nhẹ); khắc phục trước ngày 01/04/2026."
    ) in text
    assert "Biện pháp xử lý ngày 02/03/2026: cảnh cáo. Lý do: Nhãn thiếu hạn sử dụng." in text
    assert lines[-6:] == [
        "được đọc lại cho các bên cùng nghe, thống nhất và ký tên dưới đây./.",
        "ĐẠI DIỆN CƠ SỞ",
        "Nguyễn Thị Gốm",  # the producer's legal representative
        "TRƯỞNG ĐOÀN KIỂM TRA",
        "Trần Văn Kiểm",  # the inspector sent
        "2",  # the number of page 2
    ]
    assert non_admin_fonts(pdf) == set()
    assert {"Tinos", "Tinos-Bold", "Tinos-Vietnamese", "Tinos-Vietnamese-Italic"} <= pdf_fonts(pdf)


def _pages(pdf: bytes) -> list[list[str]]:
    return [
        [" ".join(line.split()) for line in page.extract_text().splitlines()]
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


# A long conclusion of 22 to 28 sentences ends page 2 near its foot: without keeping the last lines and the signatures
# together (the keep block of record.html), the signatures went alone onto page 3.
@pytest.mark.parametrize("sentences", range(22, 29, 2))
def test_the_signatures_stay_on_the_page_of_the_last_lines(team: Team, sentences: int):
    summary = " ".join(["Cơ sở duy trì sản xuất ổn định, nguyên liệu có nguồn gốc rõ ràng tại địa phương."] * sentences)
    pages = _pages(record_pdf(_recorded(team, summary=summary)))
    signed = next(page for page in pages if "TRƯỞNG ĐOÀN KIỂM TRA" in page)
    assert "ĐẠI DIỆN CƠ SỞ" in signed and "Nguyễn Thị Gốm" in signed and "Trần Văn Kiểm" in signed
    last = "được đọc lại cho các bên cùng nghe, thống nhất và ký tên dưới đây./."
    assert last in signed and signed.index(last) < signed.index("TRƯỞNG ĐOÀN KIỂM TRA")


def test_an_outlets_record_names_its_contact_and_an_inspection_in_order_says_so(team: Team):
    outlet = register(make_user(Role.COMMERCE_OFFICER, username="commerce"), contact_name="Đỗ Thị Bán")
    inspection = planned(team, producer=None, outlet=outlet)
    inspection = services.record(by=team.inspector, inspection=inspection, done_on=dt.date(2026, 3, 2),
                                 checks=all_ok(), findings={})  # fmt: skip
    lines = pdf_text(record_pdf(inspection)).splitlines()
    assert "BIÊN BẢN KIỂM TRA" in lines
    assert "Sản phẩm OCOP sau công nhận" in lines
    assert (
        "2. Điểm bán được kiểm tra: Điểm OCOP Bát Tràng, địa chỉ: Số 5 đường Giang Cao, Xã Bát Tràng, Thành phố Hà Nội."
    ) in " ".join(lines)
    assert "Đại diện: Đỗ Thị Bán." in lines
    assert "Cơ sở đáp ứng yêu cầu ở tất cả các nội dung kiểm tra." in lines
    assert "Không có nội dung phải khắc phục." in lines


@pytest.mark.parametrize(
    "plan_team",
    [
        "Sở Nông nghiệp và Môi trường, Sở Công Thương, Sở Y tế, Công an thành phố",  # the demo's plan: one line
        "Sở Nông nghiệp và Môi trường; Sở Công Thương; Sở Y tế; Công an thành phố",
        "- Sở Nông nghiệp và Môi trường\n- Sở Công Thương\r\n- Sở Y tế\n\n- Công an thành phố;",
    ],
)
def test_the_plans_team_is_one_member_a_line_however_it_was_typed(team, plan_team):
    lines = pdf_text(record_pdf(_recorded(team, plan_team=plan_team))).splitlines()
    start = lines.index("1. Đoàn kiểm tra:")
    assert lines[start : start + 6] == [
        "1. Đoàn kiểm tra:",
        "- Trần Văn Kiểm – Trưởng đoàn;",
        "- Sở Nông nghiệp và Môi trường;",
        "- Sở Công Thương;",
        "- Sở Y tế;",
        "- Công an thành phố;",
    ]
    assert lines[start + 6].startswith("2. Cơ sở được kiểm tra: HTX Gốm Bát Tràng")
