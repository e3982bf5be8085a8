"""Dates of the past for `ocop demo`: the services stamp each step with the present moment; the demo walks its
dossiers through the steps in one go, then dates each step (its transition, audit entry and notices) on the day it
would have happened, so the work queues read "since 12 days ago" rather than "since today" on every line."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ocop.accounts.models import Notification, Target
from ocop.core.models import AuditEntry
from ocop.evaluation.enums import DossierState as S
from ocop.evaluation.models import Dossier, Result, ScoreSheet, Transition

# Days between a dossier's steps, each counted from the one before.
GAPS = [("draft", 0), (S.SUBMITTED, 2), (S.COMMUNE_CHECKED, 4), (S.PROPOSED, 3), (S.UNDER_REVIEW, 4), (S.READY, 6)]
# A council meeting's hours (opened, closed), printed in its minutes.
MEETING_HOURS = (dt.time(8, 0), dt.time(11, 30))
# A notice's key prefix → the step it tells of.
NOTICE_STEP = {
    "submitted": S.SUBMITTED, "returned": S.RETURNED, "proposed": S.PROPOSED, "sent_to_council": S.READY,
    "scoring_complete": "scored", "spread": "scored", "spread-chair": "scored", "result_published": S.PUBLISHED,
}  # fmt: skip


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """A working hour of `day`, in the server's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def schedule(end: dt.date, last: str) -> dict[str, dt.date]:
    """The dates of a dossier's steps up to `last`, the last one on `end` (a returned dossier is returned when it
    would have been checked)."""
    step = S.COMMUNE_CHECKED if last == S.RETURNED else last
    names = [name for name, _gap in GAPS]
    upto = names.index(step) if step in names else len(names) - 1
    days: dict[str, dt.date] = {}
    day = end
    for name, gap in reversed(GAPS[: upto + 1]):
        days[name] = day
        day -= dt.timedelta(days=gap)
    if last == S.RETURNED:
        days[S.RETURNED] = days.pop(S.COMMUNE_CHECKED)
    return days


def closed_schedule(submitted: dt.date, proposed: dt.date, ready: dt.date) -> dict[str, dt.date]:
    """A closed round's dossier: submitted before the round's deadline, proposed before the communes' deadline,
    ready for the council some days before it met."""
    return {
        "draft": submitted - dt.timedelta(days=5),
        S.SUBMITTED: submitted,
        S.COMMUNE_CHECKED: submitted + dt.timedelta(days=6),
        S.PROPOSED: proposed,
        S.UNDER_REVIEW: proposed + dt.timedelta(days=5),
        S.READY: ready,
    }


def date_steps(dossier: Dossier, days: dict[str, dt.date]) -> None:
    """Date the dossier's creation, transitions, audit entries and notices by `days` (step → day)."""
    if "draft" in days:
        Dossier.objects.filter(pk=dossier.pk).update(created_at=at(days["draft"], 8))
    kind = ContentType.objects.get_for_model(Dossier)
    audit = AuditEntry.objects.filter(content_type=kind, object_id=str(dossier.pk))
    if "draft" in days:
        audit.filter(action="create").update(at=at(days["draft"], 8))
    for state, day in days.items():
        Transition.objects.filter(dossier=dossier, to_state=state).update(at=at(day, 8 if state == "draft" else 9))
        audit.filter(changes__state__1=state).update(at=at(day))
    notices = Notification.objects.filter(
        target__in=(Target.DOSSIER, Target.SCORE_PAGE, Target.STAR_PATH), target_id=dossier.pk
    )
    for notice in notices.only("pk", "key"):
        step = NOTICE_STEP.get(notice.key.split(":", 1)[0])
        if step in days:
            Notification.objects.filter(pk=notice.pk).update(created_at=at(days[step], 10))


def date_scoring(dossier: Dossier, scored: dt.date, published: dt.date | None = None) -> None:
    """The council's sheets submitted and the result recorded on `scored`; published on `published`."""
    sheets = ScoreSheet.objects.filter(dossier=dossier)
    sheets.update(created_at=at(scored, 8), saved_at=at(scored, 10))
    sheets.filter(submitted_at__isnull=False).update(submitted_at=at(scored, 10))
    Result.objects.filter(dossier=dossier).update(created_at=at(scored, 11), updated_at=at(published or scored, 11))
    days: dict[str, dt.date] = {"scored": scored}
    if published is not None:
        days[S.PUBLISHED] = published
    date_steps(dossier, days)
