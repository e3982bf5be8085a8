"""The council's minutes keep the issuing body of the meeting (issue 17, a tester's findings): the heading, the place
and "Căn cứ Quyết định số … của <body>" as they were when the meeting was held, whatever the settings say later."""

from __future__ import annotations

import datetime as dt

from ocop.evaluation import scoring
from ocop.evaluation.enums import MemberRole
from ocop.evaluation.models import Council
from ocop.evaluation.results import minutes_pdf
from ocop.places.models import IssuingBody
from ocop.testing import pdf_text


def test_the_minutes_keep_the_body_and_place_of_the_meeting(scene):
    body = IssuingBody.objects.create(
        province=scene.round.province, name="Ủy ban nhân dân thành phố Hà Nội", symbol="UBND", place="Hà Nội",
        signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH", signer_name="Nguyễn Mạnh Quyền",
    )  # fmt: skip
    council = scoring.set_up_council(
        by=scene.coordinator, round_=scene.round, name="Hội đồng OCOP thành phố Hà Nội", decision="1675/QĐ-UBND",
        decision_date=dt.date(2025, 9, 22), meeting_place="Phòng họp số 2",
        members=[(scene.members[0], MemberRole.CHAIR, "Sở Công Thương")],
    )  # fmt: skip
    scoring.open_meeting(by=scene.coordinator, council=council, present=list(council.members.all()),
                         on=dt.date(2025, 10, 15), start=dt.time(8, 0))  # fmt: skip
    scoring.close_meeting(by=scene.coordinator, council=council, end=dt.time(11, 0))
    held = pdf_text(minutes_pdf(Council.objects.get(pk=council.pk)))
    lines = held.splitlines()
    assert lines[:4] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI", "HỘI ĐỒNG ĐÁNH GIÁ,", "PHÂN HẠNG SẢN PHẨM OCOP"]
    assert "Hà Nội, ngày 15 tháng 10 năm 2025" in lines
    assert "của Ủy ban nhân dân thành phố Hà Nội về việc thành lập" in " ".join(lines)

    # The body is renamed and its documents dated elsewhere after the meeting: the minutes print as held.
    IssuingBody.objects.filter(pk=body.pk).update(name="Ủy ban nhân dân tỉnh Hà Tây", place="Hà Đông")
    assert pdf_text(minutes_pdf(Council.objects.get(pk=council.pk))) == held

    # A meeting held before the body was kept prints the current settings.
    Council.objects.filter(pk=council.pk).update(issuer={})
    now = pdf_text(minutes_pdf(Council.objects.get(pk=council.pk))).splitlines()
    assert now[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH HÀ TÂY"]
    assert "Hà Đông, ngày 15 tháng 10 năm 2025" in now
