"""Where a dossier may be started (the producer's "Lập hồ sơ nâng hạng" on a result's path page, the new dossier
form): the province's rounds still taking dossiers, never one whose submission deadline has passed."""

import datetime as dt

import time_machine

from ocop.evaluation import access
from ocop.evaluation import dossiers as flow
from ocop.testing import province


@time_machine.travel(dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC), tick=False)
def test_only_rounds_still_taking_dossiers_are_offered(scene):
    hanoi, version = province("01"), scene.round.criteria_version
    flow.set_round_dates(
        by=scene.coordinator,
        round_=scene.round,
        submission_deadline=dt.date(2026, 12, 4),
        proposal_deadline=None,
        council_date=None,
    )
    due_today = flow.create_round(by=scene.coordinator, province=hanoi, year=2026, number=2, criteria_version=version,
                                  submission_deadline=dt.date(2026, 12, 5))  # fmt: skip
    undated = flow.create_round(by=scene.coordinator, province=hanoi, year=2026, number=3, criteria_version=version)
    for user in (scene.owner, scene.coordinator):
        assert set(access.open_rounds_for(user, hanoi.pk)) == {due_today, undated}
