"""A criteria workbook's three sheets are read in one go: one child process, one set of limits, one timeout (a
hostile workbook read three times took three times the worker)."""

import io

from ocop.core import xlsx
from ocop.core.xlsx import waiting
from ocop.evaluation.criteria_import import criteria_template, read_criteria


def test_a_criteria_workbook_is_read_once(db, monkeypatch):
    monkeypatch.setattr(xlsx, "WAIT_BEAT_SECONDS", 3600)  # no beat while the child works: one before, one after
    calls: list[str] = []
    with waiting(lambda: calls.append("read")):
        catalogue, errors = read_criteria(io.BytesIO(criteria_template()))
    assert (catalogue is not None, errors, calls) == (True, [], ["read", "read"])
