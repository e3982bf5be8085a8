"""The form of a webhook subscription: its name, endpoint, events and whether it is on. The address is checked for
its form here; the service checks where it leads (ocop.webhooks.targets)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ocop.backoffice.fields import NamedErrors
from ocop.backoffice.forms import PlainLabels
from ocop.webhooks import targets
from ocop.webhooks.enums import EventType
from ocop.webhooks.models import URL_MAX
from ocop.webhooks.services import NAME_MAX


class SubscriptionForm(PlainLabels, NamedErrors, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=NAME_MAX, help_text=_("Which system receives it, e.g. “Sàn thương mại điện tử X”.")
    )
    url = forms.CharField(
        label=_("Endpoint URL"), max_length=URL_MAX, help_text=_("An https:// address on the Internet.")
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"]).strip()
        try:
            targets.parse(url)
        except targets.Refused as exc:
            raise ValidationError(str(exc)) from None
        return url

    def initial_from(self, subscription: Any) -> None:
        for name in ("name", "url", "events", "active"):
            self.initial[name] = getattr(subscription, name)
