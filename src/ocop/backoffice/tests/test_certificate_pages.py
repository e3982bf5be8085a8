"""Decisions and certificates in the back office: who may do what, and flat query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.certificates import jobs, services
from ocop.certificates.models import Certificate, CertificateBatch, ConsumerReport, Decision, DecisionItem
from ocop.conftest import ROLES, client_for
from ocop.evaluation.testing import council_result
from ocop.testing import make_product, province


@pytest.fixture
def world(world_once, fresh):
    """The world is built once for the module; each test has its own copy, in a savepoint (conftest.Once)."""
    return fresh(world_once)


L = "login"


def _draft(world):
    return services.draft_decision(by=world.users["coordinator"], province=province())


def _issued(world, product=None):
    decision = _draft(world)
    council_result(product or world.product, 4)
    services.add_item(by=world.users["coordinator"], decision=decision, product=product or world.product, stars=4)
    (cert,) = services.issue_decision(
        by=world.users["coordinator"], decision=decision, number=f"{decision.pk}/QĐ", signed_on=dt.date(2026, 1, 5)
    )
    return cert


def _report(cert):
    return ConsumerReport.objects.create(certificate=cert, code=cert.code, kind="fake", client="x")


def _item(world, draft):
    council_result(world.product, 4)
    return services.add_item(by=world.users["coordinator"], decision=draft, product=world.product, stars=4)


CASES = [
    # name, kwargs, method, data, expected per role, effect (true when the action happened)
    ("decision_list", lambda w, d, c: {}, "get", None, [L, 200, 200, 200, 200, 200, 200, 200, 200], None),
    ("certificate_list", lambda w, d, c: {}, "get", None, [L, 200, 200, 200, 200, 200, 200, 200, 200], None),
    ("report_list", lambda w, d, c: {}, "get", None, [L, 200, 200, 200, 200, 200, 200, 200, 200], None),
    (
        "report_handled",
        lambda w, d, c: {"pk": _report(c).pk},
        "post",
        None,
        [L, 302, 403, 404, 404, 404, 404, 302, 404],
        lambda w, d, c: ConsumerReport.objects.filter(handled=True).exists(),
    ),
    (
        "decision_create",
        lambda w, d, c: {},
        "post",
        lambda w, d, c: {"province": province().pk, "level": "province"},
        [L, 302, 403, 403, 403, 403, 403, 302, 400],  # charlie: not a province he drafts for
        lambda w, d, c: Decision.objects.count() == 3,
    ),
    ("decision_detail", lambda w, d, c: {"pk": d.pk}, "get", None, [L, 200, 200, 404, 404, 404, 404, 200, 404], None),
    (
        "decision_item_add",
        lambda w, d, c: {"pk": d.pk},
        "post",
        lambda w, d, c: {"product": council_result(w.product, 3).dossier.product_id, "stars": "3"},
        [L, 302, 403, 404, 404, 404, 404, 302, 404],
        lambda w, d, c: DecisionItem.objects.filter(decision=d).exists(),
    ),
    (
        "decision_issue",
        lambda w, d, c: {"pk": d.pk},
        "post",
        lambda w, d, c: {"number": "9/QĐ", "signed_on": "2026-01-06"},
        [L, 400, 403, 404, 404, 404, 404, 400, 404],
        None,  # an empty decision is refused on its page with a message: nothing issued for anyone
    ),
    (
        "certificate_detail",
        lambda w, d, c: {"pk": c.pk},
        "get",
        None,
        [L, 200, 200, 200, 404, 200, 404, 200, 404],
        None,
    ),
    (
        "decision_item_remove",
        lambda w, d, c: {"pk": d.pk, "item_pk": _item(w, d).pk},
        "post",
        None,
        [L, 302, 403, 404, 404, 404, 404, 302, 404],
        lambda w, d, c: not DecisionItem.objects.filter(decision=d).exists(),
    ),
    (
        "decision_item_packs",
        lambda w, d, c: {"pk": d.pk, "item_pk": _item(w, d).pk},
        "post",
        None,  # no pack ticked: the product's packs may not carry the mark
        [L, 302, 403, 404, 404, 404, 404, 302, 404],
        lambda w, d, c: DecisionItem.objects.filter(decision=d, packs__isnull=False).count() == 0,
    ),
    (
        "certificate_pdf",
        lambda w, d, c: {"pk": c.pk},
        "get",
        None,
        [L, 200, 200, 200, 404, 200, 404, 200, 404],
        None,
    ),
    (
        "decision_pdf",
        lambda w, d, c: {"pk": c.decision_id},
        "get",
        None,
        [L, 200, 200, 404, 404, 404, 404, 200, 404],
        None,
    ),
    (
        "decision_pdfs",
        lambda w, d, c: {"pk": c.decision_id},
        "post",
        None,
        [L, 302, 403, 404, 404, 404, 404, 302, 404],
        lambda w, d, c: CertificateBatch.objects.exists(),
    ),
    (
        "pdf_batch",
        lambda w, d, c: {"pk": jobs.start_pdf_batch(by=w.users["coordinator"], decision=c.decision).pk},
        "get",
        None,
        [L, 200, 200, 404, 404, 404, 404, 200, 404],
        None,
    ),
    (
        "certificate_action",
        lambda w, d, c: {"pk": c.pk, "action": "suspend"},
        "post",
        lambda w, d, c: {"reason": "Kiểm tra"},
        [L, 302, 403, 403, 404, 403, 404, 302, 404],
        lambda w, d, c: Certificate.objects.get(pk=c.pk).status == "suspended",
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs", "method", "data", "expected", "effect"), CASES, ids=[c[0] for c in CASES])
def test_certificate_role_matrix(world, time_machine, role, name, kwargs, method, data, expected, effect):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _issued(world)
    draft = _draft(world)
    client = client_for(world.users[role])
    url = reverse(f"backoffice:{name}", kwargs=kwargs(world, draft, cert))
    response = client.get(url) if method == "get" else client.post(url, data(world, draft, cert) if data else {})
    want = expected[ROLES.index(role)]
    if want == L:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want
    if effect is not None:
        assert effect(world, draft, cert) is (want == 302 and role != "charlie")
    assert Decision.objects.filter(state="issued").count() == 1


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("decision_list", 8),
        ("certificate_list", 6),
        ("decision_detail", 8),
        ("certificate_detail", 10),  # with the rename flags of its product
        ("report_list", 7),
    ],
)
def test_query_counts_stay_flat(world, time_machine, name, expected):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _issued(world)
    _report(cert)
    client = client_for(world.users["coordinator"])
    kwargs = {"pk": cert.decision_id} if name == "decision_detail" else {"pk": cert.pk} if "detail" in name else {}
    url = reverse(f"backoffice:{name}", kwargs=kwargs)
    client.get(url)
    first = _count(client, url)
    for _ in range(2):
        product = make_product(producer=world.producer)
        _report(_issued(world, product))
        if name == "decision_detail":
            council_result(product, 3)
            services.add_item(by=world.users["coordinator"], decision=_draft(world), product=product, stars=3)
    assert (first, _count(client, url)) == (expected, expected)


def test_a_malformed_revocation_date_is_named_and_nothing_changes(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _issued(world)
    client = client_for(world.users["coordinator"])
    url = reverse("backoffice:certificate_action", kwargs={"pk": cert.pk, "action": "revoke"})
    response = client.post(url, {"decision_number": "5/QĐ", "revoked_on": "31/02/2026", "reason": "Sai"}, follow=True)
    assert "Ngày quyết định thu hồi: “31/02/2026” không phải là ngày (dd/mm/yyyy)." in response.content.decode()
    assert Certificate.objects.get(pk=cert.pk).status == "valid"


def test_a_province_drafting_a_ministry_decision_is_told_why_and_nothing_is_made(world):
    """Only the ministry recognises 5 stars: a province coordinator's ministry-level draft (not from history) is
    refused at the level, in Vietnamese, with a 400; no decision is made."""
    before = Decision.objects.count()
    client = client_for(world.users["coordinator"])
    response = client.post(reverse("backoffice:decision_create"), {"province": province().pk, "level": "ministry"})
    assert response.status_code == 400
    assert "Chỉ Bộ công nhận 5 sao. Tỉnh nhập quyết định của Bộ đã ban hành trước đây từ lịch sử." in (
        response.content.decode()
    )
    assert Decision.objects.count() == before
