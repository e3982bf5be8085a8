"""The dossier page shows the commune's assessment by each option's label and points, not by its position."""

import re

from django.urls import reverse

from ocop.conftest import client_for
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.tests.conftest import COMMUNE_LINES, ready_dossier
from ocop.evaluation.tests.conftest import scene as scene  # the fixture


def test_the_commune_assessment_shows_points_and_labels(scene):
    dossier = ready_dossier(scene)
    body = client_for(scene.coordinator).get(reverse("backoffice:dossier_detail", kwargs={"pk": dossier.pk}))
    table = re.search(r'<table class="table" id="commune-assessment">(.*?)</table>', body.content.decode(), re.S)
    assert table is not None
    rows = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(1).split("<tbody>")[1], re.S)
    ]
    lines = {line.code: line for line in sheet_spec(dossier.criteria_set).lines()}
    expected = [
        [f"{code} {lines[code].text}", lines[code].options[i].label, str(lines[code].options[i].points)]
        for code, i in COMMUNE_LINES.items()
    ]
    assert rows == expected
    a21 = next(r for r in rows if r[0].startswith("A2.1"))
    assert a21[2] == "3", a21  # the option at index 3 is worth 3 points: the page said "4" (index + 1)
