"""Recognition decisions: drafted by the issuing body's office from published council results (or entered from
history), then issued, which numbers, signs and logs one certificate per product. Each service checks the gateway
itself (`access.can_manage`), runs in one transaction and is audited; values arrive clean and are never cut."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import Target
from ocop.accounts.services import notify, office_of
from ocop.certificates import access, log, rules, signing, status_notices
from ocop.certificates.enums import DecisionState, IssuingLevel, LogEvent, Status
from ocop.certificates.lifecycle import changed, log_data, set_status, sync_product
from ocop.certificates.models import Certificate, CertificateCounter, Decision, DecisionItem
from ocop.core import audit
from ocop.core.collation import vi
from ocop.core.models import AuditAction
from ocop.evaluation.enums import RoundLevel
from ocop.evaluation.models import Result, Round
from ocop.places.issuers import Issuer, Sign, issuer_for
from ocop.places.models import LegacyDistrict, Province
from ocop.places.queries import central_level
from ocop.registry.models import Product, ProductPack

CENTRAL_SERIES = "TW"
STARS_BY_LEVEL = {IssuingLevel.PROVINCE: (3, 4), IssuingLevel.DISTRICT: (3,), IssuingLevel.MINISTRY: (5,)}


def signing_issuer(province: Province, level: str) -> Issuer | None:
    """The issuing body whose settings sign a decision of this level: the ministry's (the central level's) for a
    ministry decision, the province's for its own; none for a former district's (entered from history)."""
    if level == IssuingLevel.MINISTRY:
        return issuer_for(province if province.central else central_level())
    if level == IssuingLevel.PROVINCE:
        return issuer_for(province)
    return None


def signature_on_issue(decision: Decision, signer: str) -> Sign:
    """The signature block a draft is issued with: the name typed, else the issuing body's signer, under the
    authority and title of the issuing body's settings today. A former district's decision: the name typed only."""
    issuer = signing_issuer(decision.province, decision.level)
    if issuer is None:
        return Sign("", "", signer)
    return Sign(issuer.signer_authority, issuer.signer_title, signer or issuer.signer_name)


def default_issuing_body(province: Province, level: str) -> str:
    issuer = signing_issuer(province, level)
    return issuer.name if issuer is not None else f"Ủy ban nhân dân {province.name}"


def _too_long(value: str, model: Any, field: str) -> bool:
    return len(value) > model._meta.get_field(field).max_length  # type: ignore[no-any-return]


# ---- decisions -----------------------------------------------------------------------------------


@transaction.atomic
def draft_decision(
    *,
    by: Any,
    province: Province,
    level: IssuingLevel = IssuingLevel.PROVINCE,
    issuing_body: str = "",
    round_: Round | None = None,
    historical: bool = False,
    legacy_district: LegacyDistrict | None = None,
    note: str = "",
) -> Decision:
    """A draft decision of the province's office (or one entered from history). Side effects: audit entry."""
    access.require(access.can_manage(by, province.pk))
    if level == IssuingLevel.DISTRICT and not historical:
        raise ValidationError({"level": [_("District decisions can only be entered from history (before July 2025).")]})
    if province.central and level != IssuingLevel.MINISTRY:
        raise ValidationError({"level": [_("The central level issues ministry decisions only.")]})
    if level == IssuingLevel.MINISTRY and not province.central and not historical:
        raise ValidationError({"level": [_(
            "Only the ministry recognises 5 stars. A province enters a past ministry decision from history."
        )]})  # fmt: skip
    issuing_body = issuing_body.strip()
    if _too_long(issuing_body, Decision, "issuing_body"):
        raise ValidationError({"issuing_body": [_("The issuing body is too long (at most 200 characters).")]})
    decision = Decision.objects.create(
        province=province,
        level=level,
        issuing_body=issuing_body or default_issuing_body(province, level),
        legal_basis=rules.legal_basis_for(timezone.localdate()),
        round=round_,
        historical=historical,
        legacy_district=legacy_district,
        note=note,
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=decision, changes={"level": [None, level]})
    return decision


def _locked_draft(decision: Decision) -> Decision:
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.state != DecisionState.DRAFT:
        raise ValidationError(_("Decision %(number)s is already issued.") % {"number": locked.number})
    return locked


def _result_for(decision: Decision, product: Product, result: Result | None) -> Result | None:
    """The council result a decision recognises: the one given, else the product's latest published result not yet
    in a decision, from a round of the decision's body (the province's own rounds; the central round for the
    ministry). A decision entered from history recognises what the source decision did: no result is needed."""
    if decision.historical and result is None:
        return None
    results = _results_of_body(decision, product)
    if result is None:
        used = DecisionItem.objects.filter(result__isnull=False).values("result_id")
        result = results.exclude(pk__in=used).select_related("dossier").order_by("-created_at", "-pk").first()
        if result is None:
            taken = DecisionItem.objects.filter(result__in=results).select_related("decision").last()
            if taken is not None:
                raise ValidationError({"result": [_(
                    "The council result of %(product)s is already in decision %(decision)s."
                ) % {"product": product.name, "decision": taken.decision.number or _("(draft)")}]})  # fmt: skip
            raise ValidationError({"result": [_(
                "%(product)s has no published council result to recognise. A decision certifies the stars a "
                "council gave; a decision of the past is entered from history with its number and date."
            ) % {"product": product.name}]})  # fmt: skip
        return result
    if result.dossier.product_id != product.pk:
        raise ValidationError({"result": [_("That council result is for another product.")]})
    if not result.published:
        raise ValidationError({"result": [_("That council result is not published yet.")]})
    if not decision.historical and not results.filter(pk=result.pk).exists():
        raise ValidationError({"result": [_("That council result is not from a round of this issuing body.")]})
    return result


def _results_of_body(decision: Decision, product: Product) -> Any:
    """Published results a decision of this body may recognise: the ministry's central results (5 stars); for a
    province, its own rounds' results and the central council's below 5 stars for its products (the province then
    recognises them)."""
    published = Result.objects.filter(dossier__product=product, published=True)
    if decision.level == IssuingLevel.MINISTRY:
        return published.filter(
            dossier__round__province_id=decision.province_id, dossier__round__level=RoundLevel.CENTRAL
        )
    return published.filter(
        Q(dossier__round__province_id=decision.province_id) & ~Q(dossier__round__level=RoundLevel.CENTRAL)
        | Q(dossier__round__level=RoundLevel.CENTRAL, stars__lt=5, dossier__product__province_id=decision.province_id)
    )


def _ministry_certificate(product: Product) -> Certificate | None:
    return (
        Certificate.objects.filter(product=product, series=CENTRAL_SERIES, status__in=(Status.VALID, Status.SUSPENDED))
        .filter(valid_until__gte=timezone.localdate())
        .first()
    )


def _centrally_decided(product: Product) -> bool:
    return Result.objects.filter(
        dossier__product=product, dossier__round__level=RoundLevel.CENTRAL, published=True
    ).exists()


def pending_result(decision: Decision, product: Product) -> Result | None:
    """The published result a draft decision would recognise for the product, if any (for the office's page)."""
    try:
        return _result_for(decision, product, None)
    except ValidationError:
        return None


def _check_stars(stars: int, result: Result | None, reason: str) -> None:
    if result is not None and stars != result.stars and not reason:
        raise ValidationError({"stars_reason": [_(
            "The council's result for this product is %(result)s stars. A decision at %(stars)s stars needs the "
            "reason recorded (for example the council's own re-vote)."
        ) % {"result": result.stars, "stars": stars}]})  # fmt: skip


@transaction.atomic
def add_item(
    *,
    by: Any,
    decision: Decision,
    product: Product,
    stars: int,
    result: Result | None = None,
    packs: Sequence[ProductPack] = (),
    stars_reason: str = "",
) -> DecisionItem:
    """Put a product in a draft decision at the stars of its published council result (looked up when not given);
    other stars need a reason, which is kept on the item, audited and shown on the certificate. A council result is
    recognised at most once. Side effects: audit entry."""
    access.require(access.can_manage(by, decision.province_id))
    decision = _locked_draft(decision)
    if stars not in STARS_BY_LEVEL[IssuingLevel(decision.level)]:
        raise ValidationError(
            {"stars": [_("A %(level)s decision recognises %(stars)s stars only.") % {
                "level": IssuingLevel(decision.level).label,
                "stars": ", ".join(str(s) for s in STARS_BY_LEVEL[IssuingLevel(decision.level)])}]}
        )  # fmt: skip
    if not access.decision_products(by, decision).filter(pk=product.pk).exists():
        raise ValidationError({"product": [_("%(product)s cannot be listed in this decision: it is not a product "
                                             "of its issuing body.") % {"product": product.name}]})  # fmt: skip
    result = _result_for(decision, product, result)
    reason = stars_reason.strip()
    if len(reason) > 2000:
        raise ValidationError({"stars_reason": [_("The reason is too long (at most 2,000 characters).")]})
    if reason and len(reason) < 10 and result is not None and stars != result.stars:
        raise ValidationError({"stars_reason": [_("Write the reason in full (at least 10 characters).")]})
    _check_stars(stars, result, reason)
    held = None if decision.historical or decision.province.central else _ministry_certificate(product)
    if held is not None:
        message = _(
            "%(product)s holds the ministry's 5-star certificate %(number)s until %(date)s: only the ministry "
            "decides on it."
        )
        values = {"product": product.name, "number": held.number, "date": held.valid_until.strftime("%d/%m/%Y")}
        raise ValidationError({"product": [message % values]})
    if result is not None:
        taken = DecisionItem.objects.filter(result=result).select_related("decision").first()
        if taken is not None:
            raise ValidationError(
                {"result": [_("This council result is already in decision %(decision)s.") % {
                    "decision": taken.decision.number or _("(draft)")}]}
            )  # fmt: skip
    if decision.items.filter(product=product).exists():
        raise ValidationError({"product": [_("This product is already in the decision.")]})
    if any(p.product_id != product.pk for p in packs):
        raise ValidationError({"packs": [_("A pack of another product was chosen.")]})
    item = DecisionItem.objects.create(
        decision=decision, product=product, stars=stars, result=result, position=decision.items.count(),
        stars_reason=reason if result is not None and stars != result.stars else "",
        # A province's 4 stars for a product it referred, while the central round has not decided: "4 sao, tiềm
        # năng 5 sao".
        potential_five=bool(result and result.referral and stars == 4 and not _centrally_decided(product)),
    )  # fmt: skip
    item.packs.set(packs or list(product.packs.all()))
    changes: dict[str, list[Any]] = {"items": [None, product.name]}
    if item.stars_reason:
        changes["stars"] = [result.stars if result else None, stars]
        changes["stars_reason"] = [None, item.stars_reason]
    audit.record(actor=by, action=AuditAction.CHANGE, obj=decision, changes=changes)
    return item


@transaction.atomic
def set_item_packs(*, by: Any, item: DecisionItem, packs: Sequence[ProductPack]) -> DecisionItem:
    """Choose which packs of the product may carry the OCOP mark (all of them by default)."""
    access.require(access.can_manage(by, item.decision.province_id))
    _locked_draft(item.decision)
    if any(p.product_id != item.product_id for p in packs):
        raise ValidationError({"packs": [_("A pack of another product was chosen.")]})
    before = sorted(p.name for p in item.packs.all())
    item.packs.set(packs)
    audit.record(actor=by, action=AuditAction.CHANGE, obj=item.decision,
                 changes={"packs": [", ".join(before), ", ".join(sorted(p.name for p in packs))]})  # fmt: skip
    return item


@transaction.atomic
def remove_item(*, by: Any, item: DecisionItem) -> None:
    """Take a product out of a draft decision."""
    access.require(access.can_manage(by, item.decision.province_id))
    decision = _locked_draft(item.decision)
    name = item.product.name
    item.delete()
    audit.record(actor=by, action=AuditAction.CHANGE, obj=decision, changes={"items": [name, None]})


@transaction.atomic
def draft_from_round(*, by: Any, round_: Round) -> Decision:
    """The decision for a round: every published result not yet in a decision at the stars its body recognises
    (3 and 4 for a province's round, 5 for the central round, issued by the ministry)."""
    level = IssuingLevel.MINISTRY if round_.level == RoundLevel.CENTRAL else IssuingLevel.PROVINCE
    decision = draft_decision(by=by, province=round_.province, level=level, round_=round_)
    results = (
        Result.objects.filter(dossier__round=round_, published=True, stars__in=STARS_BY_LEVEL[level])
        .exclude(pk__in=DecisionItem.objects.filter(result__isnull=False).values("result_id"))
        .select_related("dossier__product")
        .order_by("-stars", "-mean", vi("dossier__product__name"), "pk")
    )
    if not results:
        raise ValidationError(_("No published result of this round waits for a decision."))
    for result in results:
        add_item(by=by, decision=decision, product=result.dossier.product, stars=result.stars, result=result)
    return decision


def _deciding_since(decision: Decision) -> dt.date | None:
    """The day the decision's issuing body opened its first round here: from then on its decisions come from
    results, and only what it decided before may be entered from history."""
    rounds = Round.objects.filter(level=RoundLevel.CENTRAL) if decision.level == IssuingLevel.MINISTRY else (
        Round.objects.filter(province_id=decision.province_id).exclude(level=RoundLevel.CENTRAL))  # fmt: skip
    first = rounds.order_by("created_at").values_list("created_at", flat=True).first()
    return timezone.localdate(first) if first is not None else None


def _bound(item: DecisionItem) -> bool:
    """The item still recognises a published result at its stars, or says why not."""
    result = item.result
    return result is not None and result.published and (item.stars == result.stars or bool(item.stars_reason))


def bump(province_id: int, year: int, count: int, series: str = "") -> int:
    """Reserve `count` sequence numbers of a series; returns the first. The UPDATE makes concurrent issuers wait."""
    counter = CertificateCounter.objects.filter(province_id=province_id, series=series, year=year)
    CertificateCounter.objects.get_or_create(province_id=province_id, series=series, year=year)
    counter.update(last=F("last") + count)
    return counter.get().last - count + 1


def check_issue(
    *, by: Any, decision: Decision, number: str, signed_on: dt.date | None, signer: str = ""
) -> list[DecisionItem]:
    """What issuing the draft would create, written nowhere: its items, one certificate each, in their order. Raises
    the ValidationError `issue_decision` would, naming the field, so the confirmation page is shown only for a
    decision that can be issued."""
    access.require(access.can_manage(by, decision.province_id))
    decision = Decision.objects.select_related("province").get(pk=decision.pk)
    if decision.state != DecisionState.DRAFT:
        raise ValidationError(_("Decision %(number)s is already issued.") % {"number": decision.number})
    errors, items = _refusals(decision, number.strip(), signed_on, signer.strip())
    if errors:
        raise ValidationError(errors)
    return items


def _refusals(
    decision: Decision, number: str, signed_on: dt.date | None, signer: str
) -> tuple[dict[str, list[str]], list[DecisionItem]]:
    """Why the draft cannot be issued with this number, date and signer (by field), and its items."""
    errors: dict[str, list[str]] = {}
    if not number:
        errors["number"] = [_("Enter the decision number.")]
    elif _too_long(number, Decision, "number"):
        errors["number"] = [_("The decision number is too long (at most 60 characters).")]
    if _too_long(signer, Decision, "signer"):
        errors["signer"] = [_("The signer's name is too long (at most 200 characters).")]
    if signed_on is None:
        errors["signed_on"] = [_("Enter the date the decision was signed.")]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = [_("The decision date cannot be in the future.")]
    elif decision.level == IssuingLevel.DISTRICT and signed_on > rules.DISTRICTS_UNTIL:
        errors["signed_on"] = [_("Districts no longer recognise products after 30 June 2025.")]
    elif decision.historical and (since := _deciding_since(decision)) is not None and signed_on >= since:
        errors["signed_on"] = [_(
            "A decision entered from history must be dated before %(date)s, when its issuing body began holding its "
            "rounds in OCOP Hub; a later decision is drafted from the council's published results."
        ) % {"date": since.strftime("%d/%m/%Y")}]  # fmt: skip
    elif Decision.objects.filter(
        province=decision.province, level=decision.level, legacy_district=decision.legacy_district,
        year=signed_on.year, number=number,
    ).exists():  # fmt: skip
        errors["number"] = [_("Decision %(number)s already exists.") % {"number": number}]
    if not decision.historical and (no_key := signing.key_refusal(decision.province)) is not None:
        errors[NON_FIELD_ERRORS] = [no_key]  # keys are made by `ocop signing_keys create`, not by this request
    items = list(decision.items.select_related("product__producer__commune", "product__commune", "result"))
    if not items:
        errors["items"] = [_("The decision lists no product.")]
    unbound = [i.product.name for i in items if not decision.historical and not _bound(i)]
    held = [i.product.name for i in items if not decision.historical and not decision.province.central
            and _ministry_certificate(i.product) is not None]  # fmt: skip
    if held:
        errors["items"] = [_("These products hold the ministry's 5-star certificate: %(products)s.") % {
            "products": ", ".join(held)}]  # fmt: skip
    if unbound:
        errors["items"] = [_("These products' stars are not those of a published council result, and no reason is "
                             "recorded: %(products)s.") % {"products": ", ".join(unbound)}]  # fmt: skip
    return errors, items


@transaction.atomic
def issue_decision(
    *, by: Any, decision: Decision, number: str, signed_on: dt.date | None, signer: str = ""
) -> list[Certificate]:
    """Issue a draft decision: one certificate per product, numbered, signed and logged. Older valid or suspended
    certificates of those products are superseded. Side effects: audit entries, log entries, a status_changed
    signal after commit."""
    access.require(access.can_manage(by, decision.province_id))
    decision = _locked_draft(decision)
    number, signer = number.strip(), signer.strip()
    errors, items = _refusals(decision, number, signed_on, signer)
    if errors:
        raise ValidationError(errors)
    assert signed_on is not None
    block = signature_on_issue(decision, signer)  # kept on the decision: it prints as signed whatever comes later
    decision.signer_authority, decision.signer_title = block.authority, block.title
    decision.number, decision.signed_on, decision.signer = number, signed_on, block.name
    decision.year = signed_on.year
    decision.legal_basis = rules.legal_basis_for(signed_on)
    decision.state = DecisionState.ISSUED
    decision.save()
    first = bump(decision.province_id, signed_on.year, len(items))
    until = rules.valid_until(signed_on)
    # A missing key raises MissingSigningKey (a ValidationError) here, and the whole issue rolls back.
    sign = None if decision.historical else signing.signer(decision.province)
    sign_jws = signing.jws_signer()
    # The ministry's certificates are numbered in its own series (TW-<year>-<seq>) and belong to the product's
    # province, whose figures count them.
    central = decision.province.central
    certificates, superseded = [], []
    for offset, item in enumerate(items):
        product = item.product
        cert = Certificate(
            item=item,
            decision=decision,
            product=product,
            producer=product.producer,
            province_id=product.province_id if central else decision.province_id,
            series=CENTRAL_SERIES if central else "",
            commune_id=product.commune_id or product.producer.commune_id,
            year=signed_on.year,
            sequence=first + offset,
            number=f"{decision.province.code}-{signed_on.year}-{first + offset:05d}",
            stars=item.stars,
            potential_five=item.potential_five,
            issued_on=signed_on,
            valid_until=until,
            code=rules.new_code(),
            status_since=signed_on,
        )
        if sign is not None:  # a decision entered from history (no signer) was never signed here
            claim = rules.Claim(cert.number, cert.code, product.name, cert.stars, signed_on, until)
            cert.claim = claim.text()
            cert.key_id, cert.signature = sign(claim)
        packs = list(item.packs.all())
        # The packs as they stood at issue: the registry's rows may change or go later.
        cert.issued_packs = [{"name": p.name, "size": p.size, "gtin": p.gtin} for p in packs]
        if cert.signature:  # the same claim as a compact JWS, with the same key (docs/api.md)
            cert.jws = sign_jws(cert, producer=product.producer.name, packs=cert.issued_packs)
        cert.save()
        cert.packs.set(packs)
        log.append(event=LogEvent.ISSUED, certificate=cert, data=log_data(cert, decision=number))
        current = Certificate.objects.select_for_update().filter(
            product=product, status__in=(Status.VALID, Status.SUSPENDED)
        ).exclude(pk=cert.pk)  # fmt: skip
        newer = current.filter(issued_on__gt=signed_on).order_by("-issued_on", "-pk").first()
        if newer is not None:  # a past decision entered late: the certificate issued since replaced it already
            set_status(cert, Status.SUPERSEDED, by=by, event=LogEvent.SUPERSEDED, superseded_by=newer,
                        status_since=newer.issued_on,
                        reason=_("Replaced by certificate %(number)s.") % {"number": newer.number})  # fmt: skip
        for old in current.filter(issued_on__lte=signed_on) if newer is None else []:
            superseded.append(old.pk)
            set_status(old, Status.SUPERSEDED, by=by, event=LogEvent.SUPERSEDED, superseded_by=cert,
                        reason=_("Replaced by certificate %(number)s.") % {"number": cert.number})  # fmt: skip
        sync_product(cert)
        certificates.append(cert)
    audit.record_many(actor=by, action=AuditAction.CREATE, objs=certificates, fields=["number", "stars"])
    audit.record(
        actor=by, action=AuditAction.CHANGE, obj=decision,
        changes={"state": [DecisionState.DRAFT, DecisionState.ISSUED], "number": [None, number]},
    )  # fmt: skip
    changed([c.pk for c in certificates] + superseded, LogEvent.ISSUED)
    status_notices.decision_issued(certificates=certificates)
    if central:
        _tell_provinces_of(certificates)
    return certificates


def _tell_provinces_of(certificates: list[Certificate]) -> None:
    """The ministry's 5 stars, told to the office of each product's province."""
    for cert in certificates:
        notify(
            office_of(cert.province_id), key=f"ministry-issued:{cert.pk}",
            title=_("The ministry recognised %(product)s at 5 stars") % {"product": cert.product.name},
            body=_("Certificate %(number)s, valid until %(date)s.") % {
                "number": cert.number, "date": cert.valid_until.strftime("%d/%m/%Y")},
            target=Target.CERTIFICATE, target_id=cert.pk,
        )  # fmt: skip
