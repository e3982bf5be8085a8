"""Tampering by someone with the database's owner rights (on PostgreSQL the log's guard switched off first), each caught
by `ocop verify-log`: exit status 1, the entry or the certificate named. The two tampers that leave a chain passing its
own check (the last entry deleted with the head rewound; the whole chain rewritten and re-hashed) are caught by a
checkpoint saved before, even once the installation's own checkpoints are gone.

The six tampers of issue 14 and where each is tested:
- an old entry edited: test_proofs.py::test_rewritten_history_fails_the_verifier[edit];
- the last entry deleted: test_proofs.py::test_rewritten_history_fails_the_verifier[truncate];
- the last entry deleted and the head rewound: here;
- the chain rewritten and re-hashed: here;
- a certificate's stars changed in the table: test_state.py::test_stars_raised_in_the_table_are_caught_by_the_replay;
- a revoked certificate set back to valid: test_state.py::test_a_revoked_certificate_set_back_to_valid_is_caught_by_the_
  replay.
"""

import datetime as dt

from ocop.certificates import log, services
from ocop.certificates.checkpoints import make_checkpoint
from ocop.certificates.models import Certificate, Checkpoint, LogEntry, LogHead
from ocop.certificates.notices import run_watch
from ocop.certificates.tests.conftest import Run, as_the_database_owner, issue, verify_log
from ocop.testing import province

NOON = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)  # 16:00 in Hà Nội
SUMMARY = "Nhật ký minh bạch có %s vấn đề và các giấy chứng nhận có %s điểm khác với nhật ký."


def _save(client, path):
    """What a journalist's daily `curl -s …/api/v1/transparency-log/checkpoints > checkpoints-<day>.json` keeps."""
    path.write_bytes(client.get("/api/v1/transparency-log/checkpoints").content)
    return str(path)


def test_the_last_entry_deleted_and_the_head_rewound_is_caught_by_the_replay_and_by_a_saved_checkpoint(
    office, client, time_machine, tmp_path, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOON, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        cert = issue(office)  # the decision signs the head: 1 entry
    services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn sai")
    time_machine.move_to(NOON + dt.timedelta(days=1), tick=False)
    assert run_watch().checkpoint == 2  # the next day's checkpoint counts the suspension
    saved = _save(client, tmp_path / "checkpoints-2026-01-11.json")
    assert verify_log("--checkpoints", saved) == Run(0, (
        "Nhật ký minh bạch nguyên vẹn và khớp với các giấy chứng nhận: 2 mục.\n"
        "Nhật ký khớp với 2 mốc kiểm chứng đã ký (2 mốc từ các tệp được đưa vào), mốc cũ nhất lúc 2026-01-10T09:00:00Z."
    ), [])  # fmt: skip

    # The suspension's entry deleted and the head put back on the entry before it: the chain alone passes.
    first = LogEntry.objects.get(seq=1)
    with as_the_database_owner():
        LogEntry.objects.filter(seq=2).delete()
    LogHead.objects.filter(pk=1).update(seq=1, hash=first.hash)
    assert log.verify() == []
    removed = ("#2: Nhật ký không có mục 2, dù mốc kiểm chứng do 01 ký lúc 2026-01-11T09:00:00Z ghi nhận 2 mục: có mục "
               "đã bị xoá.")  # fmt: skip
    assert verify_log() == Run(1, SUMMARY % (0, 1) + " Có 1 vấn đề với 2 mốc kiểm chứng đã ký.", [
        f"Giấy chứng nhận {cert.number}: bảng ghi là bị đình chỉ nhưng mục cuối của nhật ký để lại là còn hiệu lực.",
        removed,
    ])  # fmt: skip

    # The table set to agree and the installation's own checkpoints deleted: nothing left here tells, but the
    # checkpoint saved elsewhere does.
    Certificate.objects.filter(pk=cert.pk).update(status="valid", status_reason="")
    Checkpoint.objects.all().delete()
    assert verify_log().code == 0
    assert verify_log("--checkpoints", saved) == Run(
        1, SUMMARY % (0, 0) + " Có 1 vấn đề với 2 mốc kiểm chứng đã ký.", [removed]
    )


def test_a_chain_rewritten_and_rehashed_passes_its_own_check_but_not_a_checkpoint_saved_before(
    office, client, time_machine, tmp_path, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOON, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        cert = issue(office, stars=4)
    with django_capture_on_commit_callbacks(execute=True):
        issue(office, product=_another_product(office), stars=3)
    saved = _save(client, tmp_path / "checkpoints-2026-01-10.json")
    assert [(c["seq"], c["body"]) for c in client.get("/api/v1/transparency-log/checkpoints").json()["items"]] == [
        (2, "01"), (1, "01")]  # fmt: skip

    # 4 stars raised to 5 in the table and in the log, every entry re-hashed from there, the head moved along.
    Certificate.objects.filter(pk=cert.pk).update(stars=5)
    prev = log.GENESIS
    with as_the_database_owner():
        for row in list(log.entries()):
            data = {**row["data"], "stars": 5} if row["certificate"] == cert.number else row["data"]
            digest = log.entry_hash(seq=row["seq"], at=row["at"], event=row["event"], number=row["certificate"],
                                    data=data, prev_hash=prev)  # fmt: skip
            LogEntry.objects.filter(seq=row["seq"]).update(data=data, prev_hash=prev, hash=digest)
            prev = digest
    LogHead.objects.filter(pk=1).update(hash=prev)
    assert (log.verify(), log.replay()) == ([], [])  # the chain and the state agree with each other
    rewritten = [
        "#1: Mục 1 không phải mục mà mốc kiểm chứng do 01 ký lúc 2026-01-10T09:00:00Z ghi nhận: nhật ký đã bị viết lại "
        "đến đó.",
        "#2: Mục 2 không phải mục mà mốc kiểm chứng do 01 ký lúc 2026-01-10T09:00:00Z ghi nhận: nhật ký đã bị viết lại "
        "đến đó.",
    ]  # fmt: skip
    assert verify_log() == Run(1, SUMMARY % (0, 0) + " Có 2 vấn đề với 2 mốc kiểm chứng đã ký.", rewritten)

    # Whoever holds the server too deletes the checkpoints and signs the rewritten head with the real key: the
    # installation vouches for the new chain, and only the checkpoints saved before tell.
    Checkpoint.objects.all().delete()
    assert make_checkpoint(body=province("01")).hash == prev
    assert verify_log().code == 0
    assert verify_log("--checkpoints", saved) == Run(
        1, SUMMARY % (0, 0) + " Có 2 vấn đề với 3 mốc kiểm chứng đã ký.", rewritten
    )


def _another_product(office):
    from ocop.testing import make_product

    return make_product(producer=office.producer, name="Lọ gốm men rạn")


def test_the_verifier_reads_unusual_data_as_the_json_field_does_and_still_catches_an_edit(office, time_machine):
    """The verifier's quick reading and hashing (orjson) must agree with the canonical one (json) on any data: no false
    alarm for an entry re-hashed canonically, whatever it holds, and an edit still caught."""
    time_machine.move_to(NOON, tick=False)
    cert = issue(office)
    odd = {
        "tên": 'Bình gốm\u2028\x7f\x01\t"\\/ 😀',
        "big": 2**70,
        "neg": -(2**63) - 1,
        "code": "1234567890123456789",
        "ratio": 0.1,
        "nested": [None, True],
    }
    row = next(log.entries())
    digest = log.entry_hash(seq=1, at=row["at"], event=row["event"], number=cert.number, data=odd,
                            prev_hash=log.GENESIS)  # fmt: skip
    with as_the_database_owner():
        LogEntry.objects.filter(seq=1).update(data=odd, hash=digest)
    LogHead.objects.filter(pk=1).update(hash=digest)
    assert log.verify() == []
    with as_the_database_owner():
        LogEntry.objects.filter(seq=1).update(data={**odd, "big": 2**70 + 1})
    assert [(p.seq, p.message) for p in log.verify()] == [(1, "Mục 1 đã bị sửa: mã băm không khớp.")]
