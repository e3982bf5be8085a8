"""Error bodies of the API: each names the field, in the user's language (Vietnamese by default)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ocop.core.text import control_character_message


def service_errors(exc: ValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": name, "message": str(message)}
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [{"field": "", "message": str(m)} for m in exc.messages]


def _message(error: dict[str, Any], field: str = "") -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "control_character":  # ocop.api.text: the same words as the back office's 400 page
        return control_character_message(field=field, char=ctx.get("char", ""))
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_type"):
        return _("Enter a whole number.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    if kind in ("string_type",):
        return _("Enter text.")
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind in ("literal_error", "enum"):
        return _("Not one of the allowed values: %(values)s.") % {"values": ctx.get("expected", "")}
    if kind in ("json_invalid", "model_attributes_type", "dict_type", "model_type"):
        return _("The request body is not valid JSON of the expected shape.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("The value is too small.")
    return _("Invalid value.")


def schema_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "payload")]
        field = ".".join(loc)
        out.append({"field": field, "message": _message(error, field)})
    return out
