"""Saving the rows of a recognition list: new producers and products, the decisions, their items and certificates,
the transparency log, then each product's certificates put in order (one transaction, the importer's)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates import log, rules
from ocop.certificates.enums import DecisionState, IssuingLevel, LogEvent, Status
from ocop.certificates.models import Certificate, Decision, DecisionItem
from ocop.certificates.services import bump, log_data, sync_product
from ocop.certificates.signals import status_changed
from ocop.core import audit
from ocop.core.bulk import update_rows
from ocop.core.models import AuditAction
from ocop.places.models import Province
from ocop.registry.importing import Plan
from ocop.registry.models import Producer, Product
from ocop.registry.services import PRODUCER_FIELDS, PRODUCT_FIELDS

SERIES = "LS"  # certificates entered from history: numbered apart from those issued here


def _new(objs: list[Any]) -> list[Any]:
    """The unsaved objects among `objs`, once each (several rows share a new producer or product)."""
    seen: dict[int, Any] = {}
    for obj in objs:
        if obj.pk is None:
            seen.setdefault(id(obj), obj)
    return list(seen.values())


def save_history(user: Any, plans: list[Plan]) -> list[Certificate]:
    producers = _new([p.extra["producer"] for p in plans])
    Producer.objects.bulk_create(producers, batch_size=500)
    audit.record_many(actor=user, action=AuditAction.IMPORT, objs=producers, fields=PRODUCER_FIELDS)
    products = _new([p.obj for p in plans])
    for product in products:
        product.producer = product.producer  # takes the saved producer's id and keeps it cached (setting the id
        # alone would drop the cache, and each certificate would fetch its producer again)
    Product.objects.bulk_create(products, batch_size=500)
    audit.record_many(actor=user, action=AuditAction.IMPORT, objs=products, fields=PRODUCT_FIELDS)
    decisions = _decisions(user, plans)
    items = []
    for position, plan in enumerate(plans):
        f = plan.extra["fields"]
        items.append(
            DecisionItem(
                decision=decisions[id(plan.extra["decision"])], product=plan.obj, stars=f["stars"],
                potential_five=f["potential"], position=position,
            )
        )  # fmt: skip
    DecisionItem.objects.bulk_create(items, batch_size=500)
    certificates = _certificates(items)
    audit.record_many(actor=user, action=AuditAction.IMPORT, objs=certificates, fields=["number", "stars"])
    log.append_many(
        [
            (LogEvent.IMPORTED, c, log_data(c, decision=c.decision.number, source=_("recognition list")))
            for c in certificates
        ]
    )
    for plan, cert in zip(plans, certificates, strict=True):
        plan.record = cert.pk
    superseded = supersede_in_order(product_ids={c.product_id for c in certificates}, by=user)
    # The new certificates have no stored page copy yet (the nightly build makes them, a scan renders them): only
    # the certificates they superseded changed for readers, and the figures, which the signal recounts.
    transaction.on_commit(
        lambda: status_changed.send(sender=Certificate, certificate_ids=superseded, event=LogEvent.IMPORTED)
    )
    return certificates


def supersede_in_order(*, product_ids: set[int], by: Any) -> list[int]:
    """Put each product's certificates in the order of their dates: every valid or suspended one entered from a list
    that a later one follows while it is still running is superseded by it (on the later one's date); one that had
    expired by then stays expired, as it was; one issued here is left alone. A list may come in any order. Written
    in bulk (a list supersedes hundreds at once).
    Returns the ids superseded. Side effects: log and audit entries; the products' copy of their latest certificate."""
    certs = Certificate.objects.select_for_update().filter(product_id__in=list(product_ids))
    by_product: dict[int, list[Certificate]] = {}
    for cert in certs.select_related("product", "producer").order_by("issued_on", "id"):
        by_product.setdefault(cert.product_id, []).append(cert)
    changed: list[Certificate] = []
    for chain in by_product.values():
        for earlier, later in itertools.pairwise(chain):
            if earlier.series != SERIES:
                continue  # a certificate issued here is replaced only here, never by a list's
            if earlier.status in (Status.VALID, Status.SUSPENDED) and earlier.valid_until >= later.issued_on:
                earlier.status, earlier.superseded_by, earlier.status_since = Status.SUPERSEDED, later, later.issued_on
                earlier.status_reason = _("Replaced by certificate %(number)s.") % {"number": later.number}
                earlier.updated_at = timezone.now()
                changed.append(earlier)
    update_rows(Certificate, ["status", "superseded_by", "status_since", "status_reason", "updated_at"], changed)
    log.append_many(
        [
            (LogEvent.SUPERSEDED, c, log_data(c, status=Status.SUPERSEDED, reason=c.status_reason,
                                             status_since=c.status_since.isoformat(),  # type: ignore[union-attr]
                                             superseded_by=c.superseded_by.number))  # type: ignore[union-attr]
            for c in changed
        ]
    )  # fmt: skip
    changes = [(c, {"status": [Status.VALID, Status.SUPERSEDED], "reason": [None, c.status_reason]}) for c in changed]
    audit.record_each(actor=by, action=AuditAction.CHANGE, entries=changes)
    for chain in by_product.values():
        sync_product(chain[-1])
    return [c.pk for c in changed]


def _decisions(user: Any, plans: list[Plan]) -> dict[int, Decision]:
    """Each row's decision: a recorded one, or one new decision per level and number."""
    found: dict[int, Decision] = {}
    new: list[Decision] = []
    provinces = {p.pk: p for p in Province.objects.filter(pk__in={p.province_id for p in plans})}
    for plan in plans:
        decision = plan.extra["decision"]
        if isinstance(decision, Decision) or id(decision) in found:
            found.setdefault(id(decision), decision)
            continue
        f = plan.extra["fields"]
        province = provinces[plan.province_id or 0]
        district_id: int | None = f["place"].legacy_district_id if f["level"] == IssuingLevel.DISTRICT else None
        made = Decision(
            province=province,
            level=f["level"],
            issuing_body=_issuing_body(f["level"], decision["date"], province.name, decision["district_label"]),
            number=f["number"],
            signed_on=decision["date"],
            year=decision["date"].year,
            legal_basis=rules.legal_basis_for(decision["date"]),
            state=DecisionState.ISSUED,
            historical=True,
            date_approximate=decision["approximate"],
            legacy_district_id=district_id,
            note=_("Entered from a recognition list."),
        )
        found[id(decision)] = made
        new.append(made)
    Decision.objects.bulk_create(new, batch_size=500)
    audit.record_many(actor=user, action=AuditAction.IMPORT, objs=new, fields=["level", "number", "signed_on"])
    return found


def _issuing_body(level: str, signed_on: Any, province_name: str, district_name: str) -> str:
    from ocop.certificates.history import issuing_body

    return issuing_body(level, signed_on, province_name, district_name)


def _valid_until(decision: Decision) -> Any:
    """36 months from the decision; when only its year is known, from the year's first day: the certificate is dated
    at the year's end (never counted before it happened) but never shown valid past the earliest day it may end."""
    assert decision.signed_on is not None
    if decision.date_approximate:
        return rules.valid_until(decision.signed_on.replace(month=1, day=1))
    return rules.valid_until(decision.signed_on)


def _certificates(items: list[DecisionItem]) -> list[Certificate]:
    by_year: dict[tuple[int, int], list[DecisionItem]] = defaultdict(list)
    for item in items:
        by_year[(item.decision.province_id, item.decision.signed_on.year)].append(item)  # type: ignore[union-attr]
    codes = dict(Province.objects.filter(pk__in={p for p, _y in by_year}).values_list("pk", "code"))
    certificates = []
    for (province_id, year), group in sorted(by_year.items()):
        first = bump(province_id, year, len(group), series=SERIES)
        for offset, item in enumerate(group):
            product, decision = item.product, item.decision
            issued = decision.signed_on
            assert issued is not None
            certificates.append(
                Certificate(
                    item=item, decision=decision, product=product, producer=product.producer,
                    province_id=province_id, commune_id=product.commune_id or product.producer.commune_id,
                    series=SERIES, year=year, sequence=first + offset,
                    number=f"{SERIES}-{codes[province_id]}-{year}-{first + offset:05d}",
                    stars=item.stars, potential_five=item.potential_five, issued_on=issued,
                    valid_until=_valid_until(decision), code=rules.new_code(), status=Status.VALID,
                    status_since=issued,
                )
            )  # fmt: skip
    Certificate.objects.bulk_create(certificates, batch_size=500)
    return certificates
