"""Who hears of each step of a spread review: the members sent back, then the presiding member, then the office.

Each notice is in-app (`accounts.services.notify`), once per subject key, so running a step twice repeats nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from ocop.accounts.models import Target
from ocop.accounts.services import notify, office_of
from ocop.evaluation.enums import ClosureKind, MemberRole
from ocop.evaluation.models import CouncilMember, Dossier, SpreadClosure


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
