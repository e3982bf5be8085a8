"""The checklist's finding fields say they are required once "chưa đạt" is chosen (not "nếu có"), to the eye and to
a screen reader."""

import datetime as dt
import re

from ocop.accounts.models import Role
from ocop.supervision import services
from ocop.testing import make_producer, make_user, province


def test_a_findings_fields_are_marked_required_when_not_in_order(client, db, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 2, tzinfo=dt.UTC))
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    inspector = make_user(Role.INSPECTOR, username="inspector")
    inspection = services.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 11, 29),
                                   producer=make_producer(name="HTX Gốm Bát Tràng"), inspector=inspector)  # fmt: skip
    client.force_login(inspector)
    page = client.get(f"/bo/inspections/{inspection.pk}/").content.decode()
    box = re.search(r'<div class="finding" id="finding-labels".*?</div>', page, re.S).group(0)
    assert "nếu có" not in page
    assert re.findall(r'<p class="hint required-hint">([^<]*)</p>', box) == ["Bắt buộc khi chọn “chưa đạt”"]
    labels = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<label for="[^"]+_labels">(.*?)</label>', box)]
    assert labels == ["Nội dung chưa đạt (bắt buộc)", "Mức độ (bắt buộc)", "Hạn khắc phục (bắt buộc)"]
    assert re.findall(r'id="(\w+_labels)" name="\w+" aria-required="true"', box) == [
        "finding_labels", "severity_labels", "fix_by_labels"]  # fmt: skip
    assert 'id="note_labels" name="note_labels" aria-required' not in page  # the note stays optional
