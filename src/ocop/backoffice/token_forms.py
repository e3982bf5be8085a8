"""The form of a personal API token: its name, scope and how many days it is valid (empty: no expiry)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import TokenScope
from ocop.accounts.services import TOKEN_DAYS_MAX
from ocop.backoffice.fields import NamedErrors
from ocop.backoffice.forms import PlainLabels


class ApiTokenForm(PlainLabels, NamedErrors, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Which system uses it, e.g. “Sàn thương mại điện tử X”.")
    )
    scope = forms.TypedChoiceField(
        label=_("Scope"),
        choices=TokenScope.choices,
        coerce=TokenScope,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read only: the system may only read. Read and write: it may also change data, as you may."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        required=False,
        min_value=1,
        max_value=TOKEN_DAYS_MAX,
        initial=90,
        help_text=_("Leave it empty for a token that does not expire."),
    )
