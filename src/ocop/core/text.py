"""Text as we store it, and folding Vietnamese text for search and duplicate checks.

Every text input (forms, API, imports) is stored once normalised: Unicode NFC (a word typed on a Mac or pasted
from a PDF often arrives decomposed, "ơ" as "o" + U+031B, and would then never equal the same word typed on
Windows), every run of spaces collapsed to one, and no invisible control characters. `clean_text` is the one
entry point for a field's value; `normalize_text` and `control_character` are its two halves.

SQLite's `remove_diacritics` and PostgreSQL's `unaccent` both leave đ alone, so we fold ourselves and
store the result in a `search_text` column.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_NON_WORD = re.compile(r"[^0-9a-z]+")

# Spaces: tab and every Unicode space separator (Zs): NBSP, the typographic spaces U+2000–U+200A, the narrow
# NBSP U+202F, U+205F, the ideographic space U+3000. Spelled out rather than `\s`, which would also swallow the
# information separators U+001C–U+001F (refused below, not collapsed) and differs from `str.strip()`.
_SPACES = "\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Line breaks: what Unicode calls mandatory breaks. \v is Word's manual line break when its text is pasted,
# \f a page break in text copied from a PDF; NEL, LS and PS come from old mainframe and word-processor text.
_BREAKS = "\n\r\u000b\u000c\u0085\u2028\u2029"
_ANY_SPACE_RUN = re.compile(f"[{_SPACES}{_BREAKS}]+")
_SPACE_RUN = re.compile(f"[{_SPACES}]+")
_BREAK = re.compile("\r\n|[\r\u000b\u000c\u0085\u2028\u2029]")
_BLANK_LINES = re.compile("\n{3,}")

# Refused: invisible characters that no one types on purpose in a name, an address or a story, and that make
# two equal-looking values differ (duplicates slip through, searches miss) or reorder what a reader sees.
#  - C0 and C1 controls (Cc) other than the tab and line breaks above: NUL truncates the value in C libraries
#    and PostgreSQL refuses it outright; BEL, ESC... are leftovers of terminals and broken exports;
#    U+001C–U+001F are data separators, not text.
#  - Format characters (Cf): zero-width space U+200B, LRM/RLM U+200E–U+200F, the bidi embeddings and overrides
#    U+202A–U+202E and isolates U+2066–U+2069 (a "Trojan Source" override can make "sản phẩm 3 sao" display
#    reversed parts), word joiner and invisible operators U+2060–U+2064, the BOM U+FEFF, soft hyphen U+00AD,
#    interlinear annotations, the invisible tag characters U+E0001/U+E0020–U+E007F (used to smuggle hidden
#    text), and the few script-specific format marks, which have no use in this programme's records.
#  - Lone surrogates (Cs): a JSON body may carry "\ud800"; it cannot be stored as UTF-8.
# Allowed although they are Cf: ZWNJ U+200C and ZWJ U+200D. They are part of legitimate spelling (ZWJ joins
# emoji sequences such as 👨‍🌾 that producers put in their stories; both shape Indic, Arabic-script and
# some minority-language text), they never reorder anything, and refusing them would reject honest input.
# src/ocop/core/tests/test_text_normalize.py checks this list against Python's Unicode database.
_REFUSED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0008),
    (0x000E, 0x001F),
    (0x007F, 0x0084),
    (0x0086, 0x009F),
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200B),
    (0x200E, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xD800, 0xDFFF),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
_REFUSED = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _REFUSED_RANGES) + "]")


def _is_plain(value: str) -> bool:
    """Printable ASCII without a leading, trailing or double space: already normal and clean, the common case of
    codes, numbers, e-mail addresses and unaccented names, which imports check cell by cell."""
    return (
        value.isascii()
        and value.isprintable()  # for ASCII: no control, tab or line break
        and "  " not in value
        and value[:1] != " "
        and value[-1:] != " "
    )


def normalize_text(value: str, *, multiline: bool = False) -> str:
    """The stored form of a text: NFC, spaces collapsed and stripped.

    Single-line: every run of spaces, tabs and line breaks becomes one space. Multiline: line breaks become \\n,
    each line is collapsed and stripped, at most one empty line in a row, none at either end. Control characters
    are left in place: refusing them is `control_character`'s job (`scrub_text` replaces them).
    """
    if _is_plain(value):
        return value
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if not multiline:
        return _ANY_SPACE_RUN.sub(" ", value).strip(" ")
    lines = _BREAK.sub("\n", value).split("\n")
    value = "\n".join(_SPACE_RUN.sub(" ", line).strip(" ") for line in lines)
    return _BLANK_LINES.sub("\n\n", value).strip("\n")


def control_character(value: str, *, multiline: bool = False) -> str | None:
    """The first refused character of `value` as "U+0007", or None.

    Tabs and line breaks are whitespace, not controls, in both modes (a single-line value gets them collapsed to
    a space), so `multiline` does not change the answer; it is accepted to match `normalize_text`.
    """
    if value.isascii() and value.isprintable():
        return None
    found = _REFUSED.search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def scrub_text(value: str, *, multiline: bool = False) -> str:
    """`normalize_text` after replacing each refused character with a space: for text already stored, which
    cannot be sent back to whoever typed it."""
    if value.isascii() and value.isprintable():
        return normalize_text(value, multiline=multiline)  # nothing to replace (most cells of an import)
    return normalize_text(_REFUSED.sub(" ", value), multiline=multiline)


def control_character_message(*, field: str, char: str) -> str:
    return _("“%(field)s” contains an invisible control character (%(char)s): delete it and try again.") % {
        "field": field,
        "char": char,
    }


def clean_text(value: str, *, field: str, multiline: bool = False) -> str:
    """`value` as it should be stored; ValidationError({field: ...}) naming the field if it holds a control
    character."""
    char = control_character(value, multiline=multiline)
    if char is not None:
        raise ValidationError(
            {field: ValidationError(control_character_message(field=field, char=char), code="control_character")}
        )
    return normalize_text(value, multiline=multiline)


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


def year_text(value: int | str | None) -> str:
    """A year as it is written, never grouped like a number: 2025, not "2.025" (Vietnamese grouping) or "2,025".

    The one format of a year: the `year` template filter and the strings built in code (titles of rounds) use it.
    """
    if value is None:
        return ""
    try:
        return str(int(value))
    except ValueError:
        return str(value)  # not a year (text someone typed): as it is


def place_date(place: str, day: date) -> str:
    """The place and date line of an administrative document (Decree 30/2020/NĐ-CP): "Hà Nội, ngày 04 tháng 12 năm
    2026", days below 10 and the months 1 and 2 written with a leading 0 (so no one can add a digit later)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def blank_number(symbol: str) -> str:
    """The number line of a document numbered by hand when it is registered (minutes, records): room for the
    number, then its symbol, "      /BB-HĐ" (non-breaking spaces, so the room stays)."""
    return "\u00a0" * 8 + "/" + symbol


# Where the name of a body reads well broken: before the unit ("THÀNH PHỐ HÀ NỘI", "TỈNH LÀO CAI", "TRUNG ƯƠNG"),
# before "NÔNG THÔN" or "VÀ", after a comma.
_GOOD_BREAKS = ("THÀNH PHỐ ", "TỈNH ", "XÃ ", "PHƯỜNG ", "ĐẶC KHU ", "TRUNG ƯƠNG", "NÔNG THÔN ", "VÀ ")


def balanced_lines(text: str, width: int = 24) -> list[str]:
    """A heading in capitals split into as few lines of about `width` characters as it needs, even, and broken where
    it reads: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI" → ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"], the way the name of an
    issuing body is set above the document number (the column's own wrapping gave "... DÂN THÀNH" / "PHỐ HÀ NỘI").
    Each good break (_GOOD_BREAKS) counts as 6 characters fewer on the longest line; ties go to the longer first
    line (names read top-heavy). A last line of one short word ("OCOP") is never chosen when another split exists."""
    words = text.split()
    if len(text) <= width or len(words) < 2:
        return [text] if text else []
    count = min(len(words), -(-len(text) // width))

    def score(cuts: tuple[int, ...]) -> tuple[int, list[int]]:
        bounds = (0, *cuts, len(words))
        lines = [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
        good = sum(
            (" ".join(words[cut:]) + " ").startswith(_GOOD_BREAKS) or words[cut - 1].endswith(",") for cut in cuts
        )
        widow = " " not in lines[-1] and len(lines[-1]) <= 6  # a short word alone on the last line
        return max(map(len, lines)) - 6 * good + 100 * widow, [-len(line) for line in lines]

    cuts = min(itertools.combinations(range(1, len(words)), count - 1), key=score)
    return [" ".join(words[a:b]) for a, b in itertools.pairwise((0, *cuts, len(words)))]


# ---- Vietnamese alphabetical order -------------------------------------------------------------------------------
# Letters in the order of the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), with
# f, j, w and z where the Latin alphabet has them (foreign names); tones are a second key in the dictionary order
# ngang, huyền, hỏi, ngã, sắc, nặng; case only breaks ties. Code-point order put "Huế" before "Hà Nội" (à > u) and
# every "Đ" after "Z"; PostgreSQL's ICU collation "vi-VN" sorts the same way (core/collation.py).
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_WEIGHT = {ch: 100 + i for i, ch in enumerate(_LETTERS)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng


@lru_cache(maxsize=4096)
def _char_weights(ch: str) -> tuple[int, int, int]:
    """(letter, tone, case) of one character (NFC)."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = next((_TONES[m] for m in decomposed if m in _TONES), 0)
    letter = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
    lower = letter.lower()
    case = 1 if lower != letter else 0
    if lower in _LETTER_WEIGHT:
        return _LETTER_WEIGHT[lower], tone, case
    if lower.isdigit() and lower.isascii():
        return 10 + int(lower), 0, 0
    if len(lower) == 1 and lower.isalpha():  # a letter of another language: after z, in code-point order
        base = unicodedata.normalize("NFD", lower)[0]
        return _LETTER_WEIGHT.get(base, 200 + ord(base)), tone, case
    return 1, 0, 0  # spaces and punctuation: before digits and letters


@lru_cache(maxsize=65536)
def vi_sort_key(text: str | None) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """The key that sorts `text` in Vietnamese order: letters first (a < ă < â, d < đ, "Ấp" after "An"), then tones,
    then case. `sorted(names, key=vi_sort_key)` in Python; in the database, `Collate(field, "vi")`."""
    weights = [_char_weights(ch) for ch in unicodedata.normalize("NFC", text or "")]
    return tuple(w[0] for w in weights), tuple(w[1] for w in weights), tuple(w[2] for w in weights)


# What comes before a place's own name in its official name: lists sort by the name after it ("Thành phố Hà Nội"
# among the H). The longest first ("Thành phố" before a shorter prefix it contains).
PLACE_PREFIXES = ("Thành phố ", "Đặc khu ", "Thị trấn ", "Phường ", "Tỉnh ", "Xã ")


def place_sort_key(name: str | None) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """`vi_sort_key` of a place's name without "Tỉnh", "Thành phố", "Xã", "Phường"... in front."""
    text = name or ""
    for prefix in PLACE_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return vi_sort_key(text)
