import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.accounts.models import Role
from ocop.accounts.services import system_user
from ocop.core.audit import history
from ocop.core.models import AuditAction
from ocop.registry import services
from ocop.registry.enums import DocumentKind, IdentifierKind, ProducerKind
from ocop.registry.models import Document, Producer, Product
from ocop.testing import commune, make_document, make_producer, make_product, make_user, pdf_bytes


def test_create_producer_normalises_and_audits(db):
    officer = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    producer = services.create_producer(
        by=officer,
        kind=ProducerKind.HOUSEHOLD_BUSINESS,
        name="  Hộ kinh doanh Gốm Minh  ",
        identifier="0011 9001 2345",
        phone="0912.345.678",
        commune=commune("Bát Tràng"),
    )
    assert (producer.name, producer.identifier, producer.identifier_kind, producer.phone) == (
        "Hộ kinh doanh Gốm Minh",
        "001190012345",
        IdentifierKind.PERSONAL_ID,
        "0912345678",
    )
    assert producer.search_text == "ho kinh doanh gom minh 001190012345"
    entry = history(producer).get()
    assert (entry.action, entry.actor_id, entry.changes["name"]) == (
        AuditAction.CREATE,
        officer.pk,
        [None, "Hộ kinh doanh Gốm Minh"],
    )


def test_bad_tax_code_writes_nothing(db):
    before = Producer.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_producer(identifier="12345", kind=ProducerKind.ENTERPRISE)
    assert list(exc.value.error_dict) == ["identifier"]
    assert Producer.objects.count() == before


def test_duplicate_identifier_is_refused(db):
    make_producer(identifier="0109999991")
    with pytest.raises(ValidationError) as exc:
        make_producer(identifier="0109999991")
    assert list(exc.value.error_dict) == ["identifier"]


def test_commune_officer_cannot_register_outside_their_communes(db):
    officer = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    with pytest.raises(PermissionDenied):
        make_producer(by=officer, commune_name="Ba Vì")


def test_update_records_before_and_after_and_refreshes_product_search(db):
    producer = make_producer(name="HTX Cũ")
    product = make_product(producer=producer, name="Chè xanh")
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    services.update_producer(producer=producer, by=coordinator, name="HTX Mới", women_led=True)
    entry = history(producer).first()
    assert entry.action == AuditAction.CHANGE
    assert entry.changes == {"name": ["HTX Cũ", "HTX Mới"], "women_led": [False, True]}
    product.refresh_from_db()
    assert product.search_text == "che xanh htx moi"


def test_producer_with_products_cannot_be_deleted(db):
    producer = make_producer()
    make_product(producer=producer)
    with pytest.raises(ValidationError):
        services.delete_producer(producer=producer, by=system_user())
    assert Producer.objects.filter(pk=producer.pk).exists()


def test_product_with_packs_and_bad_gtin_rolls_back(db):
    producer = make_producer()
    before = Product.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_product(producer=producer, packs=[{"name": "Hộp", "size": "200 g", "gtin": "8934588012229"}])
    assert list(exc.value.error_dict) == ["gtin"]
    assert Product.objects.count() == before
    product = make_product(producer=producer, packs=[{"name": "Hộp", "size": "200 g", "gtin": "8934588012228"}])
    assert [(p.name, p.size, p.gtin) for p in product.packs.all()] == [("Hộp", "200 g", "8934588012228")]


def test_document_is_stored_once_under_a_generated_name(db, settings):
    producer = make_producer()
    content = pdf_bytes("once")
    document = services.add_document(
        producer=producer,
        by=system_user(),
        upload=io.BytesIO(content),
        original_name="../../etc/passwd.pdf",
        kind=DocumentKind.FOOD_SAFETY,
        number="12/ATTP",
    )
    assert document.file.name.startswith("vault/")
    assert "passwd" not in document.file.name
    assert document.original_name == "../../etc/passwd.pdf"
    assert (settings.MEDIA_ROOT / document.file.name).read_bytes() == content
    with pytest.raises(ValidationError) as exc:
        services.add_document(
            producer=producer,
            by=system_user(),
            upload=io.BytesIO(content),
            original_name="again.pdf",
            kind=DocumentKind.OTHER,
        )
    assert list(exc.value.error_dict) == ["file"]
    assert Document.objects.filter(producer=producer).count() == 1


def test_document_refuses_fake_pdf_and_expiry_before_issue(db):
    import datetime as dt

    producer = make_producer()
    with pytest.raises(ValidationError) as exc:
        services.add_document(
            producer=producer,
            by=system_user(),
            upload=io.BytesIO(b"<html>not a pdf</html>"),
            original_name="x.pdf",
            kind=DocumentKind.OTHER,
        )
    assert list(exc.value.error_dict) == ["file"]
    with pytest.raises(ValidationError) as exc:
        make_document(producer=producer, issued_on=dt.date(2025, 5, 1), expires_on=dt.date(2025, 4, 1))
    assert list(exc.value.error_dict) == ["expires_on"]
    assert Document.objects.filter(producer=producer).count() == 0


def test_document_state_follows_the_calendar(db, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    document = make_document(producer=make_producer(), expires_on=dt.date(2026, 3, 20))
    assert document.state() == "expiring"
    time_machine.move_to(dt.datetime(2026, 3, 21, 9, tzinfo=dt.UTC))
    assert document.state() == "expired"
    time_machine.move_to(dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC))
    assert document.state() == "valid"


def test_history_shows_field_labels_and_choice_labels(db):
    from django.utils import translation

    producer = make_producer(name="HTX Nhãn")
    product = make_product(producer=producer, name="Chè", packs=[{"name": "Hộp", "size": "1 kg", "gtin": ""}])
    services.update_product(product=product, by=system_user(), status="paused")
    with translation.override("vi"):
        change, create = list(history(product))
        assert change.labelled_changes() == [("trạng thái", "Đang sản xuất", "Tạm dừng")]
        assert ("quy cách đóng gói", None, "Hộp 1 kg") in create.labelled_changes()


def test_product_cannot_be_moved_to_a_producer_outside_scope(db):
    officer = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    mine = make_producer(commune_name="Bát Tràng")
    theirs = make_producer(commune_name="Ba Vì")
    product = make_product(producer=mine)
    with pytest.raises(PermissionDenied):
        services.update_product(product=product, by=officer, producer=theirs)
    product.refresh_from_db()
    assert product.producer == mine
    services.update_product(product=product, by=officer, name="Tên mới")
    assert Product.objects.get(pk=product.pk).name == "Tên mới"


def test_a_products_audit_names_only_what_changed_not_a_key_loaded_meanwhile(db):
    """A product read without its producer is recorded with the producer's id ("#5"); saving loads the producer: the
    same producer, so the change names the name alone. A real move to another producer is named by its text."""
    officer = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    first = make_producer(name="HTX Gốm Bát Tràng")
    second = make_producer(name="HTX Gốm Minh Long")
    pk = make_product(producer=first, name="Bình gốm").pk
    product = Product.objects.get(pk=pk)  # its producer not loaded
    services.update_product(product=product, by=officer, name="Bình gốm men lam")
    assert history(product).first().changes == {"name": ["Bình gốm", "Bình gốm men lam"]}
    product = Product.objects.get(pk=pk)
    services.update_product(product=product, by=officer, producer=second)
    assert history(product).first().changes == {"producer": [f"#{first.pk}", "HTX Gốm Minh Long"]}
