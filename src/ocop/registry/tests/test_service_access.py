"""Every registry write checks the acting user itself: called directly (no view in front), an outsider is refused
with PermissionDenied and nothing changes. The outsider is Hải Phòng's coordinator (charlie) for records of Hà Nội;
read-only roles are refused too."""

import io

import pytest
from django.core.exceptions import PermissionDenied

from ocop.core.models import AuditEntry
from ocop.registry import parking, renames, services
from ocop.registry.enums import DocumentKind, ProducerKind
from ocop.registry.models import Document, ParkedRow, Producer, ProducerMember, Product, ProductPack, ProductPhoto
from ocop.testing import PNG_BYTES, commune, make_user, pdf_bytes


@pytest.fixture
def world(world_once, fresh):
    """The world is built once for the module; each test has its own copy, in a savepoint (conftest.Once)."""
    return fresh(world_once)


WRITES = {
    "create_producer": lambda w, by: services.create_producer(
        by=by, kind=ProducerKind.COOPERATIVE, name="HTX Lạ", identifier="0107770001", commune=commune("Bát Tràng")
    ),
    "update_producer": lambda w, by: services.update_producer(producer=w.producer, by=by, name="HTX Bị Đổi"),
    "delete_producer": lambda w, by: services.delete_producer(producer=w.empty_producer, by=by),
    "link_producer_account": lambda w, by: services.link_producer_account(
        producer=w.producer, user=w.users["outlet"], by=by
    ),
    "create_product": lambda w, by: services.create_product(
        by=by, producer=w.producer, name="Chè lạ", product_set=w.product.product_set, commune=w.producer.commune
    ),
    "update_product": lambda w, by: services.update_product(product=w.product, by=by, name="Tên bị đổi"),
    "delete_product": lambda w, by: services.delete_product(product=w.product, by=by),
    "add_pack": lambda w, by: services.add_pack(product=w.product, by=by, name="Túi lạ"),
    "remove_pack": lambda w, by: services.remove_pack(pack=w.pack, by=by),
    "add_photo": lambda w, by: services.add_photo(product=w.product, by=by, upload=io.BytesIO(PNG_BYTES)),
    "add_document": lambda w, by: services.add_document(
        producer=w.producer, by=by, upload=io.BytesIO(pdf_bytes("lạ")), original_name="la.pdf", kind=DocumentKind.OTHER
    ),
    "update_document": lambda w, by: services.update_document(document=w.document, by=by, number="99/LẠ"),
    "delete_document": lambda w, by: services.delete_document(document=w.document, by=by),
    "dismiss_parked_row": lambda w, by: parking.dismiss_parked_row(by=by, parked=w.parked, reason="Trùng"),
    "fix_parked_row": lambda w, by: parking.fix_parked_row(by=by, parked=w.parked, cells={"Tên chủ thể": "HTX Sửa"}),
}


def _state(w):
    """Everything a write could change, read from the database."""
    return (
        AuditEntry.objects.count(),
        sorted(Producer.objects.values_list("pk", "name")),
        sorted(Product.objects.values_list("pk", "name")),
        ProductPack.objects.count(),
        ProductPhoto.objects.count(),
        sorted(Document.objects.values_list("pk", "number")),
        ProducerMember.objects.count(),
        sorted(ParkedRow.objects.values_list("pk", "state")),
    )


@pytest.mark.parametrize("role", ["charlie", "council", "outlet"])
@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_refuses_an_outsider_and_changes_nothing(world, write, role):
    before = _state(world)
    with pytest.raises(PermissionDenied):
        WRITES[write](world, world.users[role])
    assert _state(world) == before


def test_read_only_roles_cannot_write_what_they_see(world):
    commerce = world.users["commerce"]  # sees Hà Nội's producers and their vault, writes nothing
    before = _state(world)
    for write in ("update_producer", "update_product", "add_pack", "update_document", "delete_document"):
        with pytest.raises(PermissionDenied):
            WRITES[write](world, commerce)
    assert _state(world) == before


def test_deleting_is_the_province_offices_not_a_commune_officers(world):
    officer = world.users["commune"]  # writes Bát Tràng's records, deletes none
    with pytest.raises(PermissionDenied):
        services.delete_product(product=world.product, by=officer)
    with pytest.raises(PermissionDenied):
        services.delete_producer(producer=world.empty_producer, by=officer)
    assert Product.objects.filter(pk=world.product.pk).exists()
    assert Producer.objects.filter(pk=world.empty_producer.pk).exists()
    with pytest.raises(PermissionDenied):
        services.link_producer_account(producer=world.producer, user=world.users["outlet"], by=officer)
    services.delete_product(product=world.product, by=world.users["coordinator"])
    assert not Product.objects.filter(pk=world.product.pk).exists()


def test_the_roles_that_may_write_still_do(world):
    officer, owner = world.users["commune"], world.users["producer"]
    assert services.add_pack(product=world.product, by=owner, name="Túi", size="500 g").product == world.product
    assert services.update_document(document=world.document, by=officer, number="7/ATTP").number == "7/ATTP"
    dismissed = parking.dismiss_parked_row(by=world.users["coordinator"], parked=world.parked, reason="Trùng")
    assert (dismissed.state, dismissed.note) == ("dismissed", "Trùng")


def test_a_producer_account_cannot_take_its_product_to_another_producer(world):
    owner = world.users["producer"]
    with pytest.raises(PermissionDenied):
        services.update_product(product=world.product, by=owner, producer=world.empty_producer)
    assert Product.objects.get(pk=world.product.pk).producer_id == world.producer.pk


def test_a_rename_is_reviewed_by_the_province_office_only(world, time_machine):
    import datetime as dt

    from ocop.registry.models import ProductRename

    time_machine.move_to(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    Product.objects.filter(pk=world.product.pk).update(ocop_status="valid", ocop_until=dt.date(2028, 1, 1))
    services.update_product(product=world.product, by=world.users["coordinator"], name="Tên mới")
    rename = ProductRename.objects.get(product=world.product)
    for role in ("charlie", "commune", "producer", "commerce"):
        with pytest.raises(PermissionDenied):
            renames.review_rename(by=world.users[role], rename=rename, note="")
    assert ProductRename.objects.get(pk=rename.pk).reviewed_at is None
    assert renames.review_rename(by=world.users["coordinator"], rename=rename).reviewed_at is not None


def test_anonymous_and_no_one_are_refused(world):
    from django.contrib.auth.models import AnonymousUser

    nobody = make_user()  # an account with no role
    before = _state(world)
    for by in (None, AnonymousUser(), nobody):
        with pytest.raises(PermissionDenied):
            WRITES["update_product"](world, by)
    assert _state(world) == before
