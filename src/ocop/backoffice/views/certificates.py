"""Recognition decisions and certificates: the OCOP office drafts and issues; everyone in scope reads."""

from __future__ import annotations

from collections import Counter
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.certificate_forms import (
    ACTION_FORMS,
    ConfirmIssueForm,
    DecisionForm,
    DecisionFromRoundForm,
    DecisionItemForm,
    IssueDecisionForm,
    ItemPacksForm,
)
from ocop.backoffice.forms import ConfirmForm
from ocop.backoffice.views.common import (
    Request,
    form_messages,
    paginate,
    query_without_page,
    run_form,
)
from ocop.backoffice.views.renames import flags as rename_flags
from ocop.certificates import access, jobs, notices, pdf, queries, reports, rules, services
from ocop.certificates.enums import DecisionState, IssuingLevel, Status
from ocop.certificates.models import BatchState, Certificate, Decision
from ocop.certificates.signing import payload
from ocop.core import jobs as leases
from ocop.core.audit import history
from ocop.evaluation.access import rounds_visible_to
from ocop.registry.models import ProductRename
from ocop.registry.queries import product_listing
from ocop.supervision import access as supervision_access


@login_required
def decision_list(request: Request) -> HttpResponse:
    return _decision_list(request)


def _decision_list(request: Request, *forms_: Any) -> HttpResponse:
    decisions = access.decisions_visible_to(request.user).select_related("province", "round")
    provinces = list(access.managed_provinces(request.user))
    rounds = _rounds(request).select_related("province") if provinces else []
    return render(
        request,
        "backoffice/certificates/decisions.html",
        {
            "page": paginate(request, decisions.order_by("state", "-signed_on", "-id")),
            "provinces": provinces,
            "central_only": bool(provinces) and all(p.central for p in provinces),
            "rounds": rounds,
            "levels": IssuingLevel.choices,
        },
        status=400 if forms_ else 200,
    )


def _rounds(request: Request) -> Any:
    return rounds_visible_to(request.user).filter(province__in=access.managed_provinces(request.user))


@login_required
@require_POST
def decision_create(request: Request) -> HttpResponse:
    """Draft a decision: from a round's published results, or an empty one (a central result, or history)."""
    access.require(access.can_manage_any(request.user))
    form: forms.BaseForm
    if "round" in request.POST:
        form = DecisionFromRoundForm(request.POST, rounds=_rounds(request))
        done = run_form(form, lambda d: services.draft_from_round(by=request.user, round_=d["round"]))
    else:
        form = DecisionForm(request.POST, provinces=access.managed_provinces(request.user))
        done = run_form(form, lambda d: services.draft_decision(
            by=request.user, province=d["province"], level=IssuingLevel(d["level"]),
            issuing_body=d["issuing_body"], historical=d["historical"],
        ))  # fmt: skip
    if not done.ok:
        form_messages(request, form)
        return _decision_list(request, form)
    assert done.value is not None
    return redirect("backoffice:decision_detail", pk=done.value.pk)


@login_required
def decision_detail(request: Request, pk: int) -> HttpResponse:
    return _decision_page(request, access.get_decision_for_user(request.user, pk), request.GET.get("q", ""))


def _decision_page(request: Request, decision: Decision, q: str, status: int = 200) -> HttpResponse:
    may_manage = access.can_manage(request.user, decision.province_id)
    can_manage = may_manage and decision.state == DecisionState.DRAFT
    items = decision.items.select_related("product__producer", "result", "certificate").prefetch_related(
        "packs", "product__packs"
    )
    matches: Any = []
    if can_manage and (q := q.strip()):
        matches = list(product_listing(access.decision_products(request.user, decision), q)[:10])
        for product in matches:  # the stars its council gave, to choose by default
            product.pending = services.pending_result(decision, product)
    return render(
        request,
        "backoffice/certificates/decision.html",
        {"decision": decision, "items": items, "can_manage": can_manage, "matches": matches, "q": q,
         "stars": services.STARS_BY_LEVEL[IssuingLevel(decision.level)], "can_make_pdfs": may_manage,
         # Left empty, the signer is the issuing body's (its settings): shown as the field's placeholder.
         "default_sign": services.signature_on_issue(decision, "") if can_manage else None},
        status=status,
    )  # fmt: skip


def _refused(request: Request, decision: Decision, form: forms.BaseForm, q: str = "") -> HttpResponse:
    """A refused change of a decision: its page again, the refusal at the top, naming the field."""
    form_messages(request, form)
    return _decision_page(request, decision, q, status=400)


@login_required
@require_POST
def decision_item_add(request: Request, pk: int) -> HttpResponse:
    decision = access.get_decision_for_user(request.user, pk)
    form = DecisionItemForm(
        request.POST, products=access.decision_products(request.user, decision),
        stars=services.STARS_BY_LEVEL[IssuingLevel(decision.level)],
    )  # fmt: skip
    done = run_form(form, lambda d: services.add_item(
        by=request.user, decision=decision, product=d["product"], stars=d["stars"], stars_reason=d["stars_reason"],
    ))  # fmt: skip
    if not done.ok:  # back to the search, to give the reason
        return _refused(request, decision, form, form.cleaned_data.get("q", ""))
    return redirect("backoffice:decision_detail", pk=pk)


@login_required
@require_POST
def decision_item_remove(request: Request, pk: int, item_pk: int) -> HttpResponse:
    decision = access.get_decision_for_user(request.user, pk)
    item = access.get_item(decision, item_pk)
    form = ConfirmForm(request.POST)
    if not run_form(form, lambda d: services.remove_item(by=request.user, item=item)).ok:
        return _refused(request, decision, form)
    return redirect("backoffice:decision_detail", pk=pk)


@login_required
@require_POST
def decision_item_packs(request: Request, pk: int, item_pk: int) -> HttpResponse:
    decision = access.get_decision_for_user(request.user, pk)
    item = access.get_item(decision, item_pk)
    form = ItemPacksForm(request.POST, packs=item.product.packs.all())
    done = run_form(form, lambda d: services.set_item_packs(by=request.user, item=item, packs=list(d["pack"])))
    if not done.ok:
        return _refused(request, decision, form)
    return redirect("backoffice:decision_detail", pk=pk)


@login_required
@require_POST
def decision_issue(request: Request, pk: int) -> HttpResponse:
    """Issuing creates legal certificates, so it takes two steps: the number, date and signer posted from the
    decision's page bring the confirmation page (what will be created; nothing is written), and only its button,
    posting them again with `confirm`, issues. A GET is refused (405)."""
    decision = access.get_decision_for_user(request.user, pk)
    if "confirm" not in request.POST:
        form: IssueDecisionForm = IssueDecisionForm(request.POST)
        checked = run_form(form, lambda d: services.check_issue(
            by=request.user, decision=decision, number=d["number"], signed_on=d["signed_on"], signer=d["signer"],
        ))  # fmt: skip
        if not checked.ok or checked.value is None:
            return _refused(request, decision, form)
        d = form.cleaned_data
        sign = services.signature_on_issue(decision, d["signer"].strip())  # left empty: the issuing body's signer
        return render(request, "backoffice/certificates/issue_confirm.html", {
            "decision": decision, "items": checked.value, "number": d["number"].strip(), "signed_on": d["signed_on"],
            "signer": sign.name, "sign": sign, "valid_until": rules.valid_until(d["signed_on"]),
            "stars": sorted(Counter(i.stars for i in checked.value).items(), reverse=True),
        })  # fmt: skip
    form = ConfirmIssueForm(request.POST)
    done = run_form(form, lambda d: services.issue_decision(
        by=request.user, decision=decision, number=d["number"], signed_on=d["signed_on"], signer=d["signer"],
    ))  # fmt: skip
    if not done.ok:
        return _refused(request, decision, form)
    messages.success(request, _("Decision issued: %(n)s certificate(s).") % {"n": len(done.value or [])})
    return redirect("backoffice:decision_detail", pk=pk)


@login_required
def certificate_list(request: Request) -> HttpResponse:
    qs = queries.with_status(access.certificates_visible_to(request.user)).select_related(
        "product", "producer", "commune", "decision"
    )
    # A product renamed since it was certified, not yet reviewed by the office: flagged in the list, and a filter.
    qs = qs.annotate(renamed=Exists(ProductRename.objects.filter(product=OuterRef("product"), reviewed_at=None)))
    if request.GET.get("renamed"):
        qs = qs.filter(renamed=True)
    status = request.GET.get("status", "")
    if status in [*Status.values, "current"]:
        qs = qs.filter(queries.status_q(status))
    if (stars := request.GET.get("stars", "")) in ("3", "4", "5"):
        qs = qs.filter(stars=int(stars))
    return render(
        request,
        "backoffice/certificates/certificates.html",
        {
            "page": paginate(request, qs.order_by("valid_until", "number")),
            "query": query_without_page(request),
            "statuses": Status.choices,
            "can_import_history": access.can_manage_any(request.user),
        },
    )


@login_required
def certificate_detail(request: Request, pk: int) -> HttpResponse:
    return _certificate_page(request, access.get_certificate_for_user(request.user, pk))


def _certificate_page(request: Request, cert: Certificate, status: int = 200) -> HttpResponse:
    cert = (
        queries.with_certified_names(queries.with_status(type(cert).objects.filter(pk=cert.pk)))
        .select_related(
            "product", "producer", "commune", "decision", "province", "superseded_by", "item__result__council"
        )
        .prefetch_related("packs")
        .get()
    )
    text = payload(
        base_url=settings.OCOP_PUBLIC_BASE_URL, code=cert.code, claim_text=cert.claim, key_id=cert.key_id,
        signature=cert.signature,
    )  # fmt: skip
    qr = segno.make(text, error="m").svg_inline(scale=3, title=cert.number)
    return render(
        request,
        "backoffice/certificates/certificate.html",
        {
            "c": cert,
            "qr": qr,
            "payload": text,
            "may": access.certificate_actions(request.user, cert),  # which forms to show; the services decide
            "log": cert.log.order_by("seq"),
            "history": history(cert),
            "current_name": queries.current_name(cert.certified_product, cert.product.name),  # type: ignore[attr-defined]
            "packs": queries.packs_of(cert),
            "notice_due": notices.written_notice_due(cert, timezone.localdate()),
            **rename_flags(request.user, cert.product),
        },
        status=status,
    )


def _suspend(by: Any, cert: Certificate, d: dict[str, Any]) -> Certificate:
    return services.suspend(by=by, certificate=cert, reason=d["reason"])


def _lift(by: Any, cert: Certificate, d: dict[str, Any]) -> Certificate:
    return services.lift(by=by, certificate=cert, note=d["reason"])


def _revoke(by: Any, cert: Certificate, d: dict[str, Any]) -> Certificate:
    return services.revoke(by=by, certificate=cert, decision_number=d["decision_number"],
                           revoked_on=d["revoked_on"], reason=d["reason"])  # fmt: skip


ACTIONS = {"suspend": _suspend, "lift": _lift, "revoke": _revoke}


@login_required
@require_POST
def certificate_action(request: Request, pk: int, action: str) -> HttpResponse:
    """Suspend, lift or revoke: the form parses, the service decides who may (`access.certificate_actions`)."""
    cert = access.get_certificate_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    form = ACTION_FORMS[action](request.POST)
    if not run_form(form, lambda d: ACTIONS[action](request.user, cert, d)).ok:
        form_messages(request, form)
        return _certificate_page(request, cert, status=400)
    messages.success(request, _("Certificate updated."))
    return redirect("backoffice:certificate_detail", pk=pk)


@login_required
def certificate_pdf(request: Request, pk: int) -> HttpResponse:
    """The certificate as a PDF: the one made by the batch, or made now (and kept) if there is none yet."""
    cert = access.get_certificate_for_user(request.user, pk)
    if cert.decision.historical:  # entered from a list: its paper is the issuing body's, never remade here
        raise Http404
    if cert.pdf:
        with cert.pdf.open("rb") as fh:
            data = fh.read()
    else:
        data = pdf.certificate_pdf(cert)
        cert.pdf.save(f"{cert.number}.pdf", ContentFile(data), save=False)
        type(cert).objects.filter(pk=cert.pk).update(pdf=cert.pdf.name)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-chung-nhan-{cert.number}.pdf"'
    return response


@login_required
def certificate_notice_pdf(request: Request, pk: int) -> HttpResponse:
    """The written expiry notice to the producer as a PDF, for whoever may see the certificate, once it is within
    OCOP_WRITTEN_NOTICE_DAYS of its end or has expired (before that there is no notice: 404)."""
    cert = access.get_certificate_for_user(request.user, pk)
    today = timezone.localdate()
    if not notices.written_notice_due(cert, today):
        raise Http404
    response = HttpResponse(notices.written_notice(cert, today), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thong-bao-het-hieu-luc-{cert.number}.pdf"'
    return response


@login_required
def decision_pdf(request: Request, pk: int) -> HttpResponse:
    decision = access.get_decision_for_user(request.user, pk)
    if decision.state != DecisionState.ISSUED or decision.historical:
        raise Http404
    response = HttpResponse(pdf.decision_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="quyet-dinh-{decision.pk}.pdf"'
    return response


@login_required
@require_POST
def decision_pdfs(request: Request, pk: int) -> HttpResponse:
    """Make every certificate PDF of an issued decision on the task worker."""
    decision = access.get_decision_for_user(request.user, pk)
    if decision.state != DecisionState.ISSUED or decision.historical:
        raise Http404
    batch = jobs.start_pdf_batch(by=request.user, decision=decision)
    return redirect("backoffice:pdf_batch", pk=batch.pk)


@login_required
def pdf_batch(request: Request, pk: int) -> HttpResponse:
    batch = access.get_batch_for_user(request.user, pk)
    leases.reap(batch)  # a batch whose worker died shows as stopped, with "Run again"
    running = batch.state in (BatchState.QUEUED, BatchState.RUNNING)
    context = {"batch": batch, "running": running}
    if request.htmx and running:
        return render(request, "backoffice/certificates/_batch_progress.html", context)
    if request.htmx:
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    certificates = batch.decision.certificates.order_by("sequence") if not running else []
    can_rerun = batch.state == BatchState.FAILED and access.can_manage(request.user, batch.decision.province_id)
    context = {**context, "certificates": certificates, "can_rerun": can_rerun}
    return render(request, "backoffice/certificates/batch.html", context)


@login_required
@require_POST
def pdf_batch_rerun(request: Request, pk: int) -> HttpResponse:
    batch = access.get_batch_for_user(request.user, pk)
    leases.reap(batch)
    if batch.state != BatchState.FAILED:
        messages.error(request, _("Only a stopped batch can be run again."))
    else:
        jobs.rerun_pdf_batch(by=request.user, batch=batch)
    return redirect("backoffice:pdf_batch", pk=batch.pk)


@login_required
def report_list(request: Request) -> HttpResponse:
    qs = access.reports_visible_to(request.user).select_related("certificate__product").prefetch_related("inspections")
    if request.GET.get("state") != "all":
        qs = qs.filter(handled=False)
    return render(request, "backoffice/certificates/reports.html", {"page": paginate(request, qs),
                  "query": query_without_page(request), "today": timezone.localdate(),
                  "inspects": supervision_access.planning_provinces(request.user)})  # fmt: skip


@login_required
@require_POST
def report_handled(request: Request, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    reports.mark_handled(by=request.user, report=report)  # the service asks the gateway who may
    messages.success(request, _("Report marked as handled."))
    return redirect("backoffice:report_list")
