"""The log covers the state, not only itself: a certificate edited in the table behind the application's back
differs from its replayed log, and on PostgreSQL the log itself refuses to be edited."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from ocop.certificates import log, services
from ocop.certificates.models import Certificate, LogEntry
from ocop.certificates.tests.conftest import Run, as_the_database_owner, issue, verify_log

SUMMARY = "Nhật ký minh bạch có 0 vấn đề và các giấy chứng nhận có 1 điểm khác với nhật ký."


def _problems():
    return [(p.number, p.message) for p in log.replay()]


def test_stars_raised_in_the_table_are_caught_by_the_replay(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office, stars=4)
    assert _problems() == []
    Certificate.objects.filter(pk=cert.pk).update(stars=5)
    raised = f"Giấy chứng nhận {cert.number}: số sao là 5 trong bảng nhưng là 4 trong nhật ký."
    assert _problems() == [(cert.number, raised)]
    assert verify_log() == Run(1, SUMMARY, [raised])


def test_a_revoked_certificate_set_back_to_valid_is_caught_by_the_replay(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office, stars=3)
    services.revoke(by=office.coordinator, certificate=cert, decision_number="12/QĐ-UBND",
                    revoked_on=dt.date(2026, 1, 9), reason="Vi phạm nhãn")  # fmt: skip
    assert _problems() == []
    Certificate.objects.filter(pk=cert.pk).update(status="valid", status_reason="")
    revived = (f"Giấy chứng nhận {cert.number}: bảng ghi là còn hiệu lực nhưng mục cuối của nhật ký để lại là bị thu "
               "hồi.")  # fmt: skip
    assert _problems() == [(cert.number, revived)]
    assert verify_log() == Run(1, SUMMARY, [revived])


def test_the_log_refuses_update_and_delete_on_postgresql_and_the_verifier_catches_them_elsewhere(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    issue(office)
    entry = LogEntry.objects.get()
    if connection.vendor == "postgresql":
        for attempt in (lambda: LogEntry.objects.filter(pk=entry.pk).update(data={}), entry.delete):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                attempt()
        assert LogEntry.objects.get().hash == entry.hash
        call_command("verify_log")
    else:  # SQLite has no such guard: the edit goes in, and the verifier reports it
        LogEntry.objects.filter(pk=entry.pk).update(data={**entry.data, "stars": 5})
        assert [p.seq for p in log.verify()] == [1]
        with pytest.raises(CommandError):
            call_command("verify_log")


def test_an_entry_rewritten_into_an_unknown_event_is_reported_not_a_crash(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    entry = LogEntry.objects.get()
    with as_the_database_owner():
        LogEntry.objects.filter(pk=entry.pk).update(event="forged", data=[1, 2])
    assert [p.seq for p in log.verify()] == [1]
    assert _problems() == [
        (cert.number, f"Giấy chứng nhận {cert.number}: mã xác thực là {cert.code} trong bảng nhưng là — trong nhật ký."),
        (cert.number, f"Giấy chứng nhận {cert.number}: số sao là 4 trong bảng nhưng là — trong nhật ký."),
        (cert.number, f"Giấy chứng nhận {cert.number}: ngày cấp là 2025-11-20 trong bảng nhưng là — trong nhật ký."),
        (cert.number, f"Giấy chứng nhận {cert.number}: hiệu lực đến là 2028-11-20 trong bảng nhưng là — trong nhật ký."),
        (cert.number, f"Giấy chứng nhận {cert.number}: bảng ghi là còn hiệu lực nhưng mục cuối của nhật ký để lại là "
                      "forged."),
    ]  # fmt: skip


def test_a_certificate_given_to_another_product_and_producer_is_caught_by_the_replay(office, time_machine):
    from ocop.testing import make_producer, make_product

    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office, stars=4)
    other = make_product(producer=make_producer(name="HTX Gốm Chu Đậu"), name="Bình gốm men lam")  # the same name
    assert _problems() == []
    Certificate.objects.filter(pk=cert.pk).update(product=other, producer=other.producer)
    moved = [
        f"Giấy chứng nhận {cert.number}: sản phẩm là #{other.pk} trong bảng nhưng là #{office.product.pk} trong nhật ký.",
        f"Giấy chứng nhận {cert.number}: chủ thể là #{other.producer_id} trong bảng nhưng là #{office.producer.pk} "
        "trong nhật ký.",
    ]
    assert _problems() == [(cert.number, m) for m in moved]
    assert verify_log() == Run(1, SUMMARY.replace("có 1 điểm", "có 2 điểm"), moved)


def test_a_revocation_moved_to_another_day_is_caught_by_the_replay(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office, stars=3)
    services.revoke(by=office.coordinator, certificate=cert, decision_number="12/QĐ-UBND",
                    revoked_on=dt.date(2026, 1, 9), reason="Vi phạm nhãn")  # fmt: skip
    assert LogEntry.objects.order_by("seq").last().data["status_since"] == "2026-01-09"
    assert _problems() == []
    # Dated a year later, the revocation would leave the certificate counted in 2026's figures.
    Certificate.objects.filter(pk=cert.pk).update(status_since=dt.date(2027, 1, 9))
    moved = (
        f"Giấy chứng nhận {cert.number}: trạng thái tính từ 2027-01-09 trong bảng nhưng từ 2026-01-09 trong nhật ký."
    )
    assert _problems() == [(cert.number, moved)]
