"""The QR page names the certificate's dates by its status: "valid until" only while it is valid."""

import datetime as dt
import re

import pytest

from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401


def _period(body: str) -> tuple[str, str]:
    label = re.search(r'<dt id="period-label">(.*?)</dt>', body, re.S)
    value = re.search(r'<dd id="period">(.*?)</dd>', body, re.S)
    assert label is not None and value is not None
    return re.sub(r"<[^>]+>", "", label.group(1)), value.group(1)


def test_a_valid_certificate_says_valid_until(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office, on=dt.date(2025, 11, 20))
    assert _period(client.get(f"/v/{cert.code}").content.decode()) == (
        "Hiệu lực đến Valid until",
        "20/11/2028 (ngày cấp 20/11/2025)",
    )


@pytest.mark.parametrize("status", ["expired", "suspended", "revoked"])
def test_a_certificate_no_longer_valid_shows_its_period_not_valid(office, client, time_machine, status):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office, on=dt.date(2025, 11, 20))
    if status == "suspended":
        services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn ghi sai hạn dùng")
    elif status == "revoked":
        services.revoke(
            by=office.coordinator, certificate=cert, decision_number="9/QĐ", revoked_on=dt.date(2026, 1, 5),
            reason="Sai",
        )  # fmt: skip
    else:
        time_machine.move_to(dt.datetime(2028, 11, 21, 12, tzinfo=dt.UTC))
    body = client.get(f"/v/{cert.code}").content.decode()
    assert f'data-status="{status}"' in body
    assert _period(body) == ("Thời hạn Period", "20/11/2025 – 20/11/2028")
    assert "Hiệu lực đến" not in body and "Valid until" not in body
