"""GET /api/v1/transparency-log/checkpoints: every signed checkpoint, newest first, open to everyone, paginated."""

import datetime as dt

import pytest

from ocop.certificates import services
from ocop.certificates.checkpoints import make_checkpoint
from ocop.certificates.models import Checkpoint, LogEntry
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.testing import province, signing_keys

NOON = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
URL = "/api/v1/transparency-log/checkpoints"


def test_the_checkpoints_are_served_newest_first_with_the_text_they_sign(office, client, time_machine):  # noqa: F811
    time_machine.move_to(NOON, tick=False)
    cert = issue(office)
    first = make_checkpoint(body=province("01"))
    time_machine.move_to(NOON + dt.timedelta(days=1), tick=False)
    services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn sai")
    second = make_checkpoint(body=province("01"))
    head = LogEntry.objects.get(seq=2).hash
    body = client.get(URL).json()  # no login
    assert body == {
        "count": 2,
        "next": None,
        "previous": None,
        "items": [
            {"seq": 2, "hash": head, "at": "2026-01-11T09:00:00Z", "body": "01", "key_id": second.key_id,
             "signature": second.signature, "signed_text": f"OCOP-CHECKPOINT|v1|01|2|{head}|2026-01-11T09:00:00Z"},
            {"seq": 1, "hash": first.hash, "at": "2026-01-10T09:00:00Z", "body": "01", "key_id": first.key_id,
             "signature": first.signature,
             "signed_text": f"OCOP-CHECKPOINT|v1|01|1|{first.hash}|2026-01-10T09:00:00Z"},
        ],
    }  # fmt: skip
    assert client.get(f"{URL}?body=TW").json() == {"count": 0, "next": None, "previous": None, "items": []}
    assert client.get(f"{URL}?page=0").status_code == 422
    assert URL in client.get("/api/v1/openapi.json").json()["paths"]


def test_the_checkpoints_come_in_pages_of_50(office, client, time_machine):  # noqa: F811
    time_machine.move_to(NOON, tick=False)
    issue(office)
    hanoi = province("01")
    for day in range(51):
        time_machine.move_to(NOON + dt.timedelta(days=day), tick=False)
        make_checkpoint(body=hanoi)
    first, second = client.get(URL).json(), client.get(f"{URL}?page=2").json()
    assert (first["count"], len(first["items"]), first["items"][0]["at"]) == (51, 50, "2026-03-01T09:00:00Z")
    assert (first["next"], second["previous"]) == (f"http://testserver{URL}?page=2", f"http://testserver{URL}?page=1")
    assert [i["at"] for i in second["items"]] == ["2026-01-10T09:00:00Z"]


@pytest.mark.parametrize("n", [1, 3])
def test_the_checkpoints_list_takes_two_queries_whatever_its_length(
    office,  # noqa: F811
    client,
    time_machine,
    django_assert_num_queries,
    n,
):
    time_machine.move_to(NOON, tick=False)
    issue(office)
    signing_keys("01", "31", "TW")  # each body signs its own checkpoints with its own key
    for body in ("01", "31", "TW")[:n]:
        make_checkpoint(body=province(body))
    assert Checkpoint.objects.count() == n
    with django_assert_num_queries(2):  # the count, and the page with each checkpoint's body
        assert len(client.get(URL).json()["items"]) == n
