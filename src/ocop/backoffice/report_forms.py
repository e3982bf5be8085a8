"""The periodic report's form: the period (dates typed or picked) and a commune the user may report on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocop.backoffice import fields
from ocop.backoffice.forms import PlainLabels
from ocop.places.models import Commune


class ReportForm(PlainLabels, fields.NamedErrors, forms.Form):
    starts_on = fields.DateField(label=_("From"))
    ends_on = fields.DateField(label=_("To"))
    commune = forms.ModelChoiceField(queryset=Commune.objects.none(), required=False, label=_("Commune"))
    legacy = forms.BooleanField(required=False)

    def __init__(self, *args: Any, communes: QuerySet[Commune], own: Commune | None, **kwargs: Any) -> None:
        """`own`: the commune a report is of when none is chosen (a commune officer's)."""
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        self.own = own

    def clean_commune(self) -> Commune | None:
        return self.cleaned_data.get("commune") or self.own
