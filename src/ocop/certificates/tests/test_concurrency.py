"""Many decisions issued at the same moment: every certificate gets its own number, and the log stays one chain."""

import datetime as dt
import threading

from django.db import connection

from ocop.certificates import log, services
from ocop.certificates.models import Certificate, LogEntry
from ocop.evaluation.testing import council_result
from ocop.testing import make_product, province


def test_simultaneous_issues_number_without_gaps_or_twins(reference_data, office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=True)
    decisions = []
    for d in range(6):
        decision = services.draft_decision(by=office.coordinator, province=province())
        for _ in range(5):
            product = make_product(producer=office.producer)
            council_result(product, 3 + d % 2)
            services.add_item(by=office.coordinator, decision=decision, product=product, stars=3 + d % 2)
        decisions.append(decision)
    start = threading.Barrier(len(decisions))
    failures: list[BaseException] = []

    def run(decision, n):
        try:
            start.wait()
            services.issue_decision(
                by=office.coordinator, decision=decision, number=f"{n}/QĐ-UBND", signed_on=dt.date(2026, 1, 9)
            )
        except BaseException as exc:  # noqa: BLE001  # reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(d, n)) for n, d in enumerate(decisions, start=1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, 31))
    for decision in decisions:  # each decision's certificates are numbered in one block
        seqs = sorted(decision.certificates.values_list("sequence", flat=True))
        assert seqs == list(range(seqs[0], seqs[0] + 5))
    assert sorted(LogEntry.objects.values_list("seq", flat=True)) == list(range(1, 31))
    assert log.verify() == []
