"""The form of the issuing body's settings: who a province's documents come from and who signs them (Decree
30/2020/NĐ-CP). Each field is named in its messages; places.issuers.save_issuing_body records the values."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ocop.backoffice import fields
from ocop.backoffice.forms import PlainLabels
from ocop.places.models import IssuingBody

_SYMBOL = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")  # UBND, BNNMT, VPĐP: letters and digits, a hyphen between parts


def _length(name: str) -> int:
    length: int = getattr(IssuingBody._meta.get_field(name), "max_length")  # noqa: B009  # a CharField's
    return length


class IssuingBodyForm(PlainLabels, fields.NamedErrors, forms.Form):
    parent = forms.CharField(
        label=_("Parent body (if any)"), max_length=_length("parent"), required=False,
        help_text=_("Printed above the issuing body in regular capitals; usually empty for a People's Committee."),
    )  # fmt: skip
    name = forms.CharField(label=_("Issuing body"), max_length=_length("name"))
    symbol = forms.CharField(
        label=_("Symbol of the issuing body"), max_length=_length("symbol"),
        help_text=_("As in the number of its decisions: UBND in 1187/QĐ-UBND."),
    )  # fmt: skip
    place = forms.CharField(
        label=_("Place name on documents"), max_length=_length("place"),
        help_text=_("As in “Hà Nội, ngày 04 tháng 12 năm 2026”."),
    )  # fmt: skip
    signer_authority = forms.CharField(
        label=_("Signing authority"), max_length=_length("signer_authority"), required=False,
        help_text=_("For example KT. CHỦ TỊCH; empty when the head signs in their own name."),
    )  # fmt: skip
    signer_title = forms.CharField(label=_("Signer's title"), max_length=_length("signer_title"))
    signer_name = forms.CharField(label=_("Signer's name"), max_length=_length("signer_name"))
    office_name = forms.CharField(label=_("Standing OCOP office"), max_length=_length("office_name"))
    office_symbol = forms.CharField(
        label=_("Symbol of the standing office"), max_length=_length("office_symbol"), required=False
    )
    office_signer_authority = forms.CharField(
        label=_("Office signing authority"), max_length=_length("office_signer_authority"), required=False
    )
    office_signer_title = forms.CharField(label=_("Office signer's title"), max_length=_length("office_signer_title"))
    office_signer_name = forms.CharField(label=_("Office signer's name"), max_length=_length("office_signer_name"))

    def _symbol(self, name: str) -> str:
        value: str = self.cleaned_data[name].strip()
        if value and not _SYMBOL.match(value):
            raise ValidationError(_("Write the symbol in letters, like UBND or VPĐP (no spaces or slashes)."))
        return value

    def clean_symbol(self) -> str:
        return self._symbol("symbol")

    def clean_office_symbol(self) -> str:
        return self._symbol("office_symbol")
