"""Every select Django builds starts with one translated empty choice, "— Chọn —", not Django's untranslated
"- Select an option -"."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ocop.conftest import client_for
from ocop.places.models import Commune
from ocop.registry.models import Producer


class _Pick(forms.ModelForm):
    commune = forms.ModelChoiceField(queryset=Commune.objects.filter(code="00004"))

    class Meta:
        model = Producer
        fields = ["kind"]


def test_model_and_model_choice_fields_offer_the_translated_empty_choice(db):
    for language, label in (("vi", "— Chọn —"), ("en", "— Choose —")):
        with translation.override(language):
            form = _Pick()
            assert next(iter(form.fields["kind"].choices)) == ("", label)
            assert str(next(iter(form.fields["commune"].choices))[1]) == label
            assert f'<option value="" selected>{label}</option>' in str(form)


def test_the_producer_form_page_shows_the_empty_choice_in_vietnamese(world):
    client = client_for(world.users["coordinator"])
    body = client.get(reverse("backoffice:producer_create")).content.decode()
    assert '<option value="" selected>— Chọn —</option>' in body
    assert "Select an option" not in body and "---------" not in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "— Choose —" in client.get(reverse("backoffice:producer_create")).content.decode()
