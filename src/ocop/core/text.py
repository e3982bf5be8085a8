"""Folding Vietnamese text for search and duplicate checks.

SQLite's `remove_diacritics` and PostgreSQL's `unaccent` both leave đ alone, so we fold ourselves and
store the result in a `search_text` column.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)  # pure; imports fold the same place, set and status names thousands of times
def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese marks, đ→d, collapse everything else to single spaces."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def fold_tokens(text: str | None) -> list[str]:
    return [t for t in fold(text).split(" ") if t]


def fold_key(text: str | None) -> str:
    """Folded text without spaces, as vietnamadminunits keys it ("Hà Nội" → "hanoi")."""
    return fold(text).replace(" ", "")
