from __future__ import annotations

from django.db import transaction

from ocop.accounts.models import Role, RoleAssignment, User
from ocop.accounts.permissions import forget_scope
from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.places.models import Commune, Province


@transaction.atomic
def create_user(*, username: str, password: str, full_name: str = "", email: str = "", by: User | None = None) -> User:
    """Create an account. Side effects: one audit entry."""
    user = User.objects.create_user(username=username, password=password, email=email, full_name=full_name)
    audit.record(actor=by, action=AuditAction.CREATE, obj=user, changes={"username": [None, username]})
    return user


@transaction.atomic
def grant_role(
    *,
    user: User,
    role: Role,
    province: Province | None = None,
    commune: Commune | None = None,
    by: User | None = None,
) -> RoleAssignment:
    """Give `user` a role in a province, or (commune officers) in one commune. Side effects: audit entry."""
    if role == Role.COMMUNE_OFFICER:
        if commune is None:
            raise ValueError("a commune officer needs a commune")
        province = commune.province
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, province=province, commune=commune)
    if role == Role.SYSTEM_ADMIN and not (user.is_staff and user.is_superuser):
        # The administrator also maintains reference data and unit names in the Django admin.
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    if created:
        audit.record(
            actor=by,
            action=AuditAction.CREATE,
            obj=assignment,
            changes={
                "role": [None, role],
                "province": [None, str(province or "")],
                "commune": [None, str(commune or "")],
            },
        )
    forget_scope(user)
    return assignment


def system_user() -> User:
    """The account that command-line imports and the demo act as (full scope, cannot log in)."""
    user, created = User.objects.get_or_create(
        username="system", defaults={"full_name": "OCOP Hub (hệ thống)", "is_superuser": True, "is_staff": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
