from collections import Counter

from django.utils import timezone

from ocop.evaluation.demo import build_evaluation_demo
from ocop.evaluation.models import Council, Dossier, Result, ScoreSheet
from ocop.registry.demo import build_demo


def test_the_demo_round_has_every_state_and_the_scored_cases(db):
    build_demo(producers=30)
    today = timezone.localdate()
    assert build_evaluation_demo(today=today) == 13
    assert Counter(Dossier.objects.values_list("state", flat=True)) == {
        "draft": 1,
        "submitted": 1,
        "commune_checked": 1,
        "proposed": 1,
        "returned": 1,
        "under_review": 1,
        "ready": 3,
        "published": 4,
    }
    council = Council.objects.get()
    assert (council.members.count(), council.members.exclude(role="secretary").count(), council.meeting_open) == (
        8,
        7,
        True,
    )
    results = sorted(Result.objects.values_list("stars_by_score", "stars", "caps", "referral"))
    assert results == [(3, 3, [], False), (4, 2, [["C7.1", 3]], False), (4, 4, [], False), (5, 5, [], True)]
    # The spread to resolve: seven members each have a second, unsubmitted revision.
    assert ScoreSheet.objects.filter(revision=2, state="draft").count() == 7
    assert build_evaluation_demo(today=today) == 0
    assert Dossier.objects.count() == 13
