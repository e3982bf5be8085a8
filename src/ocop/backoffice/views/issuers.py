"""The issuing body's settings: the coordinator of a province (the ministry's office for the central level) says
who its documents come from and who signs them. New decisions, certificates, notices and records print these
values; documents already issued keep their own."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.backoffice.issuer_forms import IssuingBodyForm
from ocop.backoffice.views.common import Request, run_form
from ocop.places.issuers import issuer_for, save_issuing_body
from ocop.places.models import Province


def coordinated(user: object) -> list[Province]:
    """The provinces (and the central level) whose issuing body the user sets: those they coordinate."""
    ids = scope_of(user).provinces_for(Role.PROVINCE_COORDINATOR)
    return list(Province.objects.filter(pk__in=ids).order_by("code"))


@login_required
def issuing_body_edit(request: Request) -> HttpResponse:
    provinces = coordinated(request.user)
    if not provinces:
        raise PermissionDenied  # no province to set: not a coordinator
    code = request.GET.get("province", "")
    province = next((p for p in provinces if p.code == code), None) if code else provinces[0]
    if province is None:
        raise Http404  # another province's settings: not shown to this user
    initial = asdict(issuer_for(province))
    form = IssuingBodyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        done = run_form(form, lambda data: save_issuing_body(by=request.user, province=province, values=data))
        if done.ok:
            messages.success(request, _("Issuing body saved: new documents carry these names."))
            return redirect(reverse("backoffice:issuing_body") + (f"?province={province.code}" if code else ""))
    return render(
        request,
        "backoffice/issuing_body.html",
        {"form": form, "province": province, "provinces": provinces},
        status=400 if form.errors else 200,
    )
