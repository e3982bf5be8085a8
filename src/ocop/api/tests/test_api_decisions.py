"""Recognition decisions in the API: issued ones are public documents, drafts are not in it."""

import datetime as dt
import hashlib

import pytest

from ocop.api import enums
from ocop.certificates import enums as certificate_enums
from ocop.certificates import services
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.tests.conftest import issue, office  # noqa: F401  # the fixture
from ocop.conftest import client_for
from ocop.evaluation.testing import council_result
from ocop.testing import make_product, province

NOT_FOUND = {"detail": "Không tìm thấy.", "code": "not_found"}


@pytest.mark.parametrize(
    ("api", "domain"),
    [
        (enums.IssuingLevel, certificate_enums.IssuingLevel),
        (enums.LegalBasis, certificate_enums.LegalBasis),
        (enums.CertificateStatus, certificate_enums.Status),
    ],
)
def test_the_api_enums_are_the_domains(api, domain):
    assert [m.value for m in api] == list(domain.values)


def _decision(office, *names, on=dt.date(2025, 11, 20), number="120/QĐ-UBND"):  # noqa: F811
    """A province decision recognising a new product of each name at 3 stars, issued."""
    decision = services.draft_decision(by=office.coordinator, province=province(), level=IssuingLevel.PROVINCE)
    for name in names:
        product = make_product(producer=office.producer, name=name)
        council_result(product, 3)
        services.add_item(by=office.coordinator, decision=decision, product=product, stars=3)
    certificates = services.issue_decision(by=office.coordinator, decision=decision, number=number, signed_on=on)
    decision.refresh_from_db()
    return decision, certificates


@pytest.fixture
def today(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))


def test_an_issued_decision_reads_with_its_certificates_without_logging_in(office, today):  # noqa: F811
    decision, (first, second) = _decision(office, "Chè búp", "Mật ong rừng")
    answer = client_for(None).get(f"/api/v1/decisions/{decision.pk}")
    assert answer.status_code == 200
    assert answer.json() == {
        "id": decision.pk,
        "number": "120/QĐ-UBND",
        "signed_on": "2025-11-20",
        "date_approximate": False,
        "level": "province",
        "issuing_body": decision.issuing_body,
        "province": {"code": "01", "name": "Thành phố Hà Nội"},
        "district": None,
        "signer": decision.signer,
        "signer_title": decision.signer_title,
        "signer_authority": decision.signer_authority,
        "legal_basis": decision.legal_basis,
        "historical": False,
        "certificate_count": 2,
        "certificates": [
            {
                "number": c.number,
                "code": c.code,
                "product_id": c.product_id,
                "product": name,
                "producer": "HTX Gốm Bát Tràng",
                "stars": 3,
                "potential_five": False,
                "issued_on": "2025-11-20",
                "valid_until": c.valid_until.isoformat(),
                "status": "valid",
            }
            for c, name in ((first, "Chè búp"), (second, "Mật ong rừng"))
        ],
    }
    assert (decision.issuing_body, decision.legal_basis) == ("Ủy ban nhân dân Thành phố Hà Nội", "148+1489")


def test_decisions_are_listed_latest_first_with_filters(office, today):  # noqa: F811
    older, _certs = _decision(office, "Chè búp", on=dt.date(2024, 12, 2), number="99/QĐ-UBND")
    newer = issue(office, on=dt.date(2025, 11, 20)).decision
    services.draft_decision(by=office.coordinator, province=province(), level=IssuingLevel.PROVINCE)  # not listed
    client = client_for(None)
    page = client.get("/api/v1/decisions").json()
    assert (page["count"], [d["id"] for d in page["items"]]) == (2, [newer.pk, older.pk])
    assert [d["number"] for d in client.get("/api/v1/decisions?year=2024").json()["items"]] == ["99/QĐ-UBND"]
    assert client.get("/api/v1/decisions?province=01&level=province").json()["count"] == 2
    assert client.get("/api/v1/decisions?level=ministry").json()["count"] == 0
    assert client.get("/api/v1/decisions?province=31").json()["count"] == 0
    bad = client.get("/api/v1/decisions?level=king")
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid")


def test_a_draft_is_not_found(office, today):  # noqa: F811
    draft = services.draft_decision(by=office.coordinator, province=province(), level=IssuingLevel.PROVINCE)
    for user in (None, office.coordinator):  # not in the API, even for its office
        answer = client_for(user).get(f"/api/v1/decisions/{draft.pk}")
        assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    missing = client_for(None).get("/api/v1/decisions/999999")
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)


def test_decision_list_query_count(office, today, django_assert_num_queries):  # noqa: F811
    client = client_for(None)
    _decision(office, "Chè búp")
    with django_assert_num_queries(3):  # Last-Modified, the count, the page with each one's certificates counted
        assert client.get("/api/v1/decisions").json()["count"] == 1
    _decision(office, "Mật ong", number="121/QĐ-UBND")
    _decision(office, "Miến dong", "Gạo nếp", number="122/QĐ-UBND")
    with django_assert_num_queries(3):
        assert client.get("/api/v1/decisions").json()["count"] == 3


def test_decision_query_count(office, today, django_assert_num_queries):  # noqa: F811
    one, _c = _decision(office, "Chè búp")
    three, _c = _decision(office, "Mật ong", "Miến dong", "Gạo nếp", number="121/QĐ-UBND")
    for decision in (one, three):
        with django_assert_num_queries(2):  # the decision, its certificates
            client_for(None).get(f"/api/v1/decisions/{decision.pk}")


def _headers(response):
    return {h: response.get(h) for h in ("ETag", "Last-Modified", "Cache-Control")}


def _etag(response):
    return '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'


def test_decisions_carry_validators_and_a_status_change_shows_at_once(office, time_machine):  # noqa: F811
    """A decision lists its certificates' statuses: public, no-cache (a CDN checks again each time), 304 by either
    validator, and a suspension changes the one (not the list, which shows no status)."""
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False)
    decision, (first_cert, _second) = _decision(office, "Chè búp", "Mật ong rừng")
    client = client_for(None)
    answers = {}
    for url in ("/api/v1/decisions", f"/api/v1/decisions/{decision.pk}", "/api/v1/decisions?year=2025"):
        first = client.get(url)
        assert (first.status_code, _headers(first)) == (
            200,
            {
                "ETag": _etag(first),
                "Last-Modified": "Mon, 02 Mar 2026 09:00:00 GMT",
                "Cache-Control": "public, no-cache",
            },
        )
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert (again.status_code, again.content, _headers(again)) == (304, b"", _headers(first))
        since = client.get(url, headers={"If-Modified-Since": "Mon, 02 Mar 2026 09:00:00 GMT"})
        assert (since.status_code, since.content) == (304, b"")
        assert client.get(url, headers={"If-Modified-Since": "Mon, 02 Mar 2026 08:59:59 GMT"}).status_code == 200
        private = client_for(office.coordinator).get(url)
        assert (private.status_code, private["Cache-Control"], private["ETag"]) == (
            200,
            "private, no-cache",
            _etag(private),
        )
        answers[url] = first

    time_machine.move_to(dt.datetime(2026, 3, 2, 11, tzinfo=dt.UTC), tick=False)
    services.suspend(by=office.coordinator, certificate=first_cert, reason="Nhãn sai quy định")
    one = f"/api/v1/decisions/{decision.pk}"
    changed = client.get(one, headers={"If-None-Match": answers[one]["ETag"]})
    assert (changed.status_code, [c["status"] for c in changed.json()["certificates"]]) == (200, ["suspended", "valid"])
    assert _headers(changed) == {
        "ETag": _etag(changed),
        "Last-Modified": "Mon, 02 Mar 2026 11:00:00 GMT",
        "Cache-Control": "public, no-cache",
    }
    assert changed["ETag"] != answers[one]["ETag"]
    listed = client.get("/api/v1/decisions", headers={"If-None-Match": answers["/api/v1/decisions"]["ETag"]})
    assert (listed.status_code, listed.content) == (304, b"")
    missing = client.get("/api/v1/decisions/999999")
    assert (missing.status_code, missing.has_header("ETag"), missing.has_header("Last-Modified")) == (404, False, False)
