"""The council member's scoring page says, as the criteria and round pages do, that the demo sheet is an
illustration and not the official text."""

import re

from django.urls import reverse

from ocop.conftest import client_for
from ocop.evaluation.tests.conftest import council_of, ready_dossier
from ocop.evaluation.tests.conftest import scene as scene  # the fixture

LABEL = '<span class="state state-expiring" id="provenance">Minh hoạ, không phải văn bản chính thức</span>'


def test_the_scoring_page_labels_the_demo_sheet_as_the_criteria_page_does(scene):
    dossier = ready_dossier(scene)
    council_of(scene)
    member = client_for(scene.members[2])
    page = member.get(reverse("backoffice:score_page", kwargs={"pk": dossier.pk})).content.decode()
    assert LABEL in page
    assert re.search(r"DEMO-148 <span[^>]*>Minh hoạ", page)
    coordinator = client_for(scene.coordinator)
    version = dossier.criteria_set.version
    criteria = coordinator.get(reverse("backoffice:criteria_detail", kwargs={"pk": version.pk})).content.decode()
    round_page = coordinator.get(reverse("backoffice:round_detail", kwargs={"pk": scene.round.pk})).content.decode()
    assert LABEL in criteria and LABEL in round_page
