"""Trade promotion: the offices record fairs and online events, allocate booths and record each producer's outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.views.common import Request, id_of, paginate, posted_date, report_errors
from ocop.places.models import Commune, Province
from ocop.promotion import access, services
from ocop.promotion.enums import EventKind
from ocop.promotion.models import Booth
from ocop.registry.access import producers_visible_to
from ocop.registry.models import Product


def organiser_province(request: Request) -> Province | None:
    from django.conf import settings

    managed = access.managed_provinces(request.user)
    if access.scope_of(request.user).is_admin and not managed:
        return Province.objects.filter(code=settings.OCOP_DEFAULT_PROVINCE).first()
    return Province.objects.filter(pk__in=managed).order_by("code").first()


@login_required
def event_list(request: Request) -> HttpResponse:
    events = access.events_visible_to(request.user)
    province = organiser_province(request)
    return render(
        request,
        "backoffice/events/list.html",
        {
            "page": paginate(request, services.with_totals(events).order_by("-starts_on", "name")),
            "years": services.totals_by_year(events),
            "province": province,
            "kinds": EventKind.choices,
            "communes": Commune.objects.filter(province=province).order_by("name") if province else [],
            "errors": {},
        },
    )


@login_required
@require_POST
def event_create(request: Request) -> HttpResponse:
    province = organiser_province(request)
    if province is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    starts_on = posted_date(request, "starts_on", _("First day"), errors)
    ends_on = posted_date(request, "ends_on", _("Last day"), errors)
    commune = Commune.objects.filter(pk=id_of(request.POST.get("commune"))).first()
    try:
        if errors:
            raise ValidationError(errors)
        event = services.create_event(
            by=request.user,
            province=province,
            kind=request.POST.get("kind", ""),
            name=request.POST.get("name", ""),
            organiser=request.POST.get("organiser", ""),
            starts_on=starts_on,
            ends_on=ends_on,
            commune=commune,
            place=request.POST.get("place", ""),
            platform=request.POST.get("platform", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        events = access.events_visible_to(request.user)
        return render(
            request,
            "backoffice/events/list.html",
            {
                "page": paginate(request, services.with_totals(events).order_by("-starts_on", "name")),
                "years": services.totals_by_year(events),
                "province": province,
                "kinds": EventKind.choices,
                "communes": Commune.objects.filter(province=province).order_by("name"),
                "errors": {("form" if k == "__all__" else k): v for k, v in exc.message_dict.items()},
            },
            status=400,
        )
    messages.success(request, _("Event “%(name)s” recorded.") % {"name": event.name})
    return redirect("backoffice:event_detail", pk=event.pk)


@login_required
def event_detail(request: Request, pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk)
    can_manage = access.can_manage(request.user, event.province_id)
    booths = event.booths.select_related("producer").prefetch_related("products")
    scope = access.scope_of(request.user)
    if not (can_manage or scope.communes):
        booths = booths.filter(producer__members__user=request.user)
    producers = []
    if can_manage and (words := request.GET.get("producer", "").strip()):
        from ocop.core.text import fold

        producers = list(
            producers_visible_to(request.user)
            .filter(Q(search_text__contains=fold(words)) | Q(identifier=words))
            .prefetch_related("products")
            .order_by("name")[:20]
        )
    totals = services.with_totals(type(event).objects.filter(pk=event.pk)).get()
    return render(
        request,
        "backoffice/events/detail.html",
        {"event": event, "booths": booths, "totals": totals, "can_manage": can_manage, "producers": producers},
    )


@login_required
@require_POST
def booth_add(request: Request, pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk)
    if not access.can_manage(request.user, event.province_id):
        raise PermissionDenied
    producer = producers_visible_to(request.user).filter(pk=id_of(request.POST.get("producer"))).first()
    if producer is None:
        raise Http404
    products = list(Product.objects.filter(pk__in=request.POST.getlist("products")))
    try:
        services.allocate_booth(
            by=request.user,
            event=event,
            producer=producer,
            label=request.POST.get("label", ""),
            ocop=request.POST.get("ocop") == "on",
            products=products,
        )
    except ValidationError as exc:
        report_errors(request, exc)
        return render(request, "backoffice/events/refused.html", {"event": event}, status=400)
    messages.success(request, _("Booth allocated to %(producer)s.") % {"producer": producer.name})
    return redirect("backoffice:event_detail", pk=event.pk)


@login_required
@require_POST
def booth_outcome(request: Request, pk: int, booth_pk: int) -> HttpResponse:
    event = access.get_event_for_user(request.user, pk)
    booth = Booth.objects.filter(event=event, pk=booth_pk).select_related("event").first()
    if booth is None:
        raise Http404
    try:
        services.record_outcome(
            by=request.user, booth=booth, **{f: request.POST.get(f) for f in services.OUTCOME_FIELDS}
        )
    except ValidationError as exc:
        report_errors(request, exc)
        return render(request, "backoffice/events/refused.html", {"event": event}, status=400)
    messages.success(request, _("Outcome recorded."))
    return redirect("backoffice:event_detail", pk=event.pk)
