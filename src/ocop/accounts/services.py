from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.mail import absolute_link, send_notice_emails
from ocop.accounts.models import (
    ApiToken,
    EmailOptOut,
    NoticeKind,
    Notification,
    Role,
    RoleAssignment,
    Target,
    TokenScope,
    User,
    kind_of,
)
from ocop.accounts.permissions import forget_scope, require, scope_of
from ocop.accounts.tokens import NewToken, new_secret, secret_hash
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


def office_of(province_id: int) -> list[User]:
    """The active coordinators of a province's OCOP office (or of the central level): who is told of its work."""
    return list(
        User.objects.filter(
            roles__role=Role.PROVINCE_COORDINATOR, roles__province_id=province_id, is_active=True
        ).distinct()
    )


def notify(
    users: Iterable[User],
    *,
    key: str,
    title: str,
    body: str = "",
    target: str = "",
    target_id: int | None = None,
    kind: str | None = None,
    email: bool = True,
    also: Iterable[str] = (),
) -> int:
    """The one notice service. Puts an in-app notice in each user's list, once per (user, key): calling it again for
    the same subject adds nothing. It points to a record by kind (`Target`) and id; the back office makes the link.

    Side effects: after commit, a task e-mails the notice (title, body, absolute link) to each user newly told who
    has an address and did not switch e-mail of this `kind` off, and to each address in `also` (a producer's or an
    outlet's own address, e-mailed the first time the key is used for these users). `kind` defaults to the one the
    key's prefix names. `email=False` is for a caller that sends its own richer message (the written expiry notice).
    A key longer than its column or an unknown target is a programming error, refused rather than cut.
    Returns how many users were newly told."""
    if len(key) > 100 or target not in {"", *Target.values}:
        raise ValueError(f"notice {key[:40]!r}: a key of at most 100 characters and a known target")
    kind = NoticeKind(kind) if kind is not None else kind_of(key)
    people = list({u.pk: u for u in users}.values())
    told = set(Notification.objects.filter(key=key, user__in=people).values_list("user_id", flat=True))
    fresh = [u for u in people if u.pk not in told]
    Notification.objects.bulk_create(
        [Notification(user=u, key=key, kind=kind, title=title, body=body, target=target, target_id=target_id)
         for u in fresh],
        ignore_conflicts=True,
    )  # fmt: skip
    if email:
        user_ids = [u.pk for u in fresh if u.email]
        extra = sorted({a for a in also if a}) if not told else []
        if user_ids or extra:
            subject, link = " ".join(title.split()), absolute_link(target, target_id)
            transaction.on_commit(
                lambda: send_notice_emails.enqueue(
                    kind=str(kind), subject=subject, body=body, link=link, user_ids=user_ids, also=extra
                )
            )
    return len(fresh)


def email_kinds_off(user: User) -> set[str]:
    """The kinds of notice `user` gets in the app only."""
    return set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))


@transaction.atomic
def set_email_kinds_off(*, user: User, kinds: Iterable[str]) -> set[str]:
    """Switch e-mail off for exactly `kinds` (and back on for the others); in-app notices are always kept.
    Side effects: opt-out rows, one audit entry when something changed. Returns the kinds now off."""
    wanted = {NoticeKind(k).value for k in kinds}
    before = email_kinds_off(user)
    if wanted == before:
        return before
    EmailOptOut.objects.filter(user=user).exclude(kind__in=wanted).delete()
    EmailOptOut.objects.bulk_create([EmailOptOut(user=user, kind=k) for k in sorted(wanted - before)])
    audit.record(actor=user, action=AuditAction.CHANGE, obj=user,
                 changes={"email_off": [sorted(before), sorted(wanted)]})  # fmt: skip
    return wanted


def commune_officers(commune_id: int | None) -> list[User]:
    """The active officers of a commune (who check its producers' dossiers)."""
    if commune_id is None:
        return []
    return list(
        User.objects.filter(roles__role=Role.COMMUNE_OFFICER, roles__commune_id=commune_id, is_active=True).distinct()
    )


def mark_read(user: User, pks: Iterable[int] | None = None) -> int:
    """Mark the user's notices read (all of them, or the ones given). Returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.update(read_at=timezone.now())


TOKEN_DAYS_MAX = 3650  # ten years; no number of days: a token that does not expire


def _may_manage_tokens_of(by: User | None, user: User) -> bool:
    """A user manages their own tokens; the administrator and the command line (no acting user) anyone's."""
    return by is None or by.pk == user.pk or scope_of(by).is_admin


@transaction.atomic
def create_api_token(
    *, user: User, name: str, scope: TokenScope, days: int | None = None, by: User | None = None
) -> NewToken:
    """A personal API token for `user`, acting with the user's roles within `scope`, valid `days` days from now (no
    expiry when None). Returns the row and its text, which is shown once and never stored (only the secret's hash).
    Side effects: the token row, one audit entry (name, scope, expiry; never the secret)."""
    require(_may_manage_tokens_of(by, user))
    name = name.strip()
    errors: dict[str, str] = {}
    if not user.is_active:
        errors["user"] = _("The account %(username)s is switched off: it cannot have an API token.") % {
            "username": user.username
        }
    if not name:
        errors["name"] = _("Give the token a name (which system uses it).")
    elif len(name) > 100:
        errors["name"] = _("At most %(n)s characters.") % {"n": 100}
    if days is not None and not 1 <= days <= TOKEN_DAYS_MAX:
        errors["days"] = _("Valid for 1 to %(max)s days, or leave it empty for a token that does not expire.") % {
            "max": TOKEN_DAYS_MAX
        }
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    prefix, secret, text = new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=TokenScope(scope),
        prefix=prefix,
        secret_hash=secret_hash(secret),
        expires_at=now + dt.timedelta(days=days) if days is not None else None,
        created_at=now,
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=token,
        changes={
            "user": [None, user.username],
            "name": [None, name],
            "scope": [None, token.scope],
            "prefix": [None, prefix],
            "expires_at": [None, token.expires_at.isoformat() if token.expires_at else None],
        },
    )
    return NewToken(token, text)


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User | None = None) -> ApiToken:
    """Revoke a token now: every later call with it is refused (401). Revoking a revoked token changes nothing.
    Side effects: the token's revocation time, one audit entry."""
    require(_may_manage_tokens_of(by, token.user))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=by, action=AuditAction.CHANGE, obj=token,
                 changes={"revoked_at": [None, token.revoked_at.isoformat()]})  # fmt: skip
    return token
