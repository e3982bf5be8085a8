"""Trainings and awareness events: the offices record them and their attendees; plans count them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.views.common import Request, id_of, paginate, posted_date, report_errors
from ocop.backoffice.views.events import organiser_province
from ocop.places.models import Commune
from ocop.promotion import access, services


def _list(request: Request, errors: dict[str, list[str]]) -> HttpResponse:
    province = organiser_province(request)
    trainings = access.trainings_visible_to(request.user).order_by("-starts_on", "topic")
    return render(
        request,
        "backoffice/trainings/list.html",
        {
            "page": paginate(request, trainings),
            "province": province,
            "communes": Commune.objects.filter(province=province).order_by("name") if province else [],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def training_list(request: Request) -> HttpResponse:
    return _list(request, {})


@login_required
@require_POST
def training_create(request: Request) -> HttpResponse:
    province = organiser_province(request)
    if province is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    starts_on = posted_date(request, "starts_on", _("First day"), errors)
    ends_on = posted_date(request, "ends_on", _("Last day"), errors)
    try:
        if errors:
            raise ValidationError(errors)
        training = services.record_training(
            by=request.user, province=province, topic=request.POST.get("topic", ""),
            organiser=request.POST.get("organiser", ""), starts_on=starts_on, ends_on=ends_on,
            place=request.POST.get("place", ""),
            commune=Commune.objects.filter(pk=id_of(request.POST.get("commune"))).first(),
        )  # fmt: skip
    except ValidationError as exc:
        return _list(request, exc.message_dict)
    messages.success(request, _("Training “%(topic)s” recorded.") % {"topic": training.topic})
    return redirect("backoffice:training_detail", pk=training.pk)


@login_required
def training_detail(request: Request, pk: int) -> HttpResponse:
    training = access.trainings_visible_to(request.user).filter(pk=pk).first()
    if training is None:
        raise Http404
    if request.method == "POST":
        try:
            count = services.add_attendees(
                by=request.user, training=training, names=request.POST.get("names", ""),
                organisation=request.POST.get("organisation", ""),
            )  # fmt: skip
        except ValidationError as exc:
            report_errors(request, exc)
            return render(request, "backoffice/trainings/refused.html", {"training": training}, status=400)
        messages.success(request, _("%(count)s attendees added.") % {"count": count})
        return redirect("backoffice:training_detail", pk=training.pk)
    return render(
        request,
        "backoffice/trainings/detail.html",
        {
            "training": training,
            "attendees": training.attendees.select_related("producer"),
            "can_manage": access.can_manage(request.user, training.province_id),
        },
    )
