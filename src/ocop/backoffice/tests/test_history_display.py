"""The change history shows each change under the field's own label, and each value in the user's formats: "Có" for
True, 05/11/2025 for a date, "105,838" for a float, a choice by its label, a related record by its name."""

import datetime as dt
import re

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from ocop.conftest import client_for
from ocop.core.models import AuditAction, AuditEntry
from ocop.evaluation import scoring
from ocop.evaluation.models import Result
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier
from ocop.evaluation.tests.conftest import scene as scene  # the fixture
from ocop.outlets.models import Outlet
from ocop.registry.models import Producer
from ocop.testing import commune


def _entry(model, changes):
    return AuditEntry(
        action=AuditAction.CHANGE,
        content_type=ContentType.objects.get_for_model(model),
        object_id="1",
        object_repr="x",
        changes=changes,
    )


def test_values_in_vietnamese_formats_under_the_fields_labels(db):
    bat_trang = commune("Bát Tràng")
    producer = _entry(
        Producer,
        {
            "women_led": [False, True],
            "kind": ["cooperative", "household_business"],
            "commune": [None, f"#{bat_trang.pk}"],
            "created_at": [None, "2025-11-05T03:04:00+00:00"],
        },
    )
    outlet = _entry(Outlet, {"longitude": [105.83800000000001, 105.9], "decision_date": [None, "2025-11-05"]})
    result = _entry(Result, {"mean": ["80.2900", "81.5"]})
    with translation.override("vi"):
        assert producer.labelled_changes() == [
            ("nữ làm chủ", "Không", "Có"),
            ("loại hình", "Hợp tác xã", "Hộ kinh doanh"),
            ("xã/phường", None, "Xã Bát Tràng"),
            ("tạo lúc", None, "05/11/2025 10:04"),
        ]
        assert outlet.labelled_changes() == [("kinh độ", "105,838", "105,9"), ("ngày quyết định", None, "05/11/2025")]
        assert result.labelled_changes() == [("điểm trung bình", "80,29", "81,50")]
    with translation.override("en"):
        assert outlet.labelled_changes() == [("longitude", "105.838", "105.9"), ("decision date", None, "05/11/2025")]
        assert producer.labelled_changes()[0] == ("led by a woman", "No", "Yes")


def test_the_dossier_history_and_timeline_read_as_vietnamese(scene):
    dossier = ready_dossier(scene)
    council = council_of(scene)
    for user in scene.members:
        scoring.submit_sheet(by=user, dossier=dossier, choices=BEST)
    scoring.publish_results(by=scene.coordinator, council=council)
    body = client_for(scene.coordinator).get(reverse("backoffice:dossier_detail", kwargs={"pk": dossier.pk}))
    history = body.content.decode().split('<section class="history">')[1]
    items = [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", history, re.S)]
    assert "Khảo sát thực tế: 01/09/2025" in items
    sheets = [i for i in items if i.startswith("Phiếu chấm điểm: ")]
    assert len(sheets) == 7
    assert not [i for i in items if "_" in i.split(":")[0]]  # no "Score_sheet", "Site_visit"
    mean = Result.objects.get(dossier=dossier).mean
    shown = f"{mean:.2f}".replace(".", ",")
    page = body.content.decode()
    assert f"Điểm trung bình {shown}" in page and f"{mean:.2f}" not in page
    assert dt.date(2025, 9, 1).isoformat() not in history
