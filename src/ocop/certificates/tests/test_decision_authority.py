"""The decision's authority line matches its signature (Decree 30; issue 17, a tester's findings), and the Law on
the Organisation of Local Government is cited with the date of the law in force when the decision was signed."""

from __future__ import annotations

import datetime as dt

from ocop.certificates.pdf import authority_line, local_government_law
from ocop.places.issuers import Sign


def test_the_authority_line_follows_the_signature_block():
    hanoi = "Ủy ban nhân dân thành phố Hà Nội"
    assert (
        authority_line(Sign("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "A"), hanoi) == "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"
    )
    assert authority_line(Sign("", "CHỦ TỊCH", "A"), hanoi) == "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"
    assert authority_line(Sign("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "A"), hanoi) == "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"
    assert authority_line(Sign("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", ""), hanoi) == (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"
    )
    assert authority_line(Sign("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", ""), "Bộ Nông nghiệp và Môi trường") == (
        "BỘ TRƯỞNG BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    )


def test_the_local_government_law_in_force_on_the_day_of_signing():
    assert local_government_law(dt.date(2025, 7, 1)) == (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
    )
    assert local_government_law(dt.date(2025, 6, 30)) == (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    )
