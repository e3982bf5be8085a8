"""Vietnamese formats for templates: money in đồng with the ₫ sign, years never grouped."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from ocop.core.text import balanced_lines, year_text

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


@register.filter
def year(value: int | str | None) -> str:
    """2025 → "2025" in every language (a plain `{{ round.year }}` prints "2.025" in Vietnamese, "2,025" in English)."""
    return year_text(value)


@register.filter
def heading_lines(value: str | None) -> list[str]:
    """An issuing body's name in capitals, as balanced lines for the heading of a document (core.text)."""
    return balanced_lines((value or "").upper())


@register.filter
def no_stop(value: str | None) -> str:
    """A sentence without its closing full stop, for a template that adds its own: "Hàng giả." → "Hàng giả"."""
    return (value or "").strip().rstrip(".").rstrip()
