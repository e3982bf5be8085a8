"""The minutes' exclusions and signatures (issue 17, a tester's findings): the secretary (who does not score) is never
listed as excluded, each exclusion prints its own reason; a council without a secretary signs without an empty
THƯ KÝ column; the secretary's and the chair's names stand on one line. Read back from the PDF with pypdf."""

from __future__ import annotations

import io
from decimal import Decimal

from pypdf import PdfReader

from ocop.evaluation import scoring
from ocop.evaluation.demo import FOUR_STARS
from ocop.evaluation.enums import MemberRole
from ocop.evaluation.models import ConflictDeclaration, CouncilRules
from ocop.evaluation.results import minutes_pdf
from ocop.evaluation.tests.conftest import ready_dossier
from ocop.testing import pdf_text

NAMES = ["Nguyễn Văn Chủ", "Trần Thị Phó", "Lê Văn Một", "Phạm Thị Hai", "Hoàng Văn Ba", "Nguyễn Văn Điều Phối"]


def _council(scene, *, secretary: bool = True):
    """The chair, the vice-chair, three members and, as in the demo, the coordinator as secretary: the coordinator
    reviewed the dossier in the advisory team (ready_dossier), which excludes him from scoring it, had he scored."""
    CouncilRules.objects.create(province=scene.round.province, quorum=Decimal("0.5"))
    users = [*scene.members[:5], scene.coordinator]
    for user, name in zip(users, NAMES, strict=True):
        user.full_name = name
        user.save(update_fields=["full_name"])
    roles = [MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.MEMBER, MemberRole.MEMBER, MemberRole.MEMBER]
    seats = list(zip(users, [*roles, MemberRole.SECRETARY], strict=True))
    council = scoring.set_up_council(
        by=scene.coordinator,
        round_=scene.round,
        name="Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hà Nội năm 2025",
        members=[(u, r, "Sở Công Thương") for u, r in (seats if secretary else seats[:5])],
    )
    return council, {s.user.full_name: s for s in council.members.select_related("user")}


def _scored(scene, *, secretary: bool = True):
    """Phạm Thị Hai declared a link to the producer (present, she does not score); Hoàng Văn Ba is absent; the
    three others score."""
    council, seats = _council(scene, secretary=secretary)
    dossier = ready_dossier(scene)
    ConflictDeclaration.objects.create(member=seats["Phạm Thị Hai"], producer=scene.producer, note="Họ hàng")
    present = [seat for name, seat in seats.items() if name != "Hoàng Văn Ba"]
    scoring.open_meeting(by=scene.coordinator, council=council, present=present)
    for name in ("Nguyễn Văn Chủ", "Trần Thị Phó", "Lê Văn Một"):
        scoring.submit_sheet(by=seats[name].user, dossier=dossier, choices=FOUR_STARS)
    dossier.refresh_from_db()
    return council, dossier, seats


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_each_exclusion_prints_its_own_reason_and_the_secretary_is_never_excluded(scene):
    council, dossier, seats = _scored(scene)
    assert dossier.reviewed_by_id == seats["Nguyễn Văn Điều Phối"].user_id  # the secretary reviewed it
    text = _text(minutes_pdf(council))
    assert "3 thành viên chấm; không chấm: Phạm Thị Hai (đã khai báo có liên quan đến chủ thể)" in text
    assert "xung đột lợi ích" not in text
    assert "không chấm: Nguyễn Văn Điều Phối" not in text and ", Nguyễn Văn Điều Phối (" not in text
    # Another member reviewed it: his own reason, after the declared link.
    dossier.reviewed_by_id = seats["Hoàng Văn Ba"].user_id
    dossier.save(update_fields=["reviewed_by_id"])
    text = _text(minutes_pdf(council))
    assert (
        "3 thành viên chấm; không chấm: Phạm Thị Hai (đã khai báo có liên quan đến chủ thể), Hoàng Văn Ba (đã thẩm "
        "định hồ sơ trong Tổ tư vấn)"
    ) in text


def _rows(pdf: bytes) -> dict[str, float]:
    """The last page's text by height on the page: the runs drawn on one baseline (pypdf's visitor_text gives each
    run's matrices), joined without spaces in the order drawn, with that height."""
    page = PdfReader(io.BytesIO(pdf)).pages[-1]
    by_height: dict[float, str] = {}

    def visit(text, cm, tm, _font, _size):  # type: ignore[no-untyped-def]
        y = round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5], 2)
        by_height[y] = by_height.get(y, "") + "".join(text.split())

    page.extract_text(visitor_text=visit)
    return {text: y for y, text in by_height.items() if text}


def test_the_secretarys_and_the_chairs_names_and_titles_stand_level(scene):
    council, _dossier, _seats = _scored(scene)
    pdf = minutes_pdf(council)
    assert pdf_text(pdf).splitlines()[-7:-1] == [
        "mặt cùng nghe và thống nhất thông qua.",
        "THƯ KÝ",
        "Nguyễn Văn Điều Phối",
        "TM. HỘI ĐỒNG",
        "CHỦ TỊCH",
        "Nguyễn Văn Chủ",
    ]
    rows = _rows(pdf)
    # Each pair on one baseline: the secretary's block keeps an empty line where the chair's has "TM. HỘI ĐỒNG".
    assert {"THƯKÝCHỦTỊCH", "NguyễnVănĐiềuPhốiNguyễnVănChủ"} <= set(rows)
    assert rows["TM.HỘIĐỒNG"] > rows["THƯKÝCHỦTỊCH"] > rows["NguyễnVănĐiềuPhốiNguyễnVănChủ"]


def test_a_council_without_a_secretary_signs_without_an_empty_column(scene):
    council, _dossier, _seats = _scored(scene, secretary=False)
    lines = pdf_text(minutes_pdf(council)).splitlines()
    assert "Chủ trì: Nguyễn Văn Chủ, Chủ tịch Hội đồng." in lines
    assert lines[-5:-1] == [
        "mặt cùng nghe và thống nhất thông qua.",
        "TM. HỘI ĐỒNG",
        "CHỦ TỊCH",
        "Nguyễn Văn Chủ",
    ]
    assert "THƯ KÝ" not in lines and "(chưa cử)" not in " ".join(lines)
