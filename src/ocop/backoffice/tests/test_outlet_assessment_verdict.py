"""A sales point's checklist (Decision 950) has requirements and no points: its assessment never reads "Điểm: 0,0 ·
đạt"; a design centre's (Decision 6385) shows its points out of 100."""

import re

from django.urls import reverse

from ocop.conftest import client_for
from ocop.outlets.tests.conftest import recognised


def test_a_pass_fail_checklist_shows_no_points(outlet_scene):
    (outlet,) = recognised(outlet_scene)
    assessment = outlet.assessments.get()
    assert assessment.checklist.max_points == 0
    client = client_for(outlet_scene.users["commerce"])
    page = client.get(reverse("backoffice:assessment_detail", args=[outlet.pk, assessment.pk])).content.decode()
    verdict = re.search(r'<p id="verdict">(.*?)</p>', page, re.S).group(1)
    assert "Phải đạt tất cả các yêu cầu" in verdict and "Điểm" not in verdict and "đạt" in verdict
    detail = client.get(reverse("backoffice:outlet_detail", args=[outlet.pk])).content.decode()
    row = re.search(r'<table class="table" id="assessments">.*?</table>', detail, re.S).group(0)
    assert '<td class="num">—</td>' in row and "0,0" not in row
