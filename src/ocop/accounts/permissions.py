"""Who holds which role where. The object gateways of upper apps build on these predicates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocop.accounts.models import Role, RoleAssignment


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
