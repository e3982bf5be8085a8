from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import require
from ocop.backoffice.forms import ConfirmForm, PackForm, PhotoForm, ProductFilter, ProductForm
from ocop.backoffice.views.common import (
    Request,
    form_messages,
    paginate,
    query_without_page,
    run_form,
    workbook_issuer,
    xlsx_response,
)
from ocop.backoffice.views.renames import flags as rename_flags
from ocop.core.audit import history
from ocop.core.collation import vi
from ocop.core.search import search
from ocop.core.uploads import file_response
from ocop.evaluation import access as evaluation_access
from ocop.places.models import Commune
from ocop.registry import access, services
from ocop.registry.access import list_communes
from ocop.registry.duplicates import similar_products
from ocop.registry.enums import ProductStatus
from ocop.registry.exports import export_products
from ocop.registry.models import ProductGroup
from ocop.registry.queries import product_listing


def filtered_products(request: Request, *, listing: bool = True):  # type: ignore[no-untyped-def]
    qs = access.products_visible_to(request.user).order_by(vi("name"), "id")  # a query ranks its matches instead
    filters = ProductFilter(request.GET).values()
    qs = qs.filter(**{f"{name}_id" if name != "status" else name: value for name, value in filters.items()})
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
    return xlsx_response(
        export_products(filtered_products(request, listing=False), issuer=workbook_issuer(request.user)),
        "san-pham.xlsx",
    )


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
    require(producers.exists())
    initial = {}
    if producer_id := ProductFilter(request.GET).values().get("producer"):
        producer = producers.filter(pk=producer_id).first()
        if producer:
            initial = {"producer": producer, "commune": producer.commune}
    form = ProductForm(request.POST or None, initial=initial, producers=producers, communes=_product_communes(request))
    done = run_form(
        form, lambda _data: services.create_product(by=request.user, packs=form.packs(), **form.product_fields())
    )
    # Look-alikes of what was typed (other than the product just saved): a warning, never a block.
    similar = _similar(request, form, exclude_pk=done.value.pk if done.value else None) if form.is_bound else []
    if done.value is not None:
        messages.success(request, _("Product “%(name)s” registered.") % {"name": done.value.name})
        if similar:
            messages.warning(
                request,
                _("Possible duplicates of this product: %(names)s.")
                % {"names": "; ".join(f"{s.product.name} ({s.product.producer.name})" for s in similar)},
            )
        return redirect("backoffice:product_detail", pk=done.value.pk)
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
    communes = Commune.objects.filter(Q(province__code=settings.OCOP_DEFAULT_PROVINCE) | Q(pk__in=scoped))
    return communes.order_by("province__code", vi("short_name"))


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
    if run_form(
        form, lambda _data: services.update_product(product=product, by=request.user, **form.product_fields())
    ).ok:
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
    form = ConfirmForm(request.POST)
    if not run_form(form, lambda _data: services.delete_product(product=product, by=request.user)).ok:
        form_messages(request, form)
        return redirect("backoffice:product_detail", pk=product.pk)
    messages.success(request, _("Product deleted."))
    return redirect("backoffice:product_list")


@login_required
@require_POST
def pack_add(request: Request, pk: int) -> HttpResponse:
    product = access.get_product_for_user(request.user, pk, write=True)
    form = PackForm(request.POST)
    if run_form(form, lambda data: services.add_pack(product=product, by=request.user, **data)).ok:
        messages.success(request, _("Pack added."))
    else:
        form_messages(request, form)
    return redirect("backoffice:product_detail", pk=product.pk)


@login_required
@require_POST
def pack_remove(request: Request, pk: int, pack_pk: int) -> HttpResponse:
    product = access.get_product_for_user(request.user, pk, write=True)
    pack = access.get_pack_for_user(request.user, product, pack_pk)
    form = ConfirmForm(request.POST)
    if run_form(form, lambda _data: services.remove_pack(pack=pack, by=request.user)).ok:
        messages.success(request, _("Pack removed."))
    else:
        form_messages(request, form)
    return redirect("backoffice:product_detail", pk=product.pk)


@login_required
@require_POST
def photo_add(request: Request, pk: int) -> HttpResponse:
    product = access.get_product_for_user(request.user, pk, write=True)
    form = PhotoForm(request.POST, request.FILES)
    action = lambda data: services.add_photo(  # noqa: E731
        product=product, by=request.user, upload=data["image"], caption=data["caption"]
    )
    if run_form(form, action).ok:
        messages.success(request, _("Photo added."))
    else:
        form_messages(request, form)
    return redirect("backoffice:product_detail", pk=product.pk)


@login_required
def photo_file(request: Request, pk: int, photo_pk: int) -> FileResponse:
    product = access.get_product_for_user(request.user, pk)
    photo = access.get_photo_for_user(request.user, product, photo_pk)
    return file_response(photo.image, content_type=photo.content_type)
