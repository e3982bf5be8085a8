"""Who holds which role where. The object gateways of upper apps build on these predicates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from ocop.accounts.models import Role, RoleAssignment
from ocop.core.cells import whole_digits

NOTHING = Q(pk__in=[])  # the condition no row meets: a role that reaches nothing


def require(allowed: bool) -> None:
    """The gateways' one refusal: a record the user sees but may not act on is 403."""
    if not allowed:
        raise PermissionDenied


def record_id(pk: Any) -> int:
    """An id from a URL or a form as a database integer; anything else (text, a sign, 19 digits and more) is 404,
    never a query that overflows."""
    number = whole_digits(str(pk)) if pk is not None else None
    if number is None:
        raise Http404
    return number


def visible_or_404[M: Model](visible: QuerySet[M], pk: Any) -> M:
    """The record with this id among those the user may see; 404 otherwise (we do not confirm that it exists)."""
    obj = visible.filter(pk=record_id(pk)).first()
    if obj is None:
        raise Http404
    return obj


@dataclass(frozen=True)
class Scope:
    """Everything a user's roles allow, computed once per request."""

    is_admin: bool = False
    roles: frozenset[str] = frozenset()
    provinces: dict[str, frozenset[int]] = field(default_factory=dict)  # role → province ids
    communes: frozenset[int] = frozenset()  # commune officer's communes

    def has(self, role: Role) -> bool:
        return self.is_admin or role in self.roles

    def provinces_for(self, *roles: Role) -> set[int]:
        return {p for r in roles for p in self.provinces.get(r, frozenset())}


def scope_of(user: Any) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_ocop_scope", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    rows = list(RoleAssignment.objects.filter(user=user).values_list("role", "province_id", "commune_id"))
    provinces: dict[str, set[int]] = {}
    communes: set[int] = set()
    for role, province_id, commune_id in rows:
        if province_id is not None:
            provinces.setdefault(role, set()).add(province_id)
        if role == Role.COMMUNE_OFFICER and commune_id is not None:
            communes.add(commune_id)
    scope = Scope(
        is_admin=bool(user.is_superuser) or any(r == Role.SYSTEM_ADMIN for r, _p, _c in rows),
        roles=frozenset(r for r, _p, _c in rows),
        provinces={k: frozenset(v) for k, v in provinces.items()},
        communes=frozenset(communes),
    )
    user._ocop_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    if hasattr(user, "_ocop_scope"):
        del user._ocop_scope
