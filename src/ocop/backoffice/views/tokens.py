"""A user's personal API tokens (for the systems that call the API on their behalf): the list, a new token (its text
shown once, on the page that answers the form, never again), and revoking one. Each user manages only their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from ocop.accounts.services import create_api_token, revoke_api_token
from ocop.accounts.tokens import own_token_or_404, tokens_of
from ocop.backoffice.forms import ConfirmForm
from ocop.backoffice.token_forms import ApiTokenForm
from ocop.backoffice.views.common import Request, paginate, run_form


@login_required
def token_list(request: Request) -> HttpResponse:
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    outcome = run_form(form, lambda data: create_api_token(user=request.user, by=request.user, **data))
    if outcome.ok and outcome.value is not None:
        # The token's text is in this answer only: not stored, not in a redirect, not kept by a cache.
        response = render(request, "backoffice/tokens/created.html", {"new": outcome.value})
        add_never_cache_headers(response)
        return response
    page = paginate(request, tokens_of(request.user))
    now = timezone.now()
    for token in page:
        token.state = token.status(now)
    return render(request, "backoffice/tokens/list.html", {"page": page, "form": form})


@login_required
def token_revoke(request: Request, pk: int) -> HttpResponse:
    token = own_token_or_404(request.user, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if run_form(form, lambda _data: revoke_api_token(token=token, by=request.user)).ok:
        messages.success(request, _("The API token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("backoffice:token_list")
    return render(request, "backoffice/tokens/revoke.html", {"token": token, "state": token.status()})
