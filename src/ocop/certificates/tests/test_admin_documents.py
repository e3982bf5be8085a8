"""The decision, the certificate and the written expiry notice in the administrative format of Decree 30/2020/NĐ-CP:
read back with pypdf (exact lines) and their fonts checked (Times New Roman or Tinos only, no sans-serif)."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from ocop.certificates import pdf, services
from ocop.certificates.models import Certificate, Decision
from ocop.certificates.notices import written_notice
from ocop.evaluation.testing import council_result
from ocop.places.demo import DEMO_BODIES
from ocop.places.models import IssuingBody, LegacyDistrict, LegacyProvince
from ocop.testing import make_product, non_admin_fonts, pdf_text, province

HEADING = [
    "ỦY BAN NHÂN DÂN",
    "THÀNH PHỐ HÀ NỘI",
    "Số: 1187/QĐ-UBND",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Hà Nội, ngày 04 tháng 02 năm 2026",
]


@pytest.fixture
def hanoi(db):
    return IssuingBody.objects.create(province=province(), **DEMO_BODIES["01"])  # Nguyễn Mạnh Quyền signs


def _issued(office, n=2, signer=""):
    decision = services.draft_decision(by=office.coordinator, province=province())
    products = [office.product] + [make_product(producer=office.producer, name=f"Lọ hoa {i}") for i in range(n - 1)]
    for i, product in enumerate(products):
        council_result(product, 3 + i % 2)
        services.add_item(by=office.coordinator, decision=decision, product=product, stars=3 + i % 2)
    services.issue_decision(
        by=office.coordinator, decision=decision, number="1187/QĐ-UBND", signed_on=dt.date(2026, 2, 4), signer=signer
    )
    return Decision.objects.get(pk=decision.pk)


def test_the_decision_carries_heading_summary_articles_and_the_signer_from_the_settings(office, hanoi, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC))
    decision = _issued(office)

    # Left empty when issuing: the signer comes from the issuing body's settings, with the title, kept on the decision.
    assert (decision.issuing_body, decision.signer_authority, decision.signer_title, decision.signer) == (
        "Ủy ban nhân dân thành phố Hà Nội", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Mạnh Quyền"
    )  # fmt: skip
    data = pdf.decision_pdf(decision)
    lines = pdf_text(data).splitlines()
    assert lines[:10] == [
        *HEADING,
        "QUYẾT ĐỊNH",
        "Về việc công nhận sản phẩm đạt chuẩn OCOP",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",  # signed KT. CHỦ TỊCH: the chair decides
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    ]
    closing = lines.index("Nơi nhận:")
    assert lines[closing - 2 : closing + 8] == [
        "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị",
        "và các chủ thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Bộ Nông nghiệp và Môi trường (để báo cáo);",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Mạnh Quyền",
        "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT CHUẨN OCOP",
    ]
    assert "QUYẾT ĐỊNH:" in lines and any(line.startswith("Điều 1. Công nhận 2 sản phẩm") for line in lines)
    assert non_admin_fonts(data) == set()

    # The settings change later (a new vice-chairman): the signed decision prints as it was signed.
    IssuingBody.objects.filter(pk=hanoi.pk).update(signer_title="CHỦ TỊCH", signer_authority="", signer_name="Khác")
    assert pdf_text(pdf.decision_pdf(Decision.objects.get(pk=decision.pk))).splitlines() == lines


def test_a_name_typed_when_issuing_wins_and_a_decision_from_before_prints_its_levels_block(office, hanoi, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC))
    decision = _issued(office, n=1, signer="Trần Sỹ Thanh")
    assert (decision.signer_title, decision.signer) == ("PHÓ CHỦ TỊCH", "Trần Sỹ Thanh")

    Decision.objects.filter(pk=decision.pk).update(signer_authority="", signer_title="")  # issued before the fields
    lines = pdf_text(pdf.decision_pdf(Decision.objects.get(pk=decision.pk))).splitlines()
    start = lines.index("- Lưu: VT.") + 1
    assert lines[start : start + 4] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Sỹ Thanh"]


def test_the_certificate_is_signed_as_its_decision_in_the_serif_face(office, hanoi, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC))
    cert = _issued(office, n=1).certificates.get()

    data = pdf.certificate_pdf(cert)
    lines = pdf_text(data).splitlines()
    assert lines[:5] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        "Số: 01-2026-00001",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert lines[-4:] == ["Hà Nội, ngày 04 tháng 02 năm 2026", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Mạnh Quyền"]
    assert "GIẤY CHỨNG NHẬN" in lines and "SẢN PHẨM OCOP ĐẠT 3 SAO" in lines
    assert "TM. CƠ QUAN BAN HÀNH" not in pdf_text(data)
    assert round(float(PdfReader(io.BytesIO(data)).pages[0].mediabox.width)) == 842  # A4 landscape
    assert non_admin_fonts(data) == set()  # the stars are drawn: no sans-serif face for a ★ glyph


def test_the_written_expiry_notice_comes_from_the_standing_office_with_its_signer(office, hanoi, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC))
    cert = _issued(office, n=1).certificates.get()

    data = written_notice(cert, dt.date(2028, 12, 5))
    lines = pdf_text(data).splitlines()
    assert lines[:11] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        "VĂN PHÒNG ĐIỀU PHỐI",
        "NÔNG THÔN MỚI",
        "THÀNH PHỐ HÀ NỘI",
        "Số: /TB-VPĐP",  # the office numbers its notices by hand, not with the certificate's number
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 05 tháng 12 năm 2028",
        "THÔNG BÁO",
        "Về việc giấy chứng nhận sản phẩm OCOP sắp hết hiệu lực",
    ]
    assert "Kính gửi: HTX Gốm Bát Tràng, Xã Bát Tràng, Thành phố Hà Nội." in lines  # the full address
    text = pdf_text(data)
    assert "36 tháng" not in text  # the validity is the stored end date
    body = text[text.index("Giấy chứng nhận sản phẩm đạt chuẩn") : text.index("Sản phẩm")].replace("\n", " ")
    assert body == (
        "Giấy chứng nhận sản phẩm đạt chuẩn OCOP dưới đây có giá trị đến hết ngày 04/02/2029 và sẽ hết hiệu lực sau "
        "61 ngày: "
    )
    assert lines[-6:] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Ủy ban nhân dân xã Bát Tràng;",
        "- Lưu: VT.",
        "CHÁNH VĂN PHÒNG",
        "Ngô Văn Ngọc",
    ]
    assert non_admin_fonts(data) == set()


def test_the_certificate_prints_its_stored_end_date_not_a_fixed_36_months(office, hanoi, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC))
    cert = _issued(office, n=1).certificates.get()
    assert "Có giá trị đến hết ngày 04/02/2029." in pdf_text(pdf.certificate_pdf(cert)).splitlines()

    # Entered from history with the end date of the list (signed 31/12/2023, valid until 01/01/2026): that date,
    # with no "36 tháng" that would not match it.
    Certificate.objects.filter(pk=cert.pk).update(issued_on=dt.date(2023, 12, 31), valid_until=dt.date(2026, 1, 1))
    text = pdf_text(pdf.certificate_pdf(Certificate.objects.get(pk=cert.pk)))
    assert "Có giá trị đến hết ngày 01/01/2026." in text.splitlines() and "36 tháng" not in text


def test_a_decision_signed_before_march_2025_reports_to_the_ministry_of_its_day(office, hanoi, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC))
    decision = _issued(office, n=1)

    Decision.objects.filter(pk=decision.pk).update(signed_on=dt.date(2025, 2, 28))
    lines = pdf_text(pdf.decision_pdf(Decision.objects.get(pk=decision.pk))).splitlines()
    closing = lines.index("Nơi nhận:")
    assert lines[closing : closing + 5] == [
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Bộ Nông nghiệp và Phát triển nông thôn (để báo",
        "cáo);",
        "- Lưu: VT.",
    ]  # fmt: skip (the narrow column wraps the longer name)

    Decision.objects.filter(pk=decision.pk).update(signed_on=dt.date(2025, 3, 1))
    lines = pdf_text(pdf.decision_pdf(Decision.objects.get(pk=decision.pk))).splitlines()
    assert "- Bộ Nông nghiệp và Môi trường (để báo cáo);" in lines


def test_a_former_districts_decision_is_dated_in_the_district(office, hanoi, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC))
    decision = _issued(office, n=1)
    old = LegacyProvince.objects.get(code="01")  # Hà Nội before 1 July 2025
    gia_lam, _ = LegacyDistrict.objects.get_or_create(
        code="018", defaults={"province": old, "name": "Huyện Gia Lâm", "short_name": "Gia Lâm"}
    )
    Decision.objects.filter(pk=decision.pk).update(
        legacy_district=gia_lam, issuing_body="Ủy ban nhân dân huyện Gia Lâm", signed_on=dt.date(2024, 5, 6)
    )
    decision = Decision.objects.get(pk=decision.pk)

    assert "Gia Lâm, ngày 06 tháng 5 năm 2024" in pdf_text(pdf.decision_pdf(decision)).splitlines()
    cert = decision.certificates.get()
    Certificate.objects.filter(pk=cert.pk).update(issued_on=dt.date(2024, 5, 6))
    lines = pdf_text(pdf.certificate_pdf(Certificate.objects.get(pk=cert.pk))).splitlines()
    assert lines[-4] == "Gia Lâm, ngày 06 tháng 5 năm 2024"
