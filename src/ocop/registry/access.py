"""The one gateway to producers, products and documents: every view and API call reads through here.

Not visible → Http404 (we do not confirm that a record exists); visible but not writable →
PermissionDenied.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet

from ocop.accounts.models import Role
from ocop.accounts.permissions import NOTHING, Scope, require, scope_of, visible_or_404
from ocop.core.collation import vi
from ocop.places.models import Commune
from ocop.registry.models import (
    Document,
    ImportJob,
    Producer,
    ProducerMember,
    Product,
    ProductPack,
    ProductPhoto,
    ProductRename,
)

READ_ROLES = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER, Role.COUNCIL_MEMBER)
DOCUMENT_READ_ROLES = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER)
WRITE_ROLES = (Role.PROVINCE_COORDINATOR,)


def _own_producers(user: Any) -> Any:
    return ProducerMember.objects.filter(user=user).values("producer_id")


def _producer_q(user: Any, scope: Scope, *, roles: tuple[Role, ...]) -> Q:
    """Producers the roles reach: by the record's own province (a record entered from history may have no commune
    yet), the commune officer's communes, the producer's own accounts."""
    if scope.is_admin:
        return Q()
    q = NOTHING
    provinces = scope.provinces_for(*roles)
    if provinces:
        q |= Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes)
    if Role.PRODUCER in scope.roles:
        q |= Q(pk__in=_own_producers(user))
    return q


def _through_producer(user: Any, scope: Scope, *, roles: tuple[Role, ...]) -> Q:
    """Rows (products, documents) whose producer the roles reach."""
    if scope.is_admin:
        return Q()
    return Q(producer_id__in=Producer.objects.filter(_producer_q(user, scope, roles=roles)).values("id"))


def producers_visible_to(user: Any) -> QuerySet[Producer]:
    return Producer.objects.filter(_producer_q(user, scope_of(user), roles=READ_ROLES))


def producers_writable_by(user: Any) -> QuerySet[Producer]:
    return Producer.objects.filter(_producer_q(user, scope_of(user), roles=WRITE_ROLES))


def _product_q(user: Any, *, roles: tuple[Role, ...]) -> Q:
    scope = scope_of(user)
    if scope.is_admin:
        return Q()
    # The product's own province first: PostgreSQL tests the alternatives in this order, and most products of a
    # province are recorded in it (its producer's, a hashed lookup per row, is then rarely asked).
    q = _through_producer(user, scope, roles=roles)
    if scope.communes:
        q = Q(commune_id__in=scope.communes) | q
    provinces = scope.provinces_for(*roles)
    if provinces:
        q = Q(province_id__in=provinces) | q
    return q


def products_visible_to(user: Any) -> QuerySet[Product]:
    return Product.objects.filter(_product_q(user, roles=READ_ROLES))


def products_writable_by(user: Any) -> QuerySet[Product]:
    return Product.objects.filter(_product_q(user, roles=WRITE_ROLES))


def documents_visible_to(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(_through_producer(user, scope_of(user), roles=DOCUMENT_READ_ROLES))


def documents_writable_by(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(_through_producer(user, scope_of(user), roles=WRITE_ROLES))


def _deletable_q(user: Any, province_path: str) -> Q:
    """Deleting is for the province coordinator (in their province) and the administrator."""
    scope = scope_of(user)
    if scope.is_admin:
        return Q()
    provinces = scope.provinces_for(Role.PROVINCE_COORDINATOR)
    return Q(**{f"{province_path}__in": provinces}) if provinces else NOTHING


def producers_deletable_by(user: Any) -> QuerySet[Producer]:
    return producers_writable_by(user).filter(_deletable_q(user, "province_id"))


def products_deletable_by(user: Any) -> QuerySet[Product]:
    return products_writable_by(user).filter(_deletable_q(user, "province_id"))


def _among(qs: QuerySet[Any], obj: Model | None) -> bool:
    return obj is not None and obj.pk is not None and qs.filter(pk=obj.pk).exists()


def require_producer(user: Any, producer: Producer | None, *, delete: bool = False) -> None:
    """The services' check before writing to a producer (or its vault): 403 unless the user may."""
    require(_among(producers_deletable_by(user) if delete else producers_writable_by(user), producer))


def require_product(user: Any, product: Product | None, *, delete: bool = False) -> None:
    require(_among(products_deletable_by(user) if delete else products_writable_by(user), product))


def require_document(user: Any, document: Document | None) -> None:
    require(_among(documents_writable_by(user), document))


def _get[M: Model](visible: QuerySet[M], writable: QuerySet[M], pk: Any, write: bool) -> M:
    obj = visible_or_404(visible, pk)
    if write:
        require(writable.filter(pk=obj.pk).exists())
    return obj


def get_producer_for_user(user: Any, pk: Any, *, write: bool = False, delete: bool = False) -> Producer:
    qs = producers_visible_to(user).select_related(
        "province", "commune__province", "legacy_commune__district", "legacy_district"
    )
    writable = producers_deletable_by(user) if delete else producers_writable_by(user)
    return _get(qs, writable, pk, write or delete)


def get_product_for_user(user: Any, pk: Any, *, write: bool = False, delete: bool = False) -> Product:
    qs = products_visible_to(user).select_related(
        "producer", "product_set", "group", "province", "commune__province", "legacy_district"
    )
    writable = products_deletable_by(user) if delete else products_writable_by(user)
    return _get(qs, writable, pk, write or delete)


def get_document_for_user(user: Any, pk: Any, *, write: bool = False) -> Document:
    qs = documents_visible_to(user).select_related("producer", "product")
    return _get(qs, documents_writable_by(user), pk, write)


def get_pack_for_user(user: Any, product: Product, pk: Any) -> ProductPack:
    """A pack of a product the user reached through the gateway (404 for a pack of another product)."""
    return visible_or_404(ProductPack.objects.filter(product=product).select_related("product"), pk)


def get_photo_for_user(user: Any, product: Product, pk: Any) -> ProductPhoto:
    """A photo of a product the user reached through the gateway (404 for a photo of another product)."""
    return visible_or_404(ProductPhoto.objects.filter(product=product), pk)


def communes_for_new_records(user: Any) -> QuerySet[Commune]:
    """Communes in which `user` may register a producer or product."""
    scope = scope_of(user)
    if scope.is_admin:
        return Commune.objects.order_by("province__code", vi("short_name"))
    q = NOTHING
    provinces = scope.provinces_for(*WRITE_ROLES)
    if provinces:
        q |= Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(pk__in=scope.communes)
    return Commune.objects.filter(q).order_by("province__code", vi("short_name"))


def list_communes(user: Any) -> QuerySet[Commune]:
    """Communes offered as a list filter: the user's own communes, else their provinces' (default province for all)."""
    from django.conf import settings

    scope = scope_of(user)
    if scope.communes and not scope.provinces_for(*READ_ROLES):
        return Commune.objects.filter(pk__in=scope.communes).order_by(vi("short_name"))
    provinces = scope.provinces_for(*READ_ROLES)
    if provinces:
        return Commune.objects.filter(province_id__in=provinces).order_by(vi("short_name"))
    return Commune.objects.filter(province__code=settings.OCOP_DEFAULT_PROVINCE).order_by(vi("short_name"))


def can_create_producer(user: Any, commune: Commune | None = None) -> bool:
    scope = scope_of(user)
    if scope.is_admin:
        return True
    if commune is None:
        return bool(scope.provinces_for(*WRITE_ROLES) or scope.communes)
    return commune.province_id in scope.provinces_for(*WRITE_ROLES) or commune.pk in scope.communes


def can_read_documents(user: Any) -> bool:
    """Whether the user's roles reach the evidence vault at all (the same rule as documents_visible_to)."""
    scope = scope_of(user)
    return (
        scope.is_admin
        or bool(scope.provinces_for(*DOCUMENT_READ_ROLES))
        or bool(scope.communes)
        or Role.PRODUCER in scope.roles
    )


def can_delete(user: Any) -> bool:
    """Whether to offer delete buttons at all; the gateway decides per record."""
    scope = scope_of(user)
    return scope.is_admin or bool(scope.provinces_for(Role.PROVINCE_COORDINATOR))


def require_create_producer(user: Any, commune: Commune | None = None) -> None:
    """403 unless the user may register a producer (in this commune, when one is given)."""
    require(can_create_producer(user, commune))


def can_link_accounts(user: Any, producer: Producer) -> bool:
    """Let an account act for a producer (it gets the producer role): the province's OCOP office, or the admin."""
    scope = scope_of(user)
    return scope.is_admin or producer.province_id in scope.provinces_for(Role.PROVINCE_COORDINATOR)


def renames_visible_to(user: Any) -> QuerySet[ProductRename]:
    """Flagged renames of certified products: whoever sees the product (the office reviews them)."""
    return ProductRename.objects.filter(product__in=products_visible_to(user))


def can_review_renames(user: Any, province_id: int | None) -> bool:
    """Mark a certified product's rename reviewed: the province's OCOP office (coordinator), never the producer."""
    scope = scope_of(user)
    return scope.is_admin or (province_id is not None and province_id in scope.provinces_for(*WRITE_ROLES))


def rename_for_user(user: Any, pk: Any) -> ProductRename:
    return visible_or_404(renames_visible_to(user).select_related("product"), pk)


def import_jobs_of(user: Any) -> QuerySet[ImportJob]:
    """An import is its uploader's own: its page, its decisions and a run again are theirs alone."""
    if not getattr(user, "is_authenticated", False):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by=user)


def get_import_job_for_user(user: Any, pk: Any) -> ImportJob:
    return visible_or_404(import_jobs_of(user), pk)
