"""The back-office menu, built in one place: each entry shown only to the roles whose gateway reaches its page (the
same role sets the views' gateways use, so a link never leads to a 403), with the work waiting under it.

The context processor `menu` runs on every page; the entries are worked out lazily (only when a page renders the
menu), from the role scope already cached on the user, plus `work.menu_counts` (a few COUNT queries)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import Role
from ocop.accounts.permissions import Scope, scope_of
from ocop.backoffice.work import central_office, menu_counts
from ocop.certificates import access as certificate_access
from ocop.evaluation import access as evaluation_access
from ocop.outlets import access as outlet_access
from ocop.planning import access as planning_access
from ocop.registry import access as registry_access
from ocop.reporting import access as reporting_access
from ocop.supervision import access as supervision_access
from ocop.webhooks import access as webhook_access


def _any(scope: Scope, roles: tuple[Role, ...], *, communes: bool = True, own: tuple[Role, ...] = ()) -> bool:
    """Whether a gateway built on these province roles (and the commune officer's communes, and the accounts that
    hold `own` records) reaches anything for the user."""
    return (
        scope.is_admin
        or bool(scope.provinces_for(*roles))
        or (communes and bool(scope.communes))
        or any(role in scope.roles for role in own)
    )


def _everyone(scope: Scope) -> bool:
    return True


def _registry(scope: Scope) -> bool:  # registry_access.producers_visible_to / products_visible_to
    return _any(scope, registry_access.READ_ROLES, own=(Role.PRODUCER,))


def _documents(scope: Scope) -> bool:  # registry_access.documents_visible_to
    return _any(scope, registry_access.DOCUMENT_READ_ROLES, own=(Role.PRODUCER,))


def _dossiers(scope: Scope) -> bool:  # evaluation_access.dossiers_visible_to
    return _any(scope, evaluation_access.PROVINCE_READERS, own=(Role.PRODUCER, Role.COUNCIL_MEMBER))


def _rounds(scope: Scope) -> bool:
    """Rounds are announced to every role of the province; they matter to those who take part in them (the
    producer enters its dossiers, the council member sits on one), not to inspectors or sales points."""
    return _any(scope, evaluation_access.PROVINCE_READERS, own=(Role.PRODUCER, Role.COUNCIL_MEMBER))


def _criteria(scope: Scope) -> bool:
    """The criteria catalogue is readable by everyone signed in; it is the tool of those who assess and score."""
    return _any(scope, evaluation_access.PROVINCE_READERS, own=(Role.COUNCIL_MEMBER,))


def _certificates(scope: Scope) -> bool:  # certificate_access.certificates_visible_to
    return _any(scope, certificate_access.PROVINCE_READERS, own=(Role.PRODUCER,))


def _outlets(scope: Scope) -> bool:  # outlet_access.outlets_visible_to
    return _any(scope, outlet_access.MANAGERS, own=(Role.OUTLET_OPERATOR, Role.PRODUCER))


def _inspections(scope: Scope) -> bool:  # supervision_access.inspections_visible_to
    return _any(
        scope, (*supervision_access.INSPECTORS, Role.COMMERCE_OFFICER), own=(Role.PRODUCER, Role.OUTLET_OPERATOR)
    )


def _plans(scope: Scope) -> bool:  # planning_access.plans_visible_to, and the commune officer's targets
    return _any(scope, planning_access.READERS)


def _issuing_body(scope: Scope) -> bool:  # views.issuers.coordinated: the provinces the user coordinates
    return bool(scope.provinces_for(Role.PROVINCE_COORDINATOR))


def _api_tokens(scope: Scope) -> bool:
    """Personal API tokens: every signed-in user may manage theirs (the page is open to all); the menu offers them to
    the roles whose work other systems take up, the audience of the webhooks: the offices (coordinators and the
    ministry, commerce officers, inspectors, commune officers: docs/api.md's plan targets, inspections, consumers'
    reports and periodic reports are theirs), administrators and sales points."""
    return webhook_access.subscribes(scope)


def _statistics(scope: Scope) -> bool:  # reporting_access.statistics_scope answers 403 to anyone else
    return _any(scope, reporting_access.READERS)


# What the central level uses: its rounds (the central round, the referrals), the dossiers it receives, the
# criteria its council scores on, the certificates of its 5-star decisions, its notices.
CENTRAL_ENTRIES = frozenset(
    {"dashboard", "dossiers", "rounds", "criteria", "certificates", "notifications", "issuing_body", "api_tokens"}
) | {"webhooks"}  # the ministry's subscriptions hear every province


@dataclass(frozen=True)
class Entry:
    key: str
    label: Any  # a lazy translation
    url_name: str
    shown: Callable[[Scope], bool]


ENTRIES = (
    Entry("dashboard", _("Dashboard"), "backoffice:dashboard", _everyone),
    Entry("producers", _("Producers"), "backoffice:producer_list", _registry),
    Entry("products", _("Products"), "backoffice:product_list", _registry),
    Entry("documents", _("Documents"), "backoffice:document_list", _documents),
    Entry("dossiers", _("Dossiers"), "backoffice:dossier_list", _dossiers),
    Entry("rounds", _("Rounds"), "backoffice:round_list", _rounds),
    Entry("criteria", _("Criteria"), "backoffice:criteria_list", _criteria),
    Entry("certificates", _("Certificates"), "backoffice:certificate_list", _certificates),
    Entry("outlets", _("Sales points"), "backoffice:outlet_list", _outlets),
    Entry("inspections", _("Inspections"), "backoffice:inspection_list", _inspections),
    Entry("plans", _("Plans"), "backoffice:plan_list", _plans),
    Entry("statistics", _("Statistics"), "backoffice:statistics", _statistics),
    Entry("issuing_body", _("Issuing body"), "backoffice:issuing_body", _issuing_body),
    Entry("notifications", _("Notifications"), "backoffice:notification_list", _everyone),
    Entry("api_tokens", _("API tokens"), "backoffice:token_list", _api_tokens),
    Entry("webhooks", _("Webhooks"), "backoffice:webhook_list", webhook_access.subscribes),
)


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url: str
    count: int
    current: bool


def menu_for(user: Any, path: str = "") -> list[Link]:
    """The user's entries in menu order, each with the number of items waiting under it."""
    if not getattr(user, "is_authenticated", False):
        return []
    scope = scope_of(user)
    counts = menu_counts(user)
    central = central_office(user)  # the ministry's office: only what the central level uses
    links = []
    for entry in ENTRIES:
        if entry.shown(scope) and (not central or entry.key in CENTRAL_ENTRIES):
            url = reverse(entry.url_name)
            current = path == url if entry.key == "dashboard" else path.startswith(url)
            links.append(Link(entry.key, str(entry.label), url, counts.get(entry.key, 0), current))
    return links


def menu(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `back_office_menu`, worked out only if the page renders it."""
    return {"back_office_menu": SimpleLazyObject(lambda: menu_for(request.user, request.path))}
