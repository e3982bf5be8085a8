"""What the minutes print and the office types (issue 17): the founding decision's number and date and the meeting's
place when the council is set up, the hour the meeting opened at with the attendance, and the hour it closed at.
A refusal names the field in Vietnamese, answers 400 and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.conftest import client_for
from ocop.evaluation.models import Council, CouncilMember
from ocop.evaluation.tests.conftest import council_of
from ocop.evaluation.tests.conftest import scene as scene

NOW = dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội


def _post(client, name, pk, data):
    return client.post(reverse(f"backoffice:{name}", args=[pk]), data)


def _ok(client, name, pk, data) -> None:
    """Post, expect the redirect back to the round; the page it leads to takes the success message."""
    response = client.post(reverse(f"backoffice:{name}", args=[pk]), data, follow=True)
    assert [status for _url, status in response.redirect_chain] == [302]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _council_data(scene, **fields):
    return {"name": "Hội đồng 2026", "user_0": scene.members[0].pk, "role_0": "chair", **fields}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"decision": "1675/QĐ-UBND", "decision_date": "31/02/2026"},
            "Ngày quyết định thành lập: “31/02/2026” không phải là ngày (dd/mm/yyyy).",
        ),
        ({"decision": "1675/QĐ-UBND"}, "Ngày quyết định thành lập: nhập ngày ký của quyết định đã ghi số."),
        (
            {"decision": "1675/QĐ-UBND", "decision_date": "05/12/2026"},
            "Ngày quyết định thành lập: không được là một ngày trong tương lai.",
        ),
        ({"meeting_place": "P" * 256}, "Địa điểm họp: Giá trị này chỉ có tối đa 255 kí tự (hiện có 256)"),
    ],
)
def test_the_council_form_names_the_decision_date_and_the_place(scene, time_machine, fields, message):
    time_machine.move_to(NOW)
    response = _post(client_for(scene.coordinator), "council_create", scene.round.pk, _council_data(scene, **fields))
    assert response.status_code == 400
    assert _messages(response) == [message]
    assert not Council.objects.exists()


def test_the_council_keeps_its_decision_and_meeting_place(scene, time_machine):
    time_machine.move_to(NOW)
    client = client_for(scene.coordinator)
    form = client.get(reverse("backoffice:round_detail", args=[scene.round.pk])).content.decode()
    for label in ("Số quyết định thành lập", "Ngày quyết định thành lập", "Địa điểm họp"):
        assert f"<label>{label} <input" in form
    data = _council_data(scene, decision="1675/QĐ-UBND", decision_date="20/11/2026", meeting_place="Phòng họp số 2")
    assert _post(client, "council_create", scene.round.pk, data).status_code == 302
    council = Council.objects.get()
    assert (council.decision, council.decision_date, council.meeting_place) == (
        "1675/QĐ-UBND",
        dt.date(2026, 11, 20),
        "Phòng họp số 2",
    )
    page = client.get(reverse("backoffice:round_detail", args=[scene.round.pk])).content.decode()
    assert "Hội đồng 2026</strong> · Quyết định thành lập 1675/QĐ-UBND ngày 20/11/2026 · Phòng họp số 2 ·" in page


def test_the_meeting_hours_are_typed_or_the_present_hour_and_refused_by_name(scene, time_machine):
    time_machine.move_to(NOW)
    council = council_of(scene, present=0)  # set up, nobody present yet; opened by the service at 09:00
    Council.objects.filter(pk=council.pk).update(meeting_open=False, meeting_start=None)
    client = client_for(scene.coordinator)
    seats = [m.pk for m in council.members.order_by("id")]
    response = _post(client, "meeting_open", scene.round.pk, {"present": seats, "meeting_start": "25:99"})
    assert response.status_code == 400
    assert _messages(response) == ["Giờ bắt đầu họp: “25:99” không phải là giờ (hh:mm)."]
    council.refresh_from_db()
    assert (council.meeting_open, council.meeting_start) == (False, None)
    assert not CouncilMember.objects.filter(council=council, present=True).exists()

    _ok(client, "meeting_open", scene.round.pk, {"present": seats, "meeting_start": "08:15"})
    council.refresh_from_db()
    assert (council.meeting_open, council.meeting_date, council.meeting_start) == (
        True,
        dt.date(2026, 12, 4),
        dt.time(8, 15),
    )
    # Taking the attendance again keeps the hour the meeting opened at.
    _ok(client, "meeting_open", scene.round.pk, {"present": seats[:6]})
    council.refresh_from_db()
    assert council.meeting_start == dt.time(8, 15)

    response = _post(client, "meeting_close", scene.round.pk, {"meeting_end": "08:00"})
    assert response.status_code == 400
    assert _messages(response) == ["Giờ kết thúc họp: không thể trước giờ bắt đầu họp (08:15)."]
    response = _post(client, "meeting_close", scene.round.pk, {"meeting_end": "mười giờ"})
    assert response.status_code == 400
    assert _messages(response) == ["Giờ kết thúc họp: “mười giờ” không phải là giờ (hh:mm)."]
    council.refresh_from_db()
    assert (council.meeting_closed, council.meeting_end) == (False, None)

    _ok(client, "meeting_close", scene.round.pk, {"meeting_end": ""})  # the present hour
    council.refresh_from_db()
    assert (council.meeting_closed, council.meeting_end) == (True, dt.time(9, 0))
