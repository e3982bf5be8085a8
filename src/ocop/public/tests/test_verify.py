"""`/v/<code>` and its JSON twin: the status today, at once after a change, small and script-free."""

import datetime as dt
from pathlib import Path

from ocop.certificates import services
from ocop.certificates.models import ConsumerReport
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.public import scanpage
from ocop.registry.models import Producer, Product, ProductPack
from ocop.testing import make_product


def test_the_scan_page_tells_at_once_whether_the_stars_are_valid(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    response = client.get(f"/v/{cert.code}")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-status="valid"' in body
    assert "Còn hiệu lực: sản phẩm OCOP 4 sao" in body
    assert "Giấy chứng nhận còn hiệu lực đến 20/11/2028." in body
    assert "Bình gốm men lam" in body and "HTX Gốm Bát Tràng" in body and "Hộp 1 bình" in body
    assert len(response.content) < 30_000
    assert "<script" not in body and "http://" not in body and "https://" not in body
    assert f"<style>{scanpage.CSS}</style>" in body  # unescaped, so that its hash in the policy matches
    assert "style-src 'sha256-" in response["Content-Security-Policy"]
    etag = response["ETag"]
    assert client.get(f"/v/{cert.code}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn ghi sai hạn dùng")
    after = client.get(f"/v/{cert.code}", HTTP_IF_NONE_MATCH=etag)  # the very next request sees the change
    assert after.status_code == 200
    assert "TẠM ĐÌNH CHỈ: hiện không phải sản phẩm OCOP" in after.content.decode()
    assert "Nhãn ghi sai hạn dùng" in after.content.decode()
    api = client.get(f"/api/v1/certificates/{cert.code}").json()
    assert (api["status"], api["ocop"], api["status_reason"]) == ("suspended", False, "Nhãn ghi sai hạn dùng")


def test_past_36_months_the_page_says_expired(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office, on=dt.date(2025, 11, 20))
    time_machine.move_to(dt.datetime(2028, 11, 20, 12, tzinfo=dt.UTC))
    assert 'data-status="expiring"' in client.get(f"/v/{cert.code}").content.decode()
    time_machine.move_to(dt.datetime(2028, 11, 21, 12, tzinfo=dt.UTC))
    body = client.get(f"/v/{cert.code}").content.decode()
    assert 'data-status="expired"' in body and "HẾT HIỆU LỰC: không còn là sản phẩm OCOP" in body
    assert "Quy cách được phép gắn nhãn OCOP" not in body  # no pack is presented as OCOP any more
    assert client.get(f"/api/v1/certificates/{cert.code}").json()["status"] == "expired"


def test_an_unknown_code_is_a_clear_not_found(db, client):
    response = client.get("/v/KHONGCO123")
    assert response.status_code == 404
    assert "Không có giấy chứng nhận OCOP nào mang mã “KHONGCO123”" in response.content.decode()
    assert client.get("/v/" + "x" * 300).status_code == 404
    assert client.get("/api/v1/certificates/KHONGCO123").status_code == 404


def test_the_register_filters_by_status_stars_and_province(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    a = issue(office, stars=4)
    b = issue(office, product=make_product(producer=office.producer, name="Chén"), stars=3, on=dt.date(2023, 3, 1))
    c = issue(office, product=make_product(producer=office.producer, name="Đĩa"), stars=3)
    services.revoke(
        by=office.coordinator, certificate=c, decision_number="9/QĐ", revoked_on=dt.date(2026, 1, 5), reason="Sai"
    )
    page = client.get("/api/v1/certificates").json()
    assert page["count"] == 3
    assert {i["code"]: i["status"] for i in page["items"]} == {a.code: "valid", b.code: "expiring", c.code: "revoked"}

    def codes(query):
        return sorted(i["code"] for i in client.get(f"/api/v1/certificates?{query}").json()["items"])

    assert codes("status=current") == sorted([a.code, b.code])
    assert codes("status=revoked&stars=3") == [c.code]
    assert codes("stars=4&province=01") == [a.code]
    assert codes("province=31") == []
    assert client.get("/api/v1/certificates?status=bogus").status_code == 422


def test_a_consumer_reports_a_label_and_floods_are_refused(office, client, time_machine, settings):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    url = f"/v/{cert.code}/report"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"kind": "nonsense"})
    assert bad.status_code == 400 and "Chọn vấn đề bạn gặp." in bad.content.decode()
    assert ConsumerReport.objects.count() == 0
    sent = client.post(url, {"kind": "fake", "message": "Tem in mờ", "place": "Chợ Đồng Xuân"})
    assert sent.status_code == 200 and "Cảm ơn bạn" in sent.content.decode()
    report = ConsumerReport.objects.get()
    assert (report.certificate, report.kind, report.place) == (cert, "fake", "Chợ Đồng Xuân")
    settings.OCOP_REPORTS_PER_HOUR = 2
    client.post("/v/KHONGCO123/report", {"kind": "fake"})
    refused = client.post(url, {"kind": "expired"})
    assert refused.status_code == 429
    assert ConsumerReport.objects.count() == 2
    time_machine.move_to(dt.datetime(2026, 1, 10, 10, 1, tzinfo=dt.UTC))
    assert client.post(url, {"kind": "expired"}).status_code == 200


def test_the_page_is_bilingual_and_its_stored_copy_follows_every_change(
    office,  # noqa: F811
    client,
    time_machine,
    settings,
    django_capture_on_commit_callbacks,
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    folder = Path(settings.OCOP_PAGE_CACHE_DIR) / "v"
    body = client.get(f"/v/{cert.code}").content
    copy = folder / "2026-01-10" / f"{cert.code}.html"
    assert copy.read_bytes() == body  # what nginx serves from now on, today
    text = body.decode()
    assert "Còn hiệu lực: sản phẩm OCOP 4 sao" in text and "Valid: OCOP product, 4 stars" in text
    assert '<meta http-equiv="Content-Security-Policy"' in text
    client.get(f"/v/{cert.code.lower()}")  # another spelling is answered but not stored
    assert sorted(p.name for p in copy.parent.iterdir()) == [f"{cert.code}.html"]
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn ghi sai hạn dùng")
    assert "TẠM ĐÌNH CHỈ" in copy.read_text()  # rewritten as the change committed
    assert "SUSPENDED: not an OCOP product for now" in copy.read_text()
    client.get(f"/v/{cert.code}")  # a request never overwrites a copy
    assert "TẠM ĐÌNH CHỈ" in copy.read_text()
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC))  # a new day: a new folder, old ones pruned
    client.get(f"/v/{cert.code}")
    assert sorted(p.name for p in folder.iterdir()) == ["2026-01-12"]
    unknown = client.get("/v/KHONGCO123")
    assert unknown.status_code == 404 and not (folder / "2026-01-12" / "KHONGCO123.html").exists()


def test_the_days_copies_are_built_ahead_without_overwriting_newer_ones(office, time_machine, settings):  # noqa: F811
    from django.core.management import call_command

    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    a = issue(office)
    b = issue(office, product=make_product(producer=office.producer, name="Chén gốm"), on=dt.date(2023, 1, 2))
    folder = Path(settings.OCOP_PAGE_CACHE_DIR) / "v" / "2026-01-10"
    folder.mkdir(parents=True)
    (folder / f"{a.code}.html").write_text("newer")
    call_command("build_scan_pages")
    assert (folder / f"{a.code}.html").read_text() == "newer"
    assert "EXPIRED: no longer an OCOP product" in (folder / f"{b.code}.html").read_text()


def test_the_offline_checks_paste_box_takes_the_longest_jws_with_room_to_spare(office, client, time_machine):  # noqa: F811
    """A megabyte pasted froze the page for half a minute: the box takes 32,768 characters, well above what a
    certificate gives with 20 packs, every name at its longest (an address and its JWS: 8,320 characters)."""
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    words = "Hộp quà Tết gốm Bát Tràng men lam vẽ tay cao cấp "
    Product.objects.filter(pk=office.product.pk).update(name=(words * 6)[:255].strip())
    Producer.objects.filter(pk=office.product.producer_id).update(name=(words * 6)[:255].strip())
    ProductPack.objects.filter(product=office.product).delete()
    for n in range(20):
        ProductPack.objects.create(
            product=office.product, name=f"{n:02} {words * 3}"[:120].strip(), size=(words * 2)[:60].strip()
        )
    office.product.refresh_from_db()
    cert = issue(office)
    pasted = f"https://ocop.hanoi.gov.vn/v/{cert.code}#{cert.jws}"
    assert (len(cert.issued_packs), len(pasted)) == (20, 8320)
    page = client.get("/kiem-tra/").content.decode()
    assert '<textarea id="payload" name="payload" rows="4" maxlength="32768" required></textarea>' in page
