"""The Vietnamese catalogue is complete: every user-facing string in the code has a reviewed translation."""

import shutil
from pathlib import Path

import polib
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

import ocop

PACKAGE = Path(ocop.__file__).parent
PO = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_vi_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po if e.obsolete] == []


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    copy = tmp_path / "ocop"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests", "testing.py"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["vi"], no_location=True, verbosity=0)
    fresh = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    assert sorted(e.msgid for e in fresh.untranslated_entries()) == []
    assert sorted(e.msgid for e in fresh if e.obsolete) == []


def test_vietnamese_is_the_default_and_english_the_second_language(client):
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]
    with translation.override("vi"):
        assert translation.gettext("Producers") == "Chủ thể"
    with translation.override("en"):
        assert translation.gettext("Producers") == "Producers"
