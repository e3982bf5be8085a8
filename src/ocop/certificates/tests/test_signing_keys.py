"""Signing keys are made by `ocop signing_keys create`, never by a web request, and read from a secrets folder
(OCOP_KEYS_DIR) or the environment (OCOP_SIGNING_KEY_<key id>). A decision issued for a body without its key is
refused with a message telling the administrator the command, and nothing is written."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from ocop.accounts.models import Role
from ocop.certificates import checkpoints, services, signing
from ocop.certificates.enums import DecisionState, IssuingLevel
from ocop.certificates.models import Certificate, Checkpoint, Decision, LogEntry, SigningKey
from ocop.certificates.rules import Claim
from ocop.conftest import client_for
from ocop.evaluation.testing import council_result
from ocop.testing import make_producer, make_product, make_user, province, signing_keys

NO_KEY = ("Thành phố Hà Nội chưa có khóa ký nên chưa có gì được ban hành hay ký. Quản trị viên hãy tạo khóa trên máy "
          "chủ bằng lệnh: ocop signing_keys create 01")  # fmt: skip
UNUSABLE = (
    "Nửa bí mật của khóa ký %s (Thành phố Hà Nội) tìm thấy trong OCOP_SIGNING_KEY_%s hoặc OCOP_KEYS_DIR không phải "
    "là khóa dùng được, hoặc không khớp với khóa đã công bố, nên chưa có gì được ban hành hay ký. Quản trị viên "
    "hãy đặt lại đúng khóa từ bản sao lưu, hoặc tạo khóa mới bằng lệnh: ocop signing_keys create 01 --rotate"
)
CLAIM = Claim("01-2026-00001", "ABCD2345", "Bình gốm", 4, dt.date(2026, 3, 2), dt.date(2029, 3, 2))


@pytest.fixture
def draft(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    decision = services.draft_decision(by=coordinator, province=province(), level=IssuingLevel.PROVINCE)
    product = make_product(producer=make_producer(), name="Bình gốm men lam")
    council_result(product, 4)
    services.add_item(by=coordinator, decision=decision, product=product, stars=4)
    return coordinator, decision


def _keys(settings) -> list[str]:
    folder = settings.OCOP_KEYS_DIR
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _create(*args: str) -> str:
    out = io.StringIO()
    call_command("signing_keys", "create", *args, stdout=out)
    return out.getvalue()


def test_issuing_without_a_key_is_refused_and_writes_nothing(draft, settings):
    coordinator, decision = draft
    typed = {"number": "125/QĐ-UBND", "signed_on": "2026-03-02", "signer": "Nguyễn Văn Ký"}
    client = client_for(coordinator)
    for data in (typed, {**typed, "confirm": "on"}):  # the confirmation step and the issue itself
        response = client.post(f"/bo/decisions/{decision.pk}/issue/", data)
        assert (response.status_code, [str(m) for m in response.context["messages"]]) == (400, [NO_KEY])
    with pytest.raises(signing.MissingSigningKey) as refused:
        signing.active_key(province())
    assert refused.value.messages == [NO_KEY]
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.DRAFT
    assert (Certificate.objects.count(), LogEntry.objects.count(), SigningKey.objects.count()) == (0, 0, 0)
    assert _keys(settings) == []


def test_the_command_makes_the_key_once_and_the_decision_is_signed_with_it(draft, settings):
    coordinator, decision = draft
    key_id_out = _create("01")
    key = SigningKey.objects.get()
    path = settings.OCOP_KEYS_DIR / f"{key.key_id}.key"
    assert key_id_out == f"01: key {key.key_id} made, {path}\n"
    assert (key.key_id[:2], len(key.key_id), key.active, path.stat().st_mode & 0o777) == ("01", 8, True, 0o600)
    assert _create("01") == "01: has its key already (--rotate makes a new one)\n"
    (cert,) = services.issue_decision(by=coordinator, decision=decision, number="1/QĐ", signed_on=dt.date(2026, 3, 2))
    assert (cert.key_id, signing.verify_payload(
        signing.payload(base_url="https://x/", code=cert.code, claim_text=cert.claim, key_id=cert.key_id,
                        signature=cert.signature), signing.published_keys()).ok) == (key.key_id, True)  # fmt: skip
    rotated = _create("01", "--rotate")
    new = SigningKey.objects.get(active=True)
    assert (rotated, SigningKey.objects.get(pk=key.pk).active) == (
        f"01: key {new.key_id} made, {settings.OCOP_KEYS_DIR / new.key_id}.key\n",
        False,
    )
    assert _keys(settings) == sorted([f"{key.key_id}.key", f"{new.key_id}.key"])


def test_a_key_from_the_environment_signs_with_no_file(db, settings, monkeypatch):
    printed = _create("TW", "--env")
    key = SigningKey.objects.get()
    name, _eq, private = printed.strip().partition("=")
    assert (name, key.key_id[:2], _keys(settings)) == (f"OCOP_SIGNING_KEY_{key.key_id}", "TW", [])
    with pytest.raises(signing.MissingSigningKey):
        signing.sign(key.province, CLAIM)
    monkeypatch.setenv(name, private)
    key_id, signature = signing.sign(key.province, CLAIM)
    assert (key_id, signing.unb64(signature) != b"") == (key.key_id, True)


def test_a_pem_key_is_read_and_a_key_not_matching_its_published_half_is_refused(db, monkeypatch):
    _create("01", "--env")
    key = SigningKey.objects.get()
    other = Ed25519PrivateKey.generate()
    pem = other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode()  # fmt: skip
    monkeypatch.setenv(f"OCOP_SIGNING_KEY_{key.key_id}", pem)
    with pytest.raises(signing.MissingSigningKey) as wrong:
        signing.load_private(key)
    assert wrong.value.messages == [UNUSABLE % (key.key_id, key.key_id)]
    for garbage in ("garbage", "khóa", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"):
        monkeypatch.setenv(f"OCOP_SIGNING_KEY_{key.key_id}", garbage)
        with pytest.raises(signing.MissingSigningKey) as unreadable:
            signing.load_private(key)
        assert unreadable.value.messages == [UNUSABLE % (key.key_id, key.key_id)]
        assert signing.key_refusal(key.province) == UNUSABLE % (key.key_id, key.key_id)
    monkeypatch.setenv(f"OCOP_SIGNING_KEY_{key.key_id}", pem)
    SigningKey.objects.filter(pk=key.pk).update(public_key=signing.b64(other.public_key().public_bytes_raw()))
    key.refresh_from_db()
    assert signing.load_private(key).private_bytes_raw() == other.private_bytes_raw()


def test_a_missing_private_half_names_the_key_and_both_places(draft, settings):
    coordinator, decision = draft
    signing_keys("01")
    key = SigningKey.objects.get()
    (settings.OCOP_KEYS_DIR / f"{key.key_id}.key").unlink()
    with pytest.raises(ValidationError) as refused:
        services.issue_decision(by=coordinator, decision=decision, number="1/QĐ", signed_on=dt.date(2026, 3, 2))
    assert refused.value.messages == [
        f"Không tìm thấy nửa bí mật của khóa ký {key.key_id} (Thành phố Hà Nội) trong OCOP_KEYS_DIR hay trong "
        f"OCOP_SIGNING_KEY_{key.key_id} nên chưa có gì được ban hành hay ký. Quản trị viên hãy khôi phục khóa từ "
        "bản sao lưu, hoặc tạo khóa mới bằng lệnh: ocop signing_keys create 01 --rotate"
    ]
    assert (Decision.objects.get(pk=decision.pk).state, Certificate.objects.count()) == (DecisionState.DRAFT, 0)
    out = io.StringIO()
    call_command("signing_keys", "list", stdout=out)
    assert out.getvalue() == f"01\t{key.key_id}\tactive\tPRIVATE HALF MISSING OR BAD (MissingSigningKey)\n"


def test_the_daily_checkpoint_without_a_key_is_logged_and_skipped(draft, caplog):
    coordinator, decision = draft
    signing_keys("01")
    services.issue_decision(by=coordinator, decision=decision, number="1/QĐ", signed_on=dt.date(2026, 3, 2))
    SigningKey.objects.update(active=False)
    before = Checkpoint.objects.count()
    with caplog.at_level(logging.ERROR, logger="ocop.certificates.checkpoints"):
        assert checkpoints.daily_checkpoint() is None
    assert Checkpoint.objects.count() == before
    assert [r.getMessage() for r in caplog.records] == [f"The daily log checkpoint was not signed: {NO_KEY}"]


def test_the_command_refuses_an_unknown_body_or_none(db):
    with pytest.raises(CommandError, match=r"^No such province or body: 99\.$"):
        _create("01", "99")
    with pytest.raises(
        CommandError, match=r"^Name the bodies \(province codes, TW for the ministry\) or give --all\.$"
    ):
        _create()
    assert SigningKey.objects.count() == 0
    _create("--all")
    assert SigningKey.objects.filter(province__code__in=["01", "TW", "31"]).count() == 3


def test_a_database_without_its_places_is_told_to_load_them(db):
    """`ocop migrate` then `ocop demo` (or a key) without `ocop load_places`: the message says what to run."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    from ocop.places.models import Province

    # As if none were loaded (rolled back after the test): no province codes, no province but the central level.
    Province.objects.filter(central=False).update(central=True, code=Concat(Value("x"), "code"))
    with pytest.raises(CommandError, match=r"^No such province or body: 01\. No provinces are loaded yet: run "):
        _create("01")
