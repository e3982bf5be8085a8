from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.forms import ConfirmForm, DocumentUploadForm, ProducerFilter, ProducerForm
from ocop.backoffice.views.common import (
    Request,
    form_messages,
    paginate,
    query_without_page,
    run_form,
    workbook_issuer,
    xlsx_response,
)
from ocop.core.audit import history
from ocop.core.collation import vi
from ocop.core.search import search
from ocop.places.models import Commune
from ocop.registry import access, services
from ocop.registry.access import list_communes
from ocop.registry.enums import ProducerKind
from ocop.registry.exports import export_producers


def filtered_producers(request: Request):  # type: ignore[no-untyped-def]
    # Meta.ordering is dropped by GROUP BY queries, so the order is explicit.
    qs = (
        access.producers_visible_to(request.user)
        .select_related("province", "commune", "legacy_district")
        .annotate(product_count=Count("products"))
        .order_by(vi("name"), "id")
    )
    filters = ProducerFilter(request.GET).values()
    if "kind" in filters:
        qs = qs.filter(kind=filters["kind"])
    if "commune" in filters:
        qs = qs.filter(commune_id=filters["commune"])
    return search(qs, request.GET.get("q"))


@login_required
def producer_list(request: Request) -> HttpResponse:
    page = paginate(request, filtered_producers(request))
    context = {
        "page": page,
        "query": query_without_page(request),
        "kinds": ProducerKind.choices,
        "communes": list_communes(request.user),
        "can_create": access.can_create_producer(request.user),
    }
    template = "backoffice/producers/_rows.html" if request.htmx else "backoffice/producers/list.html"
    return render(request, template, context)


@login_required
def producer_export(request: Request) -> HttpResponse:
    return xlsx_response(
        export_producers(filtered_producers(request), issuer=workbook_issuer(request.user)), "chu-the.xlsx"
    )


@login_required
def producer_create(request: Request) -> HttpResponse:
    access.require_create_producer(request.user)
    form = ProducerForm(request.POST or None, communes=access.communes_for_new_records(request.user))
    done = run_form(form, lambda data: services.create_producer(by=request.user, **data))
    if done.value is not None:
        messages.success(request, _("Producer “%(name)s” registered.") % {"name": done.value.name})
        return redirect("backoffice:producer_detail", pk=done.value.pk)
    return render(
        request, "backoffice/producers/form.html", {"form": form, "producer": None}, status=400 if form.errors else 200
    )


@login_required
def producer_detail(request: Request, pk: int) -> HttpResponse:
    producer = access.get_producer_for_user(request.user, pk)
    products = access.products_visible_to(request.user).filter(producer=producer).select_related("product_set")
    documents = access.documents_visible_to(request.user).filter(producer=producer).select_related("product")
    return render(
        request,
        "backoffice/producers/detail.html",
        {
            "producer": producer,
            "products": products,
            "documents": documents,
            "history": history(producer)[:50],
            "can_edit": access.producers_writable_by(request.user).filter(pk=producer.pk).exists(),
            "can_delete": access.can_delete(request.user),
        },
    )


@login_required
def producer_edit(request: Request, pk: int) -> HttpResponse:
    producer = access.get_producer_for_user(request.user, pk, write=True)
    communes = access.communes_for_new_records(request.user) | Commune.objects.filter(pk__in=[producer.commune_id or 0])
    form = ProducerForm(request.POST or None, instance=producer, communes=communes.distinct())
    if run_form(form, lambda data: services.update_producer(producer=producer, by=request.user, **data)).ok:
        messages.success(request, _("Changes saved."))
        return redirect("backoffice:producer_detail", pk=producer.pk)
    return render(
        request,
        "backoffice/producers/form.html",
        {"form": form, "producer": producer},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def producer_delete(request: Request, pk: int) -> HttpResponse:
    producer = access.get_producer_for_user(request.user, pk, delete=True)
    form = ConfirmForm(request.POST)
    if not run_form(form, lambda _data: services.delete_producer(producer=producer, by=request.user)).ok:
        form_messages(request, form)
        return redirect("backoffice:producer_detail", pk=producer.pk)
    messages.success(request, _("Producer deleted."))
    return redirect("backoffice:producer_list")


@login_required
def document_create(request: Request, pk: int) -> HttpResponse:
    producer = access.get_producer_for_user(request.user, pk, write=True)
    products = access.products_writable_by(request.user).filter(producer=producer)
    form = DocumentUploadForm(request.POST or None, request.FILES or None, products=products)
    done = run_form(
        form,
        lambda data: services.add_document(
            producer=producer,
            by=request.user,
            upload=data["file"],
            original_name=data["file"].name,
            **form.document_fields(),
        ),
    )
    if done.value is not None:
        messages.success(request, _("Document added to the vault."))
        return redirect("backoffice:document_detail", pk=done.value.pk)
    return render(
        request,
        "backoffice/documents/form.html",
        {"form": form, "producer": producer, "document": None},
        status=400 if form.errors else 200,
    )
