"""Dossiers: drafting, the commune's check, the advisory review, and each step of the flow.

Each write is a form (`backoffice.evaluation_forms`) run by `run_form` into its service, which checks who may act;
a refused form comes back on the dossier's page (400) with its messages, each naming the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import visible_or_404
from ocop.backoffice.evaluation_forms import (
    CommuneCheckForm,
    EvidenceForm,
    ReturnForm,
    SiteVisitForm,
    StartDossierForm,
    SummaryForm,
)
from ocop.backoffice.forms import ConfirmForm
from ocop.backoffice.views.common import Request, form_messages, paginate, query_without_page, run_form
from ocop.core.audit import history
from ocop.core.cells import whole_digits
from ocop.core.uploads import file_response
from ocop.evaluation import access
from ocop.evaluation import dossiers as flow
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.enums import DossierKind, DossierState
from ocop.evaluation.models import Dossier, DossierEvidence
from ocop.registry import access as registry_access


@login_required
def dossier_list(request: Request) -> HttpResponse:
    qs = access.dossiers_visible_to(request.user).select_related("round", "product__producer", "criteria_set")
    if (state := request.GET.get("state")) in DossierState.values:
        qs = qs.filter(state=state)
    if round_id := whole_digits(request.GET.get("round") or ""):
        qs = qs.filter(round_id=round_id)
    return render(
        request,
        "backoffice/evaluation/dossiers.html",
        {
            "page": paginate(request, qs.order_by("-created_at", "-id")),
            "query": query_without_page(request),
            "states": DossierState.choices,
            "rounds": access.rounds_visible_to(request.user),
        },
    )


@login_required
def dossier_start(request: Request, product_pk: int) -> HttpResponse:
    product = registry_access.get_product_for_user(request.user, product_pk)
    rounds = access.open_rounds_for(request.user, product.province_id)
    kind = request.GET.get("kind")
    form = StartDossierForm(
        request.POST if request.method == "POST" else None,
        rounds=rounds,
        initial={"kind": kind if kind in DossierKind.values else DossierKind.NEW},
    )
    outcome = run_form(
        form,
        lambda data: flow.start_dossier(by=request.user, round_=data["round"], product=product, kind=data["kind"]),
    )
    if outcome.ok and outcome.value is not None:
        messages.success(request, _("Dossier started: check the documents, then submit it."))
        return redirect("backoffice:dossier_detail", pk=outcome.value.pk)
    return render(
        request,
        "backoffice/evaluation/start.html",
        {"product": product, "rounds": rounds, "form": form, "chosen_kind": form["kind"].value()},
        status=400 if form.is_bound else 200,
    )


def _assessed(sheet: Any, assessment: Any) -> list[tuple[Any, Any]]:
    """The commune's assessment as (line, option chosen): it stores the option's index on each commune line, which
    the page shows by the option's label and points (not the index)."""
    if assessment is None:
        return []
    rows = []
    for line in sheet.lines():
        index = assessment.points.get(line.code)
        if line.commune_assessed and isinstance(index, int) and 0 <= index < len(line.options):
            rows.append((line, line.options[index]))
    return rows


@login_required
def dossier_detail(request: Request, pk: int, status: int = 200) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    user = request.user
    can_draft = access.can_draft(user, dossier)
    editable = can_draft and dossier.state in flow.EDITABLE
    sheet = sheet_spec(dossier.criteria_set)
    result = getattr(dossier, "result", None)
    manages = access.can_manage_round(user, dossier.round)
    # Before publication the council's figures are the council's and the office's: nobody else reads them, in the
    # timeline's notes or in the change history (a province following its referral at the ministry included).
    sealed = not manages and not (result is not None and result.published)
    transitions = list(dossier.transitions.all())
    assessment = getattr(dossier, "commune_assessment", None)
    if sealed:
        for t in transitions:
            if t.to_state == DossierState.SCORED:
                t.note = ""
    return render(
        request,
        "backoffice/evaluation/dossier.html",
        {
            "dossier": dossier,
            "sheet": sheet,
            "evidence": dossier.evidence.select_related("document", "line"),
            "missing": flow.missing_items(dossier),
            "transitions": transitions,
            "vault": access.evidence_documents(user, dossier).order_by("kind", "-issued_on") if editable else [],
            "lines": access.sheet_lines(dossier),
            "commune_lines": [line for line in sheet.lines() if line.commune_assessed],
            "assessment": assessment,
            "assessment_rows": _assessed(sheet, assessment),
            "review": getattr(dossier, "review", None),
            "editable": editable,
            "can_submit": can_draft and dossier.state in flow.EDITABLE,
            "can_commune": access.can_act_for_commune(user, dossier),
            "can_manage": manages,
            "result": None if sealed else result,
            "history": [] if sealed else history(dossier)[:50],
            "today": timezone.localdate(),
        },
        status=status,
    )


def _act(
    request: Request, dossier: Dossier, form: forms.BaseForm, action: Callable[[dict[str, Any]], Any], done: str
) -> HttpResponse:
    """Run a dossier's form into its service: back to the dossier with `done`, or the page again (400) with the
    refusals, each naming its field."""
    if run_form(form, action).ok:
        messages.success(request, done)
        return redirect("backoffice:dossier_detail", pk=dossier.pk)
    form_messages(request, form)
    return dossier_detail(request, dossier.pk, status=400)


STEPS: dict[str, tuple[Callable[..., Any], Any]] = {
    "submit": (flow.submit_dossier, gettext_lazy("Dossier submitted to the commune.")),
    "propose": (flow.propose_dossier, gettext_lazy("Dossier proposed to the province.")),
    "review": (flow.start_review, gettext_lazy("Review started.")),
    "ready": (flow.mark_ready, gettext_lazy("Dossier handed to the council.")),
}


@login_required
@require_POST
def dossier_step(request: Request, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    dossier = access.get_dossier_for_user(request.user, pk)
    action, done = STEPS[step]
    return _act(
        request, dossier, ConfirmForm(request.POST), lambda _d: action(by=request.user, dossier=dossier), str(done)
    )


@login_required
@require_POST
def dossier_check(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    form = CommuneCheckForm(request.POST, sheet=sheet_spec(dossier.criteria_set))
    return _act(
        request,
        dossier,
        form,
        lambda data: flow.check_dossier(
            by=request.user, dossier=dossier, assessment=form.assessment(), note=data["note"]
        ),
        _("Commune assessment recorded."),
    )


@login_required
@require_POST
def dossier_return(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    return _act(
        request,
        dossier,
        ReturnForm(request.POST),
        lambda data: flow.return_dossier(by=request.user, dossier=dossier, items=data["items"], note=data["note"]),
        _("Dossier returned to the producer."),
    )


@login_required
@require_POST
def dossier_site_visit(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    return _act(
        request,
        dossier,
        SiteVisitForm(request.POST),
        lambda data: flow.record_review(by=request.user, dossier=dossier, **data),
        _("Site visit recorded."),
    )


@login_required
@require_POST
def dossier_summary(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    return _act(
        request,
        dossier,
        SummaryForm(request.POST),
        lambda data: flow.update_summary(by=request.user, dossier=dossier, summary=data["summary"]),
        _("Changes saved."),
    )


@login_required
@require_POST
def evidence_add(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    form = EvidenceForm(
        request.POST,
        documents=access.evidence_documents(request.user, dossier),
        lines=access.sheet_lines(dossier),
    )
    return _act(
        request,
        dossier,
        form,
        lambda data: flow.attach_evidence(
            by=request.user, dossier=dossier, document=data["document"], line=data["line"]
        ),
        _("Document attached."),
    )


def _evidence(request: Request, pk: int, evidence_pk: int) -> DossierEvidence:
    """An attachment of a dossier the user may see (404 otherwise)."""
    dossier = access.get_dossier_for_user(request.user, pk)
    return visible_or_404(DossierEvidence.objects.filter(dossier=dossier).select_related("document"), evidence_pk)


@login_required
@require_POST
def evidence_remove(request: Request, pk: int, evidence_pk: int) -> HttpResponse:
    evidence = _evidence(request, pk, evidence_pk)
    return _act(
        request,
        evidence.dossier,
        ConfirmForm(request.POST),
        lambda _d: flow.detach_evidence(by=request.user, evidence=evidence),
        _("Document removed from the dossier."),
    )


@login_required
def evidence_file(request: Request, pk: int, evidence_pk: int) -> FileResponse:
    """An attached document, for everyone who may see the dossier (council members included)."""
    document = _evidence(request, pk, evidence_pk).document
    return file_response(document.file, content_type=document.content_type, filename=document.original_name)
