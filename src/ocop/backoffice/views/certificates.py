"""Recognition decisions and certificates: the OCOP office drafts and issues; everyone in scope reads."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.views.common import (
    Request,
    id_of,
    int_or_none,
    paginate,
    posted_date,
    query_without_page,
    report_errors,
)
from ocop.backoffice.views.renames import flags as rename_flags
from ocop.certificates import access, jobs, pdf, queries, reports, services
from ocop.certificates.enums import DecisionState, IssuingLevel, Status
from ocop.certificates.models import BatchState, CertificateBatch, DecisionItem
from ocop.certificates.signing import payload
from ocop.core import jobs as leases
from ocop.core.audit import history
from ocop.evaluation.access import rounds_visible_to
from ocop.places.models import Province
from ocop.registry.access import products_visible_to
from ocop.registry.models import Product, ProductRename
from ocop.registry.queries import product_listing
from ocop.supervision import access as supervision_access


def _managed_provinces(request: Request) -> list[Province]:
    return [p for p in Province.objects.order_by("code") if access.can_manage(request.user, p.pk)]


@login_required
def decision_list(request: Request) -> HttpResponse:
    decisions = access.decisions_visible_to(request.user).select_related("province", "round")
    provinces = _managed_provinces(request)
    rounds = (
        rounds_visible_to(request.user).filter(province__in=provinces).select_related("province") if provinces else []
    )
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
    )


@login_required
@require_POST
def decision_create(request: Request) -> HttpResponse:
    """Draft a decision: from a round's published results, or an empty one (a central result, or history)."""
    provinces = {p.pk: p for p in _managed_provinces(request)}
    if not provinces:
        raise PermissionDenied
    try:
        if round_id := int_or_none(request.POST.get("round")):
            round_ = rounds_visible_to(request.user).filter(pk=round_id, province_id__in=provinces).first()
            if round_ is None:
                raise ValidationError(_("Choose a round."))
            decision = services.draft_from_round(by=request.user, round_=round_)
        else:
            province = provinces.get(id_of(request.POST.get("province")))
            level = request.POST.get("level") or IssuingLevel.PROVINCE
            if province is None or level not in IssuingLevel.values:
                raise ValidationError(_("Choose a province and a level."))
            decision = services.draft_decision(
                by=request.user,
                province=province,
                level=IssuingLevel(level),
                issuing_body=request.POST.get("issuing_body", ""),
                historical=request.POST.get("historical") == "on",
            )
    except ValidationError as exc:
        report_errors(request, exc)
        return redirect("backoffice:decision_list")
    return redirect("backoffice:decision_detail", pk=decision.pk)


@login_required
def decision_detail(request: Request, pk: int) -> HttpResponse:
    decision = access.get_decision_for_user(request.user, pk)
    can_manage = access.can_manage(request.user, decision.province_id) and decision.state == DecisionState.DRAFT
    items = decision.items.select_related("product__producer", "result", "certificate").prefetch_related(
        "packs", "product__packs"
    )
    matches: Any = []
    if can_manage and (q := request.GET.get("q", "").strip()):
        matches = list(product_listing(_candidates(request, decision), q)[:10])
        for product in matches:  # the stars its council gave, to choose by default
            product.pending = services.pending_result(decision, product)
    return render(
        request,
        "backoffice/certificates/decision.html",
        {"decision": decision, "items": items, "can_manage": can_manage, "matches": matches,
         "stars": services.STARS_BY_LEVEL[IssuingLevel(decision.level)],
         "can_make_pdfs": access.can_manage(request.user, decision.province_id)},
    )  # fmt: skip


def _candidates(request: Request, decision: Any) -> Any:
    """Products a decision may list: the province's own; for the ministry, the products of its central rounds."""
    if decision.province.central:
        if decision.historical:  # the ministry enters its own past 5-star decisions, for any province's products
            return Product.objects.all()
        return Product.objects.filter(dossiers__round__province_id=decision.province_id).distinct()
    return products_visible_to(request.user).filter(province_id=decision.province_id)


def _managed_decision(request: Request, pk: int) -> Any:
    decision = access.get_decision_for_user(request.user, pk)
    if not access.can_manage(request.user, decision.province_id):
        raise PermissionDenied
    return decision


@login_required
@require_POST
def decision_item_add(request: Request, pk: int) -> HttpResponse:
    decision = _managed_decision(request, pk)
    product = _candidates(request, decision).filter(pk=id_of(request.POST.get("product"))).first()
    stars = int_or_none(request.POST.get("stars"))
    try:
        if product is None or stars is None:
            raise ValidationError(_("Choose a product and its stars."))
        services.add_item(
            by=request.user, decision=decision, product=product, stars=stars,
            stars_reason=request.POST.get("stars_reason", ""),
        )  # fmt: skip
    except ValidationError as exc:
        report_errors(request, exc)
        if q := request.POST.get("q", "").strip():  # back to the search, to give the reason
            return redirect(f"{reverse('backoffice:decision_detail', args=[pk])}?{urlencode({'q': q})}")
    return redirect("backoffice:decision_detail", pk=pk)


@login_required
@require_POST
def decision_item_remove(request: Request, pk: int, item_pk: int) -> HttpResponse:
    decision = _managed_decision(request, pk)
    item = DecisionItem.objects.filter(decision=decision, pk=item_pk).first()
    try:
        if item is None:
            raise ValidationError(_("That product is not in the decision."))
        services.remove_item(by=request.user, item=item)
    except ValidationError as exc:
        report_errors(request, exc)
    return redirect("backoffice:decision_detail", pk=pk)


@login_required
@require_POST
def decision_item_packs(request: Request, pk: int, item_pk: int) -> HttpResponse:
    decision = _managed_decision(request, pk)
    item = DecisionItem.objects.filter(decision=decision, pk=item_pk).select_related("decision").first()
    if item is None:
        raise Http404
    chosen = {id_of(v) for v in request.POST.getlist("pack")}
    try:
        services.set_item_packs(by=request.user, item=item, packs=list(item.product.packs.filter(pk__in=chosen)))
    except ValidationError as exc:
        report_errors(request, exc)
    return redirect("backoffice:decision_detail", pk=pk)


@login_required
@require_POST
def decision_issue(request: Request, pk: int) -> HttpResponse:
    decision = _managed_decision(request, pk)
    errors: dict[str, list[str]] = {}
    signed_on = posted_date(request, "signed_on", _("Date"), errors)
    try:
        if errors:
            raise ValidationError(errors)
        certificates = services.issue_decision(
            by=request.user,
            decision=decision,
            number=request.POST.get("number", ""),
            signed_on=signed_on,
            signer=request.POST.get("signer", ""),
        )
    except ValidationError as exc:
        report_errors(request, exc)
        return redirect("backoffice:decision_detail", pk=pk)
    messages.success(request, _("Decision issued: %(n)s certificate(s).") % {"n": len(certificates)})
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
    if (stars := int_or_none(request.GET.get("stars"))) in (3, 4, 5):
        qs = qs.filter(stars=stars)
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
    cert = access.get_certificate_for_user(request.user, pk)
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
            "may": access.certificate_actions(request.user, cert),
            "log": cert.log.order_by("seq"),
            "history": history(cert),
            "current_name": queries.current_name(cert.certified_product, cert.product.name),  # type: ignore[attr-defined]
            "packs": queries.packs_of(cert),
            **rename_flags(request.user, cert.product),
        },
    )


@login_required
@require_POST
def certificate_action(request: Request, pk: int, action: str) -> HttpResponse:
    cert = access.get_certificate_for_user(request.user, pk)
    if not access.certificate_actions(request.user, cert).get(action):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    try:
        if action == "suspend":
            services.suspend(by=request.user, certificate=cert, reason=request.POST.get("reason", ""))
        elif action == "lift":
            services.lift(by=request.user, certificate=cert, note=request.POST.get("reason", ""))
        elif action == "revoke":
            revoked_on = posted_date(request, "revoked_on", _("Date of the revocation decision"), errors)
            if errors:
                raise ValidationError(errors)
            services.revoke(
                by=request.user,
                certificate=cert,
                decision_number=request.POST.get("decision_number", ""),
                revoked_on=revoked_on,
                reason=request.POST.get("reason", ""),
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        report_errors(request, exc)
    else:
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
    decision = _managed_decision(request, pk)
    if decision.state != DecisionState.ISSUED or decision.historical:
        raise Http404
    batch = jobs.start_pdf_batch(by=request.user, decision=decision)
    return redirect("backoffice:pdf_batch", pk=batch.pk)


@login_required
def pdf_batch(request: Request, pk: int) -> HttpResponse:
    batch = CertificateBatch.objects.select_related("decision").filter(pk=pk).first()
    if batch is None or not access.decisions_visible_to(request.user).filter(pk=batch.decision_id).exists():
        raise Http404
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
    batch = CertificateBatch.objects.select_related("decision").filter(pk=pk).first()
    if batch is None or not access.decisions_visible_to(request.user).filter(pk=batch.decision_id).exists():
        raise Http404
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
    report = access.reports_visible_to(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404
    province = report.certificate.province_id if report.certificate else None
    if not (access.can_manage(request.user, province) if province else access.can_manage_any(request.user)):
        raise PermissionDenied
    reports.mark_handled(by=request.user, report=report)
    messages.success(request, _("Report marked as handled."))
    return redirect("backoffice:report_list")
