"""API tokens in the accounts app: only the secret's hash is stored, the services check who acts and what they are
given (naming the field, writing nothing), and `ocop api_token` creates, lists and revokes them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from ocop.accounts.models import ApiToken, Role, TokenScope, TokenStatus, User
from ocop.accounts.services import create_api_token, create_user, grant_role, revoke_api_token
from ocop.accounts.tokens import authenticate
from ocop.core.models import AuditEntry
from ocop.places.models import Province

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
_seq = iter(range(1, 1000))


def make_user(role: Role, *, username: str = "") -> User:
    """A user with one province-wide role in Hà Nội (ocop.testing's helper sits above this app)."""
    user = create_user(username=username or f"tokenuser{next(_seq)}", password="x")
    grant_role(user=user, role=role, province=None if role == Role.SYSTEM_ADMIN else Province.objects.get(code="01"))
    return user


def _columns(token: ApiToken) -> list[str]:
    return [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]


def test_only_the_hash_of_the_secret_is_stored_and_the_text_authenticates(db, time_machine):
    time_machine.move_to(T0, tick=False)
    user = make_user(Role.COMMERCE_OFFICER, username="thuongmai")
    new = create_api_token(user=user, name="  Chuỗi siêu thị  ", scope=TokenScope.WRITE, days=30, by=user)
    kind, prefix, secret = new.text.split("_", 2)
    assert (kind, len(prefix), len(secret)) == ("ocop", 8, 43)
    token = ApiToken.objects.get()
    assert (token.name, token.scope, token.prefix, token.expires_at) == (
        "Chuỗi siêu thị", "write", prefix, T0 + dt.timedelta(days=30),
    )  # fmt: skip
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in value or new.text in value for value in _columns(token))
    entry = AuditEntry.objects.filter(object_id=str(token.pk), content_type__model="apitoken").get()
    assert (entry.action, entry.actor_id) == ("create", user.pk)
    assert entry.changes == {
        "user": [None, "thuongmai"],
        "name": [None, "Chuỗi siêu thị"],
        "scope": [None, "write"],
        "prefix": [None, prefix],
        "expires_at": [None, "2026-04-01T08:00:00+00:00"],
    }
    assert secret not in str(entry.changes) and secret not in entry.object_repr
    found = authenticate(new.text)
    assert found is not None and (found.pk, found.user) == (token.pk, user)
    assert authenticate(new.text.replace(secret[-4:], "AAAA" if secret[-4:] != "AAAA" else "BBBB")) is None


def test_bad_input_names_the_field_and_writes_nothing(db):
    user = make_user(Role.PROVINCE_COORDINATOR)
    cases: list[tuple[dict[str, Any], dict[str, list[str]]]] = [
        ({"name": "   "}, {"name": ["Hãy đặt tên cho mã (hệ thống nào dùng mã này)."]}),
        ({"name": "x" * 101}, {"name": ["Tối đa 100 ký tự."]}),
        ({"days": 0}, {"days": ["Thời hạn từ 1 đến 3650 ngày, hoặc để trống nếu mã không hết hạn."]}),
        ({"days": 3651}, {"days": ["Thời hạn từ 1 đến 3650 ngày, hoặc để trống nếu mã không hết hạn."]}),
    ]
    for change, errors in cases:
        with pytest.raises(ValidationError) as caught:
            create_api_token(user=user, **({"name": "Cổng", "scope": TokenScope.READ} | change))
        assert caught.value.message_dict == errors
    user.is_active = False
    with pytest.raises(ValidationError) as caught:
        create_api_token(user=user, name="Cổng", scope=TokenScope.READ)
    assert caught.value.message_dict == {
        "user": [f"Tài khoản {user.username} đã bị khóa: không thể có mã truy cập API."]
    }
    assert ApiToken.objects.count() == 0


def test_a_user_manages_only_their_own_tokens_and_the_administrator_anyones(db, time_machine):
    time_machine.move_to(T0, tick=False)
    owner, other = make_user(Role.OUTLET_OPERATOR), make_user(Role.OUTLET_OPERATOR)
    admin = make_user(Role.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        create_api_token(user=owner, name="Cổng", scope=TokenScope.READ, by=other)
    token = create_api_token(user=owner, name="Cổng", scope=TokenScope.READ, by=owner).token
    with pytest.raises(PermissionDenied):
        revoke_api_token(token=token, by=other)
    assert token.status() == TokenStatus.ACTIVE
    revoke_api_token(token=token, by=admin)
    token.refresh_from_db()
    assert (token.revoked_at, token.status()) == (T0, TokenStatus.REVOKED)
    revoke_api_token(token=token, by=owner)  # again: nothing changes, no second entry
    assert AuditEntry.objects.filter(content_type__model="apitoken", action="change").count() == 1
    assert (
        create_api_token(user=owner, name="Hết hạn", scope=TokenScope.READ, days=1).token.status(
            T0 + dt.timedelta(days=1)
        )
        == TokenStatus.EXPIRED
    )


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_creates_lists_and_revokes(db, time_machine):
    time_machine.move_to(T0, tick=False)
    user = make_user(Role.PROVINCE_COORDINATOR, username="dieuphoi")
    out, err = _run("create", "dieuphoi", "--name", "Cổng dữ liệu mở", "--scope", "write", "--days", "90")
    text = out.strip()
    token = ApiToken.objects.get()
    assert text.startswith(f"ocop_{token.prefix}_") and len(text) == 57
    assert err == (
        f"Token {token.pk} for dieuphoi (write, expires 2026-05-31 08:00). Copy it now: it is not shown again.\n"
    )
    assert authenticate(text).user == user  # type: ignore[union-attr]
    out, _err = _run("create", "dieuphoi", "--name", "Đọc")
    second = ApiToken.objects.get(name="Đọc")
    assert (second.scope, second.expires_at) == ("read", None)
    listing, _err = _run("list", "dieuphoi")
    assert listing.splitlines() == [
        f"{second.pk}\tocop_{second.prefix}_…\tĐọc\tread\texpires -\tlast used -\tactive",
        f"{token.pk}\tocop_{token.prefix}_…\tCổng dữ liệu mở\twrite\texpires 2026-05-31 08:00"
        "\tlast used 2026-03-02 08:00\tactive",
    ]
    assert text not in listing
    out, _err = _run("revoke", str(token.pk))
    assert out == f"Token {token.pk} (Cổng dữ liệu mở) of dieuphoi revoked.\n"
    assert authenticate(text) is None
    assert _run("list", "dieuphoi")[0].splitlines()[1].endswith("\trevoked")


def test_the_command_refuses_bad_input_and_writes_nothing(db):
    make_user(Role.PROVINCE_COORDINATOR, username="dieuphoi")
    inactive = make_user(Role.PROVINCE_COORDINATOR, username="danghi")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    refusals = [
        (["create", "nobody", "--name", "X"], "No user 'nobody'."),
        (["create", "danghi", "--name", "X"], "Tài khoản danghi đã bị khóa: không thể có mã truy cập API."),
        (["create", "dieuphoi", "--name", "X", "--days", "0"],
         "Thời hạn từ 1 đến 3650 ngày, hoặc để trống nếu mã không hết hạn."),
        (["create", "dieuphoi", "--name", "X", "--days", "ba"], "Error: argument --days: invalid int value: 'ba'"),
        (["create", "dieuphoi", "--name", "X", "--scope", "admin"],
         "Error: argument --scope: invalid choice: 'admin' (choose from 'read', 'write')"),
        (["create", "dieuphoi", "--name", " "], "Hãy đặt tên cho mã (hệ thống nào dùng mã này)."),
        (["list", "nobody"], "No user 'nobody'."),
        (["revoke", "999"], "No API token 999."),
    ]  # fmt: skip
    for args, message in refusals:
        with pytest.raises(CommandError) as caught:
            _run(*args)
        assert str(caught.value) == message, args
    assert ApiToken.objects.count() == 0
