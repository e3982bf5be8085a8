"""Yearly plans and targets: the province's OCOP office sets them. One transaction and one audit entry each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ocop.core import audit
from ocop.core.cells import whole_digits
from ocop.core.models import AuditAction
from ocop.places.models import Commune, Province
from ocop.planning import access
from ocop.planning.indicators import INDICATORS
from ocop.planning.models import Plan, Target

PLAN_FIELDS = ("year", "title", "number", "signed_on", "issuing_body")
TARGET_MAX = 2_147_483_647  # Target.value is a PositiveIntegerField: 32 bits on PostgreSQL


@transaction.atomic
def create_plan(
    *,
    by: Any,
    province: Province,
    year: int | None,
    title: str,
    number: str,
    signed_on: dt.date | None,
    issuing_body: str = "",
    note: str = "",
) -> Plan:
    """The province's plan for a year (one a year). Side effects: audit entry."""
    access.require(access.can_manage(by, province.pk))
    errors: dict[str, list[str]] = {}
    if year is None or not 2018 <= year <= 2100:
        errors["year"] = [_("Give the plan's year (from 2018, when the programme began).")]
    if not title.strip():
        errors["title"] = [_("Give the plan's title.")]
    if not number.strip():
        errors["number"] = [_("Give the plan's number.")]
    if signed_on is None:
        errors["signed_on"] = [_("Give the plan's date.")]
    if year is not None and not errors and Plan.objects.filter(province=province, year=year).exists():
        errors["year"] = [
            _("%(province)s already has a plan for %(year)s.") % {"province": province.name, "year": year}
        ]
    if errors:
        raise ValidationError(errors)
    assert year is not None and signed_on is not None
    plan = Plan.objects.create(
        province=province,
        year=year,
        title=title.strip(),
        number=number.strip(),
        signed_on=signed_on,
        issuing_body=issuing_body.strip() or f"Ủy ban nhân dân {province.name}",
        note=note.strip(),
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=plan, changes=audit.snapshot(plan, PLAN_FIELDS))
    return plan


@transaction.atomic
def set_target(*, by: Any, plan: Plan, indicator: str, value: Any, commune: Commune | None = None) -> Target:
    """Set (or change) a target of the plan, for the province or one of its communes. Side effects: audit entry."""
    access.require(access.can_manage(by, plan.province_id))
    errors: dict[str, list[str]] = {}
    if indicator not in INDICATORS:
        errors["indicator"] = [_("There is no indicator “%(code)s”.") % {"code": str(indicator)[:40]}]
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 4.0 is 4, not "4.0" with its dot taken for a thousands separator
    text = str(value if value is not None else "").strip().replace(".", "").replace(",", "")
    number = whole_digits(text)
    if number is None:
        errors["value"] = [_("The target must be a whole number, 0 or more.")]
    elif number > TARGET_MAX:
        errors["value"] = [
            _("The target must be at most %(max)s.") % {"max": number_format(TARGET_MAX, force_grouping=True)}
        ]
    if commune is not None and commune.province_id != plan.province_id:
        errors["commune"] = [
            _("%(commune)s is not a commune of %(province)s.")
            % {"commune": commune.name, "province": plan.province.name}
        ]
    if errors:
        raise ValidationError(errors)
    assert number is not None
    target = Target.objects.filter(plan=plan, indicator=indicator, commune=commune).first()
    before = target.value if target else None
    try:
        with transaction.atomic():
            target, _created = Target.objects.update_or_create(
                plan=plan, indicator=indicator, commune=commune, defaults={"value": number}
            )
    except IntegrityError:
        raise ValidationError({"indicator": [_("This target is being changed by someone else; try again.")]}) from None
    unit = commune.name if commune else plan.province.name
    audit.record(
        actor=by, action=AuditAction.CHANGE, obj=plan, changes={f"{indicator} · {unit}": [before, target.value]}
    )
    return target
