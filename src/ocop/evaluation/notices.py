"""Who hears of each step of the dossier flow and of a spread review: the people who act next and the producer
concerned. Submitted → the commune's officers; returned (with what to fix) → the producer; proposed → the province's
OCOP office and the producer; ready → the council's members and the producer; scored → the office and the council's
secretary; published (with the stars and the path to the next star) → the producer; three days before a round's
submission deadline → producers whose dossier in it is still a draft or returned.

Each notice goes through `accounts.services.notify` (in-app, and e-mail by the task worker), once per subject key:
running a step twice repeats nothing, while a second submission after a return is a new subject (its key counts the
dossier's moves into that state). The texts are in the site's language (Vietnamese), whoever's browser acted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.accounts.models import NoticeKind, Target, User
from ocop.accounts.services import commune_officers, notify, office_of
from ocop.evaluation.enums import ClosureKind, DossierState, MemberRole
from ocop.evaluation.models import Council, CouncilMember, Dossier, Result, SpreadClosure

REMIND_DAYS = 3  # the reminder of a round's submission deadline, this many days before it


def spread_round_opened(*, dossier: Dossier, members: Iterable[CouncilMember], number: int, of: int) -> None:
    """The members whose totals are too far apart re-score."""
    notify(
        [m.user for m in members],
        key=f"spread:{dossier.pk}:{number}",
        title=_("Re-score %(product)s: the members' totals are too far apart (review %(n)s of %(of)s)")
        % {"product": dossier.product.name, "n": number, "of": of},
        target=Target.SCORE_PAGE,
        target_id=dossier.pk,
    )


def chair_decides(*, dossier: Dossier, presiding: CouncilMember | None, rounds: int) -> None:
    """The presiding member closes the review (or excludes a sheet that disqualifies the product alone); with nobody
    to preside (chair and vice-chairs absent or excluded), the office records the council's decision."""
    notify(
        [presiding.user] if presiding is not None else office_of(dossier.round.province_id),
        key=f"spread-chair:{dossier.pk}:{rounds}",
        title=_("%(product)s awaits your decision: the members' sheets still differ")
        % {"product": dossier.product.name},
        body=_("Accept the totals as they stand with an explanation, or exclude one member's sheet with a reason."),
        target=Target.SCORE_PAGE,
        target_id=dossier.pk,
    )


def spread_closed(*, closure: SpreadClosure, presiding: CouncilMember | None) -> None:
    """The office (the province's coordinators and the council's secretary) records the result; the presiding
    member hears of it too when someone else recorded the decision."""
    dossier = closure.dossier
    council = closure.council
    users: dict[int, Any] = {u.pk: u for u in office_of(council.round.province_id)}
    for member in council.members.select_related("user"):
        if member.role == MemberRole.SECRETARY:
            users[member.user_id] = member.user
    if presiding is not None:
        users[presiding.user_id] = presiding.user
    users.pop(closure.by_id, None)
    decision = (
        _("totals accepted as they stand")
        if closure.kind == ClosureKind.ACCEPT
        else _("the sheet of %(member)s excluded") % {"member": closure.sheet.member}  # type: ignore[union-attr]
    )
    notify(
        users.values(),
        key=f"spread-closed:{dossier.pk}",
        title=_("Spread review of %(product)s closed: %(decision)s")
        % {"product": dossier.product.name, "decision": decision},
        body=closure.reason,
        target=Target.DOSSIER,
        target_id=dossier.pk,
    )


# ---- the dossier flow -----------------------------------------------------------------------------


def producer_users(producer_id: int) -> list[User]:
    """The active accounts that act for a producer."""
    return list(User.objects.filter(producer_links__producer_id=producer_id, is_active=True).distinct())


def _but(users: Iterable[User], by: Any) -> list[User]:
    """Everyone but the person who acted (they know)."""
    return [u for u in users if by is None or u.pk != getattr(by, "pk", None)]


def _to_producer(dossier: Dossier, *, key: str, title: str, body: str, by: Any = None, **kw: Any) -> int:
    """The producer's accounts (but whoever acted) hear of a step of its dossier; the notice opens the dossier unless
    `kw` names another target. Returns how many were newly told."""
    kw.setdefault("target", Target.DOSSIER)
    users = _but(producer_users(dossier.product.producer_id), by)
    return notify(users, key=key, title=title, body=body, target_id=dossier.pk, **kw)


def _num(value: Any) -> str:
    """Points as Vietnamese write them (decimal comma, two places)."""
    return f"{value:.2f}".replace(".", ",")


def _moves(dossier: Dossier, state: DossierState) -> int:
    return dossier.transitions.filter(to_state=state).count()


def _values(dossier: Dossier) -> dict[str, Any]:
    product = dossier.product
    round_ = dossier.round
    return {
        "product": product.name,
        "producer": product.producer.name,
        "round": f"{round_.number}/{round_.year}",  # no thousands separator in a year
    }


def dossier_submitted(*, dossier: Dossier, by: Any) -> None:
    """The commune's officers check the dossier next."""
    with translation.override(settings.LANGUAGE_CODE):
        values = _values(dossier)
        notify(
            _but(commune_officers(dossier.product.commune_id), by),
            key=f"submitted:{dossier.pk}:{_moves(dossier, DossierState.SUBMITTED)}",
            title=_("Dossier of %(product)s submitted: check it") % values,
            body=_(
                "%(producer)s submitted the OCOP dossier of %(product)s (round %(round)s). Check the dossier and "
                "assess the commune's criteria, then propose it to the province or return it with what to fix."
            )
            % values,
            target=Target.DOSSIER,
            target_id=dossier.pk,
        )


def dossier_returned(*, dossier: Dossier, by: Any, items: list[dict[str, str]], note: str = "") -> None:
    """The producer fixes what the commune or the advisory team asks for, and submits again."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_values(dossier), "by": audit_name(by)}
        lines = "\n".join(f"- {i['item']}: {i['reason']}" if i["item"] else f"- {i['reason']}" for i in items)
        body = _("%(by)s returned the dossier. To fix:") % values + "\n" + lines
        if note:
            body += "\n" + _("Note: %(note)s") % {"note": note}
        _to_producer(
            dossier, by=by, key=f"returned:{dossier.pk}:{_moves(dossier, DossierState.RETURNED)}",
            title=_("Dossier of %(product)s returned: fix it and submit again") % values, body=body,
        )  # fmt: skip


def audit_name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def dossier_proposed(*, dossier: Dossier, by: Any) -> None:
    """The province's OCOP office (its advisory team) takes the dossier up next."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_values(dossier), "commune": dossier.product.commune.name if dossier.product.commune else ""}
        notify(
            _but(office_of(dossier.round.province_id), by),
            key=f"proposed:{dossier.pk}:{_moves(dossier, DossierState.PROPOSED)}",
            title=_("%(commune)s proposes %(product)s to the province") % values,
            body=_(
                "The commune checked the dossier of %(product)s (%(producer)s) and proposes it for round %(round)s. "
                "Take it up for the advisory team's review and site visit."
            )
            % values,
            target=Target.DOSSIER,
            target_id=dossier.pk,
        )
        _to_producer(
            dossier, by=by, key=f"proposed:{dossier.pk}:{_moves(dossier, DossierState.PROPOSED)}:producer",
            title=_("Dossier of %(product)s proposed to the province") % values,
            body=_(
                "The commune checked the dossier of %(product)s and proposed it to the province for round %(round)s. "
                "The province's advisory team reviews it next and may visit the place of production."
            ) % values,
        )  # fmt: skip


def _sent_to_council(dossier: Dossier, council: Council) -> None:
    values = _values(dossier)
    notify(
        [m.user for m in council.members.select_related("user") if m.user.is_active],
        key=f"sent_to_council:{dossier.pk}",
        title=_("%(product)s is ready for the council's scoring") % values,
        body=_(
            "The advisory team handed the dossier of %(product)s (%(producer)s, round %(round)s) to the council. "
            "Read it before the meeting; the score sheet opens when the meeting does."
        )
        % values,
        target=Target.SCORE_PAGE,
        target_id=dossier.pk,
    )


def dossier_ready(*, dossier: Dossier) -> None:
    """The council's members score the dossier next (if the round's council is set up yet; see council_set_up); the
    producer hears that its dossier went to the council."""
    council = Council.objects.filter(round_id=dossier.round_id).order_by("id").first()
    with translation.override(settings.LANGUAGE_CODE):
        if council is not None:
            _sent_to_council(dossier, council)
        values = _values(dossier)
        _to_producer(
            dossier, key=f"sent_to_council:{dossier.pk}:producer",
            title=_("Dossier of %(product)s sent to the council") % values,
            body=_(
                "The advisory team handed the dossier of %(product)s (round %(round)s) to the council, which scores "
                "it at its meeting. You will be told of the result when it is published."
            ) % values,
        )  # fmt: skip


def council_set_up(*, council: Council) -> None:
    """A council set up after dossiers were handed to it: its members hear of each one waiting."""
    with translation.override(settings.LANGUAGE_CODE):
        for dossier in Dossier.objects.filter(round_id=council.round_id, state=DossierState.READY).select_related(
            "product__producer", "round"
        ):
            _sent_to_council(dossier, council)


def scoring_complete(*, dossier: Dossier, result: Result) -> None:
    """The office (and the council's secretary, who writes the minutes) publishes the results next."""
    council = result.council
    users: dict[int, User] = {u.pk: u for u in office_of(dossier.round.province_id)}
    for member in council.members.select_related("user"):
        if member.role == MemberRole.SECRETARY and member.user.is_active:
            users[member.user_id] = member.user
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_values(dossier), "stars": result.stars, "mean": _num(result.mean)}
        notify(
            users.values(),
            key=f"scoring_complete:{dossier.pk}",
            title=_("Council scoring of %(product)s complete: %(stars)s stars") % values,
            body=_(
                "Every member's sheet is in: mean %(mean)s points, %(stars)s stars. Publish the council's results "
                "when the meeting's dossiers are scored."
            )
            % values,
            target=Target.DOSSIER,
            target_id=dossier.pk,
        )


def _path_text(dossier: Dossier) -> str:
    from ocop.evaluation.results import path_to_next_star  # results reads the scoring module, which imports this one

    path = path_to_next_star(dossier)
    if path.next_star is None:
        return _("Five stars: the highest rank.")
    gains = [line for line in path.lines if line.failed or line.gain > 0][:3]
    failed = [line.code for line in path.lines if line.failed]
    if path.points_needed == 0 and failed:  # the score is there; a mandatory criterion is not met
        text = _("To reach %(stars)s stars: meet the mandatory criteria %(codes)s.") % {
            "stars": path.next_star,
            "codes": ", ".join(failed),
        }
    else:
        text = _("To reach %(stars)s stars: %(points)s more points.") % {
            "stars": path.next_star,
            "points": _num(path.points_needed),
        }
    if gains:
        text += " " + _("Where to gain most: %(lines)s.") % {
            "lines": "; ".join(f"{line.code} {line.text} ({_num(line.mean)}/{line.maximum})" for line in gains)
        }
    return text


def results_published(*, results: Iterable[Result]) -> None:
    """Each producer hears of its result: the stars and the path to the next star."""
    with translation.override(settings.LANGUAGE_CODE):
        for result in results:
            dossier = result.dossier
            values = {**_values(dossier), "stars": result.stars, "mean": _num(result.mean)}
            if result.stars >= 3:
                title = _("%(product)s: %(stars)s-star OCOP result published") % values
            else:
                title = _("%(product)s: council result published (not yet OCOP)") % values
            body = _("The council scored %(product)s %(mean)s points: %(stars)s stars.") % values
            if result.referral:
                body += " " + _("The province refers it to the central round for 5 stars.")
            body += "\n" + _path_text(dossier)
            _to_producer(dossier, key=f"result_published:{dossier.pk}", title=title, body=body, target=Target.STAR_PATH)


def remind_deadlines(today: dt.date | None = None) -> int:
    """Daily: producers with a draft or returned dossier in a round whose submission deadline is in the next three
    days hear of it, once per (dossier, deadline): a moved deadline is a new reminder. Returns the dossiers
    reminded today (0 on a second run)."""
    today = today or timezone.localdate()
    dossiers = Dossier.objects.filter(
        state__in=(DossierState.DRAFT, DossierState.RETURNED),
        round__closed=False,
        round__submission_deadline__gte=today,
        round__submission_deadline__lte=today + dt.timedelta(days=REMIND_DAYS),
    ).select_related("product__producer", "round")
    count = 0
    with translation.override(settings.LANGUAGE_CODE):
        for dossier in dossiers:
            deadline = dossier.round.submission_deadline
            assert deadline is not None
            values = {**_values(dossier), "date": deadline.strftime("%d/%m/%Y"), "days": (deadline - today).days}
            told = _to_producer(
                dossier, key=f"deadline:{dossier.pk}:{deadline.isoformat()}", kind=NoticeKind.DEADLINE_REMINDER,
                title=_("Submit the dossier of %(product)s by %(date)s") % values,
                body=_(
                    "Dossiers of round %(round)s are due at the commune by %(date)s, in %(days)s days. The "
                    "dossier of %(product)s is not submitted yet."
                ) % values,
            )  # fmt: skip
            count += bool(told)
    return count
