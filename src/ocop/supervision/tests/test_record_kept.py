"""The inspection record keeps what it was when the inspection was recorded (issue 17, a tester's findings): the
issuing body's name and place as they were that day, and the sanction line names the certificate by its number with
one full stop after its reason."""

from __future__ import annotations

import datetime as dt

from ocop.places.models import IssuingBody
from ocop.supervision import services
from ocop.supervision.models import Inspection
from ocop.supervision.record import record_pdf
from ocop.supervision.tests.conftest import Team, all_ok, planned
from ocop.testing import pdf_text, province


def _body(name: str, office: str, place: str) -> dict[str, str]:
    return {"name": name, "symbol": "UBND", "place": place, "signer_authority": "KT. CHỦ TỊCH",
            "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "Nguyễn Mạnh Quyền", "office_name": office,
            "office_symbol": "VPĐP", "office_signer_title": "CHÁNH VĂN PHÒNG"}  # fmt: skip


def test_the_record_keeps_the_body_of_the_day_and_names_the_certificate_by_its_number(team: Team):
    body = IssuingBody.objects.create(
        province=province(),
        **_body("Ủy ban nhân dân thành phố Hà Nội", "Văn phòng Điều phối thành phố Hà Nội", "Hà Nội"),
    )
    inspection = services.record(
        by=team.inspector, inspection=planned(team, product=team.cert.product), done_on=dt.date(2026, 3, 2),
        checks=all_ok(), findings={},
    )  # fmt: skip
    services.impose(by=team.office.coordinator, inspection=inspection, kind="warning", certificate=team.cert,
                    reason="Nhãn thiếu hạn sử dụng.")  # fmt: skip
    before = pdf_text(record_pdf(Inspection.objects.get(pk=inspection.pk))).splitlines()
    assert before[:4] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "VĂN PHÒNG ĐIỀU PHỐI", "THÀNH PHỐ HÀ NỘI"]
    assert "Hà Nội, ngày 02 tháng 3 năm 2026" in before
    at = before.index("IV. YÊU CẦU KHẮC PHỤC VÀ XỬ LÝ") + 2
    assert before[at : at + 2] == [
        "Biện pháp xử lý ngày 02/03/2026: cảnh cáo (giấy chứng nhận",
        "01-2025-00001). Lý do: Nhãn thiếu hạn sử dụng.",
    ]
    assert team.cert.number == "01-2025-00001" and team.cert.code not in "\n".join(before)

    # The province is renamed and its office moves later: the record of March prints as it was.
    IssuingBody.objects.filter(pk=body.pk).update(
        **_body("Ủy ban nhân dân tỉnh Hà Tây", "Văn phòng Điều phối tỉnh Hà Tây", "Hà Đông")
    )
    assert pdf_text(record_pdf(Inspection.objects.get(pk=inspection.pk))).splitlines() == before

    # An inspection recorded before the snapshot was kept prints the current settings.
    Inspection.objects.filter(pk=inspection.pk).update(issuer={})
    after = pdf_text(record_pdf(Inspection.objects.get(pk=inspection.pk))).splitlines()
    assert after[:4] == ["ỦY BAN NHÂN DÂN", "TỈNH HÀ TÂY", "VĂN PHÒNG ĐIỀU PHỐI", "TỈNH HÀ TÂY"]
    assert "Hà Đông, ngày 02 tháng 3 năm 2026" in after
