"""A certificate's standing on a past day, by its own history: one case each (suspended then lifted, revoked after
the day or before it, superseded before the day, expired, entered from history)."""

import datetime as dt

from ocop.certificates import asof, services
from ocop.certificates.models import Certificate
from ocop.certificates.tests.conftest import issue
from ocop.testing import make_product, province


def _valid(day: dt.date) -> list[str]:
    return sorted(asof.valid_on(day).values_list("number", flat=True))


def _at(time_machine, day: dt.date, hour: int = 9) -> None:
    """Move to `hour` o'clock UTC on `day` (16:00 in Hà Nội at 9)."""
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC), tick=False)


def test_a_certificate_counts_from_its_issue_to_its_last_day(office, time_machine):
    _at(time_machine, dt.date(2025, 1, 20))
    cert = issue(office, on=dt.date(2022, 1, 10))  # entered late: logged in 2025, dated 2022
    assert cert.valid_until == dt.date(2025, 1, 10)
    assert _valid(dt.date(2022, 1, 9)) == []
    assert _valid(dt.date(2022, 1, 10)) == [cert.number]
    assert _valid(dt.date(2025, 1, 10)) == [cert.number]  # its last day
    assert _valid(dt.date(2025, 1, 11)) == []  # expired


def test_a_suspension_lifted_later_leaves_the_days_around_it_valid(office, time_machine):
    _at(time_machine, dt.date(2025, 12, 1))
    cert = issue(office, on=dt.date(2025, 11, 20))
    # 20:00 UTC on 10/02 is 03:00 on 11/02 in Hà Nội: the suspension's day is the 11th.
    _at(time_machine, dt.date(2026, 2, 10), hour=20)
    services.suspend(by=office.coordinator, certificate=cert, reason="Kiểm tra chất lượng")
    _at(time_machine, dt.date(2026, 3, 15))
    services.lift(by=office.coordinator, certificate=cert)
    _at(time_machine, dt.date(2026, 5, 1))
    services.suspend(by=office.coordinator, certificate=cert, reason="Vi phạm nhãn")
    _at(time_machine, dt.date(2026, 6, 1))
    days = [dt.date(2026, 2, 10), dt.date(2026, 2, 11), dt.date(2026, 3, 14), dt.date(2026, 3, 15),
            dt.date(2026, 4, 30), dt.date(2026, 5, 1), dt.date(2026, 6, 1)]  # fmt: skip
    assert [bool(_valid(day)) for day in days] == [True, False, False, True, True, False, False]
    cert.refresh_from_db()
    assert (cert.status, cert.status_since) == ("suspended", dt.date(2026, 5, 1))


def test_a_revocation_counts_from_its_decision_date_not_from_when_it_was_entered(office, time_machine):
    _at(time_machine, dt.date(2025, 12, 1))
    late = issue(office, on=dt.date(2025, 11, 20))
    other = issue(office, product=make_product(producer=office.producer, name="Chén gốm"), on=dt.date(2025, 11, 20))
    _at(time_machine, dt.date(2026, 5, 4))
    services.revoke(by=office.coordinator, certificate=late, decision_number="88/QĐ-UBND",
                    revoked_on=dt.date(2026, 5, 4), reason="Ngừng sản xuất")  # fmt: skip
    _at(time_machine, dt.date(2026, 6, 1))  # entered in June, decided in January
    services.revoke(by=office.coordinator, certificate=other, decision_number="90/QĐ-UBND",
                    revoked_on=dt.date(2026, 1, 15), reason="Vi phạm")  # fmt: skip
    # Revoked after the end of 2025: both count for 2025.
    assert _valid(dt.date(2025, 12, 31)) == sorted([late.number, other.number])
    assert _valid(dt.date(2026, 1, 15)) == [late.number]
    assert _valid(dt.date(2026, 5, 3)) == [late.number]
    assert _valid(dt.date(2026, 5, 4)) == []


def test_a_certificate_superseded_before_the_day_gives_way_to_the_new_one(office, time_machine):
    _at(time_machine, dt.date(2025, 6, 1))
    old = issue(office, stars=3, on=dt.date(2024, 3, 1))
    _at(time_machine, dt.date(2025, 9, 20))  # the new decision is entered five days after it was signed
    new = issue(office, stars=4, on=dt.date(2025, 9, 15))
    old.refresh_from_db()
    assert (old.status, old.status_since, old.superseded_by_id) == ("superseded", dt.date(2025, 9, 20), new.pk)
    assert _valid(dt.date(2024, 12, 31)) == [old.number]  # superseded after the end of 2024: counts for 2024
    assert _valid(dt.date(2025, 9, 14)) == [old.number]
    assert _valid(dt.date(2025, 9, 15)) == [new.number]  # from the new certificate's date, not the entry's
    assert _valid(dt.date(2025, 12, 31)) == [new.number]


def test_a_suspended_certificate_without_a_log_entry_reads_its_stored_date(office, time_machine):
    """Rows written in bulk (bench data, a restore) may carry a suspension the log never saw."""
    _at(time_machine, dt.date(2025, 12, 1))
    cert = issue(office, on=dt.date(2025, 11, 20))
    Certificate.objects.filter(pk=cert.pk).update(status="suspended", status_since=dt.date(2025, 11, 25))
    assert (_valid(dt.date(2025, 11, 24)), _valid(dt.date(2025, 11, 25))) == ([cert.number], [])


def test_a_decision_entered_from_history_counts_on_its_own_dates(office, time_machine):
    _at(time_machine, dt.date(2026, 6, 1))
    numbers = []
    for stars, signed_on, number in (
        (3, dt.date(2019, 11, 12), "5087/QĐ-UBND"),
        (4, dt.date(2021, 5, 4), "77/QĐ-UBND"),
    ):
        decision = services.draft_decision(by=office.coordinator, province=province(), historical=True)
        services.add_item(by=office.coordinator, decision=decision, product=office.product, stars=stars)
        (cert,) = services.issue_decision(by=office.coordinator, decision=decision, number=number, signed_on=signed_on)
        numbers.append(cert.number)
    first, second = numbers
    # Both logged on 01/06/2026; the first superseded that day by the service, in 2021 by the record.
    assert _valid(dt.date(2019, 12, 31)) == [first]
    assert _valid(dt.date(2021, 5, 3)) == [first]
    assert _valid(dt.date(2021, 5, 4)) == [second]
    assert _valid(dt.date(2024, 5, 4)) == [second]
    assert _valid(dt.date(2024, 5, 5)) == []  # expired
    assert _valid(dt.date(2026, 6, 1)) == []


def test_a_recognition_list_counts_on_its_recorded_dates(db, time_machine):
    """Certificates of the "LS" series: entered (and logged) in December 2026, valid on their list's dates."""
    from ocop.accounts.models import Role
    from ocop.certificates.tests.test_history import TODAY, published_list
    from ocop.registry.imports import run_import
    from ocop.registry.models import ImportMode
    from ocop.testing import make_user

    time_machine.move_to(TODAY, tick=False)
    run_import("history", published_list(), user=make_user(Role.PROVINCE_COORDINATOR), commit=True,
               mode=ImportMode.PARK)  # fmt: skip
    assert _valid(dt.date(2019, 12, 31)) == ["LS-01-2019-00001"]
    assert _valid(dt.date(2022, 10, 4)) == ["LS-01-2019-00001"]
    # Replaced by the 2022 decision on its date (the supersession was logged in 2026).
    assert _valid(dt.date(2022, 10, 5)) == ["LS-01-2022-00001", "LS-01-2022-00002"]
    # A year-only decision: dated 31/12/2023, never counted before it.
    assert _valid(dt.date(2023, 12, 30)) == ["LS-01-2022-00001", "LS-01-2022-00002"]
    assert _valid(dt.date(2023, 12, 31)) == ["LS-01-2022-00001", "LS-01-2022-00002", "LS-01-2023-00001"]
    assert _valid(dt.date(2024, 12, 31)) == ["LS-01-2022-00001", "LS-01-2022-00002", "LS-01-2023-00001",
                                             "LS-01-2024-00001"]  # fmt: skip
