"""Inspections and consumers' reports in the API: read through the back office's gateways, exact values."""

import datetime as dt

import pytest
from django.test import Client

from ocop.accounts.models import Role, TokenScope
from ocop.accounts.services import create_api_token, system_user
from ocop.api import enums
from ocop.certificates.enums import ReportKind
from ocop.certificates.reports import client_key, mark_handled, report_problem
from ocop.conftest import client_for
from ocop.registry import services as registry_services
from ocop.supervision import enums as supervision_enums
from ocop.supervision import services
from ocop.supervision.enums import SanctionKind
from ocop.supervision.tests.conftest import inspected, office, planned, team  # noqa: F401  # the fixtures
from ocop.testing import make_user, province

NOT_FOUND = {"detail": "Không tìm thấy.", "code": "not_found"}


@pytest.mark.parametrize(
    ("api", "domain"),
    [
        (enums.InspectionState, supervision_enums.InspectionState),
        (enums.CheckArea, supervision_enums.CheckArea),
        (enums.CheckResult, supervision_enums.CheckResult),
        (enums.Severity, supervision_enums.Severity),
        (enums.FindingState, supervision_enums.FindingState),
        (enums.SanctionKind, supervision_enums.SanctionKind),
        (enums.RiskReason, supervision_enums.RiskReason),
        (enums.ConsumerReportKind, ReportKind),
    ],
)
def test_the_api_enums_are_the_domains(api, domain):
    assert [m.value for m in api] == list(domain.values)


@pytest.fixture
def owner(team):  # noqa: F811
    user = make_user(Role.PRODUCER, username="chuthe")
    registry_services.link_producer_account(producer=team.office.producer, user=user, by=system_user())
    return user


def test_an_inspection_reads_with_its_checklist_findings_and_sanctions(team, owner):  # noqa: F811
    inspection = inspected(team, labels="Nhãn thiếu hạn sử dụng")
    finding = inspection.findings.get()
    sanction = services.impose(
        by=team.inspector, inspection=inspection, kind=SanctionKind.WARNING, certificate=team.cert,
        reason="Nhắc nhở về nhãn", finding=finding,
    )  # fmt: skip
    body = client_for(owner).get(f"/api/v1/inspections/{inspection.pk}").json()
    checks = body.pop("checks")
    assert body == {
        "id": inspection.pk,
        "state": "done",
        "planned_on": "2026-03-02",
        "done_on": "2026-03-02",
        "province": "01",
        "producer": {"id": team.office.producer.pk, "name": "HTX Gốm Bát Tràng"},
        "product": None,
        "outlet": None,
        "inspector": team.inspector.get_full_name(),
        "plan": None,
        "findings": 1,
        "summary": "",
        "reasons": [],
        "consumer_report_id": None,
        "finding_list": [
            {
                "id": finding.pk,
                "area": "labels",
                "description": "Nhãn thiếu hạn sử dụng",
                "severity": "serious",
                "fix_by": "2026-04-01",
                "state": "escalated",
                "fixed_on": None,
                "follow_up": "",
            }
        ],
        "sanctions": [
            {
                "id": sanction.pk,
                "kind": "warning",
                "finding_id": finding.pk,
                "certificate": team.cert.number,
                "reason": "Nhắc nhở về nhãn",
                "decided_on": "2026-03-02",
            }
        ],
    }
    assert len(checks) == 9
    assert checks[5] == {"area": "labels", "result": "finding", "note": ""}
    assert checks[0] == {"area": "still_producing", "result": "ok", "note": ""}


def test_inspections_are_listed_with_filters(team):  # noqa: F811
    done = inspected(team)
    later = planned(team, planned_on=dt.date(2027, 1, 5), reasons=["never_inspected"])
    client = client_for(team.inspector)
    page = client.get("/api/v1/inspections").json()
    assert (page["count"], [i["id"] for i in page["items"]]) == (2, [later.pk, done.pk])
    assert page["items"][0] == {
        "id": later.pk,
        "state": "planned",
        "planned_on": "2027-01-05",
        "done_on": None,
        "province": "01",
        "producer": {"id": team.office.producer.pk, "name": "HTX Gốm Bát Tràng"},
        "product": None,
        "outlet": None,
        "inspector": team.inspector.get_full_name(),
        "plan": None,
        "findings": 0,
    }
    assert [i["id"] for i in client.get("/api/v1/inspections?state=done").json()["items"]] == [done.pk]
    assert [i["id"] for i in client.get("/api/v1/inspections?year=2027").json()["items"]] == [later.pk]
    assert client.get(f"/api/v1/inspections?producer={team.office.producer.pk}").json()["count"] == 2
    assert client.get("/api/v1/inspections?outlet=1").json()["count"] == 0
    bad = client.get("/api/v1/inspections?state=lost")
    assert (bad.status_code, bad.json()) == (
        422,
        {"detail": [{"field": "state", "message": "Không thuộc các giá trị cho phép: planned, done."}],
         "code": "invalid"},
    )  # fmt: skip


def test_outsiders_and_producers_see_what_the_back_office_shows(team, owner):  # noqa: F811
    done = inspected(team)
    waiting = planned(team, planned_on=dt.date(2026, 3, 9))
    # The producer reads its inspections once done; the commune officer those of the commune; the stranger none.
    assert [i["id"] for i in client_for(owner).get("/api/v1/inspections").json()["items"]] == [done.pk]
    assert client_for(owner).get(f"/api/v1/inspections/{waiting.pk}").status_code == 404
    assert client_for(team.officer).get("/api/v1/inspections").json()["count"] == 2
    stranger = client_for(team.stranger)
    assert stranger.get("/api/v1/inspections").json()["count"] == 0
    answer = stranger.get(f"/api/v1/inspections/{done.pk}")
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    assert client_for(make_user(Role.OUTLET_OPERATOR, username="op")).get("/api/v1/inspections").json()["count"] == 0
    assert client_for(None).get("/api/v1/inspections").status_code == 401


def test_inspection_list_query_count(team, django_assert_num_queries):  # noqa: F811
    client = client_for(team.inspector)
    planned(team)
    with django_assert_num_queries(5):  # session, user, roles; the count, the page
        assert client.get("/api/v1/inspections").json()["count"] == 1
    inspected(team, labels="x")
    planned(team, planned_on=dt.date(2026, 3, 9))
    with django_assert_num_queries(5):
        assert client.get("/api/v1/inspections").json()["count"] == 3


def _report(team, **fields):  # noqa: F811
    values = {"code": team.cert.code, "kind": ReportKind.FAKE, "message": "Tem in mờ", "client": client_key("1.2.3.4")}
    return report_problem(**(values | fields))


def test_consumer_reports_read_by_the_province(team, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False)
    report = _report(team, place="Chợ Đồng Xuân", contact="0912345678")
    inspection = services.schedule(by=team.office.coordinator, province=province(), planned_on=dt.date(2026, 3, 9),
                                   product=team.office.product, report=report, reasons=["reported"])  # fmt: skip
    unknown = _report(team, code="ZZZ999", kind=ReportKind.OTHER, message="Không có mã này")
    client = client_for(team.inspector)
    page = client.get("/api/v1/consumer-reports").json()
    assert [r["id"] for r in page["items"]] == [unknown.pk, report.pk]
    assert page["items"][1] == {
        "id": report.pk,
        "received_at": "2026-03-02T09:00:00Z",
        "code": team.cert.code,
        "certificate": {"number": team.cert.number, "code": team.cert.code, "product": "Bình gốm men lam"},
        "kind": "fake",
        "message": "Tem in mờ",
        "place": "Chợ Đồng Xuân",
        "contact": "0912345678",
        "handled": True,
        "inspection_ids": [inspection.pk],
    }
    assert client.get(f"/api/v1/consumer-reports/{unknown.pk}").json()["certificate"] is None
    assert [r["id"] for r in client.get("/api/v1/consumer-reports?handled=false").json()["items"]] == [unknown.pk]
    assert client.get("/api/v1/consumer-reports?kind=expired").json()["count"] == 0


def test_consumer_reports_outsiders(team, owner):  # noqa: F811
    """As the back office: another province's readers see only the reports of an unknown code; a producer, an
    outlet operator and a commune officer see none."""
    report = _report(team)
    unknown = _report(team, code="ZZZ999")
    assert [r["id"] for r in client_for(team.stranger).get("/api/v1/consumer-reports").json()["items"]] == [unknown.pk]
    answer = client_for(team.stranger).get(f"/api/v1/consumer-reports/{report.pk}")
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    for user in (owner, team.officer, make_user(Role.OUTLET_OPERATOR, username="op")):
        client = client_for(user)
        assert client.get("/api/v1/consumer-reports").json() == {"count": 0, "next": None, "previous": None,
                                                                  "items": []}  # fmt: skip
        assert client.get(f"/api/v1/consumer-reports/{unknown.pk}").status_code == 404


def test_consumer_report_list_query_count(team, django_assert_num_queries):  # noqa: F811
    client = client_for(team.inspector)
    _report(team)
    with django_assert_num_queries(6):  # session, user, roles; the count, the page, the inspections opened
        assert client.get("/api/v1/consumer-reports").json()["count"] == 1
    mark_handled(by=team.office.coordinator, report=_report(team))
    _report(team, code="ZZZ999")
    with django_assert_num_queries(6):
        assert client.get("/api/v1/consumer-reports").json()["count"] == 3


def test_a_systems_token_reads_as_its_user(team):  # noqa: F811
    """Another system (the province's inspection software) with a read token of the inspector: no session, no CSRF."""
    done = inspected(team)
    token = create_api_token(user=team.inspector, name="Phần mềm thanh tra", scope=TokenScope.READ).text
    client = Client()
    items = client.get("/api/v1/inspections", HTTP_AUTHORIZATION=f"Bearer {token}").json()["items"]
    assert [i["id"] for i in items] == [done.pk]
    stranger = create_api_token(user=team.stranger, name="Tỉnh khác", scope=TokenScope.READ).text
    answer = client.get(f"/api/v1/inspections/{done.pk}", HTTP_AUTHORIZATION=f"Bearer {stranger}")
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
