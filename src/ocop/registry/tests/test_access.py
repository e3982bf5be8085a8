import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ocop.accounts.models import Role
from ocop.accounts.services import system_user
from ocop.registry import access
from ocop.registry.services import link_producer_account
from ocop.testing import make_document, make_producer, make_product, make_user


@pytest.fixture
def world(db):
    """Two producers in Hà Nội (Bát Tràng, Ba Vì) and one in Hải Phòng, with products and documents."""
    bt = make_producer(commune_name="Bát Tràng")
    bv = make_producer(commune_name="Ba Vì")
    hp = make_producer(commune=__import__("ocop.testing").testing.commune("Hải An", "31"))
    for p in (bt, bv, hp):
        make_product(producer=p)
        make_document(producer=p)
    return {"bt": bt, "bv": bv, "hp": hp}


def _names(qs):
    return sorted(qs.values_list("pk", flat=True))


def test_each_role_sees_its_scope(world):
    bt, bv, hp = world["bt"], world["bv"], world["hp"]
    hanoi = sorted([bt.pk, bv.pk])
    owner = make_user(Role.PRODUCER)
    link_producer_account(producer=bt, user=owner, by=system_user())
    cases = {
        Role.PROVINCE_COORDINATOR: (hanoi, hanoi, hanoi),
        Role.COMMERCE_OFFICER: (hanoi, [], hanoi),
        Role.COUNCIL_MEMBER: (hanoi, [], []),
        Role.OUTLET_OPERATOR: ([], [], []),
    }
    for role, (visible, writable, documents) in cases.items():
        user = make_user(role)
        assert _names(access.producers_visible_to(user)) == visible, role
        assert _names(access.producers_writable_by(user)) == writable, role
        assert sorted(access.documents_visible_to(user).values_list("producer_id", flat=True)) == documents, role
    officer = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    assert _names(access.producers_visible_to(officer)) == [bt.pk]
    assert _names(access.producers_writable_by(officer)) == [bt.pk]
    assert _names(access.producers_visible_to(owner)) == [bt.pk]
    assert _names(access.products_writable_by(owner)) == _names(bt.products.all())
    admin = make_user(Role.SYSTEM_ADMIN)
    assert _names(access.producers_visible_to(admin)) == sorted([bt.pk, bv.pk, hp.pk])


def test_outsider_is_refused_by_every_gateway(world):
    charlie = make_user(Role.PROVINCE_COORDINATOR, province_code="31")  # Hải Phòng's coordinator
    bt = world["bt"]
    with pytest.raises(Http404):
        access.get_producer_for_user(charlie, bt.pk)
    with pytest.raises(Http404):
        access.get_product_for_user(charlie, bt.products.get().pk)
    with pytest.raises(Http404):
        access.get_document_for_user(charlie, bt.documents.get().pk)
    assert access.get_producer_for_user(charlie, world["hp"].pk, write=True) == world["hp"]


def test_read_only_roles_get_permission_denied_on_write(world):
    commerce = make_user(Role.COMMERCE_OFFICER)
    bt = world["bt"]
    assert access.get_producer_for_user(commerce, bt.pk) == bt
    with pytest.raises(PermissionDenied):
        access.get_producer_for_user(commerce, bt.pk, write=True)
    officer = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    assert access.get_producer_for_user(officer, bt.pk, write=True) == bt
    with pytest.raises(PermissionDenied):
        access.get_producer_for_user(officer, bt.pk, delete=True)


def test_anonymous_and_garbage_ids(world):
    from django.contrib.auth.models import AnonymousUser

    assert access.producers_visible_to(AnonymousUser()).count() == 0
    admin = make_user(Role.SYSTEM_ADMIN)
    with pytest.raises(Http404):
        access.get_producer_for_user(admin, "abc")
