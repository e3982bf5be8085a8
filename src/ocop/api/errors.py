"""Error bodies of the API, one schema for all: `detail` (a sentence, or for a 422 the list of fields and their
messages, in the user's language, Vietnamese by default) and `code`, a word a program can test.

Every operation declares them (ApiRouter adds 400, 401, 403, 404 and 422 to each one's responses), and the
handlers in ocop.api.urls answer with them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.constants import NOT_SET

from ocop.api.enums import ErrorCode
from ocop.core.text import control_character_message

# The statuses every operation declares, each with its code; a 405 (a method the path does not take) is answered
# in the same shape by ocop.api.urls, before any operation runs.
CODES: dict[int, ErrorCode] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    422: ErrorCode.INVALID,
}


class FieldError(Schema):
    field: str = Field(
        description="the field, as sent (a dotted path into the body: packs.0.name); empty for the request as a whole"
    )
    message: str


class ErrorOut(Schema):
    detail: str | list[FieldError] = Field(description="what went wrong: a sentence, or (422) each field's message")
    code: ErrorCode


def error_body(status: int, detail: str | list[dict[str, str]]) -> dict[str, Any]:
    code = ErrorCode.METHOD_NOT_ALLOWED if status == 405 else CODES.get(status, ErrorCode.ERROR)
    return {"detail": detail, "code": code.value}


MEDIA_TYPE = "x-ocop-media-type"


class ApiRouter(Router):
    """ninja's Router, with the error responses declared on every operation it holds.

    An operation answering in another media type than application/json declares it with
    `openapi_extra={MEDIA_TYPE: "application/geo+json"}`: with_media_types then declares its 2xx answers so in the
    OpenAPI document (instead of application/json)."""

    def add_api_operation(self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any) -> None:
        response = kwargs.pop("response", NOT_SET)
        if response is NOT_SET:
            raise TypeError(f"{view_func.__name__}: declare its response schema")
        ok = response if isinstance(response, dict) else {200: response}
        errors = {frozenset(c for c in CODES if c not in ok): ErrorOut}
        super().add_api_operation(path, methods, view_func, response={**ok, **errors}, **kwargs)


def with_media_types(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with each operation's `media_type` (ApiRouter) applied to its 2xx answers."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            media_type = operation.pop(MEDIA_TYPE, None)
            if media_type is None:
                continue
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if str(status).startswith("2") and "application/json" in content:
                    answer["content"] = {media_type: content["application/json"]}
    return document


def service_errors(exc: ValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": name, "message": str(message)}
            for name, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    return [{"field": "", "message": str(m)} for m in exc.messages]


# A value as pydantic writes it in an enum or literal error's ctx["expected"] ("'planned', 'done' or 'x'"): a
# Python literal (a quoted string, a number, True/False/None); what lies between them is pydantic's English.
_LITERAL = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|True|False|None""")


def allowed_values(ctx: dict[str, Any]) -> list[str]:
    """The values an enum (`enum`) or a Literal (`literal_error`) allows, from pydantic's ctx["expected"]: both
    give only that English sentence ("'planned', 'done' or 'x'", no list), so its literals are read back."""
    return [str(ast.literal_eval(m[0])) for m in _LITERAL.finditer(str(ctx.get("expected", "")))]


def _too_short(field: str, least: Any) -> str:
    """What a list too short misses, said for the lists the API takes (the back office's words where it has them)."""
    if field == "lines":  # api.sales: a month's report
        return _("Send at least one sales line.")
    if field == "events":  # api.webhooks: as the subscription form says it (webhooks.services)
        return _("Events: choose at least one event.")
    return _("At least %(n)s items.") % {"n": least}


def _message(error: dict[str, Any], field: str = "") -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "control_character":  # ocop.api.text: the same words as the back office's 400 page
        return control_character_message(field=field, char=ctx.get("char", ""))
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    if kind in ("string_type",):
        return _("Enter text.")
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "too_short":  # a list with fewer items than it needs (min_length): an empty one, in practice
        return _too_short(field, ctx.get("min_length"))
    if kind == "too_long":
        return _("At most %(n)s items.") % {"n": ctx.get("max_length")}
    if kind in ("literal_error", "enum"):
        return _("Not one of the allowed values: %(values)s.") % {"values": ", ".join(allowed_values(ctx))}
    if kind in ("json_invalid", "model_attributes_type", "dict_type", "model_type"):
        return _("The request body is not valid JSON of the expected shape.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("The value is too small.")
    if kind in ("less_than_equal", "less_than"):
        return _("The value is too large: at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt", ""))}
    return _("Invalid value.")


_WHERE = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


def _field_path(loc: list[Any]) -> list[str]:
    """pydantic's location without ninja's part of it: ("body", "payload", "packs", 0, "name") → packs.0.name,
    ("query", "body") → body (a query parameter that happens to be called so)."""
    if loc and loc[0] in _WHERE:
        where = loc.pop(0)
        if where == "body" and loc[:1] == ["payload"]:  # the operation's body parameter, named so by convention
            loc.pop(0)
    return [str(p) for p in loc]


def schema_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for error in errors:
        field = ".".join(_field_path(list(error.get("loc", ()))))
        out.append({"field": field, "message": _message(error, field)})
    return out
