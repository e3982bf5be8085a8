"""The QR signature checked offline, and the transparency log that shows any rewritten history."""

import base64
import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from ocop.certificates import log, services
from ocop.certificates.models import LogEntry, LogHead
from ocop.certificates.signing import payload, published_keys, verify_payload
from ocop.certificates.tests.conftest import Run, as_the_database_owner, issue, verify_log
from ocop.testing import make_product


def _payload(cert):
    return payload(
        base_url="https://ocop.hanoi.gov.vn", code=cert.code, claim_text=cert.claim, key_id=cert.key_id,
        signature=cert.signature,
    )  # fmt: skip


def _b64(text):
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def test_the_offline_verifier_accepts_a_real_payload_and_rejects_a_tampered_one(office, time_machine, tmp_path):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office, stars=3)
    real = _payload(cert)
    keys = published_keys()
    result = verify_payload(real, keys)
    assert (result.ok, result.reason, result.claim.stars, result.claim.number) == (
        True, "Xác thực: do cơ quan OCOP cấp và ký số.", 3, "01-2025-00001")  # fmt: skip
    key_id, claim, _signature = real.split("#")[1].split(".")
    four_stars = _b64(cert.claim.replace("|3|", "|4|"))
    cases = {
        real.replace(claim, four_stars): "Chữ ký không khớp: mã QR này đã bị sửa hoặc làm giả.",
        real.replace(
            f"/v/{cert.code}", "/v/ABCDEFGHJK"
        ): "Địa chỉ trong mã QR không khớp với mã giấy chứng nhận đã ký.",
        real.replace(
            key_id + ".", "99zzzzzz."
        ): "Mã QR được ký bằng khoá 99zzzzzz, khoá này không do tỉnh nào công bố.",
        real.replace(claim, "%%%"): "Mã QR bị hỏng hoặc bị sửa: không đọc được phần ký số.",
        "https://example.com/": "Đây không phải mã QR giấy chứng nhận của OCOP Hub.",
    }
    for text, reason in cases.items():
        assert (verify_payload(text, keys).ok, verify_payload(text, keys).reason) == (False, reason)
    # The command works from a keys file as served by /api/v1/keys, with no database lookup of keys.
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps([{"key_id": k, "public_key": v} for k, v in keys.items()]))
    call_command("verify_qr", real, "--keys", str(keys_file))
    with pytest.raises(CommandError, match="Chữ ký không khớp"):
        call_command("verify_qr", real.replace(claim, four_stars), "--keys", str(keys_file))


def test_each_province_signs_with_its_own_key(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    first = issue(office)
    second = issue(office, product=make_product(producer=office.producer))
    assert first.key_id == second.key_id and first.key_id.startswith("01")
    assert len(published_keys()) == 1


def _history(office):
    cert = issue(office)
    services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn sai")
    services.lift(by=office.coordinator, certificate=cert)
    return cert


END = "Nhật ký không kết thúc ở mục cuối đã ghi: có mục cuối đã bị xoá hoặc thay thế."


@pytest.mark.parametrize("tamper", ["edit", "remove", "reorder", "truncate"])
def test_rewritten_history_fails_the_verifier(office, time_machine, tamper):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _history(office)
    call_command("verify_log")
    assert log.verify() == []
    entries = list(LogEntry.objects.order_by("seq"))
    with as_the_database_owner():
        expected = _tamper(tamper, entries)
    assert [(p.seq, p.message) for p in log.verify()] == expected
    # The command exits 1 and names each entry, and the certificate whose last entry is now the suspension.
    states = [f"Giấy chứng nhận {cert.number}: bảng ghi là còn hiệu lực nhưng mục cuối của nhật ký để lại là bị đình "
              "chỉ."] if tamper in ("reorder", "truncate") else []  # fmt: skip
    summary = (
        f"Nhật ký minh bạch có {len(expected)} vấn đề và các giấy chứng nhận có {len(states)} điểm khác với nhật ký."
    )
    assert verify_log() == Run(1, summary, [f"#{seq}: {message}" for seq, message in expected] + states)


def _tamper(tamper, entries):
    if tamper == "edit":  # the suspension's reason quietly changed
        LogEntry.objects.filter(pk=entries[1].pk).update(data={**entries[1].data, "reason": "Khác"})
        expected = [(2, "Mục 2 đã bị sửa: mã băm không khớp.")]
    elif tamper == "remove":
        entries[1].delete()
        expected = [(3, "Mục 3 nằm ở vị trí của mục 2: có mục đã bị xoá hoặc đổi thứ tự."),
                    (3, "Mục 3 không nối tiếp mục trước nó.")]  # fmt: skip
    elif tamper == "reorder":
        a, b = entries[1], entries[2]
        LogEntry.objects.filter(pk=a.pk).update(seq=99)
        LogEntry.objects.filter(pk=b.pk).update(seq=2)
        LogEntry.objects.filter(pk=a.pk).update(seq=3)
        expected = [(2, "Mục 2 không nối tiếp mục trước nó."), (2, "Mục 2 đã bị sửa: mã băm không khớp."),
                    (3, "Mục 3 không nối tiếp mục trước nó."), (3, "Mục 3 đã bị sửa: mã băm không khớp."),
                    (3, END)]  # fmt: skip
    else:  # the last entry removed, the rest intact
        entries[2].delete()
        expected = [(2, END)]
    return expected


def test_the_api_serves_the_log_that_the_verifier_checks(office, client, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = _history(office)
    body = client.get("/api/v1/transparency-log").json()
    head = LogHead.objects.get(pk=1)
    assert (body["head_seq"], body["head_hash"]) == (3, head.hash)
    assert [(e["seq"], e["event"], e["certificate"]) for e in body["entries"]] == [
        (1, "issued", cert.number), (2, "suspended", cert.number), (3, "lifted", cert.number)]  # fmt: skip
    assert body["entries"][0]["at"] == "2026-01-10T09:00:00Z"
    assert log.verify(iter(body["entries"]), (body["head_seq"], body["head_hash"])) == []
    body["entries"][1]["data"]["reason"] = "Khác"
    assert [p.seq for p in log.verify(iter(body["entries"]), (3, body["head_hash"]))] == [2]
    page = client.get("/api/v1/transparency-log?after=1&limit=1").json()
    assert [e["seq"] for e in page["entries"]] == [2]
