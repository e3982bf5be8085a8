"""Trainings and awareness events: the offices record them and their attendees; plans count them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.promotion_forms import AttendeesForm, TrainingForm
from ocop.backoffice.views.common import Request, form_messages, paginate, run_form
from ocop.backoffice.views.events import organiser_province
from ocop.promotion import access, services


def _list(request: Request, form: TrainingForm | None) -> HttpResponse:
    province = organiser_province(request)
    trainings = access.trainings_visible_to(request.user).order_by("-starts_on", "topic")
    errors = form.errors if form is not None else {}
    return render(
        request,
        "backoffice/trainings/list.html",
        {
            "page": paginate(request, trainings),
            "province": province,
            "communes": access.communes_for(province.pk) if province else [],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def training_list(request: Request) -> HttpResponse:
    return _list(request, None)


@login_required
@require_POST
def training_create(request: Request) -> HttpResponse:
    province = organiser_province(request)
    if province is None:
        raise PermissionDenied
    form = TrainingForm(request.POST, communes=access.communes_for(province.pk))
    done = run_form(form, lambda data: services.record_training(by=request.user, province=province, **data))
    if not done.ok or done.value is None:
        return _list(request, form)
    messages.success(request, _("Training “%(topic)s” recorded.") % {"topic": done.value.topic})
    return redirect("backoffice:training_detail", pk=done.value.pk)


@login_required
def training_detail(request: Request, pk: int) -> HttpResponse:
    training = access.get_training_for_user(request.user, pk)
    if request.method == "POST":
        form = AttendeesForm(request.POST)
        done = run_form(form, lambda data: services.add_attendees(by=request.user, training=training, **data))
        if not done.ok:
            form_messages(request, form)
            return render(request, "backoffice/trainings/refused.html", {"training": training}, status=400)
        messages.success(request, _("%(count)s attendees added.") % {"count": done.value})
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
