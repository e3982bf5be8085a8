"""The roles a user holds, where: `scope_of` is what every gateway builds on, so it is tested on its own, with the
outsider (a coordinator of another province) and the shapes of record ids the gateways accept."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ocop.accounts.models import Role, User
from ocop.accounts.permissions import Scope, forget_scope, record_id, require, scope_of, visible_or_404
from ocop.accounts.services import create_user, grant_role
from ocop.places.models import Commune, Province

pytestmark = pytest.mark.django_db


def make_user(role: Role | None = None, *, username: str, province_code: str = "01", communes=()) -> User:
    """A user with one role (ocop.testing's helper sits above this app)."""
    user = create_user(username=username, password="x")
    if role == Role.COMMUNE_OFFICER:
        for name in communes:
            grant_role(user=user, role=role, commune=commune(name))
    elif role == Role.SYSTEM_ADMIN:
        grant_role(user=user, role=role)
    elif role is not None:
        grant_role(user=user, role=role, province=Province.objects.get(code=province_code))
    return user


def commune(name: str) -> Commune:
    return Commune.objects.get(province__code="01", short_name=name)


def ids(*codes: str) -> frozenset[int]:
    return frozenset(Province.objects.filter(code__in=codes).values_list("pk", flat=True))


def test_a_coordinator_reaches_their_province_and_the_outsider_only_theirs():
    hanoi = make_user(Role.PROVINCE_COORDINATOR, username="hn")
    charlie = make_user(Role.PROVINCE_COORDINATOR, username="charlie", province_code="31")
    assert scope_of(hanoi) == Scope(roles=frozenset({"province_coordinator"}),
                                    provinces={"province_coordinator": ids("01")})  # fmt: skip
    assert scope_of(charlie).provinces_for(Role.PROVINCE_COORDINATOR) == set(ids("31"))
    assert (
        scope_of(charlie).provinces_for(Role.PROVINCE_COORDINATOR)
        & scope_of(hanoi).provinces_for(Role.PROVINCE_COORDINATOR)
        == set()
    )
    assert not scope_of(charlie).is_admin and not scope_of(charlie).has(Role.INSPECTOR)


def test_a_commune_officer_holds_communes_and_no_province_wide_role():
    officer = make_user(Role.COMMUNE_OFFICER, username="xa", communes=("Bát Tràng",))
    scope = scope_of(officer)
    assert scope.communes == frozenset({commune("Bát Tràng").pk})
    assert scope.provinces == {"commune_officer": ids("01")}  # the commune's province, recorded with the role
    assert scope.provinces_for(Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER, Role.INSPECTOR) == set()


def test_nobody_anonymous_and_inactive_reach_nothing():
    for user in (None, AnonymousUser(), make_user(username="noroles")):
        assert scope_of(user) == Scope()
    gone = make_user(Role.PROVINCE_COORDINATOR, username="gone")
    gone.is_active = False
    gone.save()
    assert scope_of(gone) == Scope()


def test_admins_by_role_or_superuser():
    assert scope_of(make_user(Role.SYSTEM_ADMIN, username="adm")).is_admin
    root = User.objects.create_superuser("root", password="x")
    assert scope_of(root).is_admin and scope_of(root).has(Role.INSPECTOR)


def test_a_new_role_shows_once_the_cached_scope_is_forgotten():
    user = make_user(Role.COMMERCE_OFFICER, username="co")
    assert scope_of(user).provinces_for(Role.INSPECTOR) == set()
    grant_role(user=user, role=Role.INSPECTOR, province=Province.objects.get(code="31"))
    forget_scope(user)  # grant_role forgets it too; the cache lives one request
    assert scope_of(user).provinces_for(Role.INSPECTOR) == set(ids("31"))


@pytest.mark.parametrize("raw", ["", "abc", "-1", "1.5", "1e3", "²", "١٢", "9" * 19, "12\x00", None])
def test_record_ids_other_than_database_integers_are_404(raw):
    with pytest.raises(Http404):
        record_id(raw)


def test_record_ids_and_the_gateway_helpers():
    assert (record_id("42"), record_id(7), record_id("9" * 18)) == (42, 7, 999_999_999_999_999_999)
    hanoi = Province.objects.get(code="01")
    assert visible_or_404(Province.objects.filter(code="01"), hanoi.pk) == hanoi
    with pytest.raises(Http404):
        visible_or_404(Province.objects.filter(code="31"), hanoi.pk)  # exists, but not among the visible
    require(True)
    with pytest.raises(PermissionDenied):
        require(False)
