import datetime as dt
from collections import Counter

from django.db.models import Count
from django.utils import timezone

from ocop.evaluation.demo import build_evaluation_demo
from ocop.evaluation.models import Council, Dossier, Result, Round, ScoreSheet
from ocop.registry.demo import build_demo


def test_the_demo_rounds_are_last_years_published_and_this_years_open_with_every_state(db):
    build_demo(producers=30)
    today = timezone.localdate()
    assert build_evaluation_demo(today=today) == 18
    states = Counter(Dossier.objects.values_list("round__year", "round__number", "round__level", "state"))
    last, this = today.year - 1, today.year
    assert states == {
        (last, 1, "province", "published"): 4, (last, 1, "central", "published"): 1,
        (this, 1, "province", "published"): 3, (this, 1, "province", "scored"): 1, (this, 1, "central", "ready"): 1,
        (this, 2, "province", "draft"): 1, (this, 2, "province", "returned"): 1, (this, 2, "province", "submitted"): 2,
        (this, 2, "province", "commune_checked"): 1, (this, 2, "province", "proposed"): 1,
        (this, 2, "province", "under_review"): 1, (this, 2, "province", "ready"): 3,
    }  # fmt: skip
    open_round = Round.objects.get(year=this, number=2, level="province")
    assert (open_round.submission_deadline, open_round.proposal_deadline, open_round.council_date) == (
        today + dt.timedelta(days=20), today + dt.timedelta(days=35), today + dt.timedelta(days=50))  # fmt: skip
    assert Round.objects.get(year=last, level="province").submission_deadline == dt.date(last, 7, 31)
    # The demo producer's: last year's 4 stars, this year a returned dossier and a draft.
    own = Dossier.objects.filter(product__producer__members__user__username="producer")
    assert sorted(own.values_list("round__year", "state")) == [(last, "published"), (this, "draft"), (this, "returned")]
    # The commune officer's communes hold the dossiers to check and to propose.
    communes = set(
        Dossier.objects.filter(state__in=("submitted", "commune_checked")).values_list("product__commune__short_name",
                                                                                         flat=True))  # fmt: skip
    assert communes <= {"Bát Tràng", "Ba Vì"}
    council = Council.objects.get(round__year=last, round__level="province")
    assert (council.members.count(), council.members.exclude(role="secretary").count()) == (8, 7)
    results = sorted(Result.objects.filter(council=council).values_list("stars_by_score", "stars", "caps", "referral"))
    assert results == [(3, 3, [], False), (4, 2, [["C7.1", 3]], False), (4, 4, [], False), (5, 5, [], True)]
    # This year's first round: three results published (two 5-star referrals among them), one waiting.
    first = Result.objects.filter(dossier__round__year=this, dossier__round__number=1, dossier__round__level="province")
    assert sorted(first.values_list("stars", "published")) == [(3, False), (4, True), (5, True), (5, True)]
    # The open round: two dossiers scored by three members each; the spread has seven second revisions to submit.
    ready = Dossier.objects.filter(round=open_round, state="ready")
    submitted = sorted(ScoreSheet.objects.filter(dossier__in=ready, state="submitted", revision=1)
                       .values("dossier").annotate(n=Count("id")).values_list("n", flat=True))  # fmt: skip
    assert submitted == [3, 3, 7]
    assert ScoreSheet.objects.filter(dossier__in=ready, revision=2, state="draft").count() == 7
    assert build_evaluation_demo(today=today) == 0
