"""Risk-based picks: exact scores and order from reports, findings, coming expiries and past inspections."""

import datetime as dt

from ocop.certificates.enums import ReportKind
from ocop.certificates.reports import client_key, report_problem
from ocop.certificates.tests.conftest import issue
from ocop.supervision.enums import RiskReason
from ocop.supervision.risk import picks
from ocop.supervision.tests.conftest import inspected, planned
from ocop.testing import make_producer, make_product, province


def test_picks_rank_reports_findings_expiries_and_never_inspected(team):
    office = team.office
    inspected(team, labels="Sai nhãn")  # the office's producer: one past finding (2)
    expiring = make_product(producer=make_producer(name="HTX Bánh Tẻ"), name="Bánh tẻ")
    issue(office, product=expiring, on=dt.date(2023, 4, 1))  # ends 1/4/2026: 30 days left (1), never inspected (1)
    reported = make_product(producer=make_producer(name="Cơ sở Chè Tân Cương"), name="Chè búp")
    cert = issue(office, product=reported, on=dt.date(2025, 6, 1))
    report_problem(code=cert.code, kind=ReportKind.FAKE, message="", client=client_key("1.1.1.1"))  # 3 + never 1
    on_calendar = make_product(producer=make_producer(name="HTX Đã Lên Lịch"), name="Mật ong")
    issue(office, product=on_calendar, on=dt.date(2025, 6, 1))
    planned(team, producer=on_calendar.producer)  # already planned: left out
    make_product(producer=make_producer(name="HTX Chưa OCOP"), name="Gạo")  # no certificate: left out
    found = [
        (p.producer.name, p.score, p.reasons, p.reports, p.findings) for p in picks(province().pk, dt.date(2026, 3, 2))
    ]
    assert found == [
        ("Cơ sở Chè Tân Cương", 4, [RiskReason.REPORTED, RiskReason.NEVER_INSPECTED], 1, 0),
        ("HTX Bánh Tẻ", 2, [RiskReason.EXPIRING, RiskReason.NEVER_INSPECTED], 0, 0),
        ("HTX Gốm Bát Tràng", 2, [RiskReason.PAST_FINDINGS], 0, 1),
    ]


def test_picks_of_equal_score_are_in_vietnamese_order(team):
    for name in ("HTX Ông Lão", "HTX Đồng Xanh", "HTX Dừa Sáp", "HTX Ô Mai", "HTX Ếch Đồng"):
        issue(team.office, product=make_product(producer=make_producer(name=name)), on=dt.date(2025, 6, 1))
    found = [(p.producer.name, p.score) for p in picks(province().pk, dt.date(2026, 3, 2))]
    # By code point Đ and Ế came after every Latin letter, the team's "HTX Gốm Bát Tràng" among them.
    assert found == [("HTX Dừa Sáp", 1), ("HTX Đồng Xanh", 1), ("HTX Ếch Đồng", 1), ("HTX Gốm Bát Tràng", 1),
                     ("HTX Ô Mai", 1), ("HTX Ông Lão", 1)]  # fmt: skip
