"""`ocop demo` lives in the present: built on a fresh database today, it leaves every demo user something in
"Việc cần làm", and running it again (the same day, or weeks later) adds nothing and breaks nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from ocop.accounts.models import Notification, User
from ocop.backoffice.work import work_for
from ocop.certificates.models import Certificate
from ocop.evaluation.models import Dossier, Result, Round
from ocop.planning.models import Plan
from ocop.registry.models import Producer, Product, ProductPack

# Each demo user and a kind of item that must be on their list today.
EXPECTED = {
    "coordinator": {"dossier_review", "result_publish", "certificate_ending"},
    "commerce": {"outlet_assess"},
    "commune": {"dossier_check"},
    "council": {"dossier_score"},
    "council2": {"dossier_score"},
    "council3": {"dossier_score"},
    "council4": {"dossier_score"},
    "council5": {"dossier_score"},
    "council6": {"dossier_score"},
    "council7": {"dossier_score"},
    "producer": {"dossier_returned"},
    "outlet": {"sales_report", "shelf_clear"},
    "inspector": {"inspection_due", "finding_overdue"},
    "admin": {"parked_row"},
    "ministry": {"referral_receive"},
    "tw1": {"dossier_score"},
    "tw2": {"dossier_score"},
    "tw3": {"dossier_score"},
    "tw4": {"dossier_score"},
    "tw5": {"dossier_score"},
}


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[dt.date]:
    """The whole demo, built once for the module in a transaction rolled back at its end (each test runs in a
    savepoint of it)."""
    from django.test import TestCase, override_settings

    base = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()  # type: ignore[attr-defined]
        with override_settings(
            MEDIA_ROOT=base / "files", OCOP_KEYS_DIR=base / "keys", OCOP_PAGE_CACHE_DIR=str(base / "pages"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ):  # fmt: skip
            call_command("demo", stdout=io.StringIO())
    try:
        yield timezone.localdate()
    finally:
        with django_db_blocker.unblock():
            TestCase._rollback_atomics(atomics)  # type: ignore[attr-defined]


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_every_demo_user_has_work_today(demo, db, username):
    kinds = Counter(item.kind for item in work_for(User.objects.get(username=username)))
    assert EXPECTED[username] <= set(kinds), dict(kinds)


def test_this_years_rounds_are_open_and_last_years_published(demo, db):
    today = demo
    rounds = {(r.year, r.number, r.level): r for r in Round.objects.all()}
    assert sorted(rounds) == [
        (today.year - 1, 1, "central"), (today.year - 1, 1, "province"),
        (today.year, 1, "central"), (today.year, 1, "province"), (today.year, 2, "province"),
    ]  # fmt: skip
    open_round = rounds[(today.year, 2, "province")]
    assert open_round.submission_deadline == today + dt.timedelta(days=20)
    states = Counter(Dossier.objects.filter(round=open_round).values_list("state", flat=True))
    assert states == {"draft": 1, "returned": 1, "submitted": 2, "commune_checked": 1, "proposed": 1,
                      "under_review": 1, "ready": 3}  # fmt: skip
    last = Dossier.objects.filter(round=rounds[(today.year - 1, 1, "province")])
    assert set(last.values_list("state", flat=True)) == {"published"}
    # Last year's round and central round end in decisions: the city's certificates and the ministry's 5 stars.
    issued = Counter(Certificate.objects.filter(decision__round__year=today.year - 1).values_list("stars", flat=True))
    assert issued == {3: 1, 4: 1, 5: 1}
    assert set(Plan.objects.values_list("year", flat=True)) == {today.year - 1, today.year}


def test_running_the_demo_again_adds_nothing_and_weeks_later_no_second_round(demo, db, time_machine):
    counts = (Producer.objects.count(), Product.objects.count(), Certificate.objects.count(), Dossier.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (
        Producer.objects.count(), Product.objects.count(), Certificate.objects.count(), Dossier.objects.count()
    ) == counts  # fmt: skip
    time_machine.move_to(timezone.now() + dt.timedelta(days=40))
    call_command("demo", stdout=io.StringIO())
    assert (Producer.objects.count(), Product.objects.count(), Certificate.objects.count()) == counts[:3]
    rounds = Counter(Round.objects.values_list("province_id", "level", "year", "number"))
    assert max(rounds.values()) == 1
    plans = Counter(Plan.objects.values_list("province_id", "year"))
    assert max(plans.values()) == 1
    # On a new year the demo opens that year's rounds and plan; within the year it adds none.
    years = set(Round.objects.values_list("year", flat=True))
    assert years == {demo.year - 1, demo.year} | {timezone.localdate().year}


def test_the_demo_dates_its_past_and_tells_its_producers_apart(demo, db):
    """Steps, notices, suspensions of the past are dated in the past; names and packs a tester would believe."""
    today = demo
    ended = Certificate.objects.filter(status__in=("suspended", "revoked"))
    assert ended and all(c.status_since < today for c in ended)
    for kind in ("returned", "decision_issued", "result_published", "suspended", "revoked"):
        assert not Notification.objects.filter(key__startswith=f"{kind}:", created_at__date__gte=today), kind
    assert not Result.objects.filter(mean__gte=95)
    names = Counter(Producer.objects.values_list("name", "commune_id"))
    assert [n for n, k in names.items() if k > 1] == []
    assert [n for n, k in Counter(Product.objects.values_list("name", flat=True)).items() if k > 1] == []
    assert not ProductPack.objects.filter(product__product_set__code__in=("1-02", "5-01"), name="Hộp")


def test_the_demos_decisions_are_signed_by_the_issuing_bodies_it_sets_up(demo, db):
    from ocop.certificates.models import Decision
    from ocop.places.issuers import issuer_for
    from ocop.places.queries import central_level
    from ocop.testing import province

    assert issuer_for(province()).sign.name == "Nguyễn Mạnh Quyền"
    assert issuer_for(central_level()).sign.title == "THỨ TRƯỞNG"
    last_years = Decision.objects.filter(round__year=demo.year - 1)  # from published rounds
    assert sorted(last_years.values_list("issuing_body", "signer_authority", "signer_title")) == [
        ("Bộ Nông nghiệp và Môi trường", "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
        ("Ủy ban nhân dân thành phố Hà Nội", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    ]
