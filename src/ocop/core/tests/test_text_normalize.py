import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ocop.core.text import (
    _REFUSED_RANGES,
    clean_text,
    control_character,
    control_character_message,
    normalize_text,
    scrub_text,
)

HTX_NFD = "Ho\u031b\u0323p ta\u0301c xa\u0303"  # "Hợp tác xã" typed decomposed (macOS, text from PDFs)


def test_decomposed_vietnamese_is_stored_composed():
    assert HTX_NFD != "Hợp tác xã"
    assert normalize_text(HTX_NFD) == "Hợp tác xã"
    assert normalize_text(f"  {HTX_NFD}   Bát  Tràng ") == "Hợp tác xã Bát Tràng"


def test_single_line_collapses_every_kind_of_space_and_line_break():
    assert normalize_text("Gốm\u00a0\u00a0Bát\tTràng") == "Gốm Bát Tràng"
    assert normalize_text("Chè\u2003Tân\u3000Cương\u202f") == "Chè Tân Cương"
    assert normalize_text("Dòng một\r\nDòng hai\nba") == "Dòng một Dòng hai ba"
    assert normalize_text(" \t\u00a0 ") == ""
    assert normalize_text("") == ""


def test_plain_ascii_is_returned_as_is():
    value = "0101234567"
    assert normalize_text(value) is value
    assert normalize_text(" a  b ") == "a b"


def test_multiline_keeps_lines_and_one_empty_line_between_paragraphs():
    story = "\r\n  Câu chuyện  sản phẩm \r\n\r\n\r\n\r\nĐoạn\u00a0hai\t\rdòng ba\u2028dòng bốn \n\n"
    assert normalize_text(story, multiline=True) == "Câu chuyện sản phẩm\n\nĐoạn hai\ndòng ba\ndòng bốn"
    assert normalize_text(f"{HTX_NFD}\n\n{HTX_NFD}", multiline=True) == "Hợp tác xã\n\nHợp tác xã"


@pytest.mark.parametrize(
    ("value", "char"),
    [
        ("Tên\x00", "U+0000"),
        ("Chuông\x07", "U+0007"),
        ("Tên\x1b[31m", "U+001B"),
        ("Hợp\u200btác", "U+200B"),  # zero-width space
        ("sao \u202e3\u202c", "U+202E"),  # right-to-left override
        ("\u2066a\u2069", "U+2066"),
        ("\ufeffHợp tác xã", "U+FEFF"),
        ("Gốm\u00adsứ", "U+00AD"),
        ("a\U000e0041", "U+E0041"),  # invisible tag character
        ("a\ud800", "U+D800"),  # a lone surrogate, as a JSON body may carry
        ("\x85ok\x07", "U+0007"),  # NEL is a line break; the BEL after it is the first refused
    ],
)
def test_control_character_names_the_first_refused_character(value, char):
    assert control_character(value) == char
    assert control_character(value, multiline=True) == char


@pytest.mark.parametrize(
    "value",
    [
        "Hợp tác xã",
        HTX_NFD,
        "tab\there",
        "a\r\nb\nc\rd",
        "\u00a0nbsp",
        "👨\u200d🌾 nông dân",
        "\u200c",
        "",
        "x\x0by\x0c",
    ],
)
def test_whitespace_and_joiners_are_not_refused(value):
    assert control_character(value) is None
    assert control_character(value, multiline=True) is None


def test_refused_table_matches_the_unicode_database():
    # Every control (Cc), format (Cf) and surrogate (Cs) character except the tab, the line breaks and ZWNJ/ZWJ.
    allowed = set("\t\n\r\x0b\x0c\x85\u200c\u200d")
    wanted = [
        cp for cp in range(0x110000) if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Cs") and chr(cp) not in allowed
    ]
    assert [cp for a, b in _REFUSED_RANGES for cp in range(a, b + 1)] == wanted


def test_clean_text_names_the_field_or_returns_the_stored_form():
    assert clean_text(f" {HTX_NFD}  Mới ", field="name") == "Hợp tác xã Mới"
    assert clean_text("a \r\n\r\n\r\nb", field="story", multiline=True) == "a\n\nb"
    with pytest.raises(ValidationError) as info:
        clean_text("Gốm\x07", field="name")
    assert info.value.message_dict == {"name": [control_character_message(field="name", char="U+0007")]}
    assert info.value.error_dict["name"][0].code == "control_character"
    with translation.override("en"):
        assert control_character_message(field="name", char="U+0007") == (
            "“name” contains an invisible control character (U+0007): delete it and try again."
        )


def test_scrub_replaces_controls_with_a_space():
    assert scrub_text("Gốm\x00sứ\u200b Bát\x07") == "Gốm sứ Bát"
    assert scrub_text("a\x07\r\n\r\n\r\nb\u202e", multiline=True) == "a\n\nb"


@given(st.text(), st.booleans())
def test_normalize_is_idempotent_and_stays_nfc(text, multiline):
    once = normalize_text(text, multiline=multiline)
    assert normalize_text(once, multiline=multiline) == once
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip(" \n")
    assert "  " not in once
    assert ("\n" in once) <= multiline


@given(st.text(), st.booleans())
def test_scrubbed_text_has_no_control_character_and_is_stable(text, multiline):
    once = scrub_text(text, multiline=multiline)
    assert control_character(once) is None
    assert scrub_text(once, multiline=multiline) == once
