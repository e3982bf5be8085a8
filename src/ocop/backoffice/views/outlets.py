"""Sales points and design centres: the commerce office registers and recognises; operators keep their shelves."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.models import User
from ocop.backoffice.forms import ConfirmForm, PhotoForm
from ocop.backoffice.outlet_forms import (
    MemberForm,
    OutletCreateForm,
    OutletForm,
    ReasonForm,
    RecogniseForm,
    StockAddForm,
    StockRemoveForm,
)
from ocop.backoffice.views.common import Request, form_messages, paginate, query_without_page, run_form
from ocop.certificates.queries import status_q
from ocop.core.audit import history
from ocop.core.text import fold
from ocop.core.uploads import file_response
from ocop.outlets import access, queries, services, stock
from ocop.outlets.enums import FileKind, OutletKind, OutletStatus
from ocop.outlets.models import Outlet, RemovalTask
from ocop.places.models import Province
from ocop.registry.models import Product

FIND_LIMIT = 20


def _home_province(request: Request) -> Province | None:
    managed = access.managed_provinces(request.user)
    if access.scope_of(request.user).is_admin and not managed:
        return Province.objects.filter(code=settings.OCOP_DEFAULT_PROVINCE).first()
    default = Province.objects.filter(code=settings.OCOP_DEFAULT_PROVINCE, pk__in=managed).first()
    return default or Province.objects.filter(pk__in=managed).order_by("code").first()


@login_required
def outlet_list(request: Request) -> HttpResponse:
    outlets = queries.with_share(access.outlets_visible_to(request.user)).select_related("commune", "operator")
    # Open tasks, one per product to take off (distinct: the shelf lines counted beside them multiply the join).
    outlets = outlets.annotate(
        open_tasks=Count("removal_tasks", filter=Q(removal_tasks__done_at__isnull=True), distinct=True)
    )
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    if status in OutletStatus.values:
        outlets = outlets.filter(status=status)
    if kind in OutletKind.values:
        outlets = outlets.filter(kind=kind)
    if words := fold(request.GET.get("q", "")):
        outlets = outlets.filter(search_text__contains=words)
    return render(
        request,
        "backoffice/outlets/list.html",
        {
            "page": paginate(request, outlets.order_by("name", "id")),
            "query": query_without_page(request),
            "statuses": OutletStatus.choices,
            "kinds": OutletKind.choices,
            "can_register": access.can_manage_any(request.user),
        },
    )


@login_required
def outlet_create(request: Request) -> HttpResponse:
    province = _home_province(request)
    if province is None:
        raise PermissionDenied
    form = OutletCreateForm(
        request.POST or None, communes=access.communes_for(province.pk), operators=access.operators_for(province.pk)
    )
    done = run_form(
        form,
        lambda data: services.register_outlet(
            by=request.user, province=province, operator=form.chosen_operator(), **form.outlet_fields()
        ),
    )
    if done.ok and done.value is not None:
        messages.success(request, _("Outlet “%(name)s” registered as proposed.") % {"name": done.value.name})
        return redirect("backoffice:outlet_detail", pk=done.value.pk)
    return render(
        request,
        "backoffice/outlets/form.html",
        {"form": form, "outlet": None, "province": province},
        status=400 if form.errors else 200,
    )


@login_required
def outlet_edit(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    access.require(access.can_operate(request.user, outlet))  # the form is for those who may change it
    form = OutletForm(request.POST or None, instance=outlet, communes=access.communes_for(outlet.province_id))
    if run_form(form, lambda data: services.update_outlet(by=request.user, outlet=outlet, **form.outlet_fields())).ok:
        messages.success(request, _("Changes saved."))
        return redirect("backoffice:outlet_detail", pk=outlet.pk)
    return render(
        request, "backoffice/outlets/form.html", {"form": form, "outlet": outlet}, status=400 if form.errors else 200
    )


def _found_products(request: Request) -> list[Product]:
    words = fold(request.GET.get("find", ""))
    if not words:
        return []
    current = Product.objects.filter(status_q("current", prefix="ocop_"), search_text__contains=words)
    return list(current.select_related("producer").prefetch_related("packs").order_by("name")[:FIND_LIMIT])


@login_required
def outlet_detail(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    can_manage = access.can_manage(request.user, outlet.province_id)
    can_operate = can_manage or access.can_operate(request.user, outlet)
    items = queries.shelf(outlet)
    on_shelf = [i for i in items if i.product_id]
    tasks = RemovalTask.objects.filter(outlet=outlet, done_at__isnull=True).select_related("product", "certificate")
    return render(
        request,
        "backoffice/outlets/detail.html",
        {
            "outlet": outlet,
            "items": items,
            "share": queries.share_of(outlet),
            "lapsed": [i for i in on_shelf if not i.ocop_today],  # type: ignore[attr-defined]
            "tasks": list(tasks),
            "assessments": outlet.assessments.select_related("checklist").order_by("-assessed_on", "-id"),
            "photos": outlet.files.filter(kind=FileKind.PHOTO),
            "members": User.objects.filter(operator_links__operator=outlet.operator_id).order_by("username"),
            "found": _found_products(request) if can_operate else [],
            "can_manage": can_manage,
            "can_operate": can_operate,
            "history": history(outlet)[:30],
        },
    )


def _refused(request: Request, outlet: Outlet, form: forms.BaseForm) -> HttpResponse:
    """A button's form refused: its messages (each naming its field) above a link back to the outlet."""
    form_messages(request, form)
    return render(request, "backoffice/outlets/refused.html", {"outlet": outlet}, status=400)


STATUS_ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Outlet]]] = {
    "recognise": (RecogniseForm, services.recognise),
    "suspend": (ReasonForm, services.suspend_outlet),
    "reinstate": (ConfirmForm, services.reinstate_outlet),
    "close": (ReasonForm, services.close_outlet),
}


@login_required
@require_POST
def outlet_status(request: Request, pk: int, action: str) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    if action not in STATUS_ACTIONS:
        raise Http404
    form_class, service = STATUS_ACTIONS[action]
    form = form_class(request.POST)
    if not run_form(form, lambda data: service(by=request.user, outlet=outlet, **data)).ok:
        return _refused(request, outlet, form)
    messages.success(request, _("The outlet is now %(status)s.") % {"status": outlet.get_status_display()})
    return redirect("backoffice:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def stock_add(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    form = StockAddForm(request.POST, user=request.user)
    done = run_form(form, lambda data: stock.add_stock(by=request.user, outlet=outlet, **data))
    if not done.ok or done.value is None:
        return _refused(request, outlet, form)
    item = done.value
    messages.success(
        request, _("“%(name)s” is on the shelf.") % {"name": item.product.name if item.product else item.label}
    )
    return redirect("backoffice:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def stock_remove(request: Request, pk: int, item_pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    item = access.get_stock_item(outlet, item_pk)
    form = StockRemoveForm(request.POST)
    if not run_form(form, lambda data: stock.remove_stock(by=request.user, item=item, **data)).ok:
        return _refused(request, outlet, form)
    messages.success(request, _("Taken off the shelf."))
    return redirect("backoffice:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def member_add(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    form = MemberForm(request.POST)
    done = run_form(
        form,
        lambda data: services.add_operator_member(by=request.user, operator=outlet.operator, user=data["username"]),
    )
    if not done.ok:
        return _refused(request, outlet, form)
    messages.success(
        request,
        _("%(user)s now acts for %(operator)s.")
        % {"user": form.cleaned_data["username"].username, "operator": outlet.operator},
    )
    return redirect("backoffice:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def photo_add(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    done = run_form(
        form,
        lambda data: services.add_file(
            by=request.user, outlet=outlet, kind=FileKind.PHOTO, upload=data["image"], caption=data["caption"]
        ),
    )
    if not done.ok:
        return _refused(request, outlet, form)
    messages.success(request, _("Photo added."))
    return redirect("backoffice:outlet_detail", pk=outlet.pk)


@login_required
def outlet_file(request: Request, pk: int, file_pk: int) -> FileResponse:
    stored = access.get_file(access.get_outlet_for_user(request.user, pk), file_pk)
    return file_response(stored.file, content_type=stored.content_type)
