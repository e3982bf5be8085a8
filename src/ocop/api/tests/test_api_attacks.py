"""What a hostile partner system or a low-role insider tried against the API, and what it must get: each test is an
attack found to work once (or a near miss worth keeping), with the answer the API gives now."""

import datetime as dt
import logging

import pytest
from django.test import Client

from ocop.accounts.models import ApiToken, Role, TokenScope
from ocop.accounts.services import create_api_token
from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.testing import PASSWORD, make_product, make_user

NOON = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)  # 16:00 in Hà Nội


@pytest.fixture
def noon(time_machine):
    time_machine.move_to(NOON, tick=False)


def test_a_suspension_is_not_hidden_from_a_cache_asking_if_modified_since(
    noon,
    office,  # noqa: F811
    client,
    time_machine,
):
    """`?status=current` once listed a suspended certificate as current to a cache revalidating with
    If-Modified-Since: the suspended row left the filtered rows, so their latest `updated_at` stayed as it was and
    the answer was 304. The stamp now covers the certificates the status filter chooses from."""
    kept = issue(office)
    time_machine.move_to(NOON + dt.timedelta(hours=1), tick=False)
    other = make_product(producer=office.producer, name="Bình gốm men rạn")
    suspended = issue(office, product=other, number="2/QĐ-UBND")
    url = "/api/v1/certificates?status=current"
    first = client.get(url)
    assert [c["code"] for c in first.json()["items"]] == [kept.code, suspended.code]  # same day, by number
    assert first["Last-Modified"] == "Sat, 10 Jan 2026 10:00:00 GMT"

    time_machine.move_to(NOON + dt.timedelta(hours=2), tick=False)
    services.suspend(by=office.coordinator, certificate=suspended, reason="Nhãn sai quy định")
    again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    assert [c["code"] for c in again.json()["items"]] == [kept.code]
    assert again["Last-Modified"] == "Sat, 10 Jan 2026 11:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": again["Last-Modified"]}).status_code == 304


@pytest.mark.parametrize("status", ["current", "suspended"])
def test_the_status_filter_keeps_its_304_while_nothing_changes(
    noon,
    office,  # noqa: F811
    client,
    status,
):
    issue(office)
    url = f"/api/v1/certificates?status={status}"
    first = client.get(url)
    assert (first.status_code, first["Last-Modified"]) == (200, "Sat, 10 Jan 2026 09:00:00 GMT")
    assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304


@pytest.mark.parametrize("header", ["Token {text}", "Bearer\t{text}", "Basic {text}"])
def test_a_token_sent_with_another_scheme_is_not_written_to_the_log(db, client, caplog, settings, header):
    """Under DEBUG, django-ninja logged the whole header of another scheme ("Unexpected auth - 'Token ocop_…'"), the
    token's secret with it. The header is still refused (no fallback: there is no session either)."""
    settings.DEBUG = True
    user = make_user(Role.PROVINCE_COORDINATOR)
    text = create_api_token(user=user, name="Sàn thương mại", scope=TokenScope.READ).text
    with caplog.at_level(logging.DEBUG):
        answer = client.get("/api/v1/producers", headers={"Authorization": header.format(text=text)})
    assert (answer.status_code, answer.json()["code"]) == (401, "unauthorized")
    secret = text.split("_", 2)[2]  # whole: the secret itself may hold "_" (token_urlsafe), so split("_")[2] was a
    # fragment of it, now and then a word of an innocent message ("v1") or empty (found in every message)
    assert len(secret) == 43
    assert [r.getMessage() for r in caplog.records if secret in r.getMessage()] == []
    lower = client.get("/api/v1/producers", headers={"Authorization": f"bearer {text}"})
    assert (lower.status_code, lower.json()["count"]) == (200, 0)


def test_a_cross_site_form_cannot_make_a_token(db):
    """A page elsewhere posting the back office's token form with the user's cookie: refused for its missing CSRF
    token, and no token made; the same form with it makes one, shown on a page no cache keeps."""
    user = make_user(Role.OUTLET_OPERATOR)
    browser = Client(enforce_csrf_checks=True)
    assert browser.login(username=user.username, password=PASSWORD)
    forged = browser.post(
        "/bo/api-tokens/", {"name": "Kẻ gian", "scope": "write", "days": ""}, secure=True,
        headers={"Origin": "https://evil.example", "Referer": "https://evil.example/"},
    )  # fmt: skip
    assert forged.status_code == 403
    assert ApiToken.objects.count() == 0
    page = browser.get("/bo/api-tokens/", secure=True)
    made = browser.post(
        "/bo/api-tokens/", {"name": "Chuỗi siêu thị", "scope": "write", "days": "30",
                            "csrfmiddlewaretoken": page.cookies["csrftoken"].value},
        secure=True, headers={"Referer": "https://testserver/bo/api-tokens/"},
    )  # fmt: skip
    assert made.status_code == 200
    assert made["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.scope) == (user, "Chuỗi siêu thị", "write")
    assert f"ocop_{token.prefix}_".encode() in made.content
