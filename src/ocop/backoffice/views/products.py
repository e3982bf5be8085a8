from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.forms import PackForm, PhotoForm, ProductForm, apply_service_errors
from ocop.backoffice.views.common import Request, int_or_none, paginate, query_without_page, xlsx_response
from ocop.backoffice.views.renames import flags as rename_flags
from ocop.core.audit import history
from ocop.core.search import search
from ocop.core.uploads import file_response
from ocop.evaluation import access as evaluation_access
from ocop.places.models import Commune
from ocop.registry import access, services
from ocop.registry.access import list_communes
from ocop.registry.duplicates import similar_products
from ocop.registry.enums import ProductStatus
from ocop.registry.exports import export_products
from ocop.registry.models import ProductGroup, ProductPack, ProductPhoto
from ocop.registry.queries import product_listing


def filtered_products(request: Request, *, listing: bool = True):  # type: ignore[no-untyped-def]
    qs = access.products_visible_to(request.user)
    if group := int_or_none(request.GET.get("group")):
        qs = qs.filter(group_id=group)
    if commune := int_or_none(request.GET.get("commune")):
        qs = qs.filter(commune_id=commune)
    if status := request.GET.get("status"):
        qs = qs.filter(status=status)
    if producer := int_or_none(request.GET.get("producer")):
        qs = qs.filter(producer_id=producer)
    q = request.GET.get("q")
    return product_listing(qs, q) if listing else search(qs, q)


@login_required
def product_list(request: Request) -> HttpResponse:
    context = {
        "page": paginate(request, filtered_products(request)),
        "query": query_without_page(request),
        "groups": ProductGroup.objects.all(),
        "statuses": ProductStatus.choices,
        "communes": list_communes(request.user),
        "can_create": access.producers_writable_by(request.user).exists(),
    }
    template = "backoffice/products/_rows.html" if request.htmx else "backoffice/products/list.html"
    return render(request, template, context)


@login_required
def product_export(request: Request) -> HttpResponse:
    return xlsx_response(export_products(filtered_products(request, listing=False)), "san-pham.xlsx")


def _similar(request: Request, form: ProductForm, exclude_pk: int | None = None) -> list:  # type: ignore[type-arg]
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    producer, commune = data.get("producer"), data.get("commune")
    return similar_products(
        access.products_visible_to(request.user),
        name=data.get("name") or "",
        producer_id=producer.pk if producer else None,
        commune_id=commune.pk if commune else None,
        exclude_pk=exclude_pk,
    )


@login_required
def product_create(request: Request) -> HttpResponse:
    producers = access.producers_writable_by(request.user)
    if not producers.exists():
        raise PermissionDenied
    initial = {}
    if producer_id := int_or_none(request.GET.get("producer")):
        producer = producers.filter(pk=producer_id).first()
        if producer:
            initial = {"producer": producer, "commune": producer.commune}
    form = ProductForm(request.POST or None, initial=initial, producers=producers, communes=_product_communes(request))
    similar: list = []  # type: ignore[type-arg]
    if request.method == "POST" and form.is_valid():
        similar = _similar(request, form)
        try:
            product = services.create_product(by=request.user, packs=form.packs(), **form.product_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Product “%(name)s” registered.") % {"name": product.name})
            if similar:
                # A warning, not a block: the officer decides whether it is really the same product.
                messages.warning(
                    request,
                    _("Possible duplicates of this product: %(names)s.")
                    % {"names": "; ".join(f"{s.product.name} ({s.product.producer.name})" for s in similar)},
                )
            return redirect("backoffice:product_detail", pk=product.pk)
    return render(
        request,
        "backoffice/products/form.html",
        {"form": form, "product": None, "similar": similar},
        status=400 if form.errors else 200,
    )


def _product_communes(request: Request) -> QuerySet[Commune]:
    # Any commune may be the place of production (the producer's scope is what is checked); the form
    # offers those of the default province and of the user's own scope.
    scoped = access.communes_for_new_records(request.user).values("pk")
    return Commune.objects.filter(Q(province__code=settings.OCOP_DEFAULT_PROVINCE) | Q(pk__in=scoped))


@login_required
def product_similar(request: Request) -> HttpResponse:
    """htmx: similar products while the name is typed."""
    producers = access.producers_writable_by(request.user)
    form = ProductForm(request.GET, producers=producers, communes=_product_communes(request))
    form.is_valid()
    return render(request, "backoffice/products/_similar.html", {"similar": _similar(request, form)})


@login_required
def product_detail(request: Request, pk: int) -> HttpResponse:
    product = access.get_product_for_user(request.user, pk)
    can_edit = access.products_writable_by(request.user).filter(pk=product.pk).exists()
    return render(
        request,
        "backoffice/products/detail.html",
        {
            "product": product,
            "packs": product.packs.all(),
            "photos": product.photos.all(),
            "documents": access.documents_visible_to(request.user).filter(product=product),
            "dossiers": evaluation_access.dossiers_visible_to(request.user)
            .filter(product=product)
            .select_related("round", "result"),
            "history": history(product)[:50],
            "can_edit": can_edit,
            "can_delete": access.can_delete(request.user),
            "pack_form": PackForm(),
            "photo_form": PhotoForm(),
            **rename_flags(request.user, product),
        },
    )


@login_required
def product_edit(request: Request, pk: int) -> HttpResponse:
    product = access.get_product_for_user(request.user, pk, write=True)
    form = ProductForm(
        request.POST or None,
        instance=product,
        producers=access.producers_writable_by(request.user),
        communes=_product_communes(request),
        with_pack=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(product=product, by=request.user, **form.product_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("backoffice:product_detail", pk=product.pk)
    return render(
        request,
        "backoffice/products/form.html",
        {"form": form, "product": product, "similar": []},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def product_delete(request: Request, pk: int) -> HttpResponse:
    product = access.get_product_for_user(request.user, pk, delete=True)
    services.delete_product(product=product, by=request.user)
    messages.success(request, _("Product deleted."))
    return redirect("backoffice:product_list")


@login_required
@require_POST
def pack_add(request: Request, pk: int) -> HttpResponse:
    product = access.get_product_for_user(request.user, pk, write=True)
    form = PackForm(request.POST)
    if form.is_valid():
        try:
            services.add_pack(product=product, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
            return redirect("backoffice:product_detail", pk=product.pk)
        messages.success(request, _("Pack added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("backoffice:product_detail", pk=product.pk)


@login_required
@require_POST
def pack_remove(request: Request, pk: int, pack_pk: int) -> HttpResponse:
    product = access.get_product_for_user(request.user, pk, write=True)
    pack = get_object_or_404(ProductPack, pk=pack_pk, product=product)
    services.remove_pack(pack=pack, by=request.user)
    messages.success(request, _("Pack removed."))
    return redirect("backoffice:product_detail", pk=product.pk)


@login_required
@require_POST
def photo_add(request: Request, pk: int) -> HttpResponse:
    product = access.get_product_for_user(request.user, pk, write=True)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(
                product=product,
                by=request.user,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, _("Photo: %(message)s") % {"message": m})
            return redirect("backoffice:product_detail", pk=product.pk)
        messages.success(request, _("Photo added."))
    else:
        messages.error(request, _("Photo: choose a JPEG or PNG file."))
    return redirect("backoffice:product_detail", pk=product.pk)


@login_required
def photo_file(request: Request, pk: int, photo_pk: int) -> FileResponse:
    product = access.get_product_for_user(request.user, pk)
    photo = ProductPhoto.objects.filter(pk=photo_pk, product=product).first()
    if photo is None:
        raise Http404
    return file_response(photo.image, content_type=photo.content_type)
