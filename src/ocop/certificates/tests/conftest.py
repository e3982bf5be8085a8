from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from ocop.accounts.models import Role
from ocop.certificates import services
from ocop.certificates.enums import IssuingLevel
from ocop.evaluation.testing import council_result
from ocop.registry.models import ProductPack
from ocop.testing import make_producer, make_product, make_user, province, signing_keys


@dataclass
class Office:
    coordinator: Any
    charlie: Any
    producer: Any
    product: Any
    packs: list[Any]


@pytest.fixture
def office(db) -> Office:
    signing_keys("01")  # Hà Nội's key, made as an administrator does (tests of the ministry's add "TW")
    producer = make_producer(name="HTX Gốm Bát Tràng")
    product = make_product(producer=producer, name="Bình gốm men lam")
    packs = [
        ProductPack.objects.create(product=product, name="Hộp 1 bình", size="30 cm", gtin="8930000000019"),
        ProductPack.objects.create(product=product, name="Bộ 2 bình"),
    ]
    return Office(
        coordinator=make_user(Role.PROVINCE_COORDINATOR, username="coordinator"),
        charlie=make_user(Role.PROVINCE_COORDINATOR, username="charlie", province_code="31"),
        producer=producer,
        product=product,
        packs=packs,
    )


def issue(
    office: Office, *, product: Any = None, stars: int = 4, on: dt.date = dt.date(2025, 11, 20), number: str = ""
):
    """A province decision with one product at its council's stars, issued: its certificate."""
    decision = services.draft_decision(by=office.coordinator, province=province(), level=IssuingLevel.PROVINCE)
    council_result(product or office.product, stars)
    services.add_item(by=office.coordinator, decision=decision, product=product or office.product, stars=stars)
    (cert,) = services.issue_decision(
        by=office.coordinator, decision=decision, number=number or f"{decision.pk}/QĐ-UBND", signed_on=on
    )
    return cert


TRIGGER = "certificates_logentry_append_only"


@contextmanager
def as_the_database_owner():
    """What someone with the database's owner rights can do on PostgreSQL: switch the log's guard off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's pending key checks, before the ALTER
            cursor.execute(f"ALTER TABLE certificates_logentry DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE certificates_logentry ENABLE TRIGGER {TRIGGER}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@dataclass
class Run:
    code: int  # the exit status `ocop verify-log` ends with
    message: str  # its last line: the summary (on success) or the CommandError's text
    lines: list[str]  # what it reported on stderr, one problem a line


def verify_log(*args: str) -> Run:
    """`ocop verify-log` as a shell runs it: its exit status, its summary and each problem it reported."""
    import io

    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_log", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return Run(exc.returncode, str(exc), err.getvalue().splitlines())
    return Run(0, out.getvalue().strip(), err.getvalue().splitlines())
