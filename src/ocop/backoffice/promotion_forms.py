"""Forms of the trade-promotion and training pages: each parses and checks what is typed, naming the field; the
promotion services decide. Communes, producers and products to choose from come from the promotion gateway."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocop.backoffice import fields
from ocop.backoffice.forms import PlainLabels
from ocop.places.models import Commune
from ocop.promotion import access
from ocop.promotion.models import Attendee, Event, Training
from ocop.registry.models import Producer, Product

INT_MAX = 2_147_483_647  # a PositiveIntegerField on PostgreSQL
BIG_MAX = 999_999_999_999_999_999  # 18 digits: within a BigIntegerField, and sums of many rows still fit


class _HeldInProvince(PlainLabels, fields.NamedErrors, forms.ModelForm):  # type: ignore[type-arg]
    """Dates typed or picked; the commune one of the organising province's."""

    starts_on = fields.DateField(label=_("First day"))
    ends_on = fields.DateField(label=_("Last day"))
    commune = forms.ModelChoiceField(queryset=Commune.objects.none(), required=False, label=_("Commune"))

    def __init__(self, *args: Any, communes: QuerySet[Commune], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass  # the service checks the whole (days in order, place or platform)


class EventForm(_HeldInProvince):
    class Meta:
        model = Event
        fields = ["kind", "name", "organiser", "starts_on", "ends_on", "commune", "place", "platform", "note"]


class TrainingForm(_HeldInProvince):
    class Meta:
        model = Training
        fields = ["topic", "organiser", "starts_on", "ends_on", "place", "commune"]


class BoothForm(PlainLabels, fields.NamedErrors, forms.Form):
    producer = forms.ModelChoiceField(queryset=Producer.objects.none(), label=_("producer"))
    label = forms.CharField(label=_("Booth"), max_length=40, required=False)
    ocop = forms.BooleanField(label=_("OCOP booth"), required=False)
    products = forms.ModelMultipleChoiceField(queryset=Product.objects.none(), required=False, label=_("products"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = access.producers_for_booths(user)  # type: ignore[attr-defined]
        self.fields["products"].queryset = access.products_for_booths(user)  # type: ignore[attr-defined]


class OutcomeForm(PlainLabels, fields.NamedErrors, forms.Form):
    revenue = fields.WholeNumberField(label=_("Revenue"), max_value=BIG_MAX, required=False)
    contracts = fields.WholeNumberField(label=_("Contracts signed"), max_value=INT_MAX, required=False)
    contract_value = fields.WholeNumberField(label=_("Value of contracts"), max_value=BIG_MAX, required=False)
    visitors = fields.WholeNumberField(label=_("Visitors"), max_value=INT_MAX, required=False)


NAME_MAX = Attendee._meta.get_field("name").max_length or 200


class AttendeesForm(PlainLabels, fields.NamedErrors, forms.Form):
    names = forms.CharField(label=_("Attendees (one name a line)"), widget=forms.Textarea)
    organisation = forms.CharField(label=_("Organisation or post"), max_length=255, required=False)

    def clean_names(self) -> str:
        names: str = self.cleaned_data["names"]
        for number, line in enumerate(names.splitlines(), start=1):
            if len(" ".join(line.split())) > NAME_MAX:
                raise ValidationError(
                    _("Line %(line)s is longer than %(max)s characters."), params={"line": number, "max": NAME_MAX}
                )
        return names
