from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.accounts.models import Role
from ocop.certificates.tests.conftest import Office, issue
from ocop.certificates.tests.conftest import office as office
from ocop.supervision import services
from ocop.supervision.enums import CheckArea, CheckResult
from ocop.testing import make_user, province


@dataclass
class Team:
    office: Office
    inspector: Any
    officer: Any  # commune officer of Bát Tràng
    stranger: Any  # inspector of another province
    cert: Any


@pytest.fixture
def team(office, time_machine) -> Team:
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    return Team(
        office=office,
        inspector=make_user(Role.INSPECTOR, username="inspector"),
        officer=make_user(Role.COMMUNE_OFFICER, username="canboxa", communes=("Bát Tràng",)),
        stranger=make_user(Role.INSPECTOR, username="stranger", province_code="31"),
        cert=issue(office, on=dt.date(2025, 11, 20)),
    )


def all_ok(**findings: str) -> dict[str, tuple[str, str]]:
    return {a: ((CheckResult.FINDING, "") if a in findings else (CheckResult.OK, "")) for a in CheckArea}


def planned(team: Team, **fields: Any) -> Any:
    values = {"planned_on": dt.date(2026, 3, 2), "producer": team.office.producer, "inspector": team.inspector}
    values.update(fields)
    return services.schedule(by=team.office.coordinator, province=province(), **values)


def inspected(team: Team, **findings: str) -> Any:
    inspection = planned(team)
    return services.record(
        by=team.inspector, inspection=inspection, done_on=dt.date(2026, 3, 2), checks=all_ok(**findings),
        findings={a: services.FindingInput(text, "serious", dt.date(2026, 4, 1)) for a, text in findings.items()},
    )  # fmt: skip
