import io
import zipfile
from decimal import Decimal

from django.urls import reverse
from pypdf import PdfReader

from ocop.conftest import client_for
from ocop.evaluation import scoring
from ocop.evaluation.demo import FOUR_STARS
from ocop.evaluation.results import minutes_pdf, path_to_next_star, recognition_list, referral_list
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier
from ocop.testing import pdf_text

# A 4-star sheet: 82 points (C8 at 0, B4.1 at 1, B4.3 at 1, C6.1 at 5, A1.3 at 2 instead of 5, 5, 5, 8, 4).
GOOD = FOUR_STARS


def _scored(scene, choices, comments=None):
    dossier = ready_dossier(scene)
    council = council_of(scene)
    for user in scene.members:
        if comments:
            scoring.save_sheet(by=user, dossier=dossier, choices=choices, comments=comments)
        scoring.submit_sheet(by=user, dossier=dossier, choices=choices)
    scoring.publish_results(by=scene.coordinator, council=council)
    dossier.refresh_from_db()
    return dossier, council


def test_the_path_to_the_next_star_puts_the_biggest_gains_first(scene):
    dossier, _council = _scored(scene, GOOD, comments={"C8": "Chưa có hợp đồng xuất khẩu"})
    path = path_to_next_star(dossier)
    assert (path.result.mean, path.result.stars, path.next_star, path.points_needed) == (Decimal(82), 4, 5, Decimal(8))
    assert [(p.code, p.mean, p.maximum) for p in path.lines[:4]] == [
        ("C8", Decimal(0), 5),
        ("B4.1", Decimal(1), 5),
        ("B4.3", Decimal(1), 5),
        ("C6.1", Decimal(5), 8),
    ]
    assert path.lines[0].comments == ["Chưa có hợp đồng xuất khẩu"] * 7
    assert path.lines[-1].gain == 0


def test_a_capped_product_sees_the_blocking_line_first(scene):
    dossier, _council = _scored(scene, {**GOOD, "C7.1": 0})
    path = path_to_next_star(dossier)
    assert (path.result.stars, path.result.stars_by_score, path.next_star, path.points_needed) == (2, 4, 3, 0)
    assert (path.lines[0].code, path.lines[0].failed, path.lines[0].mandatory_from) == ("C7.1", True, 3)


def test_lists_for_the_recognition_decision_and_the_central_round(scene):
    dossier, _council = _scored(scene, GOOD)
    assert [r.dossier for r in recognition_list(scene.round)] == [dossier]
    assert referral_list(scene.round) == []


def test_the_minutes_are_a_vietnamese_pdf(scene):
    _dossier, council = _scored(scene, GOOD)
    pdf = minutes_pdf(council)
    assert pdf.startswith(b"%PDF-")
    lines = pdf_text(pdf).splitlines()
    assert "BIÊN BẢN" in lines
    assert "1 Bánh cốm" in lines
    assert "38,00 17,00 27,00 82,00 4 sao 7 thành viên" in lines


def test_a_five_star_candidate_goes_to_the_central_round_as_one_package(scene):
    dossier, _council = _scored(scene, BEST)
    assert [r.dossier for r in referral_list(scene.round)] == [dossier]
    url = reverse("backoffice:referral_package", kwargs={"pk": scene.round.pk, "dossier_pk": dossier.pk})
    response = client_for(scene.coordinator).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ho-so-5-sao-{dossier.pk}.zip"'
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    evidence = list(dossier.evidence.select_related("document"))
    names = bundle.namelist()
    assert names[:2] == ["00-phieu-tong-hop.pdf", "01-bien-ban-hoi-dong.pdf"]
    assert len(names) == 2 + len(evidence) == 6
    assert names[2].startswith("tai-lieu/01-") and names[2].endswith(".pdf")
    for name, item in zip(names[2:], evidence, strict=True):
        with item.document.file.open("rb") as fh:
            assert bundle.read(name) == fh.read()
    summary = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bundle.read(names[0]))).pages)
    assert "PHIẾU TỔNG HỢP" in summary
    assert "Bánh cốm" in summary and "HTX Gạo Nếp Cái Hoa Vàng" in summary
    assert "100,00 điểm (A 40,00 · B 25,00 · C 35,00) · 5 sao · 7 thành viên chấm" in " ".join(summary.split())
    assert names[2] in "".join(summary.split())  # a long file name may wrap in the PDF's table
    assert bundle.read(names[1]).startswith(b"%PDF-")
    assert client_for(scene.commune).get(url).status_code == 403


def test_only_a_referred_dossier_has_a_package(scene):
    dossier, _council = _scored(scene, GOOD)
    url = reverse("backoffice:referral_package", kwargs={"pk": scene.round.pk, "dossier_pk": dossier.pk})
    assert client_for(scene.coordinator).get(url).status_code == 404
