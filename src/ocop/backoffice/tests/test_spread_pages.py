"""The spread review's pages: the chair's panel on the scoring page, the two forms, their refusals."""

import dataclasses
from decimal import Decimal

from django.urls import reverse

from ocop.conftest import client_for
from ocop.evaluation import scoring
from ocop.evaluation.models import Result, ScoreSheet, SpreadClosure
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier
from ocop.evaluation.tests.conftest import scene as scene  # the evaluation scene, for its pages
from ocop.evaluation.tests.test_spread import _sheets as sheets_of
from ocop.evaluation.tests.test_spread import all_submit, snapshot, to_the_chair
from ocop.testing import make_product


def _url(name, dossier):
    return reverse(f"backoffice:{name}", kwargs={"pk": dossier.pk})


def test_the_chair_sees_the_reviews_held_and_accepts_the_totals_from_the_scoring_page(scene):
    dossier, _council = to_the_chair(scene)
    chair = client_for(scene.members[0])
    page = chair.get(_url("score_page", dossier))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Số vòng chấm lại do chênh lệch đã thực hiện: 2/2." in body
    assert 'id="spread-accept"' in body and 'id="spread-exclude"' in body
    assert 'name="explanation"' in body and 'name="sheet"' in body and 'name="reason"' in body
    assert [row[0].member.user for row in page.context["totals"]] == scene.members
    before = snapshot()
    refused = chair.post(_url("spread_accept", dossier), {"explanation": "  "})
    assert refused.status_code == 400
    assert "Giải trình: nêu lý do hội đồng chấp nhận nguyên các tổng điểm." in refused.content.decode()
    assert snapshot() == before
    done = chair.post(_url("spread_accept", dossier), {"explanation": "Hội đồng thống nhất giữ nguyên"})
    assert (done.status_code, done["Location"]) == (302, _url("score_page", dossier))
    closure = SpreadClosure.objects.get(dossier=dossier)
    assert (closure.kind, closure.reason, closure.by) == ("accept", "Hội đồng thống nhất giữ nguyên", scene.members[0])
    assert Result.objects.get(dossier=dossier).mean == Decimal(97)
    after = chair.get(_url("score_page", dossier)).content.decode()
    assert "chấp nhận nguyên các tổng điểm. Giải trình: Hội đồng thống nhất giữ nguyên" in after


def test_closing_early_or_as_another_member_is_refused(scene):
    dossier = ready_dossier(scene)
    council_of(scene)
    all_submit(scene, dossier, sheets_of(scene))  # the first spread review opens
    before = snapshot()
    early = client_for(scene.members[0]).post(_url("spread_accept", dossier), {"explanation": "Thống nhất"})
    assert early.status_code == 400
    assert "Chưa thể kết thúc rà soát chênh lệch: mới thực hiện 1/2 vòng chấm lại" in early.content.decode()
    member = client_for(scene.members[3])
    assert member.get(_url("spread_page", dossier)).status_code == 403
    assert member.post(_url("spread_accept", dossier), {"explanation": "Thống nhất"}).status_code == 403
    sheet = ScoreSheet.objects.filter(dossier=dossier).first()
    assert member.post(_url("spread_exclude", dossier), {"sheet": sheet.pk, "reason": "Lệch"}).status_code == 403
    assert client_for(scene.charlie).get(_url("spread_page", dossier)).status_code == 404
    assert snapshot() == before


def test_the_office_excludes_a_sheet_from_the_spread_page(scene):
    dossier, _council = to_the_chair(scene)
    other = ready_dossier(dataclasses.replace(scene, product=make_product(producer=scene.producer, set_code="1-06")))
    scoring.submit_sheet(by=scene.members[0], dossier=other, choices=BEST)
    office = client_for(scene.coordinator)
    detail = office.get(_url("dossier_detail", dossier)).content.decode()
    assert _url("spread_page", dossier) in detail
    page = office.get(_url("spread_page", dossier))
    assert page.status_code == 200
    outlier = ScoreSheet.objects.get(dossier=dossier, member__user=scene.members[6], revision=3)
    assert f'<option value="{outlier.pk}">Người Dùng Thử (Thành viên): 81 điểm</option>' in page.content.decode()
    before = snapshot()
    foreign = ScoreSheet.objects.get(dossier=other)
    refused = office.post(_url("spread_exclude", dossier), {"sheet": foreign.pk, "reason": "Lệch"})
    assert refused.status_code == 400
    assert "Phiếu chấm: phiếu này thuộc hồ sơ khác." in refused.content.decode()
    assert snapshot() == before
    done = office.post(_url("spread_exclude", dossier), {"sheet": outlier.pk, "reason": "Chấm không theo minh chứng"})
    assert (done.status_code, done["Location"]) == (302, _url("dossier_detail", dossier))
    result = Result.objects.get(dossier=dossier)
    assert (result.mean, result.scorers) == (Decimal("99.6667"), 6)
    detail = office.get(_url("dossier_detail", dossier)).content.decode()
    assert "loại phiếu chấm của Người Dùng Thử: Chấm không theo minh chứng" in detail
