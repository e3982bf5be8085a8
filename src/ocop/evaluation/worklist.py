"""What waits for a user in the evaluation flow: records scoped by the gateway, never URLs (the back office maps
each record to its page). Each function answers a queryset annotated with `since` (when the wait began), so the
caller counts it with one query and lists the oldest few with another."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.evaluation import access
from ocop.evaluation.enums import DossierState, MemberRole, SheetState
from ocop.evaluation.models import ConflictDeclaration, Council, CouncilMember, Dossier, Result, ScoreSheet
from ocop.places.models import Province
from ocop.registry.models import ProducerMember

S = DossierState
NEW_RESULT_DAYS = 30


def _entered_state() -> Any:
    """When the dossier entered its present state (its last transition there; its creation if none)."""
    return Coalesce(Max("transitions__at", filter=Q(transitions__to_state=F("state"))), F("created_at"))


def _dossiers(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.annotate(since=_entered_state()).select_related("product", "round__province")


def _own_producers(user: Any) -> Any:
    return ProducerMember.objects.filter(user=user).values("producer_id")


def dossiers_to_check(user: Any) -> QuerySet[Dossier]:
    """The commune officer's: dossiers submitted in their communes (to check), checked ones (to propose)."""
    communes = scope_of(user).communes
    if not communes:
        return Dossier.objects.none()
    return _dossiers(
        access.dossiers_visible_to(user).filter(
            product__commune_id__in=communes, state__in=(S.SUBMITTED, S.COMMUNE_CHECKED)
        )
    )


def dossiers_to_review(user: Any) -> QuerySet[Dossier]:
    """The province office's (the coordinator runs the advisory team): proposed dossiers and those under review."""
    provinces = scope_of(user).provinces_for(Role.PROVINCE_COORDINATOR)
    if not provinces:
        return Dossier.objects.none()
    return _dossiers(
        access.dossiers_visible_to(user).filter(
            round__province_id__in=provinces, state__in=(S.PROPOSED, S.UNDER_REVIEW)
        )
    )


def dossiers_to_score(user: Any) -> QuerySet[Dossier]:
    """A council member's: READY dossiers of the councils they score on, which they may score (no declared link, not
    their own producer's, not one they reviewed) and have no submitted sheet for (or a revision asked of them).
    Annotated with `scored` (members who submitted), `members` (the council's scoring members) and `rescore` (the
    revision a spread review reopened for the user, 0 for a first scoring)."""
    if not getattr(user, "is_authenticated", False) or Role.COUNCIL_MEMBER not in scope_of(user).roles:
        return Dossier.objects.none()
    seats = CouncilMember.objects.filter(user=user).exclude(role=MemberRole.SECRETARY)
    mine = ScoreSheet.objects.filter(member__user=user)
    members = (
        CouncilMember.objects.filter(council__round_id=OuterRef("round_id"))
        .exclude(role=MemberRole.SECRETARY)
        .values("council__round_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        access.dossiers_visible_to(user)
        .filter(state=S.READY, round_id__in=seats.values("council__round_id"))
        .exclude(product__producer_id__in=ConflictDeclaration.objects.filter(member__user=user).values("producer_id"))
        .exclude(product__producer_id__in=_own_producers(user))
        .exclude(reviewed_by_id=user.pk)
        .filter(
            ~Q(pk__in=mine.filter(state=SheetState.SUBMITTED).values("dossier_id"))
            | Q(pk__in=mine.filter(state=SheetState.DRAFT, revision__gt=1).values("dossier_id"))
        )
    )
    # A spread review reopens the member's sheet as a new draft revision: the item is then a re-score (which one).
    reopened = mine.filter(dossier_id=OuterRef("pk"), state=SheetState.DRAFT, revision__gt=1).order_by("-revision")
    return _dossiers(qs).annotate(
        scored=Count("sheets__member", filter=Q(sheets__state=SheetState.SUBMITTED), distinct=True),
        members=Coalesce(Subquery(members), 0),
        rescore=Coalesce(Subquery(reopened.values("revision")[:1]), 0),
    )


def councils_to_publish(user: Any) -> QuerySet[Council]:
    """The coordinator's: councils whose round has no dossier left to score and results not yet published."""
    provinces = scope_of(user).provinces_for(Role.PROVINCE_COORDINATOR)
    if not provinces:
        return Council.objects.none()
    waiting = Dossier.objects.filter(round_id=OuterRef("round_id"), state=S.READY)
    return (
        Council.objects.filter(round__province_id__in=provinces, results__published=False)
        .exclude(Exists(waiting))
        .annotate(unpublished=Count("results", distinct=True), since=Min("results__created_at"))
        .select_related("round__province")
    )


def referrals_to_receive(user: Any) -> QuerySet[Result]:
    """The ministry's office (the central level's coordinator): province results referred and not yet received.
    (One query: whether the user coordinates the central level is a condition of it.)"""
    from ocop.evaluation.central import pending_referrals

    provinces = scope_of(user).provinces_for(Role.PROVINCE_COORDINATOR)
    if not provinces:
        return Result.objects.none()
    central = Province.objects.filter(pk__in=provinces, central=True)
    return pending_referrals().filter(Exists(central)).annotate(since=F("updated_at"))


def returned_dossiers(user: Any) -> QuerySet[Dossier]:
    """The producer's: its dossiers returned for completion."""
    if Role.PRODUCER not in scope_of(user).roles:
        return Dossier.objects.none()
    return _dossiers(
        access.dossiers_visible_to(user).filter(product__producer_id__in=_own_producers(user), state=S.RETURNED)
    )


def new_results(user: Any, today: dt.date | None = None) -> QuerySet[Result]:
    """The producer's: results published for its products in the last 30 days."""
    if Role.PRODUCER not in scope_of(user).roles:
        return Result.objects.none()
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=NEW_RESULT_DAYS), dt.time.min))
    return (
        Result.objects.filter(
            published=True, dossier__product__producer_id__in=_own_producers(user), updated_at__gte=start
        )
        .annotate(since=F("updated_at"))
        .select_related("dossier__product", "dossier__round")
    )
