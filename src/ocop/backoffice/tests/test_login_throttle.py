"""Login throttling (django-axes, docs/deployment.md): five failures for one username or from one client address
lock it for 15 minutes with our Vietnamese page and 429; the client address believes a proxy's header only from
OCOP_TRUSTED_PROXIES; the admin unlocks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from ocop.accounts.models import Role
from ocop.testing import PASSWORD, make_user

LOCKED = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."
LOGIN = "/accounts/login/"


@pytest.fixture
def users(db, settings, time_machine):
    settings.AXES_ENABLED = True  # off in the other tests: their client.login() gives authenticate() no request
    time_machine.move_to(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False)
    return {
        "coordinator": make_user(Role.PROVINCE_COORDINATOR, username="coordinator"),
        "commerce": make_user(Role.COMMERCE_OFFICER, username="commerce"),
        "admin": make_user(Role.SYSTEM_ADMIN, username="sysadmin"),
    }


def post(username: str, password: str, *, path: str = LOGIN, **meta: Any):
    return Client(**meta).post(path, {"username": username, "password": password})


def fail(times: int, username: str = "coordinator", **meta: Any) -> list[int]:
    return [post(username, "wrong-password", **meta).status_code for _ in range(times)]


def is_locked(response) -> bool:
    return response.status_code == 429 and LOCKED in response.content.decode()


def test_five_wrong_passwords_lock_the_username_until_the_cool_down_ends(users, time_machine):
    first = post("coordinator", "wrong-password")
    assert first.status_code == 200 and LOCKED not in first.content.decode()
    assert fail(3) == [200, 200, 200]
    fifth = post("coordinator", "wrong-password")
    assert is_locked(fifth)
    assert "Tên đăng nhập" in fifth.content.decode()  # our login page, not axes' plain text
    # The right password is refused too, from another address (the username is locked) and from the same one ...
    time_machine.shift(dt.timedelta(minutes=14))
    assert is_locked(post("coordinator", PASSWORD, REMOTE_ADDR="198.51.100.20"))
    assert is_locked(post("coordinator", PASSWORD))
    # ... and the try from the same address started its cool-down again: still locked 28:59 after the fifth failure
    # (asked from a third address, whose own try does not restart the same count), free 15 minutes after that try.
    time_machine.shift(dt.timedelta(minutes=14, seconds=59))
    assert is_locked(post("coordinator", PASSWORD, REMOTE_ADDR="198.51.100.30"))
    time_machine.shift(dt.timedelta(seconds=2))
    ok = post("coordinator", PASSWORD)
    assert (ok.status_code, ok.url) == (302, "/bo/")


def test_a_successful_login_clears_the_count(users):
    assert fail(4) == [200, 200, 200, 200]
    assert post("coordinator", PASSWORD).status_code == 302
    assert fail(4) == [200, 200, 200, 200]
    assert post("coordinator", PASSWORD).status_code == 302


def test_an_address_rule_locks_that_address_only(users):
    for name in ("a", "b", "c", "d"):
        assert post(name, "wrong-password", REMOTE_ADDR="203.0.113.7").status_code == 200
    assert is_locked(post("e", "wrong-password", REMOTE_ADDR="203.0.113.7"))
    assert is_locked(post("commerce", PASSWORD, REMOTE_ADDR="203.0.113.7"))
    assert post("commerce", PASSWORD, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_a_forged_forwarded_for_from_an_untrusted_address_is_ignored(users, settings):
    settings.OCOP_TRUSTED_PROXIES = ["127.0.0.1/32"]
    for n, name in enumerate(("a", "b", "c", "d")):
        response = post(name, "wrong-password", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        assert response.status_code == 200
    assert is_locked(post("e", "wrong-password", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99"))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_behind_a_trusted_proxy_each_client_address_is_counted_apart(users, settings):
    settings.OCOP_TRUSTED_PROXIES = ["127.0.0.1/32"]
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for name in ("a", "b", "c", "d"):
        assert post(name, "wrong-password", **proxy, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.1").status_code == 200
    assert is_locked(post("e", "wrong-password", **proxy, HTTP_X_FORWARDED_FOR="198.51.100.1"))
    # nginx's own address is not locked: another client behind it logs in.
    assert post("commerce", PASSWORD, **proxy, HTTP_X_REAL_IP="198.51.100.2").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}


def test_the_admin_login_is_throttled_too(users):
    for _ in range(4):
        assert post("sysadmin", "wrong-password", path="/admin/login/").status_code == 200
    locked = post("sysadmin", "wrong-password", path="/admin/login/")
    assert is_locked(locked)
    assert is_locked(post("sysadmin", PASSWORD, path="/admin/login/"))


def test_the_admin_unlocks_with_the_command(users):
    fail(5)
    assert is_locked(post("coordinator", PASSWORD, REMOTE_ADDR="198.51.100.20"))
    call_command("axes_reset_username", "coordinator", verbosity=0)
    assert AccessAttempt.objects.count() == 0
    assert post("coordinator", PASSWORD).status_code == 302


def test_the_admin_unlocks_in_the_admin_site(users):
    fail(5)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("coordinator", 5)
    admin = Client()
    admin.force_login(users["admin"])
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "coordinator" in listing.content.decode()
    done = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )
    assert done.status_code == 302
    assert AccessAttempt.objects.count() == 0
    assert post("coordinator", PASSWORD).status_code == 302
