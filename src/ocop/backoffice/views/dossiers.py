"""Dossiers: drafting, the commune's check, the advisory review, and each step of the flow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ocop.backoffice.views.common import Request, id_of, int_or_none, paginate, prefixed, query_without_page
from ocop.core.audit import history
from ocop.core.uploads import file_response
from ocop.evaluation import access
from ocop.evaluation import dossiers as flow
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.enums import DossierKind, DossierState
from ocop.evaluation.models import CriterionLine, DossierEvidence
from ocop.registry import access as registry_access
from ocop.registry.models import Document


@login_required
def dossier_list(request: Request) -> HttpResponse:
    qs = access.dossiers_visible_to(request.user).select_related("round", "product__producer", "criteria_set")
    if (state := request.GET.get("state")) in DossierState.values:
        qs = qs.filter(state=state)
    if round_id := int_or_none(request.GET.get("round")):
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
    rounds = access.rounds_visible_to(request.user).filter(closed=False, province_id=product.province_id)
    if request.method == "POST":
        round_ = rounds.filter(pk=id_of(request.POST.get("round"))).first()
        kind = request.POST.get("kind") or DossierKind.NEW
        if round_ is None or kind not in DossierKind.values:
            messages.error(request, _("Choose an open round and the kind of dossier."))
        else:
            try:
                dossier = flow.start_dossier(by=request.user, round_=round_, product=product, kind=DossierKind(kind))
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Dossier started: check the documents, then submit it."))
                return redirect("backoffice:dossier_detail", pk=dossier.pk)
    return render(
        request,
        "backoffice/evaluation/start.html",
        {
            "product": product,
            "rounds": rounds,
            "kinds": DossierKind.choices,
            "chosen_kind": request.POST.get("kind") or request.GET.get("kind") or DossierKind.NEW,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def dossier_detail(request: Request, pk: int) -> HttpResponse:
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
            "vault": Document.objects.filter(producer_id=dossier.product.producer_id).order_by("kind", "-issued_on")
            if editable
            else [],
            "lines": CriterionLine.objects.filter(group__criteria_set=dossier.criteria_set).order_by(
                "group__position", "position"
            ),
            "commune_lines": [line for line in sheet.lines() if line.commune_assessed],
            "assessment": getattr(dossier, "commune_assessment", None),
            "review": getattr(dossier, "review", None),
            "editable": editable,
            "can_submit": can_draft and dossier.state in flow.EDITABLE,
            "can_commune": access.can_act_for_commune(user, dossier),
            "can_manage": manages,
            "result": None if sealed else result,
            "history": [] if sealed else history(dossier)[:50],
            "today": timezone.localdate(),
        },
    )


def _back(request: Request, pk: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("backoffice:dossier_detail", pk=pk)


def _run(request: Request, pk: int, action: Callable[..., Any], done: str, **kwargs: Any) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    try:
        action(by=request.user, dossier=dossier, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("backoffice:dossier_detail", pk=pk)
    return _back(request, pk, done)


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
    action, done = STEPS[step]
    return _run(request, pk, action, str(done))


@login_required
@require_POST
def dossier_check(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    assessment = {
        code: value for code, raw in prefixed(request, "line_").items() if (value := int_or_none(raw)) is not None
    }
    lines = [line.code for line in sheet_spec(dossier.criteria_set).lines() if line.commune_assessed]
    for code in lines:
        assessment.setdefault(code, -1)  # an unanswered line is reported by the service, by name
    return _run(
        request,
        pk,
        flow.check_dossier,
        _("Commune assessment recorded."),
        assessment=assessment,
        note=request.POST.get("note", ""),
    )


@login_required
@require_POST
def dossier_return(request: Request, pk: int) -> HttpResponse:
    items = []
    for raw in (request.POST.get("items") or "").splitlines():
        item, sep, reason = raw.partition(":")
        items.append({"item": item.strip() if sep else "", "reason": (reason if sep else item).strip()})
    return _run(
        request,
        pk,
        flow.return_dossier,
        _("Dossier returned to the producer."),
        items=items,
        note=request.POST.get("note", ""),
    )


@login_required
@require_POST
def dossier_site_visit(request: Request, pk: int) -> HttpResponse:
    try:
        visited = dt.date.fromisoformat(request.POST.get("visited_on") or "")
    except ValueError:
        messages.error(request, _("Enter the date of the site visit."))
        return redirect("backoffice:dossier_detail", pk=pk)
    return _run(
        request,
        pk,
        flow.record_review,
        _("Site visit recorded."),
        visited_on=visited,
        visit_record=request.POST.get("visit_record", ""),
        comments=request.POST.get("comments", ""),
    )


@login_required
@require_POST
def dossier_summary(request: Request, pk: int) -> HttpResponse:
    return _run(request, pk, flow.update_summary, _("Changes saved."), summary=request.POST.get("summary", ""))


@login_required
@require_POST
def evidence_add(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    document = Document.objects.filter(
        pk=id_of(request.POST.get("document")), producer_id=dossier.product.producer_id
    ).first()
    line = CriterionLine.objects.filter(
        pk=id_of(request.POST.get("line")), group__criteria_set=dossier.criteria_set
    ).first()
    if document is None:
        messages.error(request, _("Choose a document of the producer."))
        return redirect("backoffice:dossier_detail", pk=pk)
    return _run(request, pk, flow.attach_evidence, _("Document attached."), document=document, line=line)


def _evidence(request: Request, pk: int, evidence_pk: int) -> DossierEvidence:
    """An attachment of a dossier the user may see (404 otherwise)."""
    dossier = access.get_dossier_for_user(request.user, pk)
    evidence = DossierEvidence.objects.filter(pk=evidence_pk, dossier=dossier).select_related("document").first()
    if evidence is None:
        raise Http404
    return evidence


@login_required
@require_POST
def evidence_remove(request: Request, pk: int, evidence_pk: int) -> HttpResponse:
    evidence = _evidence(request, pk, evidence_pk)
    try:
        flow.detach_evidence(by=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("backoffice:dossier_detail", pk=pk)
    return _back(request, pk, _("Document removed from the dossier."))


@login_required
def evidence_file(request: Request, pk: int, evidence_pk: int) -> FileResponse:
    """An attached document, for everyone who may see the dossier (council members included)."""
    document = _evidence(request, pk, evidence_pk).document
    return file_response(document.file, content_type=document.content_type, filename=document.original_name)
