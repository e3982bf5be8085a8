"""Today's valid certificates kept as rows (certificates.standing): after every change the services make, on a new
day, for a certificate written past the log, and for a product moved to another group, they hold exactly what the
history says (asof.valid_on); what was written past everything is found and rebuilt by `ocop standing`."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from openpyxl import load_workbook

from ocop.certificates import asof, services, standing
from ocop.certificates.models import Certificate, Decision, DecisionItem, LogEntry, Standing, StandingDay
from ocop.certificates.rules import valid_until
from ocop.certificates.tests.conftest import issue
from ocop.core.excel import write_workbook
from ocop.registry.columns import PRODUCT_COLUMNS
from ocop.registry.exports import export_products
from ocop.registry.imports import run_import
from ocop.registry.models import Product, ProductSet
from ocop.testing import make_product, province

DAY = dt.date(2026, 6, 1)


def _at(time_machine, day: dt.date) -> None:
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.UTC), tick=False)


def _kept(day: dt.date = DAY) -> list[str]:
    kept = standing.on(day)
    assert kept is not None
    numbers = sorted(kept.values_list("certificate__number", flat=True))
    assert numbers == sorted(asof.valid_on(day).values_list("number", flat=True))  # the history says the same
    return numbers


def test_the_rows_follow_each_change_the_services_make(office, time_machine):
    _at(time_machine, DAY)
    jar = make_product(producer=office.producer, name="Chén gốm")
    first = issue(office, on=dt.date(2025, 11, 20))
    second = issue(office, product=jar, stars=3, on=dt.date(2026, 5, 10))
    assert standing.on(DAY + dt.timedelta(days=1)) is None  # only today is kept: any other day reads the history
    assert not StandingDay.objects.exists()
    assert _kept() == sorted([first.number, second.number])
    row = Standing.objects.get(certificate=second)
    assert (row.province_id, row.commune_id, row.product_id, row.producer_id, row.group_id, row.stars,
            row.potential_five, row.valid_until) == (
        second.province_id, second.commune_id, jar.pk, office.producer.pk, jar.group_id, 3, False,
        dt.date(2029, 5, 10))  # fmt: skip
    day = StandingDay.objects.get()
    assert (day.day, day.seq, day.certificate_id) == (
        DAY, LogEntry.objects.aggregate(m=Max("seq"))["m"], second.pk)  # fmt: skip

    services.suspend(by=office.coordinator, certificate=first, reason="Kiểm tra chất lượng")
    assert _kept() == [second.number]
    services.lift(by=office.coordinator, certificate=first)
    assert _kept() == sorted([first.number, second.number])
    services.revoke(by=office.coordinator, certificate=second, decision_number="88/QĐ-UBND", revoked_on=DAY,
                    reason="Ngừng sản xuất")  # fmt: skip
    assert _kept() == [first.number]
    newer = issue(office, stars=3, on=DAY)  # supersedes the first (4 stars)
    assert _kept() == [newer.number]
    assert Standing.objects.get().stars == 3


def test_a_new_day_rebuilds_the_rows(office, time_machine):
    _at(time_machine, DAY)
    ending = issue(office, on=dt.date(2023, 6, 1))  # its last day is today
    assert ending.valid_until == DAY
    assert _kept() == [ending.number]
    _at(time_machine, DAY + dt.timedelta(days=1))
    assert _kept(DAY + dt.timedelta(days=1)) == []  # expired at midnight: no one acted
    assert StandingDay.objects.get().day == DAY + dt.timedelta(days=1)


def test_a_certificate_written_past_the_log_is_counted(office, time_machine):
    """A bulk load (bench data, a restore's tail) writes certificates without a log entry: counted all the same."""
    _at(time_machine, DAY)
    first = issue(office, on=dt.date(2025, 11, 20))
    assert _kept() == [first.number]
    jar = make_product(producer=office.producer, name="Chén gốm")
    decision = Decision.objects.create(province=province(), level="province", issuing_body="UBND", number="9/QĐ",
                                       signed_on=dt.date(2026, 1, 5), state="issued", historical=True)  # fmt: skip
    item = DecisionItem.objects.create(decision=decision, product=jar, stars=3, position=0)
    bulk = Certificate.objects.create(
        item=item, decision=decision, product=jar, producer=office.producer, province=province(), number="LS-1",
        year=2026, sequence=9001, stars=3, issued_on=dt.date(2026, 1, 5), valid_until=valid_until(dt.date(2026, 1, 5)),
        code="BULK00000001",
    )  # fmt: skip
    assert not LogEntry.objects.filter(certificate=bulk).exists()
    assert _kept() == sorted([first.number, "LS-1"])


def test_a_product_moved_to_another_group_counts_in_it(office, time_machine):
    _at(time_machine, DAY)
    cert = issue(office, on=dt.date(2025, 11, 20))
    assert _kept() == [cert.number]
    before = office.product.group_id
    other = ProductSet.objects.exclude(group_id=before).order_by("pk").first()
    product = Product.objects.get(pk=office.product.pk)
    product.product_set = other  # its group follows its set (registry.Product.save)
    product.save()
    assert Standing.objects.get().group_id == other.group_id != before
    assert standing.verify(DAY) == (set(), set())


def test_a_product_moved_by_an_import_counts_in_its_new_group(office, time_machine):
    """An import writes its changes in bulk, past the model's save: the move is signalled all the same."""
    _at(time_machine, DAY)
    issue(office, on=dt.date(2025, 1, 10))
    standing.on(DAY)
    other = ProductSet.objects.exclude(group_id=office.product.group_id).order_by("pk").first()
    headers = [t for _n, t in PRODUCT_COLUMNS]
    sheet = load_workbook(io.BytesIO(export_products(Product.objects.filter(pk=office.product.pk)))).active
    row = next([c.value for c in r] for r in sheet.iter_rows() if r[0].value == office.product.pk)
    row[headers.index("Bộ sản phẩm")] = other.code
    upload = io.BytesIO(write_workbook(title="x", headers=headers, rows=[row]))
    report = run_import("products", upload, user=office.coordinator, commit=True)
    assert report.summary().startswith("rows: 1 read, 0 created, 1 updated")
    assert Product.objects.get(pk=office.product.pk).group_id == other.group_id
    assert Standing.objects.get().group_id == other.group_id
    assert standing.verify(DAY) == (set(), set())


@pytest.mark.django_db(transaction=True)
def test_a_reader_never_waits_for_a_writer_holding_the_rows(reference_data, office, time_machine):
    """Rows behind while another transaction holds them (a rebuild, an import moving groups): the reader counts from
    the history at once (SQLite: after a quarter of a second), with the same figures, and the rows catch up later."""
    _at(time_machine, DAY)
    first = issue(office, on=dt.date(2025, 11, 20))
    standing.on(DAY)
    services.suspend(by=office.coordinator, certificate=first, reason="Kiểm tra")  # the rows are now behind
    held, release = threading.Event(), threading.Event()

    def writer() -> None:
        try:
            with transaction.atomic():
                StandingDay.objects.filter(pk=1).update(built_at=timezone.now())  # the day row, and SQLite's lock
                held.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert held.wait(30)
        assert standing.on(DAY) is None  # the figures then count from the history (reporting.stats)
        assert not asof.valid_on(DAY).exists()  # which has the suspension
        assert Standing.objects.count() == 1  # the rows, behind, were left alone
    finally:
        release.set()
        thread.join()
    assert _kept() == []
    services.lift(by=office.coordinator, certificate=first)
    assert _kept() == [first.number]


def test_a_change_past_the_services_is_found_and_rebuilt(office, time_machine, capsys):
    _at(time_machine, DAY)
    cert = issue(office, on=dt.date(2025, 11, 20))
    call_command("standing")
    assert capsys.readouterr().out == "standing: 1 giấy chứng nhận còn hiệu lực ngày 01/06/2026; 0 khác với lịch sử\n"
    call_command("standing", "--verify")
    assert capsys.readouterr().out == "standing: các dòng của ngày 01/06/2026 khớp với lịch sử\n"
    # An SQL edit: no service, no log entry.
    Certificate.objects.filter(pk=cert.pk).update(status="revoked", status_since=dt.date(2026, 5, 1))
    with pytest.raises(
        CommandError, match=r"^1 giấy chứng nhận được tính khác với lịch sử của chúng vào ngày 01/06/2026$"
    ):
        call_command("standing", "--verify")
    assert (
        capsys.readouterr().err == f"giấy chứng nhận #{cert.pk}: được tính, nhưng theo lịch sử thì không còn hiệu lực\n"
    )
    assert Standing.objects.count() == 1  # --verify writes nothing
    call_command("standing")
    out = capsys.readouterr()
    assert out.out == "standing: 0 giấy chứng nhận còn hiệu lực ngày 01/06/2026; 1 khác với lịch sử\n"
    assert _kept() == []
