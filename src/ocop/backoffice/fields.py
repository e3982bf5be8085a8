"""Form fields and a form mixin of the back office whose refusals name the field ("Ngày bắt đầu: …"), so a message
read at the top of a page, or out of context, still says what was wrong."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ocop.core.cells import whole_digits


def _label(field: forms.Field, name: str = "") -> str:
    return str(capfirst(str(field.label or name)))


def named(label: str, message: str) -> str:
    """The message with the field's label in front, unless it already starts with it."""
    return message if not label or message.startswith(label) else f"{label}: {message}"


class NamedErrors:
    """Every field error of the form starts with the field's label (Django's own messages do not name it). Labels
    begin with a capital, as at the head of a message."""

    fields: dict[str, forms.Field]
    _errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = _label(field, name)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name, errors in (self._errors or {}).items():
            field = self.fields.get(name)
            if field is None or not isinstance(errors, ErrorList):
                continue
            label = _label(field, name)
            errors.data = [
                ValidationError(named(label, error.messages[0]), code=error.code) for error in errors.as_data()
            ]


class DateField(forms.DateField):
    """A date typed dd/mm/yyyy or picked from a date input (yyyy-mm-dd)."""

    def to_python(self, value: Any) -> dt.date | None:
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code != "invalid":
                raise
            raise ValidationError(
                _("%(field)s: “%(value)s” is not a date (dd/mm/yyyy)."),
                code="invalid",
                params={"field": _label(self), "value": str(value).strip()[:20]},
            ) from None


class TimeField(forms.TimeField):
    """An hour of the day typed hh:mm (or picked from a time input)."""

    input_formats = ["%H:%M", "%H:%M:%S", "%Hh%M", "%Hh"]

    def to_python(self, value: Any) -> dt.time | None:
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code != "invalid":
                raise
            raise ValidationError(
                _("%(field)s: “%(value)s” is not an hour (hh:mm)."),
                code="invalid",
                params={"field": _label(self), "value": str(value).strip()[:20]},
            ) from None


def _decimal_text(value: Any) -> str:
    """A number as typed, with a comma or a point before the decimals ("85,5" or "85.5")."""
    return str(value).strip().replace(" ", "").replace(",", ".") if value not in (None, "") else ""


class _CommaNumber:
    """A number written with a comma or a point before the decimals; digits other than 0-9 are not numbers, and the
    refusal names the field."""

    def to_python(self, value: Any) -> Any:
        text = _decimal_text(value)
        if text and not text.isascii():
            raise ValidationError(_("%(label)s must be a number."), code="invalid", params={"label": _label(self)})  # type: ignore[arg-type]
        try:
            return super().to_python(text)  # type: ignore[misc]
        except ValidationError as exc:
            if exc.code != "invalid":
                raise
            raise ValidationError(
                _("%(label)s must be a number."),
                code="invalid",
                params={"label": _label(self)},  # type: ignore[arg-type]
            ) from None


class DecimalField(_CommaNumber, forms.DecimalField):
    """A decimal number ("85,5" or "85.5"), typed in a text box: a number input refuses the comma."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})


class FloatField(_CommaNumber, forms.FloatField):
    """A number with decimals (a position), typed in a text box: a number input refuses the comma."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})


class WholeNumberField(forms.IntegerField):
    """A whole number, 0 or more, as Vietnamese writes it: "1.250.000", "1 250 000 ₫". Digits 0-9 only."""

    def __init__(self, *, max_value: int, **kwargs: Any) -> None:
        super().__init__(min_value=0, max_value=max_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        text = re.sub(r"[\s.,₫đ]", "", str(value if value is not None else ""))
        if not text:
            return None
        if text.startswith("-") and text[1:].isascii() and text[1:].isdecimal():
            raise ValidationError(_("%(label)s cannot be negative."), code="min_value", params={"label": _label(self)})
        number = whole_digits(text)
        if number is None:
            if text.isascii() and text.isdecimal():  # more digits than any column holds
                raise ValidationError(
                    self.error_messages["max_value"], code="max_value", params={"limit_value": self.max_value}
                )
            raise ValidationError(
                _("%(label)s must be a whole number."), code="invalid", params={"label": _label(self)}
            )
        return number
