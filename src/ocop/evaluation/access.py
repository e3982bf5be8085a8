"""The one gateway to rounds, dossiers, councils and results.

Reads: `dossiers_visible_to(user)`, `get_dossier_for_user(...)`. Acts: one predicate per step of the
flow, each answering "may this user do this to this dossier now" by role and scope (the state is the
service's to check). Not visible → Http404; visible but not allowed → PermissionDenied.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ocop.accounts.models import Role, User
from ocop.accounts.permissions import NOTHING, record_id, require, scope_of, visible_or_404
from ocop.evaluation.enums import DossierState, MemberRole, RoundLevel
from ocop.evaluation.models import Council, CouncilMember, CriteriaVersion, CriterionLine, Dossier, Round
from ocop.places.models import Commune, Province
from ocop.registry import access as registry_access
from ocop.registry.models import Document, ProducerMember

__all__ = ["NOTHING", "require"]  # the generic pieces, re-exported: the services call `access.require(...)`
PROVINCE_READERS = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER)
COUNCIL_STATES = (DossierState.READY, DossierState.SCORED, DossierState.PUBLISHED)


def _dossier_q(user: Any) -> Q:
    scope = scope_of(user)
    if scope.is_admin:
        return Q()
    q = NOTHING
    provinces = scope.provinces_for(*PROVINCE_READERS)
    if provinces:
        # The province's rounds, and its own products' dossiers in the central round (their progress to 5 stars).
        q |= Q(round__province_id__in=provinces)
        q |= Q(round__level=RoundLevel.CENTRAL, product__province_id__in=provinces)
        # The ministry reads the province dossiers referred to its rounds (what the province sent).
        q |= Q(pk__in=Dossier.objects.filter(round__province_id__in=provinces, round__level=RoundLevel.CENTRAL)
               .values("previous_id"))  # fmt: skip
    if scope.communes:
        q |= Q(product__commune_id__in=scope.communes)
    if Role.PRODUCER in scope.roles:
        q |= Q(product__producer_id__in=ProducerMember.objects.filter(user=user).values("producer_id"))
    if Role.COUNCIL_MEMBER in scope.roles:
        seats = CouncilMember.objects.filter(user=user).values("council__round_id")
        q |= Q(round_id__in=seats, state__in=COUNCIL_STATES)
        # A central council member reads the province dossier behind each referral it scores.
        q |= Q(pk__in=Dossier.objects.filter(round_id__in=seats, round__level=RoundLevel.CENTRAL).values("previous_id"))
    return q


def dossiers_visible_to(user: Any) -> QuerySet[Dossier]:
    return Dossier.objects.filter(_dossier_q(user))


def get_dossier_for_user(user: Any, pk: Any) -> Dossier:
    return visible_or_404(
        dossiers_visible_to(user).select_related(
            "round__province", "round__criteria_version", "criteria_set", "product__producer", "product__commune"
        ),
        pk,
    )


def rounds_visible_to(user: Any) -> QuerySet[Round]:
    """Rounds are announcements: each signed-in user sees those of the provinces they work in or produce in."""
    scope = scope_of(user)
    if scope.is_admin:
        return Round.objects.all()
    provinces = {p for ids in scope.provinces.values() for p in ids}
    q = Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(province_id__in=Commune.objects.filter(pk__in=scope.communes).values("province_id"))
    if Role.PRODUCER in scope.roles:
        own = ProducerMember.objects.filter(user=user).values("producer__province_id")
        q |= Q(province_id__in=own)
    return Round.objects.filter(q)


def get_round_for_user(user: Any, pk: Any) -> Round:
    return visible_or_404(rounds_visible_to(user).select_related("province", "criteria_version"), pk)


def criteria_versions_visible_to(user: Any) -> QuerySet[CriteriaVersion]:
    """The criteria catalogue is national reference data: every signed-in user reads it."""
    return (
        CriteriaVersion.objects.all() if user is not None and user.is_authenticated else CriteriaVersion.objects.none()
    )


def get_criteria_version_for_user(user: Any, pk: Any) -> CriteriaVersion:
    return visible_or_404(criteria_versions_visible_to(user), pk)


def can_import_criteria(user: Any) -> bool:
    """Import or replace a criteria version: administrators only. A version is national, shared by every province's
    rounds; a province's office replacing one would change every other province's score sheets."""
    return scope_of(user).is_admin


def provinces_for_rounds(user: Any) -> QuerySet[Province]:
    """The provinces (or the central level) whose rounds the user opens: the coordinator's own; every one for an
    administrator."""
    scope = scope_of(user)
    if scope.is_admin:
        return Province.objects.all()
    return Province.objects.filter(pk__in=scope.provinces_for(Role.PROVINCE_COORDINATOR))


def council_candidates(round_: Round) -> QuerySet[User]:
    """Whom a round's council may seat: active users with a role in the round's province. (Who may set up the
    council is `can_manage_round`, checked by the service.)"""
    return User.objects.filter(roles__province=round_.province_id, is_active=True).distinct().order_by("full_name")


def open_rounds_for(user: Any, province_id: int) -> QuerySet[Round]:
    """The open rounds of a province the user sees, where a dossier may be started: not closed, and taking
    dossiers still (no submission deadline, or one not yet passed)."""
    today = timezone.localdate()
    return rounds_visible_to(user).filter(
        Q(submission_deadline__isnull=True) | Q(submission_deadline__gte=today),
        closed=False, province_id=province_id, level=RoundLevel.PROVINCE,
    )  # fmt: skip


def evidence_documents(user: Any, dossier: Dossier) -> QuerySet[Document]:
    """The vault documents the user may attach to the dossier: its producer's, among those the user sees."""
    return registry_access.documents_visible_to(user).filter(producer_id=dossier.product.producer_id)


def sheet_lines(dossier: Dossier) -> QuerySet[CriterionLine]:
    """The criterion lines of the dossier's score sheet (a dossier the user was given by the gateway)."""
    return CriterionLine.objects.filter(group__criteria_set_id=dossier.criteria_set_id).order_by(
        "group__position", "position"
    )


def _is_coordinator_for(user: Any, province_id: int) -> bool:
    scope = scope_of(user)
    return scope.is_admin or province_id in scope.provinces_for(Role.PROVINCE_COORDINATOR)


def can_manage_round(user: Any, round_: Round) -> bool:
    """Set up rounds and councils, review dossiers, publish results: the province's coordinator (OCOP office)."""
    return _is_coordinator_for(user, round_.province_id)


MINUTES_SIGNERS = (MemberRole.CHAIR, MemberRole.SECRETARY)  # the two who sign the council's minutes


def can_read_minutes(user: Any, council: Council) -> bool:
    """The council's minutes: the round's office, and the two who sign them (the council's chair and secretary).
    The other members sign nothing and are not given them (the round's page does not show them the minutes)."""
    if can_manage_round(user, council.round):
        return True
    seat = seat_of(user, council)
    return seat is not None and seat.role in MINUTES_SIGNERS


def council_for_minutes(user: Any, round_pk: Any) -> Council:
    """The round's council whose minutes the user downloads: its chair and secretary (whether or not the round is
    in their scope), else the round's office. A round not visible, or without a council → 404; visible but not
    allowed → 403."""
    council = Council.objects.filter(round_id=record_id(round_pk)).select_related("round__province").first()
    if (
        council is not None
        and user.is_authenticated
        and council.members.filter(user=user, role__in=MINUTES_SIGNERS).exists()
    ):
        return council
    get_round_for_user(user, round_pk)  # not visible → 404
    if council is None:
        raise Http404
    require(can_read_minutes(user, council))
    return council


def can_read_referral_package(user: Any, dossier: Dossier) -> bool:
    """The 5-star package (the province council's minutes among its papers) of a dossier in the central round: the
    central round's office that received it, its council's members who score it, and the office of the province that
    referred it; other readers of the central dossier (the province's commerce and commune officers, the producer)
    are not given the council's minutes."""
    if can_manage_round(user, dossier.round) or _is_coordinator_for(user, dossier.product.province_id):
        return True
    return (
        bool(user.is_authenticated) and CouncilMember.objects.filter(user=user, council__round=dossier.round).exists()
    )


def can_follow_referrals(user: Any) -> bool:
    """The province's office follows its referrals to the central round (the ministry's staff follow them all)."""
    scope = scope_of(user)
    return scope.is_admin or bool(scope.provinces_for(*PROVINCE_READERS))


def can_create_round(user: Any, province_id: int) -> bool:
    return _is_coordinator_for(user, province_id)


def can_draft(user: Any, dossier: Dossier) -> bool:
    """Draft, edit, attach evidence and submit: the producer, its commune's officer, or the coordinator."""
    scope = scope_of(user)
    if scope.is_admin or _is_coordinator_for(user, dossier.round.province_id):
        return True
    if dossier.product.commune_id in scope.communes:
        return True
    return (
        Role.PRODUCER in scope.roles
        and ProducerMember.objects.filter(user=user, producer_id=dossier.product.producer_id).exists()
    )


def can_act_for_commune(user: Any, dossier: Dossier) -> bool:
    """Check the form, assess the local criteria, propose to the province: the commune's officer."""
    scope = scope_of(user)
    return scope.is_admin or dossier.product.commune_id in scope.communes


def can_close_spread_review(user: Any, council: Council, presiding: CouncilMember | None) -> bool:
    """Close a dossier's spread review (accept the totals, exclude a sheet): the member presiding over the
    dossier (the chair, or a vice-chair when the chair is absent or excluded), or the province's coordinator,
    who keeps the council's record as for attendance, conflicts and publication."""
    if user is None or not user.is_authenticated:
        return False
    if presiding is not None and presiding.user_id == user.pk:
        return True
    return can_manage_round(user, council.round)


def seat_of(user: Any, council: Council) -> CouncilMember | None:
    if user is None or not user.is_authenticated:
        return None
    return council.members.filter(user=user).first()
