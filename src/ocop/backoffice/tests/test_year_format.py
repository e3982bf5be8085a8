"""A year is printed as a year (2025), never grouped like a number ("2.025" in Vietnamese, "2,025" in English):
round titles, the decision PDF, the council's minutes and the 5-star package all go through the `year` filter."""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from ocop.certificates import services
from ocop.conftest import client_for
from ocop.core.text import year_text
from ocop.evaluation import scoring
from ocop.evaluation.results import minutes_pdf
from ocop.evaluation.testing import council_result
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier
from ocop.evaluation.tests.conftest import scene as scene  # the fixture
from ocop.testing import make_product, province, signing_keys

SRC = Path(__file__).resolve().parents[2]


def _text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_the_year_filter_and_helper_never_group_digits():
    for language in ("vi", "en"):
        with translation.override(language):
            assert Template("{% load ocop_format %}{{ y|year }}").render(Context({"y": 2025})) == "2025"
            assert Template("{{ y }}").render(Context({"y": 2025})) != "2025"  # what the filter is for
    assert (year_text(2025), year_text("2026"), year_text(None), year_text("năm ngoái")) == (
        "2025", "2026", "", "năm ngoái",
    )  # fmt: skip


def test_no_template_prints_a_year_field_through_number_formatting():
    """`{{ x.year }}` (localised: "2.025") or `|unlocalize` (a second way): every year goes through `|year`."""
    offenders = []
    for path in SRC.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"{{\s*([\w.]*\.year)\s*(\|\s*unlocalize\s*)?}}", text):
            if not match.group(1).startswith("request."):
                offenders.append(f"{path.relative_to(SRC)}: {match.group(0)}")
    assert offenders == []


@pytest.mark.parametrize(("language", "title"), [("vi", "Đợt 1/2025"), ("en", "Round 1/2025")])
def test_the_round_page_titles_the_round_with_its_year(scene, language, title):
    client = client_for(scene.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get(reverse("backoffice:round_detail", kwargs={"pk": scene.round.pk})).content.decode()
    assert f"<h1>{title} · Thành phố Hà Nội</h1>" in body
    assert "2.025" not in body and "2,025" not in body
    rounds = client.get(reverse("backoffice:round_list")).content.decode()
    assert ">1/2025</a>" in rounds


def test_the_minutes_the_package_and_the_decision_print_the_year(scene, time_machine):
    time_machine.move_to(dt.datetime(2025, 12, 1, 9, tzinfo=dt.UTC))
    signing_keys("01")  # Hà Nội's key, made as an administrator does before its first decision
    dossier = ready_dossier(scene)
    council = council_of(scene)
    for user in scene.members:
        scoring.submit_sheet(by=user, dossier=dossier, choices=BEST)
    scoring.publish_results(by=scene.coordinator, council=council)
    minutes = _text(minutes_pdf(council))
    assert "kỳ đánh giá 1/2025 của Thành phố Hà Nội" in minutes and "2.025" not in minutes  # the minutes' Căn cứ

    client = client_for(scene.coordinator)
    url = reverse("backoffice:referral_package", kwargs={"pk": scene.round.pk, "dossier_pk": dossier.pk})
    bundle = zipfile.ZipFile(io.BytesIO(client.get(url).content))
    summary = _text(bundle.read(next(n for n in bundle.namelist() if n.endswith(".pdf"))))
    assert "1/2025 · Thành phố Hà Nội" in summary and "2.025" not in summary

    decision = services.draft_decision(by=scene.coordinator, province=province(), round_=scene.round)
    other = make_product(producer=scene.producer, name="Chè lam")
    council_result(other, 4)  # in the same round 1/2025
    services.add_item(by=scene.coordinator, decision=decision, product=other, stars=4)
    services.issue_decision(
        by=scene.coordinator, decision=decision, number="7/QĐ-UBND", signed_on=dt.date(2025, 12, 1), signer="A"
    )
    pdf = _text(client.get(reverse("backoffice:decision_pdf", kwargs={"pk": decision.pk})).content)
    assert "đạt chuẩn OCOP năm 2025 (đợt 1)" in pdf and "2.025" not in pdf
    assert str(scene.round) == "1/2025 · Thành phố Hà Nội"
