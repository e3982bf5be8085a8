"""The summary of a 5-star candidate (phiếu tổng hợp) in the package for the central round, as an administrative
document (issue 17): the province's issuing body with its number and place-date, the ministry addressed, the
province's signer from the issuing body's settings and Nơi nhận; Times New Roman or Tinos only."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from ocop.evaluation import scoring
from ocop.evaluation.package import referral_package
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier
from ocop.places.models import IssuingBody
from ocop.testing import non_admin_fonts, pdf_fonts, pdf_text, province


def _referred(scene):
    dossier = ready_dossier(scene)
    council = council_of(scene)
    for user in scene.members:
        scoring.submit_sheet(by=user, dossier=dossier, choices=BEST)
    dossier.refresh_from_db()
    return dossier.result, council


def test_the_summary_is_the_provinces_letter_to_the_ministry(scene, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC))
    IssuingBody.objects.create(
        province=province("01"), name="Ủy ban nhân dân thành phố Hà Nội", symbol="UBND", place="Hà Nội",
        signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Mạnh Quyền",
        office_name="Văn phòng Điều phối nông thôn mới thành phố Hà Nội", office_symbol="VPĐP",
        office_signer_title="CHÁNH VĂN PHÒNG", office_signer_name="Ngô Văn Khoa",
    )  # fmt: skip
    result, _council = _referred(scene)
    bundle = zipfile.ZipFile(io.BytesIO(referral_package(result)))
    pdf = bundle.read("00-phieu-tong-hop.pdf")
    lines = pdf_text(pdf).splitlines()
    assert lines[:10] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        "Số: /UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 04 tháng 12 năm 2026",
        "PHIẾU TỔNG HỢP",
        "Thông tin sản phẩm đề nghị đánh giá, phân hạng sản phẩm OCOP 5 sao cấp",
        "Trung ương",
        "Kính gửi: Bộ Nông nghiệp và Môi trường.",
    ]
    assert "Tên sản phẩm Bánh cốm" in lines
    assert "Kết quả cấp tỉnh 100,00 điểm (A 40,00 · B 25,00 · C 35,00) · 5 sao · 7 thành viên" in lines
    assert lines[-12:] == [
        "Ủy ban nhân dân thành phố Hà Nội kính đề nghị Bộ Nông nghiệp và Môi",
        "trường xem xét, tổ chức đánh giá, phân hạng sản phẩm./.",
        "Nơi nhận:",
        "- Bộ Nông nghiệp và Môi trường (Văn phòng Điều",
        "phối nông thôn mới Trung ương);",
        "- Văn phòng Điều phối nông thôn mới thành phố Hà",
        "Nội;",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Mạnh Quyền",  # the signer in the issuing body's settings
        "3",  # the last page's number
    ]
    assert non_admin_fonts(pdf) == set()
    assert {"Tinos", "Tinos-Bold", "Tinos-Vietnamese"} <= pdf_fonts(pdf)


def test_without_settings_the_summary_is_signed_for_the_peoples_committee_without_a_name(scene):
    result, _council = _referred(scene)
    bundle = zipfile.ZipFile(io.BytesIO(referral_package(result)))
    lines = pdf_text(bundle.read("00-phieu-tong-hop.pdf")).splitlines()
    assert lines[:2] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"]
    assert lines[-4:-1] == ["- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_the_summary_is_dated_when_the_referral_was_made_not_when_the_package_is_rebuilt(scene, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC))
    result, _council = _referred(scene)

    time_machine.move_to(dt.datetime(2027, 1, 15, 9, tzinfo=dt.UTC))  # downloaded again six weeks later
    bundle = zipfile.ZipFile(io.BytesIO(referral_package(result)))
    lines = pdf_text(bundle.read("00-phieu-tong-hop.pdf")).splitlines()
    assert lines[5] == "Hà Nội, ngày 04 tháng 12 năm 2026"
