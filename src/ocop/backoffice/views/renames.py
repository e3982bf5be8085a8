"""Renames of certified products: flagged on the product's and the certificate's pages until the office reviews."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ocop.backoffice.views.common import Request, report_errors
from ocop.registry import access, renames
from ocop.registry.models import Product


class RenameReviewForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"), required=False, max_length=renames.NOTE_MAX, widget=forms.TextInput
    )


def flags(user: Any, product: Product) -> dict[str, Any]:
    """The context of `backoffice/_renames.html`: the product's renames awaiting review, and who may review them."""
    return {
        "renames": list(
            access.renames_visible_to(user).filter(product=product, reviewed_at__isnull=True).select_related("by")
        ),
        "can_review_renames": access.can_review_renames(user, product.province_id),
    }


@login_required
@require_POST
def rename_reviewed(request: Request, pk: int) -> HttpResponse:
    rename = access.renames_visible_to(request.user).select_related("product").filter(pk=pk).first()
    if rename is None:
        raise Http404
    form = RenameReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    else:
        try:
            renames.review_rename(by=request.user, rename=rename, note=form.cleaned_data["note"])
        except ValidationError as exc:
            report_errors(request, exc)
        else:
            messages.success(request, _("Rename marked as reviewed."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("backoffice:product_detail", pk=rename.product_id)
