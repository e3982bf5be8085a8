"""Trade promotion: the offices record fairs and online events, allocate booths and record each producer's outcome."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.promotion_forms import BoothForm, EventForm, OutcomeForm
from ocop.backoffice.views.common import Request, form_messages, paginate, run_form
from ocop.core.collation import vi
from ocop.places.models import Province
from ocop.promotion import access, services
from ocop.promotion.enums import EventKind
from ocop.promotion.models import Event


def organiser_province(request: Request) -> Province | None:
    from django.conf import settings

    managed = access.managed_provinces(request.user)
    if access.scope_of(request.user).is_admin and not managed:
        return Province.objects.filter(code=settings.OCOP_DEFAULT_PROVINCE).first()
    return Province.objects.filter(pk__in=managed).order_by("code").first()


def _event_list(request: Request, form: EventForm | None) -> HttpResponse:
    events = access.events_visible_to(request.user)
    province = organiser_province(request)
    errors = {("form" if k == "__all__" else k): v for k, v in form.errors.items()} if form is not None else {}
    return render(
        request,
        "backoffice/events/list.html",
        {
            "page": paginate(request, services.with_totals(events).order_by("-starts_on", vi("name"), "pk")),
            "years": services.totals_by_year(events),
            "province": province,
            "kinds": EventKind.choices,
            "communes": access.communes_for(province.pk) if province else [],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def event_list(request: Request) -> HttpResponse:
    return _event_list(request, None)


@login_required
@require_POST
def event_create(request: Request) -> HttpResponse:
    province = organiser_province(request)
    if province is None:
        raise PermissionDenied
    form = EventForm(request.POST, communes=access.communes_for(province.pk))
    done = run_form(form, lambda data: services.create_event(by=request.user, province=province, **data))
    if not done.ok or done.value is None:
        return _event_list(request, form)
    messages.success(request, _("Event “%(name)s” recorded.") % {"name": done.value.name})
    return redirect("backoffice:event_detail", pk=done.value.pk)


@login_required
def event_detail(request: Request, pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk)
    can_manage = access.can_manage(request.user, event.province_id)
    booths = access.booths_shown(request.user, event).select_related("producer").prefetch_related("products")
    producers = []
    if can_manage and (words := request.GET.get("producer", "").strip()):
        from ocop.core.text import fold

        producers = list(
            access.producers_for_booths(request.user)
            .filter(Q(search_text__contains=fold(words)) | Q(identifier=words))
            .prefetch_related("products")
            .order_by(vi("name"), "pk")[:20]
        )
    totals = services.with_totals(type(event).objects.filter(pk=event.pk)).get()
    return render(
        request,
        "backoffice/events/detail.html",
        {"event": event, "booths": booths, "totals": totals, "can_manage": can_manage, "producers": producers},
    )


def _refused(request: Request, event: Event, form: forms.BaseForm) -> HttpResponse:
    form_messages(request, form)
    return render(request, "backoffice/events/refused.html", {"event": event}, status=400)


@login_required
@require_POST
def booth_add(request: Request, pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk)
    form = BoothForm(request.POST, user=request.user)
    done = run_form(form, lambda data: services.allocate_booth(by=request.user, event=event, **data))
    if not done.ok or done.value is None:
        return _refused(request, event, form)
    messages.success(request, _("Booth allocated to %(producer)s.") % {"producer": done.value.producer.name})
    return redirect("backoffice:event_detail", pk=event.pk)


@login_required
@require_POST
def booth_outcome(request: Request, pk: int, booth_pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk)
    booth = access.get_booth(event, booth_pk)
    form = OutcomeForm(request.POST)
    if not run_form(form, lambda data: services.record_outcome(by=request.user, booth=booth, **data)).ok:
        return _refused(request, event, form)
    messages.success(request, _("Outcome recorded."))
    return redirect("backoffice:event_detail", pk=event.pk)
