"""Renames in the registry: flagged only for a product whose certificate is valid or suspended; pages told after
commit; an edit never writes back a stale copy of the product's certificate."""

import datetime as dt

import pytest

from ocop.accounts.models import Notification, Role
from ocop.accounts.services import system_user
from ocop.registry import services
from ocop.registry.models import Product, ProductRename
from ocop.registry.signals import names_changed
from ocop.testing import make_producer, make_product, make_user


def _certified(product, status="valid", until=dt.date(2028, 11, 20)):
    # What the certificates app writes when it issues or changes a certificate (services.sync_product).
    Product.objects.filter(pk=product.pk).update(ocop_status=status, ocop_stars=4, ocop_until=until)


@pytest.fixture
def heard():
    products: list[list[int]] = []

    def receiver(sender, product_ids, **kwargs):
        products.append(product_ids)

    names_changed.connect(receiver, dispatch_uid="test.names_changed")
    yield products
    names_changed.disconnect(dispatch_uid="test.names_changed")


def test_names_changed_is_sent_after_commit_for_a_new_name_only(db, heard, django_capture_on_commit_callbacks):
    producer = make_producer(name="HTX Gốm Bát Tràng")
    a, b = make_product(producer=producer, name="Bình gốm"), make_product(producer=producer, name="Chén gốm")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_product(product=a, by=system_user(), story="Làng gốm 700 năm tuổi.")
    assert heard == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.update_product(product=a, by=system_user(), name="Bình gốm men lam")
    assert (heard, len(callbacks)) == ([], 1)  # not before the rename commits
    callbacks[0]()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_producer(producer=producer, by=system_user(), name="HTX Gốm sứ Bát Tràng")
    assert heard == [[a.pk], sorted([a.pk, b.pk])]


def test_only_a_product_certified_today_is_flagged(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    producer = make_producer(name="HTX Gốm Bát Tràng")
    cases = {
        "never certified": (None, None),
        "valid": ("valid", dt.date(2028, 11, 20)),
        "valid to its last day": ("valid", dt.date(2026, 1, 10)),
        "expired": ("valid", dt.date(2026, 1, 9)),
        "suspended past its end": ("suspended", dt.date(2025, 12, 1)),
        "revoked": ("revoked", dt.date(2028, 11, 20)),
    }
    for name, (status, until) in cases.items():
        product = make_product(producer=producer, name=name)
        if status:
            _certified(product, status, until)
        services.update_product(product=product, by=system_user(), name=f"{name} (mới)")
    assert sorted(ProductRename.objects.values_list("old_name", flat=True)) == [
        "suspended past its end", "valid", "valid to its last day"
    ]  # fmt: skip
    assert Notification.objects.filter(key__startswith="rename:").count() == 3


def test_an_edit_never_writes_back_a_stale_copy_of_the_certificate(db):
    product = make_product(producer=make_producer(), name="Bình gốm")
    _certified(product)  # issued after the product was read (the instance still says "never certified")
    services.update_product(product=product, by=system_user(), story="Men lam vẽ tay.", name="Bình gốm men lam")
    stored = Product.objects.get(pk=product.pk)
    assert (stored.ocop_status, stored.ocop_stars, stored.ocop_until, stored.story, stored.name) == (
        "valid", 4, dt.date(2028, 11, 20), "Men lam vẽ tay.", "Bình gốm men lam")  # fmt: skip
    assert stored.search_text == product.search_text and ProductRename.objects.count() == 1
