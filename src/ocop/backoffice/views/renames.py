"""Renames of certified products: flagged on the product's and the certificate's pages until the office reviews."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.forms import RenameReviewForm
from ocop.backoffice.views.common import Request, form_messages, run_form
from ocop.registry import access, renames
from ocop.registry.models import Product


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
    rename = access.rename_for_user(request.user, pk)
    form = RenameReviewForm(request.POST)
    if run_form(form, lambda data: renames.review_rename(by=request.user, rename=rename, note=data["note"])).ok:
        messages.success(request, _("Rename marked as reviewed."))
    else:
        form_messages(request, form)
    back = form.cleaned_data.get("next", "") if hasattr(form, "cleaned_data") else ""
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("backoffice:product_detail", pk=rename.product_id)
