"""Every write to the registry: keyword-only, atomic, one audit entry each."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.accounts.models import Role
from ocop.accounts.permissions import require
from ocop.accounts.services import grant_role
from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.core.text import fold
from ocop.core.uploads import DOCUMENT_TYPES, IMAGE_TYPES, check_upload
from ocop.places.models import Commune
from ocop.registry import access
from ocop.registry.enums import ProductStatus
from ocop.registry.models import NAME_MAX, Document, Producer, ProducerMember, Product, ProductPack, ProductPhoto
from ocop.registry.renames import flag_rename
from ocop.registry.signals import names_changed
from ocop.registry.validators import (
    classify_identifier,
    normalize_identifier,
    normalize_phone,
    validate_gtin,
    validate_phone,
)

PRODUCER_FIELDS = (
    "kind",
    "name",
    "identifier",
    "legal_representative",
    "phone",
    "email",
    "address",
    "commune",
    "legacy_commune",
    "legacy_district",
    "women_led",
    "ethnic_minority",
)
PRODUCT_FIELDS = (
    "producer",
    "name",
    "product_set",
    "commune",
    "legacy_commune",
    "legacy_district",
    "description",
    "story",
    "status",
)
OCOP_COPY = ("ocop_status", "ocop_stars", "ocop_until", "ocop_potential_five")
EDITABLE_PRODUCT_COLUMNS = [
    f.name for f in Product._meta.concrete_fields if not f.primary_key and f.name not in {*OCOP_COPY, "created_at"}
]
DOCUMENT_FIELDS = ("kind", "title", "number", "issuer", "issued_on", "expires_on", "product")
FILE_STORAGE: Any = Document._meta.get_field("file").storage  # type: ignore[union-attr]


def producer_search_text(producer: Producer) -> str:
    return fold(f"{producer.name} {producer.identifier} {producer.legal_representative}")[:600]


def product_search_text(product: Product, producer_name: str) -> str:
    return fold(f"{product.name} {producer_name}")[:600]


def _strip(obj: Any, fields: tuple[str, ...]) -> None:
    for name in fields:
        value = getattr(obj, name, None)
        if isinstance(value, str):
            setattr(obj, name, value.strip())


def _place(record: Producer | Product, errors: dict[str, list[Any]], *, incomplete: bool, fallback: int | None) -> None:
    """The record's province follows its commune. Without a commune (allowed only for rows entered from incomplete
    lists) the province must already be known."""
    if record.commune_id is not None:
        record.province_id = record.commune.province_id  # type: ignore[union-attr]
    elif not incomplete:
        errors["commune"] = [ValidationError(_("Choose the commune."), code="required")]
    elif record.province_id is None:
        record.province_id = fallback


def prepare_producer(producer: Producer, *, check_unique: bool = True, incomplete: bool = False) -> None:
    """Normalise and validate a producer in memory; raise ValidationError keyed by field. `incomplete` admits what a
    published list lacks (no identifier, no commune), which the record then shows as its data flags."""
    _strip(producer, PRODUCER_FIELDS)
    producer.identifier = normalize_identifier(producer.identifier)
    producer.phone = normalize_phone(producer.phone)
    errors: dict[str, list[Any]] = {}
    _place(producer, errors, incomplete=incomplete, fallback=None)
    try:
        producer.identifier_kind = classify_identifier(producer.kind, producer.identifier)
    except ValidationError as exc:
        if not (incomplete and exc.code == "required"):
            errors["identifier"] = exc.error_list
    try:
        validate_phone(producer.phone)
    except ValidationError as exc:
        errors["phone"] = exc.error_list
    if (
        check_unique
        and producer.identifier
        and "identifier" not in errors
        and Producer.objects.filter(identifier=producer.identifier).exclude(pk=producer.pk).exists()
    ):
        errors["identifier"] = [
            ValidationError(
                _("A producer with identifier “%(value)s” is already registered."),
                params={"value": producer.identifier},
            )
        ]
    try:
        producer.full_clean(exclude=["search_text", "identifier_kind", *errors], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    producer.search_text = producer_search_text(producer)


@transaction.atomic
def create_producer(*, by: Any, **fields: Any) -> Producer:
    """Register a producer. Side effects: audit entry."""
    commune = fields.get("commune")
    access.require_create_producer(by, commune if isinstance(commune, Commune) else None)
    producer = Producer(**fields)
    prepare_producer(producer)
    producer.save()
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=producer,
        changes={k: [None, v] for k, v in audit.snapshot(producer, PRODUCER_FIELDS).items()},
    )
    return producer


@transaction.atomic
def update_producer(*, producer: Producer, by: Any, **changes: Any) -> Producer:
    """Change a producer the user may write (moved: to a commune where they may register one). Side effects: audit
    entry; its products' search text follows a new name, and a names_changed signal for them after commit."""
    access.require_producer(by, producer)
    before = audit.snapshot(producer, PRODUCER_FIELDS)
    before_commune_id = producer.commune_id
    for name, value in changes.items():
        if name not in PRODUCER_FIELDS:
            raise TypeError(name)
        setattr(producer, name, value)
    if producer.commune_id != before_commune_id:
        access.require_create_producer(by, producer.commune)
    prepare_producer(producer)
    producer.save()
    if before["name"] != producer.name:
        products = list(producer.products.all())
        for product in products:
            product.search_text = product_search_text(product, producer.name)
        Product.objects.bulk_update(products, ["search_text"], batch_size=500)
        _names_changed([p.pk for p in products])
    changed = audit.diff(before, audit.snapshot(producer, PRODUCER_FIELDS))
    if changed:
        audit.record(actor=by, action=AuditAction.CHANGE, obj=producer, changes=changed)
    return producer


def _delete_files_on_commit(names: list[str | None], storage: Any) -> None:
    transaction.on_commit(lambda: [storage.delete(n) for n in names if n])


@transaction.atomic
def delete_producer(*, producer: Producer, by: Any) -> None:
    """Delete a producer without products (the province's OCOP office). Side effects: its documents and their files
    go; audit entry."""
    access.require_producer(by, producer, delete=True)
    if producer.products.exists():
        raise ValidationError(_("This producer still has products: delete or move them first."))
    files = [d.file.name for d in producer.documents.all()]
    audit.record(actor=by, action=AuditAction.DELETE, obj=producer, changes=audit.snapshot(producer, PRODUCER_FIELDS))
    producer.delete()
    _delete_files_on_commit(files, FILE_STORAGE)


@transaction.atomic
def link_producer_account(*, producer: Producer, user: Any, by: Any) -> ProducerMember:
    """Let `user` act for `producer` (the province's OCOP office decides). Side effects: producer role granted; audit
    entry."""
    require(access.can_link_accounts(by, producer))
    member, created = ProducerMember.objects.get_or_create(producer=producer, user=user)
    grant_role(user=user, role=Role.PRODUCER, province=producer.province, by=by)
    if created:
        audit.record(actor=by, action=AuditAction.CHANGE, obj=producer, changes={"account": [None, user.username]})
    return member


def prepare_product(product: Product, producer_name: str, *, incomplete: bool = False) -> None:
    _strip(product, PRODUCT_FIELDS)
    errors: dict[str, list[Any]] = {}
    _place(product, errors, incomplete=incomplete, fallback=product.producer.province_id)
    if product.product_set_id is None and not incomplete:
        errors["product_set"] = [ValidationError(_("Choose the product set."), code="required")]
    try:
        product.full_clean(exclude=["search_text", *errors])
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    product.search_text = product_search_text(product, producer_name)


@transaction.atomic
def create_product(*, by: Any, packs: list[dict[str, str]] | None = None, **fields: Any) -> Product:
    """Register a product of a producer the user may write. Side effects: packs created; audit entry."""
    producer = fields.get("producer")
    if not isinstance(producer, Producer):
        raise PermissionDenied
    access.require_producer(by, producer)
    fields.setdefault("status", ProductStatus.ACTIVE)
    product = Product(**fields)
    prepare_product(product, producer.name)
    product.save()
    for pack in packs or []:
        _save_pack(ProductPack(product=product, **pack))
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=product,
        changes={
            **{k: [None, v] for k, v in audit.snapshot(product, PRODUCT_FIELDS).items()},
            **({"packs": [None, [str(p) for p in product.packs.all()]]} if packs else {}),
        },
    )
    return product


def _names_changed(product_ids: list[int]) -> None:
    transaction.on_commit(lambda: names_changed.send(sender=Product, product_ids=product_ids))


@transaction.atomic
def update_product(*, product: Product, by: Any, **changes: Any) -> Product:
    """Change a product. Side effects: audit entry. A new name: flagged to the province's OCOP office when the
    product holds a valid or suspended certificate (registry.renames), and a names_changed signal after commit."""
    access.require_product(by, product)
    before = audit.snapshot(product, PRODUCT_FIELDS)
    before_producer_id = product.producer_id
    for name, value in changes.items():
        if name not in PRODUCT_FIELDS:
            raise TypeError(name)
        setattr(product, name, value)
    if product.producer_id != before_producer_id:
        access.require_producer(by, product.producer)
    prepare_product(product, product.producer.name)
    # Never the copy of the product's latest certificate: the certificates app keeps it, and this instance may have
    # been read before a certificate was issued or changed.
    product.save(update_fields=EDITABLE_PRODUCT_COLUMNS)
    changed = audit.diff(before, audit.snapshot(product, PRODUCT_FIELDS))
    if changed:
        audit.record(actor=by, action=AuditAction.CHANGE, obj=product, changes=changed)
    if "name" in changed:
        # Allowed, but a certified product's certificate keeps its name as issued: the office reviews the change.
        flag_rename(product=product, old_name=before["name"], by=by)
        _names_changed([product.pk])
    return product


@transaction.atomic
def delete_product(*, product: Product, by: Any) -> None:
    """Delete a product (the province's OCOP office). Side effects: its packs, photos and product documents go; audit
    entry."""
    access.require_product(by, product, delete=True)
    files = [p.image.name for p in product.photos.all()] + [d.file.name for d in product.documents.all()]
    audit.record(actor=by, action=AuditAction.DELETE, obj=product, changes=audit.snapshot(product, PRODUCT_FIELDS))
    product.delete()
    _delete_files_on_commit(files, FILE_STORAGE)


@transaction.atomic
def add_pack(*, product: Product, by: Any, name: str, size: str = "", gtin: str = "") -> ProductPack:
    """Add a pack (name, size, optional GTIN with a correct check digit) to a product the user may write. Side
    effects: audit entry."""
    access.require_product(by, product)
    pack = _save_pack(ProductPack(product=product, name=name, size=size, gtin=gtin))
    audit.record(actor=by, action=AuditAction.CHANGE, obj=product, changes={"packs": [None, str(pack)]})
    return pack


def _save_pack(pack: ProductPack) -> ProductPack:
    _strip(pack, ("name", "size", "gtin"))
    errors: dict[str, Any] = {}
    try:
        validate_gtin(pack.gtin)
    except ValidationError as exc:
        errors["gtin"] = exc.error_list
    try:
        pack.full_clean(exclude=["product", *errors])
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    pack.save()
    return pack


@transaction.atomic
def remove_pack(*, pack: ProductPack, by: Any) -> None:
    """Remove a pack of a product the user may write. Side effects: audit entry on the product."""
    access.require_product(by, pack.product)
    audit.record(actor=by, action=AuditAction.CHANGE, obj=pack.product, changes={"packs": [str(pack), None]})
    pack.delete()


@transaction.atomic
def add_photo(*, product: Product, by: Any, upload: IO[bytes], caption: str = "") -> ProductPhoto:
    """Store a JPEG or PNG photo, decoded and re-encoded (ocop.core.uploads), under a generated name.
    Side effects: file written; audit entry."""
    access.require_product(by, product)
    checked = check_upload(upload, allowed=IMAGE_TYPES, name="image", label=_("photo"))
    photo = ProductPhoto(product=product, caption=caption.strip(), content_type=checked.content_type)
    photo.image.save(f"photo.{checked.extension}", checked.file(), save=False)
    photo.save()
    audit.record(actor=by, action=AuditAction.CHANGE, obj=product, changes={"photos": [None, photo.image.name]})
    return photo


def _check_document(document: Document) -> None:
    _strip(document, ("title", "number", "issuer"))
    errors: dict[str, Any] = {}
    if document.product_id and document.product.producer_id != document.producer_id:  # type: ignore[union-attr]
        errors["product"] = [_("The product belongs to another producer.")]
    if document.issued_on and document.expires_on and document.expires_on < document.issued_on:
        errors["expires_on"] = [_("The expiry date is before the issue date.")]
    try:
        document.full_clean(exclude=["file", "sha256", "original_name", "content_type", *errors])
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_document(*, producer: Producer, by: Any, upload: IO[bytes], original_name: str, **fields: Any) -> Document:
    """Put a PDF, JPEG or PNG into the producer's vault, once (checked and, for an image, re-encoded by
    ocop.core.uploads; the size and hash are those of what is stored).

    Side effects: the file is stored under a generated name outside the static root; audit entry.
    """
    access.require_producer(by, producer)
    checked = check_upload(upload, allowed=DOCUMENT_TYPES, name="file", label=_("file"))
    digest = checked.sha256
    existing = Document.objects.filter(producer=producer, sha256=digest).first()
    if existing is not None:
        raise ValidationError(
            {"file": [_("This file is already in the vault as “%(name)s”.") % {"name": str(existing)}]}
        )
    if len(original_name or "") > NAME_MAX:
        raise ValidationError({"file": [_("The file's name is too long (at most 255 characters): rename it.")]})
    document = Document(
        producer=producer,
        original_name=original_name or "",
        content_type=checked.content_type,
        size=checked.size,
        sha256=digest,
        **fields,
    )
    _check_document(document)
    document.file.save(f"document.{checked.extension}", checked.file(), save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=document,
        changes={
            **{k: [None, v] for k, v in audit.snapshot(document, DOCUMENT_FIELDS).items()},
            "file": [None, document.original_name],
        },
    )
    return document


@transaction.atomic
def update_document(*, document: Document, by: Any, **changes: Any) -> Document:
    """Change a document's details (not its file) in a vault the user may write. Side effects: audit entry."""
    access.require_document(by, document)
    before = audit.snapshot(document, DOCUMENT_FIELDS)
    for name, value in changes.items():
        if name not in DOCUMENT_FIELDS:
            raise TypeError(name)
        setattr(document, name, value)
    _check_document(document)
    document.save()
    changed = audit.diff(before, audit.snapshot(document, DOCUMENT_FIELDS))
    if changed:
        audit.record(actor=by, action=AuditAction.CHANGE, obj=document, changes=changed)
    return document


@transaction.atomic
def delete_document(*, document: Document, by: Any) -> None:
    """Delete a document from a vault the user may write. Side effects: its file is removed after commit; audit
    entry."""
    access.require_document(by, document)
    name = document.file.name
    audit.record(actor=by, action=AuditAction.DELETE, obj=document, changes=audit.snapshot(document, DOCUMENT_FIELDS))
    document.delete()
    _delete_files_on_commit([name], FILE_STORAGE)
