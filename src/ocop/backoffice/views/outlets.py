"""Sales points and design centres: the commerce office registers and recognises; operators keep their shelves."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.models import Role, User
from ocop.backoffice.forms import OutletForm, apply_service_errors
from ocop.backoffice.views.common import (
    Request,
    id_of,
    int_or_none,
    paginate,
    posted_date,
    query_without_page,
    report_errors,
)
from ocop.certificates.queries import status_q
from ocop.core.audit import history
from ocop.core.text import fold
from ocop.core.uploads import file_response
from ocop.outlets import access, queries, services, stock
from ocop.outlets.enums import FileKind, OutletKind, OutletStatus
from ocop.outlets.models import Operator, OutletFile, RemovalTask, StockItem
from ocop.places.models import Commune, Province
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
    outlets = outlets.annotate(open_tasks=Count("removal_tasks", filter=Q(removal_tasks__done_at__isnull=True)))
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


def _form_values(form: OutletForm) -> dict[str, object]:
    return dict(form.cleaned_data)


@login_required
def outlet_create(request: Request) -> HttpResponse:
    province = _home_province(request)
    if province is None:
        raise PermissionDenied
    form = OutletForm(request.POST or None, communes=Commune.objects.filter(province=province).order_by("name"))
    operators = Operator.objects.filter(outlets__province=province).distinct().order_by("name")
    if request.method == "POST" and form.is_valid():
        try:
            operator = operators.filter(pk=id_of(request.POST.get("operator"))).first() or services.operator_named(
                request.POST.get("operator_name", "")
            )
            outlet = services.register_outlet(
                by=request.user, province=province, operator=operator, **_form_values(form)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Outlet “%(name)s” registered as proposed.") % {"name": outlet.name})
            return redirect("backoffice:outlet_detail", pk=outlet.pk)
    return render(
        request,
        "backoffice/outlets/form.html",
        {"form": form, "outlet": None, "operators": operators, "province": province},
        status=400 if form.errors else 200,
    )


@login_required
def outlet_edit(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    access.require(access.can_operate(request.user, outlet))
    communes = Commune.objects.filter(province=outlet.province_id).order_by("name")
    form = OutletForm(request.POST or None, instance=outlet, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_outlet(by=request.user, outlet=outlet, **_form_values(form))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
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


@login_required
@require_POST
def outlet_status(request: Request, pk: int, action: str) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    access.require(access.can_manage(request.user, outlet.province_id))
    reason = request.POST.get("reason", "")
    try:
        if action == "recognise":
            errors: dict[str, list[str]] = {}
            signed_on = posted_date(request, "signed_on", _("Decision date"), errors)
            if errors or signed_on is None:
                raise ValidationError(errors or {"signed_on": [_("Give the decision date.")]})
            services.recognise(
                by=request.user,
                outlet=outlet,
                number=request.POST.get("number", ""),
                signed_on=signed_on,
                body=request.POST.get("body", ""),
            )
        elif action == "suspend":
            services.suspend_outlet(by=request.user, outlet=outlet, reason=reason)
        elif action == "reinstate":
            services.reinstate_outlet(by=request.user, outlet=outlet)
        elif action == "close":
            services.close_outlet(by=request.user, outlet=outlet, reason=reason)
        else:
            raise Http404
    except ValidationError as exc:
        report_errors(request, exc)
        return render(request, "backoffice/outlets/refused.html", {"outlet": outlet}, status=400)
    messages.success(request, _("The outlet is now %(status)s.") % {"status": outlet.get_status_display()})
    return redirect("backoffice:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def stock_add(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    access.require(access.can_operate(request.user, outlet))
    product = None
    if product_id := int_or_none(request.POST.get("product")):
        product = Product.objects.filter(pk=product_id).first()
        if product is None:
            messages.error(request, _("Unknown product."))
            return render(request, "backoffice/outlets/refused.html", {"outlet": outlet}, status=400)
    packs = list(product.packs.filter(pk__in=request.POST.getlist("packs"))) if product else []
    try:
        item = stock.add_stock(
            by=request.user, outlet=outlet, product=product, packs=packs, label=request.POST.get("label", "")
        )
    except ValidationError as exc:
        report_errors(request, exc)
        return render(request, "backoffice/outlets/refused.html", {"outlet": outlet}, status=400)
    name = item.product.name if item.product else item.label
    messages.success(request, _("“%(name)s” is on the shelf.") % {"name": name})
    return redirect("backoffice:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def stock_remove(request: Request, pk: int, item_pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    access.require(access.can_operate(request.user, outlet))
    item = StockItem.objects.filter(outlet=outlet, pk=item_pk).select_related("product", "outlet").first()
    if item is None:
        raise Http404
    try:
        stock.remove_stock(by=request.user, item=item, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        report_errors(request, exc)
        return render(request, "backoffice/outlets/refused.html", {"outlet": outlet}, status=400)
    messages.success(request, _("Taken off the shelf."))
    return redirect("backoffice:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def member_add(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    access.require(access.can_manage(request.user, outlet.province_id))
    username = request.POST.get("username", "").strip()
    user = User.objects.filter(username=username, roles__role=Role.OUTLET_OPERATOR).first()
    if user is None:
        messages.error(request, _("No outlet-operator account is called “%(name)s”.") % {"name": username[:60]})
        return render(request, "backoffice/outlets/refused.html", {"outlet": outlet}, status=400)
    services.add_operator_member(by=request.user, operator=outlet.operator, user=user)
    messages.success(
        request, _("%(user)s now acts for %(operator)s.") % {"user": user.username, "operator": outlet.operator}
    )
    return redirect("backoffice:outlet_detail", pk=outlet.pk)


@login_required
@require_POST
def photo_add(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    access.require(access.can_operate(request.user, outlet))
    upload = request.FILES.get("image")
    try:
        if upload is None:
            raise ValidationError({"image": [_("Choose a photo.")]})
        services.add_file(
            by=request.user, outlet=outlet, kind=FileKind.PHOTO, upload=upload, caption=request.POST.get("caption", "")
        )
    except ValidationError as exc:
        report_errors(request, exc)
        return render(request, "backoffice/outlets/refused.html", {"outlet": outlet}, status=400)
    messages.success(request, _("Photo added."))
    return redirect("backoffice:outlet_detail", pk=outlet.pk)


@login_required
def outlet_file(request: Request, pk: int, file_pk: int) -> FileResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    stored = OutletFile.objects.filter(outlet=outlet, pk=file_pk).first()
    if stored is None:
        raise Http404
    return file_response(stored.file, content_type=stored.content_type)
