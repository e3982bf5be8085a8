"""The change history as people read it: each change under its field's own label, each value in the user's formats.

An audit entry stores plain JSON (core/audit.py): field names, ISO dates, decimals as text, booleans, a related
record by its text or "#id". On the page every value is shown the way the rest of the interface shows it: the
model field's verbose name ("điểm", not "Score_sheet"), "Có"/"Không" for a boolean, dates as dd/mm/yyyy, numbers
rounded with the language's separators ("105,838", not "105,83800000000001"), a choice by its label and a related
record by its name. A change that is not a model field (a site visit recorded on the dossier, a sheet submitted)
takes its label from the model's `audit_labels`, a mapping of name → translated label.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ocop.core.text import year_text

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_DECIMAL_AT_END = re.compile(r"(: )(-?\d+)\.(\d+)$")  # a composed "Lan r1: 80.29" → "Lan r1: 80,29"
_REFERENCE = re.compile(r"^#(\d+)$")  # a foreign key recorded by id (core.audit._value)
FLOAT_DIGITS = 6  # coordinates and shares: what a float carries beyond this is noise of binary fractions


def _number(value: Decimal | float | int, places: int | None = None) -> str:
    if isinstance(value, float):
        value = Decimal(repr(round(value, FLOAT_DIGITS)))
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def _places(field: Any) -> int | None:
    """Decimal places shown: at most 2, as the pages show means and shares ("80,29", not "80,2900")."""
    places = getattr(field, "decimal_places", None)
    return None if places is None else min(places, 2)


def _date(text: str) -> str | None:
    if _DATE.match(text):
        day = parse_date(text)
        return formats.date_format(day, "SHORT_DATE_FORMAT") if day else None
    if _DATETIME.match(text):
        moment = parse_datetime(text)
        if moment is None:
            return None
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    return None


def _related(field: Any, value: Any, cache: dict[tuple[Any, Any], str]) -> Any:
    """A foreign key's value by the related record's text: an id ("#12" or 12) is looked up, text stays."""
    found = _REFERENCE.match(value) if isinstance(value, str) else None
    pk = int(found.group(1)) if found else value if isinstance(value, int) and not isinstance(value, bool) else None
    if pk is None:
        return value
    model = field.related_model
    key = (model, pk)
    if key not in cache:
        obj = model._default_manager.filter(pk=pk).first()
        cache[key] = str(obj) if obj is not None else f"#{pk}"
    return cache[key]


def display_value(
    value: Any, field: Any = None, name: str = "", cache: dict[tuple[Any, Any], str] | None = None
) -> Any:
    """One recorded value as the user reads it (None stays None: the page shows "—")."""
    cache = {} if cache is None else cache
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(display_value(v, field, name, cache)) for v in value if v is not None)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field is not None:
        choices = dict(getattr(field, "flatchoices", None) or [])
        if choices and value in choices:
            return str(choices[value])
        if field.is_relation and (field.many_to_one or field.one_to_one) and field.related_model is not None:
            return _related(field, value, cache)
    if isinstance(value, int):
        return year_text(value) if name == "year" or name.endswith("_year") else _number(value)
    if isinstance(value, float | Decimal):
        return _number(value, _places(field))
    if not isinstance(value, str):
        return value
    if field is None or isinstance(field, models.DateField | models.DateTimeField):
        shown = _date(value)
        if shown is not None:
            return shown
    if isinstance(field, models.DecimalField | models.FloatField) and _DECIMAL.match(value):
        try:
            return _number(Decimal(value), _places(field))
        except InvalidOperation:
            return value
    if field is None:  # a text the service composed (never one a user typed): its decimals in the user's format
        sep = formats.get_format("DECIMAL_SEPARATOR")
        return _DECIMAL_AT_END.sub(lambda m: f"{m.group(1)}{m.group(2)}{sep}{m.group(3)}", value)
    return value


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001  # a field since removed, or a change that is not a field
        return None


def label_of(model: type[models.Model] | None, name: str) -> str:
    """The change's label in the user's language: the model's `audit_labels` (changes that are not a field, or a
    reverse relation named better), the field's verbose name, or the name with spaces (a field since removed)."""
    extra = getattr(model, "audit_labels", None) or {}
    if name in extra:
        return str(extra[name])
    field = _field(model, name)
    if field is not None and field.auto_created and field.related_model is not None:
        return str(field.related_model._meta.verbose_name_plural)  # reverse relation: its records
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return name.replace("_", " ")


def labelled_changes(model: type[models.Model] | None, changes: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(label, before, after) for each recorded change, labels and values as the user reads them."""
    rows = []
    cache: dict[tuple[Any, Any], str] = {}
    for name, values in changes.items():
        before, after = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        field = _field(model, name)
        if field is not None and field.auto_created:
            field = None  # a reverse relation: the values are the records' texts
        rows.append(
            (label_of(model, name), display_value(before, field, name, cache), display_value(after, field, name, cache))
        )
    return rows
