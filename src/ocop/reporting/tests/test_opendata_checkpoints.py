"""The open data carries the transparency log's signed checkpoints beside the register, declared in the DCAT."""

import datetime as dt
import json

from ocop.certificates.checkpoints import make_checkpoint
from ocop.certificates.tests.conftest import issue, office, verify_log  # noqa: F401
from ocop.reporting.opendata import TASK_PATH, write_register
from ocop.testing import province, run_queued_tasks

NOON = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)


def _file(client):
    response = client.get("/open-data/checkpoints.json")
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    return json.loads(b"".join(response.streaming_content))


def test_the_checkpoints_file_follows_each_new_checkpoint_and_verify_log_reads_it(
    office,  # noqa: F811
    client,
    time_machine,
    tmp_path,
):
    time_machine.move_to(NOON, tick=False)
    issue(office)
    write_register()
    assert _file(client) == {"generated_at": "2026-01-10T16:00:00+07:00", "log_seq": 1, "count": 0, "items": []}
    made = make_checkpoint(body=province("01"))  # no change to the log: the file is rebuilt all the same
    assert _file(client)["count"] == 0  # a reader finds the file behind the last checkpoint: a rebuild is queued
    time_machine.move_to(NOON + dt.timedelta(seconds=20), tick=False)
    assert run_queued_tasks(TASK_PATH) == 1
    data = _file(client)
    assert (data["log_seq"], data["count"]) == (1, 1)
    assert data["items"] == client.get("/api/v1/transparency-log/checkpoints").json()["items"]
    assert (data["items"][0]["seq"], data["items"][0]["signature"]) == (1, made.signature)
    path = tmp_path / "ocop-checkpoints.json"
    path.write_text(json.dumps(data))
    assert verify_log("--checkpoints", str(path)).code == 0


def test_the_checkpoints_file_is_declared_in_the_dcat_and_linked_from_the_page(office, client, time_machine):  # noqa: F811
    time_machine.move_to(NOON, tick=False)
    issue(office)
    make_checkpoint(body=province("01"))
    write_register()
    body = client.get("/open-data/dcat.json").json()
    register, signed_set = body["dcat:dataset"][0], body["dcat:dataset"][3]
    # a dataset of its own, related to the register, never one of the register's distributions
    assert (signed_set["@id"], signed_set["dct:relation"], register["dct:relation"]) == (
        "http://127.0.0.1:8000/open-data/#checkpoints", "http://127.0.0.1:8000/open-data/#certificates",
        "http://127.0.0.1:8000/open-data/#checkpoints")  # fmt: skip
    assert [d["@id"] for d in register["dcat:distribution"]] == [
        "http://127.0.0.1:8000/open-data/#certificates.csv", "http://127.0.0.1:8000/open-data/#certificates.json"]  # fmt: skip
    (signed,) = signed_set["dcat:distribution"]
    assert (signed["dcat:downloadURL"], signed["dct:format"], signed["dcat:mediaType"]) == (
        "http://127.0.0.1:8000/open-data/checkpoints.json", "JSON",
        "https://www.iana.org/assignments/media-types/application/json")  # fmt: skip
    assert signed["dct:title"][0] == {"@language": "vi", "@value": "Các mốc kiểm chứng có ký số của nhật ký minh bạch"}
    page = client.get("/open-data/").content.decode()
    assert (
        '<a href="/open-data/checkpoints.json" id="checkpoints">Các mốc kiểm chứng có ký số của nhật ký minh bạch (JSON)</a>'
        in page
    )
