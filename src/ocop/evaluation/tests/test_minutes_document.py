"""The council's minutes as an administrative document (issue 17): the council's founding decision, the meeting's
place, day and hours, the members present and absent with their titles, the results, and the signatures kept with
the last lines, read back from the PDF with pypdf; set in Times New Roman or Tinos only."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from ocop.accounts.models import Role
from ocop.evaluation import scoring
from ocop.evaluation.demo import FOUR_STARS
from ocop.evaluation.enums import DossierState, MemberRole
from ocop.evaluation.models import CouncilRules, Dossier, Result
from ocop.evaluation.results import minutes_pdf
from ocop.evaluation.tests.conftest import ready_dossier
from ocop.testing import make_product, make_user, non_admin_fonts, pdf_fonts, pdf_text

NAMES = ["Nguyễn Văn Chủ", "Trần Thị Phó", "Lê Văn Một", "Phạm Thị Hai", "Hoàng Văn Ba", "Vũ Thị Bốn", "Đặng Thu Ký"]
ROLES = [MemberRole.CHAIR, MemberRole.VICE_CHAIR] + [MemberRole.MEMBER] * 4 + [MemberRole.SECRETARY]


def _council(scene):
    """Seven seats: the chair, the vice-chair, four members and the secretary, each with a name of their own. Hoàng
    Văn Ba is not ticked present; Vũ Thị Bốn is ticked present after the council scored (she scored nothing)."""
    # Half the scoring members make a quorum here (the province's rules), so four of six may score.
    CouncilRules.objects.create(province=scene.round.province, quorum=Decimal("0.5"))
    users = [*scene.members[:6], make_user(Role.COUNCIL_MEMBER, username="secretary")]
    for user, name in zip(users, NAMES, strict=True):
        user.full_name = name
        user.save(update_fields=["full_name"])
    council = scoring.set_up_council(
        by=scene.coordinator,
        round_=scene.round,
        name="Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hà Nội năm 2025",
        decision="Quyết định số 1675/QĐ-UBND",
        decision_date=dt.date(2025, 9, 22),
        meeting_place="Phòng họp số 2, Sở Nông nghiệp và Môi trường",
        members=[(u, r, "Sở Công Thương") for u, r in zip(users, ROLES, strict=True)],
    )
    seats = {s.user.full_name: s for s in council.members.select_related("user")}
    present = [seats[n] for n in NAMES if n not in ("Hoàng Văn Ba", "Vũ Thị Bốn")]
    scoring.open_meeting(by=scene.coordinator, council=council, present=present, on=dt.date(2025, 10, 15),
                         start=dt.time(8, 0))  # fmt: skip
    return council, seats, present


def _scored(scene):
    council, seats, present = _council(scene)
    dossier = ready_dossier(scene)
    for seat in present:
        if seat.scores:
            scoring.submit_sheet(by=seat.user, dossier=dossier, choices=FOUR_STARS)
    scoring.open_meeting(by=scene.coordinator, council=council, present=[*present, seats["Vũ Thị Bốn"]])
    scoring.close_meeting(by=scene.coordinator, council=council, end=dt.time(11, 30))
    council.refresh_from_db()
    return council, dossier


def _pages(pdf: bytes) -> list[list[str]]:
    return [
        [" ".join(line.split()) for line in page.extract_text().splitlines()]
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def _more_results(scene, council, dossier, count: int) -> None:
    """`count` more products with a council result (rows of the minutes' table), for a minutes of several pages."""
    for i in range(count):
        product = make_product(producer=scene.producer, name=f"Sản phẩm thử số {i + 1:02d}", set_code="1-06")
        other = Dossier.objects.create(round=scene.round, product=product, criteria_set=dossier.criteria_set,
                                       state=DossierState.SCORED)  # fmt: skip
        Result.objects.create(dossier=other, council=council, mean=Decimal(70), part_a=Decimal(30), part_b=Decimal(15),
                              part_c=Decimal(25), stars_by_score=3, stars=3, scorers=4)  # fmt: skip


def test_the_minutes_carry_the_decision_the_meeting_the_members_and_the_signatures(scene):
    council, _dossier = _scored(scene)
    pdf = minutes_pdf(council)
    lines = pdf_text(pdf).splitlines()
    assert lines[:11] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        "HỘI ĐỒNG ĐÁNH GIÁ,",
        "PHÂN HẠNG SẢN PHẨM OCOP",
        "Số: /BB-HĐ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 15 tháng 10 năm 2025",
        "BIÊN BẢN",
        "Họp Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hà Nội năm",
        "2025",
    ]
    text = " ".join(lines)
    # The founding decision (its number as typed without "Quyết định số"), the meeting's hours and place.
    assert (
        "Căn cứ Quyết định số 1675/QĐ-UBND ngày 22/09/2025 của Ủy ban nhân dân Thành phố Hà Nội về việc thành lập "
        "Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hà Nội năm 2025;"
    ) in text
    assert "Thời gian: từ 08 giờ 00 đến 11 giờ 30, ngày 15/10/2025." in lines
    assert "Địa điểm: Phòng họp số 2, Sở Nông nghiệp và Môi trường." in lines
    # Present: ticked present and, for a member who scores, scored. Absent: Ba (not ticked) and Bốn (ticked after
    # the council scored, scored nothing).
    start = lines.index("1. Thành viên Hội đồng có mặt: 5/7 thành viên.")
    assert lines[start : start + 10] == [
        "1. Thành viên Hội đồng có mặt: 5/7 thành viên.",
        "- Nguyễn Văn Chủ, Chủ tịch (Sở Công Thương);",
        "- Trần Thị Phó, Phó Chủ tịch (Sở Công Thương);",
        "- Lê Văn Một, Ủy viên (Sở Công Thương);",
        "- Phạm Thị Hai, Ủy viên (Sở Công Thương);",
        "- Đặng Thu Ký, Thư ký (Sở Công Thương);",
        "2. Thành viên Hội đồng vắng mặt: 2 thành viên.",
        "- Hoàng Văn Ba, Ủy viên (Sở Công Thương);",
        "- Vũ Thị Bốn, Ủy viên (Sở Công Thương);",
        "Chủ trì: Nguyễn Văn Chủ, Chủ tịch Hội đồng. Thư ký: Đặng Thu Ký.",
    ]
    assert "Kết quả đánh giá, phân hạng: 1 sản phẩm." in lines
    assert "38,00 17,00 27,00 82,00 4 sao 4 thành viên" in lines
    assert lines[-7:] == [
        "thành viên có mặt cùng nghe và thống nhất thông qua.",
        "THƯ KÝ",
        "Đặng Thu Ký",
        "TM. HỘI ĐỒNG",
        "CHỦ TỊCH",
        "Nguyễn Văn Chủ",
        "2",  # the number of page 2 (printed from page 2 on), read last
    ]
    assert non_admin_fonts(pdf) == set()
    assert {"Tinos", "Tinos-Bold", "Tinos-Vietnamese", "Tinos-Vietnamese-Italic"} <= pdf_fonts(pdf)


def test_a_meeting_not_yet_held_prints_no_hours_and_everyone_ticked_is_present(scene):
    council, _seats, _present = _council(scene)
    lines = pdf_text(minutes_pdf(council)).splitlines()
    assert "Thời gian: từ 08 giờ 00, ngày 15/10/2025." in lines
    assert "1. Thành viên Hội đồng có mặt: 5/7 thành viên." in lines  # no result yet: the attendance alone says
    assert "Kết quả đánh giá, phân hạng: 0 sản phẩm." in lines


# With 6 to 10 more results the table ends near the foot of a page: without keeping them together (the keep block of
# minutes.html), the signatures of at least one of these went alone onto the next page.
@pytest.mark.parametrize("extra", range(6, 11))
def test_the_signatures_stay_on_the_page_of_the_last_lines(scene, extra):
    council, dossier = _scored(scene)
    _more_results(scene, council, dossier, extra)
    pages = _pages(minutes_pdf(council))
    assert len(pages) >= 2
    signed = next(page for page in pages if "TM. HỘI ĐỒNG" in page)
    assert "THƯ KÝ" in signed and "Nguyễn Văn Chủ" in signed and "Đặng Thu Ký" in signed
    assert "Cuộc họp kết thúc lúc 11 giờ 30 cùng ngày. Biên bản đã được đọc lại cho các" in signed
    assert signed.index("Cuộc họp kết thúc lúc 11 giờ 30 cùng ngày. Biên bản đã được đọc lại cho các") < signed.index(
        "TM. HỘI ĐỒNG"
    )
