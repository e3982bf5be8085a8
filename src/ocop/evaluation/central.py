"""The central round: the ministry's council scores the products the provinces refer for 5 stars.

Since Decision 1489/QĐ-TTg (2025) the Ministry of Agriculture and Environment recognises 5 stars. In OCOP Hub it is
an issuing body of its own (the central level, `places.queries.central_level`): its round receives the provinces'
referrals (a published result of 5 stars by score), its council scores them on the same criteria with the same
rules, and its decision certifies at the central result. A province follows its own referrals here and sees nothing
of other provinces'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ocop.accounts.models import Target
from ocop.accounts.permissions import scope_of
from ocop.accounts.services import notify, office_of
from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.evaluation import access
from ocop.evaluation.enums import DossierKind, DossierState, RoundLevel
from ocop.evaluation.models import (
    CriteriaSet,
    CriteriaVersion,
    Dossier,
    DossierEvidence,
    Result,
    Round,
    Transition,
)
from ocop.places.models import Province
from ocop.places.queries import central_level


def open_round(*, by: Any, year: int, criteria_version: CriteriaVersion, number: int = 1) -> Round:
    """The ministry opens a central round (access and checks in `dossiers.create_round`)."""
    from ocop.evaluation.dossiers import create_round

    return create_round(
        by=by, province=central_level(), year=year, number=number, criteria_version=criteria_version,
        level=RoundLevel.CENTRAL,
    )  # fmt: skip


def pending_referrals() -> Any:
    """Published province results referred to the central round and not yet received by it."""
    received = Dossier.objects.filter(round__level=RoundLevel.CENTRAL, previous__isnull=False).values("previous_id")
    return (
        Result.objects.filter(referral=True, published=True)
        .exclude(dossier__round__level=RoundLevel.CENTRAL)
        .exclude(dossier_id__in=received)
        .select_related("dossier__product__producer", "dossier__product__province", "dossier__criteria_set")
        .order_by("dossier__product__province__code", "-mean", "pk")
    )


def referred_result(dossier: Dossier) -> Result | None:
    """The province's published referral behind a central dossier."""
    if dossier.round.level != RoundLevel.CENTRAL or dossier.previous_id is None:
        return None
    return (
        Result.objects.filter(dossier_id=dossier.previous_id, referral=True, published=True)
        .select_related(
            "council__round__province", "dossier__round__province", "dossier__round__criteria_version",
            "dossier__criteria_set", "dossier__product__producer__commune", "dossier__product__commune",
        )
        .first()
    )  # fmt: skip


@transaction.atomic
def receive_referrals(*, by: Any, round_: Round) -> tuple[list[Dossier], list[str]]:
    """The central round takes in every pending referral it can: a dossier per product, ready for the central
    council, carrying the province dossier's evidence; the products whose product set the round's criteria lack are
    named and left pending. The referring province's coordinators are told. Side effects: audit entries,
    transitions, notifications."""
    access.require(access.can_manage_round(by, round_))
    if round_.level != RoundLevel.CENTRAL:
        raise ValidationError(_("Only the central round receives the provinces' referrals."))
    if round_.closed:
        raise ValidationError(_("This round is closed."))
    Round.objects.select_for_update().filter(pk=round_.pk).first()  # one receiver at a time
    sets = {s.code: s for s in CriteriaSet.objects.filter(version=round_.criteria_version)}
    made: list[Dossier] = []
    skipped: list[str] = []
    for result in pending_referrals():
        province_dossier = result.dossier
        criteria_set = sets.get(province_dossier.criteria_set.code)
        if criteria_set is None:
            skipped.append(province_dossier.product.name)
            continue
        dossier = Dossier.objects.create(
            round=round_, product=province_dossier.product, criteria_set=criteria_set, kind=DossierKind.UPGRADE,
            state=DossierState.READY, previous=province_dossier, summary=province_dossier.summary,
        )  # fmt: skip
        DossierEvidence.objects.bulk_create(
            DossierEvidence(dossier=dossier, document_id=e.document_id, line_id=e.line_id)
            for e in province_dossier.evidence.all()
        )
        Transition.objects.create(
            dossier=dossier, actor=by, actor_name=audit.actor_name(by), to_state=DossierState.READY,
            note=_("Referred by %(province)s with %(mean)s points.") % {
                "province": province_dossier.product.province.name, "mean": number_format(result.mean, 2)},
        )  # fmt: skip
        audit.record(
            actor=by, action=AuditAction.CREATE, obj=dossier, changes={"previous": [None, province_dossier.pk]}
        )
        made.append(dossier)
    _tell_provinces(made)
    return made, skipped


def _tell_provinces(dossiers: list[Dossier]) -> None:
    by_province: dict[int, list[Dossier]] = {}
    for d in dossiers:
        by_province.setdefault(d.product.province_id, []).append(d)
    for province_id, received in by_province.items():
        users = office_of(province_id)
        for d in received:
            notify(
                users, key=f"central:{d.pk}", target=Target.REFERRALS,
                title=_("The central round received %(product)s") % {"product": d.product.name},
                body=_("The ministry's council will score %(product)s for 5 stars in %(round)s.")
                % {"product": d.product.name, "round": d.round},
            )  # fmt: skip


def tell_of_published(results: list[Result]) -> None:
    """Each step tells the next person: a province's published referrals go to the ministry's office; the central
    council's published results go back to the office of each product's province."""
    referred = [r for r in results if r.referral and r.dossier.round.level != RoundLevel.CENTRAL]
    if referred:
        body = Province.objects.filter(central=True).first()
        if body is not None:
            for r in referred:
                notify(
                    office_of(body.pk), key=f"referred:{r.pk}", target=Target.ROUNDS,
                    title=_("%(province)s referred %(product)s for 5 stars") % {
                        "province": r.dossier.round.province.name, "product": r.dossier.product.name},
                    body=_("%(mean)s points by the province's council. Receive it in a central round.") % {
                        "mean": number_format(r.mean, 2)},
                )  # fmt: skip
    for r in results:
        if r.dossier.round.level == RoundLevel.CENTRAL:
            notify(
                office_of(r.dossier.product.province_id), key=f"central-result:{r.pk}",
                target=Target.REFERRALS,
                title=_("The central council rated %(product)s %(stars)s stars") % {
                    "product": r.dossier.product.name, "stars": r.stars},
                body=_("%(mean)s points.") % {"mean": number_format(r.mean, 2)},
            )  # fmt: skip


@dataclass
class Referral:
    """A province's referral and how far it has gone at the central level."""

    result: Result
    central: Dossier | None
    central_result: Result | None


def referral_progress(user: Any) -> list[Referral]:
    """The referrals of the provinces the user works for, each with its central dossier and result (published
    only); the ministry's own staff see every province's. Nothing of another province."""
    scope = scope_of(user)
    provinces = scope.provinces_for(*access.PROVINCE_READERS)
    central = Province.objects.filter(pk__in=provinces, central=True).exists()
    results = Result.objects.filter(referral=True, published=True).exclude(dossier__round__level=RoundLevel.CENTRAL)
    if not scope.is_admin and not central:
        results = results.filter(Q(dossier__product__province_id__in=provinces))
    results = results.select_related("dossier__product__producer", "dossier__product__province", "dossier__round")
    rows = list(results.order_by("-dossier__round__year", "dossier__product__province__code", "-mean", "pk"))
    later = {
        d.previous_id: d
        for d in Dossier.objects.filter(round__level=RoundLevel.CENTRAL, previous_id__in=[r.dossier_id for r in rows])
        .select_related("round", "result")
    }  # fmt: skip
    out = []
    for r in rows:
        d = later.get(r.dossier_id)
        outcome = getattr(d, "result", None) if d is not None else None
        out.append(Referral(result=r, central=d, central_result=outcome if outcome and outcome.published else None))
    return out
