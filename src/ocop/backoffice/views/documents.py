from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.forms import ConfirmForm, DocumentForm
from ocop.backoffice.views.common import Request, form_messages, paginate, query_without_page, run_form
from ocop.core.audit import history
from ocop.core.text import fold
from ocop.core.uploads import file_response
from ocop.registry import access, services
from ocop.registry.enums import DocumentKind, DocumentState
from ocop.registry.models import EXPIRING_DAYS


@login_required
def document_list(request: Request) -> HttpResponse:
    qs = access.documents_visible_to(request.user).select_related("producer", "product")
    if kind := request.GET.get("kind"):
        qs = qs.filter(kind=kind)
    if q := (request.GET.get("q") or "").strip():
        # Documents are found by their producer's name or identifier (folded), their number or their issuer.
        qs = qs.filter(Q(producer__search_text__contains=fold(q)) | Q(number__icontains=q) | Q(issuer__icontains=q))
    today = timezone.localdate()
    state = request.GET.get("state")
    if state == DocumentState.EXPIRED:
        qs = qs.filter(expires_on__lt=today)
    elif state == DocumentState.EXPIRING:
        qs = qs.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=EXPIRING_DAYS))
    elif state == DocumentState.VALID:
        qs = qs.filter(expires_on__gt=today + dt.timedelta(days=EXPIRING_DAYS))
    elif state == DocumentState.NO_EXPIRY:
        qs = qs.filter(expires_on__isnull=True)
    return render(
        request,
        "backoffice/documents/list.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "kinds": DocumentKind.choices,
            "states": DocumentState.choices,
            "today": today,
        },
    )


@login_required
def document_detail(request: Request, pk: int) -> HttpResponse:
    document = access.get_document_for_user(request.user, pk)
    return render(
        request,
        "backoffice/documents/detail.html",
        {
            "document": document,
            "history": history(document)[:50],
            "can_edit": access.documents_writable_by(request.user).filter(pk=document.pk).exists(),
        },
    )


@login_required
def document_edit(request: Request, pk: int) -> HttpResponse:
    document = access.get_document_for_user(request.user, pk, write=True)
    products = access.products_writable_by(request.user).filter(producer_id=document.producer_id)
    form = DocumentForm(request.POST or None, instance=document, products=products)
    if run_form(
        form, lambda _data: services.update_document(document=document, by=request.user, **form.document_fields())
    ).ok:
        messages.success(request, _("Changes saved."))
        return redirect("backoffice:document_detail", pk=document.pk)
    return render(
        request,
        "backoffice/documents/form.html",
        {"form": form, "producer": document.producer, "document": document},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def document_delete(request: Request, pk: int) -> HttpResponse:
    document = access.get_document_for_user(request.user, pk, write=True)
    producer_pk = document.producer_id
    form = ConfirmForm(request.POST)
    if not run_form(form, lambda _data: services.delete_document(document=document, by=request.user)).ok:
        form_messages(request, form)
        return redirect("backoffice:document_detail", pk=document.pk)
    messages.success(request, _("Document deleted."))
    return redirect("backoffice:producer_detail", pk=producer_pk)


@login_required
def document_file(request: Request, pk: int) -> FileResponse:
    document = access.get_document_for_user(request.user, pk)
    return file_response(document.file, content_type=document.content_type, filename=document.original_name)
