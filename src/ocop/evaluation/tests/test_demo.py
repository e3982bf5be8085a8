import datetime as dt
import io
import re
import zipfile
from collections import Counter

from django.db.models import Count
from django.utils import timezone

from ocop.accounts.models import Notification
from ocop.evaluation.demo import build_evaluation_demo
from ocop.evaluation.models import Council, Dossier, Result, Round, ScoreSheet, Transition
from ocop.evaluation.package import referral_package
from ocop.evaluation.results import minutes_pdf
from ocop.registry.demo import build_demo
from ocop.testing import pdf_text


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
    # This year's first round: three results published (two 5-star referrals among them), one scored again a week
    # ago waits; its meeting is closed; the open round's council is sitting.
    first = Result.objects.filter(dossier__round__year=this, dossier__round__number=1, dossier__round__level="province")
    assert sorted(first.values_list("stars", "published")) == [(3, False), (4, True), (5, True), (5, True)]
    assert list(Council.objects.filter(round__year=this, round__level="province").order_by("round__number")
                .values_list("meeting_open", "meeting_closed")) == [(False, True), (True, False)]  # fmt: skip
    waiting = Result.objects.get(published=False)
    assert (waiting.dossier.round.number, timezone.localtime(waiting.created_at).date()) == (
        1,
        today - dt.timedelta(days=7),
    )
    # Scores as councils give them: 5 stars at 93, never a perfect 100.
    assert {float(r.mean) for r in Result.objects.filter(stars=5)} == {93.0}
    assert all(50 <= r.mean <= 95 for r in Result.objects.all())
    # The open round: two dossiers scored by three members each; the spread has seven second revisions to submit.
    ready = Dossier.objects.filter(round=open_round, state="ready")
    submitted = sorted(ScoreSheet.objects.filter(dossier__in=ready, state="submitted", revision=1)
                       .values("dossier").annotate(n=Count("id")).values_list("n", flat=True))  # fmt: skip
    assert submitted == [3, 3, 7]
    assert ScoreSheet.objects.filter(dossier__in=ready, revision=2, state="draft").count() == 7
    # Each step in the past, by whom would take it: the demo producer submits, the commune officer returns, the
    # coordinator reviews; the returned dossier 12 days ago, the latest step 3 days ago.
    returned = Dossier.objects.get(state="returned")
    steps = list(returned.transitions.order_by("id").values_list("to_state", "actor__username", "at__date"))
    assert [(s, u) for s, u, _d in steps] == [("draft", "producer"), ("submitted", "producer"), ("returned", "commune")]
    assert [today - d for _s, _u, d in steps] == [dt.timedelta(days=d) for d in (18, 16, 12)]
    latest = Transition.objects.filter(dossier__round__level="province").latest("at").at
    assert timezone.localtime(latest).date() == today - dt.timedelta(days=3)
    assert set(Transition.objects.filter(to_state="under_review").values_list("actor__username", flat=True)) == {
        "coordinator"}  # fmt: skip
    assert not Notification.objects.filter(
        created_at__date__gte=today - dt.timedelta(days=1), key__startswith="returned"
    )
    # Last year's results are old news, not "new results".
    assert not Result.objects.filter(dossier__round__year=last, updated_at__date__gte=today - dt.timedelta(days=30))
    # The minutes: the province's secretary (the coordinator, who reviewed the dossiers) is never listed as
    # excluded; the central council's secretary is the ministry's office, who signs its minutes.
    text = " ".join(pdf_text(minutes_pdf(council)).split())
    assert "Thư ký: Nguyễn Văn Điều Phối." in text and "xung đột lợi ích" not in text
    assert "không chấm" not in text  # no demo member is excluded from a dossier he scores
    central = Council.objects.get(round__year=last, round__level="central")
    assert list(central.members.filter(role="secretary").values_list("user__username", flat=True)) == ["ministry"]
    text = " ".join(pdf_text(minutes_pdf(central)).split())
    assert "Thư ký: Trần Thanh Nam." in text and "THƯ KÝ Trần Thanh Nam TM. HỘI ĐỒNG" in text
    # The referral's documents read as papers do: the kind's label, a real number, its date and issuer.
    referral = Result.objects.get(council=council, referral=True)
    bundle = zipfile.ZipFile(io.BytesIO(referral_package(referral)))
    summary = " ".join(pdf_text(bundle.read("00-phieu-tong-hop.pdf")).split())
    assert "test_report" not in summary and "business_registration" not in summary
    assert re.search(
        r"Phiếu kết quả kiểm nghiệm số 1\d\d/KQ-TTKN ngày \d\d/\d\d/\d{4} của Trung tâm Kiểm nghiệm", summary
    )
    assert build_evaluation_demo(today=today) == 0
