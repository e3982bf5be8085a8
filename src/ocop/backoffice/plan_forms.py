"""Forms of the plan pages: each parses and checks what is typed, naming the field; the planning services decide.
A target's commune is one of the plan's province's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocop.backoffice import fields
from ocop.backoffice.forms import PlainLabels
from ocop.places.models import Commune
from ocop.planning.indicators import INDICATORS
from ocop.planning.services import TARGET_MAX


class PlanForm(PlainLabels, fields.NamedErrors, forms.Form):
    year = fields.WholeNumberField(label=_("Year"), max_value=9999)
    title = forms.CharField(label=_("Title"), max_length=300)
    number = forms.CharField(label=_("Number"), max_length=60)
    signed_on = fields.DateField(label=_("Date"))
    issuing_body = forms.CharField(label=_("Issued by"), max_length=200, required=False)


class TargetForm(PlainLabels, fields.NamedErrors, forms.Form):
    indicator = forms.ChoiceField(
        label=_("Indicator"),
        choices=[(code, indicator.label) for code, indicator in INDICATORS.items()],
        error_messages={"invalid_choice": _("There is no indicator “%(value)s”.")},
    )
    commune = forms.ModelChoiceField(
        queryset=Commune.objects.none(), required=False, label=_("Commune (empty: the whole province)")
    )
    value = fields.WholeNumberField(label=_("Target"), max_value=TARGET_MAX)

    def __init__(self, *args: Any, communes: QuerySet[Commune], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
