"""The product as certified: a rename after issue never changes the name the QR page and the API show as valid."""

import datetime as dt
import io
import re
from pathlib import Path

from django.conf import settings

from ocop.accounts.models import Role
from ocop.accounts.services import system_user
from ocop.certificates.rules import Claim
from ocop.certificates.signing import payload, published_keys, verify_payload
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.registry import services as registry
from ocop.registry.services import link_producer_account
from ocop.testing import PNG_BYTES, make_product, make_user

NEW = "Bình gốm Bát Tràng cao cấp"


def _producer_account(office):  # noqa: F811
    user = make_user(Role.PRODUCER, username="htxgom")
    link_producer_account(producer=office.producer, user=user, by=office.coordinator)
    return user


def _h1(body: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", body, re.S).group(1))


def test_a_rename_after_issue_shows_beside_the_certified_name(
    office,  # noqa: F811
    client,
    time_machine,
    django_capture_on_commit_callbacks,
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    before = client.get(f"/v/{cert.code}")
    assert _h1(before.content.decode()) == "Bình gốm men lam"
    assert "tên hiện tại" not in before.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        registry.update_product(product=office.product, by=_producer_account(office), name=NEW)

    # The page the QR leads to: the name, producer, packs and stars as certified; the new name beside.
    after = client.get(f"/v/{cert.code}", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200  # the rename changes the page: a cached copy is not reused
    body = after.content.decode()
    assert _h1(body) == f"Bình gốm men lam tên hiện tại: {NEW} (current name)"
    assert f'<small class="now" id="current-name">tên hiện tại: {NEW} ' in body
    assert "<title>Bình gốm men lam · " in body
    assert "Còn hiệu lực: sản phẩm OCOP 4 sao" in body
    assert "<dd>HTX Gốm Bát Tràng</dd>" in body and 'id="current-producer"' not in body
    assert "<li>Hộp 1 bình · 30 cm · 8930000000019</li><li>Bộ 2 bình</li>" in body

    # The stored copy that nginx serves was rewritten when the rename committed.
    copy = Path(settings.OCOP_PAGE_CACHE_DIR) / "v" / "2026-01-10" / f"{cert.code}.html"
    assert copy.read_text() == body

    # The API: the certified name, and the name of today in its own field.
    one = client.get(f"/api/v1/certificates/{cert.code}").json()
    assert {k: one[k] for k in ("product", "current_name", "producer", "current_producer", "stars", "packs")} == {
        "product": "Bình gốm men lam", "current_name": NEW, "producer": "HTX Gốm Bát Tràng",
        "current_producer": None, "stars": 4, "packs": ["Hộp 1 bình", "Bộ 2 bình"],
    }  # fmt: skip
    listed = client.get("/api/v1/certificates").json()["items"]
    assert [(i["product"], i["current_name"]) for i in listed] == [("Bình gốm men lam", NEW)]

    # The QR's signed claim still verifies, and names the product as the page does.
    cert.refresh_from_db()
    qr = payload(base_url="https://ocop.example", code=cert.code, claim_text=cert.claim, key_id=cert.key_id,
                 signature=cert.signature)  # fmt: skip
    checked = verify_payload(qr, published_keys())
    assert (checked.ok, checked.claim) == (True, Claim.parse(cert.claim))
    assert (checked.claim.product, checked.claim.stars) == ("Bình gốm men lam", 4)


def test_an_unchanged_name_has_no_current_name(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    # stripped: the same name
    registry.update_product(product=office.product, by=system_user(), name="Bình gốm men lam ")
    assert client.get(f"/api/v1/certificates/{cert.code}").json()["current_name"] is None
    assert 'id="current-name"' not in client.get(f"/v/{cert.code}").content.decode()


def test_a_renamed_producer_shows_beside_the_certified_one(
    office,  # noqa: F811
    client,
    time_machine,
    django_capture_on_commit_callbacks,
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    client.get(f"/v/{cert.code}")  # a copy stored by a request
    with django_capture_on_commit_callbacks(execute=True):
        registry.update_producer(producer=office.producer, by=system_user(), name="HTX Gốm sứ Bát Tràng")
    body = client.get(f"/v/{cert.code}").content.decode()
    assert '<dd>HTX Gốm Bát Tràng <small class="now" id="current-producer">tên hiện tại: HTX Gốm sứ Bát Tràng' in body
    copy = Path(settings.OCOP_PAGE_CACHE_DIR) / "v" / "2026-01-10" / f"{cert.code}.html"
    assert copy.read_text() == body
    one = client.get(f"/api/v1/certificates/{cert.code}").json()
    assert (one["producer"], one["current_producer"], one["current_name"]) == (
        "HTX Gốm Bát Tràng", "HTX Gốm sứ Bát Tràng", None)  # fmt: skip


def test_photos_and_the_story_stay_editable_and_show_live(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    producer = _producer_account(office)
    registry.update_product(product=office.product, by=producer, story="Làng gốm 700 năm tuổi.", name=NEW)
    photo = registry.add_photo(product=office.product, by=producer, upload=io.BytesIO(PNG_BYTES), caption="Lò nung")
    page = client.get(f"/san-pham/{office.product.pk}/").content.decode()
    assert _h1(page) == f"Bình gốm men lam (tên hiện tại: {NEW})"
    assert "Làng gốm 700 năm tuổi." in page
    assert f'src="/san-pham/{office.product.pk}/anh/{photo.pk}" alt="Lò nung"' in page
    assert f"/v/{cert.code}" in page
    registry.update_product(product=office.product, by=producer, story="Men lam vẽ tay.")
    assert "Men lam vẽ tay." in client.get(f"/san-pham/{office.product.pk}/").content.decode()


def test_each_certificate_keeps_the_name_it_was_issued_under(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    first = issue(office, on=dt.date(2023, 3, 1))
    registry.update_product(product=office.product, by=system_user(), name=NEW)
    second = issue(office)  # re-recognised under the new name: the first is superseded
    other = make_product(producer=office.producer, name="Chén gốm")
    third = issue(office, product=other)
    names = {i["code"]: (i["product"], i["current_name"]) for i in client.get("/api/v1/certificates").json()["items"]}
    assert names == {
        first.code: ("Bình gốm men lam", NEW),
        second.code: (NEW, None),
        third.code: ("Chén gốm", None),
    }
    assert _h1(client.get(f"/v/{second.code}").content.decode()) == NEW


PACKS = "<li>Hộp 1 bình · 30 cm · 8930000000019</li><li>Bộ 2 bình</li>"


def _packs_after_removal(office, client, cert):  # noqa: F811
    registry.remove_pack(pack=office.packs[0], by=office.coordinator)  # the producer stops making the box of one
    body = client.get(f"/v/{cert.code}").content.decode()
    api = client.get(f"/api/v1/certificates/{cert.code}").json()["packs"]
    product_page = client.get(f"/san-pham/{office.product.pk}/").content.decode()
    return PACKS in body, api, "Hộp 1 bình · 30 cm" in product_page


def test_certificates_issued_before_keep_the_packs_they_list(office, client, time_machine):  # noqa: F811
    import importlib

    from django.apps import apps

    from ocop.certificates.models import Certificate

    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    Certificate.objects.filter(pk=cert.pk).update(issued_packs=None)  # as a certificate issued before the copy
    assert PACKS in client.get(f"/v/{cert.code}").content.decode()  # read from the packs it links
    migration = importlib.import_module("ocop.certificates.migrations.0007_certified_names")
    migration.keep_listed_packs(apps, None)
    assert Certificate.objects.get(pk=cert.pk).issued_packs == [
        {"name": "Hộp 1 bình", "size": "30 cm", "gtin": "8930000000019"},
        {"name": "Bộ 2 bình", "size": "", "gtin": ""},
    ]
    assert _packs_after_removal(office, client, cert) == (True, ["Hộp 1 bình", "Bộ 2 bình"], True)


def test_a_pack_removed_after_issue_stays_on_the_certificate(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    assert _packs_after_removal(office, client, cert) == (True, ["Hộp 1 bình", "Bộ 2 bình"], True)
