"""Vietnamese formats for templates: money in đồng with the ₫ sign."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def vnd(value: int | float | Decimal | str | None) -> str:
    """1234567 → "1.234.567 ₫" (in Vietnamese; the separators follow the active language)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return ""
    return f"{number_format(amount, 0, use_l10n=True, force_grouping=True)} ₫"
