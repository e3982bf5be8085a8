"""A periodic report downloads under its clean name, bao-cao-ocop-<from>-<to>[-<commune code>].xlsx, however many
reports of the same period are stored (the storage gives the second file a suffix: bao-cao-ocop-…_FKCFlpv.xlsx)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ocop.conftest import client_for
from ocop.reporting import jobs
from ocop.reporting.tests.conftest import scene as scene
from ocop.testing import commune, province


def test_two_reports_of_one_period_both_download_with_the_clean_name(scene):
    bat_trang = commune("Bát Tràng")
    runs = [
        jobs.start_report(by=scene.coordinator, province=province(), starts_on=dt.date(2026, 1, 1),
                          ends_on=dt.date(2026, 12, 31), commune=place)
        for place in (None, None, bat_trang)
    ]  # fmt: skip
    for run in runs:
        jobs.run_report(run)
        run.refresh_from_db()
    assert runs[0].file.name != runs[1].file.name  # stored apart
    names = []
    for run in runs:
        response = client_for(scene.coordinator).get(reverse("backoffice:periodic_report_file", args=[run.pk]))
        assert response.status_code == 200
        names.append(response["Content-Disposition"])
        assert b"".join(response.streaming_content)[:2] == b"PK"  # the workbook itself
    assert names == [
        'attachment; filename="bao-cao-ocop-20260101-20261231.xlsx"',
        'attachment; filename="bao-cao-ocop-20260101-20261231.xlsx"',
        f'attachment; filename="bao-cao-ocop-20260101-20261231-{bat_trang.code}.xlsx"',
    ]
