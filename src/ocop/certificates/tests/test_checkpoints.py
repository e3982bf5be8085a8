"""Signed checkpoints of the transparency log: made every day and at each decision with the issuing body's key, checked
by `ocop verify-log --checkpoints FILE_OR_URL` (exit 2 for a file that is not one), and checkable offline with the
published keys alone."""

import datetime as dt
import http.server
import json
import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocop.certificates import services
from ocop.certificates.checkpoints import MAX_BYTES, make_checkpoint, signed_text
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.models import Checkpoint, LogHead, SigningKey
from ocop.certificates.notices import notify_expiring, run_watch
from ocop.certificates.signing import unb64
from ocop.certificates.tests.conftest import Run, issue, verify_log
from ocop.evaluation.testing import council_result
from ocop.places.queries import central_level
from ocop.testing import ministry_user, province, signing_keys

NOON = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)  # 16:00 in Hà Nội


def _rows():
    return list(Checkpoint.objects.order_by("id").values_list("body__code", "seq", "at"))


def test_a_checkpoint_signs_the_head_once_a_day_and_again_when_it_moves(office, time_machine):
    time_machine.move_to(NOON, tick=False)
    hanoi = province("01")
    assert make_checkpoint(body=hanoi) is None  # an empty log: nothing to sign
    cert = issue(office)
    made = make_checkpoint(body=hanoi)
    head = LogHead.objects.get(pk=1)
    key = SigningKey.objects.get(province=hanoi)
    assert (made.seq, made.hash, made.at, made.key_id) == (1, head.hash, NOON, key.key_id)
    text = f"OCOP-CHECKPOINT|v1|01|1|{head.hash}|2026-01-10T09:00:00Z"
    assert signed_text(body="01", seq=1, hash=head.hash, at="2026-01-10T09:00:00Z") == text
    Ed25519PublicKey.from_public_bytes(unb64(key.public_key)).verify(unb64(made.signature), text.encode())
    assert make_checkpoint(body=hanoi) is None  # the same head, the same day: no second row
    time_machine.move_to(NOON + dt.timedelta(hours=8), tick=False)  # 00:00 the next day in Hà Nội
    assert make_checkpoint(body=hanoi).seq == 1  # a new day: the unchanged head signed afresh
    services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn sai")
    assert make_checkpoint(body=hanoi).seq == 2  # the head moved: signed again the same day
    signing_keys("31")
    assert make_checkpoint(body=province("31")).seq == 2  # another body's checkpoints are its own
    assert _rows() == [("01", 1, NOON), ("01", 1, NOON + dt.timedelta(hours=8)), ("01", 2, NOON + dt.timedelta(
        hours=8)), ("31", 2, NOON + dt.timedelta(hours=8))]  # fmt: skip


def test_the_daily_watch_signs_the_head_with_the_installations_key(office, time_machine, settings):
    time_machine.move_to(NOON, tick=False)
    issue(office)
    settings.OCOP_DEFAULT_PROVINCE = "31"
    signing_keys("31")  # the installation's key, made as an administrator does
    assert run_watch().checkpoint == 1
    assert run_watch().checkpoint is None  # twice the same day: one checkpoint
    time_machine.move_to(NOON + dt.timedelta(days=1), tick=False)
    notify_expiring.call()  # the task the worker runs
    time_machine.move_to(NOON + dt.timedelta(days=2), tick=False)
    import io

    out = io.StringIO()
    call_command("notify_expiring", stdout=out)  # the command cron runs
    assert out.getvalue() == "0 certificate(s) and 0 document(s) noticed.\nLog checkpoint signed at entry 1.\n"
    day = dt.timedelta(days=1)
    assert _rows() == [("31", 1, NOON), ("31", 1, NOON + day), ("31", 1, NOON + 2 * day)]
    key = SigningKey.objects.get(province__code="31")
    assert set(Checkpoint.objects.values_list("key_id", flat=True)) == {key.key_id}


def test_each_decision_signs_the_new_head_with_its_bodys_key(office, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(NOON, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        first = issue(office, stars=4)
    signing_keys("TW")
    ministry = ministry_user()
    decision = services.draft_decision(by=ministry, province=central_level(), level=IssuingLevel.MINISTRY)
    council_result(office.product, 5, central=True)
    services.add_item(by=ministry, decision=decision, product=office.product, stars=5)
    with django_capture_on_commit_callbacks(execute=True):
        (five,) = services.issue_decision(by=ministry, decision=decision, number="12/QĐ-BNNMT",
                                          signed_on=dt.date(2026, 1, 10))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(by=ministry, certificate=five, reason="Kiểm tra")  # not a decision: no checkpoint
    # The ministry's decision logs its certificate and the supersession of the province's (entries 2 and 3).
    assert _rows() == [("01", 1, NOON), ("TW", 3, NOON)]
    assert list(Checkpoint.objects.order_by("id").values_list("key_id", flat=True)) == [first.key_id, five.key_id]
    assert verify_log().code == 0


def _writes(ctx):
    """The statements that change the database (PostgreSQL reads through DECLARE … CURSOR FOR SELECT)."""
    changes = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "TRUNCATE", "REPLACE")
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().split()[0].upper() in changes]


def _write(tmp_path, content):
    path = tmp_path / "checkpoints.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return str(path)


@pytest.fixture
def saved(office, client, time_machine, tmp_path):
    """A checkpoints page saved from the API, with the checkpoint it holds."""
    time_machine.move_to(NOON, tick=False)
    issue(office)
    make_checkpoint(body=province("01"))
    page = client.get("/api/v1/transparency-log/checkpoints").json()
    return page, page["items"][0]


def _bad(tmp_path, page, item):
    hash_ = item["hash"]
    other = ("1" if hash_[0] != "1" else "2") + hash_[1:]
    forged = {**item, "hash": other, "signed_text": item["signed_text"].replace(hash_, other)}
    return {
        "not json": b"<html>502 Bad Gateway</html>",
        "an error page": {"detail": "Không tìm thấy."},
        "not an object": [item, 7],
        "no hash": [{k: v for k, v in item.items() if k != "hash"}],
        "a short hash": [{**item, "hash": hash_[:12]}],
        "seq 0": {"count": 1, "items": [{**item, "seq": 0}]},
        "a bad time": [{**item, "at": "10/01/2026"}],
        "text and fields apart": [{**item, "signed_text": item["signed_text"].replace("|1|", "|2|")}],
        "forged": [item, forged],
        "an unknown key": [{**item, "key_id": "99zzzzzz"}],
        "another body's key": [{**item, "body": "31", "signed_text": item["signed_text"].replace("|01|", "|31|")}],
    }


BAD = {
    "not json": "{f} không phải JSON: đây không phải tệp mốc kiểm chứng lưu từ /api/v1/transparency-log/checkpoints.",
    "an error page": "{f} là JSON nhưng không chứa danh sách mốc kiểm chứng: hãy lưu trang "
                     "/api/v1/transparency-log/checkpoints (có “items”) hoặc danh sách các mục của nó.",
    "not an object": "Mục 2 của {f} không phải mốc kiểm chứng: nó không phải một đối tượng.",
    "no hash": "Mục 1 của {f} không phải mốc kiểm chứng: trường “hash” bị thiếu hoặc không hợp lệ.",
    "a short hash": "Mục 1 của {f} không phải mốc kiểm chứng: trường “hash” bị thiếu hoặc không hợp lệ.",
    "seq 0": "Mục 1 của {f} không phải mốc kiểm chứng: trường “seq” bị thiếu hoặc không hợp lệ.",
    "a bad time": "Mục 1 của {f} không phải mốc kiểm chứng: trường “at” bị thiếu hoặc không hợp lệ.",
    "text and fields apart": "Mục 1 của {f} không phải mốc kiểm chứng: trường “signed_text” bị thiếu hoặc không hợp lệ.",
}  # fmt: skip
NOT_GENUINE = "{f} không phải tệp mốc kiểm chứng thật: 1 trong {n} mốc không được ký bằng khoá đã công bố; chưa kiểm tra gì với tệp này."
FORGED = {
    "forged": "#1: Mốc kiểm chứng tại mục 1 (2026-01-10T09:00:00Z) không khớp với chữ ký: mốc đã bị sửa hoặc làm giả.",
    "an unknown key": "#1: Mốc kiểm chứng tại mục 1 (2026-01-10T09:00:00Z) được ký bằng khoá 99zzzzzz, khoá này không do "
                      "cơ quan cấp nào công bố.",
    "another body's key": "#1: Mốc kiểm chứng tại mục 1 (2026-01-10T09:00:00Z) ghi cơ quan 31 nhưng được ký bằng khoá "
                          "{key} của cơ quan khác.",
}  # fmt: skip


@pytest.mark.parametrize("case", [*BAD, *FORGED])
def test_a_file_that_is_not_checkpoints_is_refused_with_exit_2_and_nothing_written(saved, tmp_path, case):
    page, item = saved
    content = _bad(tmp_path, page, item)[case]
    path = _write(tmp_path, content)
    with CaptureQueriesContext(connection) as ctx:
        run = verify_log("--checkpoints", path)
    if case in BAD:
        assert run == Run(2, BAD[case].format(f=path), [])
    else:
        total = len(content)
        assert run == Run(2, NOT_GENUINE.format(f=path, n=total), [FORGED[case].format(key=item["key_id"])])
    assert _writes(ctx) == []


def test_a_missing_or_oversized_file_is_refused_with_exit_2(saved, tmp_path):
    missing = str(tmp_path / "none.json")
    assert verify_log("--checkpoints", missing) == Run(
        2, f"Không đọc được các mốc kiểm chứng từ {missing}: [Errno 2] No such file or directory: '{missing}'.", []
    )
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (MAX_BYTES + 1))
    assert verify_log("--checkpoints", str(huge)) == Run(
        2, f"{huge} lớn hơn 20 MB: đây không phải tệp mốc kiểm chứng.", []
    )


def test_verify_log_reads_a_bare_list_or_the_page_and_writes_nothing(saved, tmp_path):
    page, item = saved
    summary = (
        "Nhật ký minh bạch nguyên vẹn và khớp với các giấy chứng nhận: 1 mục.\n"
        "Nhật ký khớp với 1 mốc kiểm chứng đã ký (1 mốc từ các tệp được đưa vào), mốc cũ nhất lúc 2026-01-10T09:00:00Z."
    )  # fmt: skip
    for content in (page, [item], {"items": []}):
        path = _write(tmp_path, content)
        with CaptureQueriesContext(connection) as ctx:
            run = verify_log("--checkpoints", path)
        assert run == Run(0, summary.replace("(1 mốc từ", "(0 mốc từ") if content == {"items": []} else summary, [])
        assert _writes(ctx) == []


class _Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test's output stays quiet
        pass


def test_verify_log_fetches_the_checkpoints_from_an_address(saved, tmp_path):
    page, _item = saved
    (tmp_path / "checkpoints.json").write_text(json.dumps(page))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Files(*a, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert verify_log("--checkpoints", f"{base}/checkpoints.json").code == 0
        missing = f"{base}/gone.json"
        assert verify_log("--checkpoints", missing) == Run(
            2, f"Không đọc được các mốc kiểm chứng từ {missing}: HTTP Error 404: File not found.", []
        )
    finally:
        server.shutdown()
        server.server_close()


def test_a_checkpoint_is_checked_offline_with_the_published_keys_alone(saved, client):
    """What docs/transparency.md tells a journalist to do, without OCOP Hub: the key from /api/v1/keys, the signature
    over signed_text, and the entry's hash from /api/v1/transparency-log."""
    _page, item = saved
    keys = {k["key_id"]: k["public_key"] for k in client.get("/api/v1/keys").json()}
    public = Ed25519PublicKey.from_public_bytes(unb64(keys[item["key_id"]]))
    text = "|".join(["OCOP-CHECKPOINT", "v1", item["body"], str(item["seq"]), item["hash"], item["at"]])
    assert text == item["signed_text"]
    public.verify(unb64(item["signature"]), text.encode("utf-8"))  # raises InvalidSignature if forged
    entry = client.get(f"/api/v1/transparency-log?after={item['seq'] - 1}&limit=1").json()["entries"][0]
    assert (entry["seq"], entry["hash"]) == (item["seq"], item["hash"])
