"""ETag, Last-Modified and Cache-Control on the API's public reads (ocop.api.caching), and 304 answers."""

import datetime as dt
import hashlib

import pytest

from ocop.accounts.models import TokenScope
from ocop.accounts.services import create_api_token
from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.conftest import client_for
from ocop.evaluation.models import CriteriaVersion

NOON = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)  # 16:00 in Hà Nội
LATER = NOON + dt.timedelta(hours=2)


def _etag(response):
    return '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'


def _headers(response):
    return {h: response.get(h) for h in ("ETag", "Last-Modified", "Cache-Control")}


@pytest.fixture
def noon(time_machine):
    time_machine.move_to(NOON, tick=False)


@pytest.fixture
def cert(noon, office):  # noqa: F811  # the office's producer and product made at noon too
    return issue(office)


@pytest.mark.parametrize(
    "path", ["/api/v1/certificates/{code}", "/api/v1/certificates", "/api/v1/certificates?stars=4"]
)
def test_a_certificates_answer_is_revalidated_each_time_and_changes_with_its_status(
    cert,
    office,  # noqa: F811
    client,
    time_machine,
    path,
):
    url = path.format(code=cert.code)
    first = client.get(url)
    assert first.status_code == 200
    assert _headers(first) == {
        "ETag": _etag(first),
        "Last-Modified": "Sat, 10 Jan 2026 09:00:00 GMT",
        "Cache-Control": "public, no-cache",
    }
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert (again.status_code, again.content, _headers(again)) == (304, b"", _headers(first))
    since = client.get(url, headers={"If-Modified-Since": "Sat, 10 Jan 2026 09:00:00 GMT"})
    assert (since.status_code, since.content) == (304, b"")
    assert client.get(url, headers={"If-Modified-Since": "Sat, 10 Jan 2026 08:59:59 GMT"}).status_code == 200
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200

    time_machine.move_to(LATER, tick=False)
    services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn sai quy định")
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed.content != first.content
    assert _headers(changed) == {
        "ETag": _etag(changed),
        "Last-Modified": "Sat, 10 Jan 2026 11:00:00 GMT",
        "Cache-Control": "public, no-cache",
    }
    assert changed["ETag"] != first["ETag"]


def test_a_status_that_follows_from_the_date_changes_the_validators_at_midnight(cert, client, time_machine):
    """Nothing is saved when a certificate starts to expire; the day is part of what the reader sees."""
    url = f"/api/v1/certificates/{cert.code}"
    first = client.get(url)
    time_machine.move_to(dt.datetime(2028, 10, 20, 3, tzinfo=dt.UTC), tick=False)  # 10:00, within 90 days of its end
    later = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert (later.status_code, later.json()["status"]) == (200, "expiring")
    assert later["Last-Modified"] == "Thu, 19 Oct 2028 17:00:00 GMT"  # midnight in Hà Nội
    assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 200


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        ("/api/v1/keys", "public, no-cache"),  # a key withdrawn shows at once, as a status does
        ("/api/v1/provinces", "public, max-age=300"),
        ("/api/v1/provinces/01/communes", "public, max-age=300"),
        ("/api/v1/criteria", "public, max-age=300"),
        ("/api/v1/criteria/{version}/sets", "public, max-age=300"),
        ("/api/v1/criteria/{version}/sets/1-06", "public, max-age=300"),
    ],
)
def test_reference_data_carries_validators_and_answers_304(cert, client, path, policy):
    version = CriteriaVersion.objects.get(code="DEMO-148")
    url = path.format(version=version.pk)
    first = client.get(url)
    assert first.status_code == 200
    assert (first["ETag"], first["Cache-Control"]) == (_etag(first), policy)
    assert first.has_header("Last-Modified")
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert (again.status_code, again.content, _headers(again)) == (304, b"", _headers(first))
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


def test_the_validators_follow_the_data(cert, office, client, time_machine):  # noqa: F811
    first = client.get("/api/v1/keys")
    assert first["Last-Modified"] == "Sat, 10 Jan 2026 09:00:00 GMT"  # the province's key, made at the first issue
    # The criteria were loaded when the test database was made: edited after that.
    edited = dt.datetime(2030, 1, 2, 3, tzinfo=dt.UTC)
    time_machine.move_to(edited, tick=False)
    before = client.get("/api/v1/criteria")
    CriteriaVersion.objects.filter(code="DEMO-148").update(name="Bộ tiêu chí thử", updated_at=edited)
    after = client.get("/api/v1/criteria", headers={"If-None-Match": before["ETag"]})
    assert (after.status_code, after["Last-Modified"]) == (200, "Wed, 02 Jan 2030 03:00:00 GMT")
    assert after["ETag"] != before["ETag"]


@pytest.mark.parametrize("path", ["/api/v1/certificates/{code}", "/api/v1/certificates", "/api/v1/provinces"])
def test_an_answer_to_a_user_is_private(cert, office, client, path):  # noqa: F811
    url = path.format(code=cert.code)
    assert client.get(url)["Cache-Control"] in ("public, no-cache", "public, max-age=300")  # anyone
    response = client_for(office.coordinator).get(url)  # a session
    assert (response.status_code, response["Cache-Control"]) == (200, "private, no-cache")
    assert response["ETag"] == _etag(response)
    token = client.get(url, headers={"Authorization": "Bearer ocop_abc_def"})  # a token (not needed here)
    assert (token.status_code, token["Cache-Control"]) == (200, "private, no-cache")


def test_an_answer_varies_on_the_credentials_whoever_asks(cert, office, client):  # noqa: F811
    """A shared cache keys each copy on Authorization and Cookie: an anonymous copy never reaches a token's call,
    nor the reverse; LocaleMiddleware's Accept-Language stays."""
    url = f"/api/v1/certificates/{cert.code}"
    token = create_api_token(user=office.coordinator, name="Sàn thương mại", scope=TokenScope.READ, days=None).text
    vary = "Authorization, Cookie, Accept-Language"
    anonymous = client.get(url)
    assert (anonymous.status_code, anonymous["Cache-Control"], anonymous["Vary"]) == (200, "public, no-cache", vary)
    with_token = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert (with_token.status_code, with_token["Cache-Control"], with_token["Vary"]) == (200, "private, no-cache", vary)
    again = client.get(url, headers={"Authorization": f"Bearer {token}", "If-None-Match": with_token["ETag"]})
    assert (again.status_code, again["Vary"]) == (304, vary)
    assert client_for(office.coordinator).get(url)["Vary"] == vary  # a session


def test_errors_carry_no_validators(db, client):
    missing = client.get("/api/v1/certificates/KHONGCO123")
    assert missing.status_code == 404
    assert not missing.has_header("ETag") and not missing.has_header("Last-Modified")
    assert client.get("/api/v1/provinces/99/communes").has_header("ETag") is False
