"""Text fields of the API's write schemas, normalised as the back office's forms are (ocop.core.text).

`Text` is one line (a name, an address, a code), `LongText` keeps its lines (a description, a story, a comment).
Both store NFC with collapsed spaces, silently; a control character is a 422 naming the field
(ocop.api.errors turns the "control_character" error into the Vietnamese message).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from ocop.core.text import control_character, normalize_text


def _clean(value: Any, *, multiline: bool) -> Any:
    # Before, not after, the string check: max_length then counts the stored (NFC, collapsed) characters, so a
    # name typed decomposed on a Mac is not refused as too long when its stored form fits.
    if not isinstance(value, str):
        return value  # not text: pydantic's own check answers "Enter text."
    char = control_character(value, multiline=multiline)
    if char is not None:
        raise PydanticCustomError("control_character", "contains a control character ({char})", {"char": char})
    return normalize_text(value, multiline=multiline)


def clean_line(value: Any) -> Any:
    return _clean(value, multiline=False)


def clean_lines(value: Any) -> Any:
    return _clean(value, multiline=True)


Text = Annotated[str, BeforeValidator(clean_line)]
LongText = Annotated[str, BeforeValidator(clean_lines)]
