"""`/v/<code>` on a miss: its own short middleware chain (no session, CSRF or cookie), one query, the template's
fixed text rendered once and filled per certificate, the verdict of the moment, and the copies in the "pages"
storage (a local folder, or the bucket's pages/ prefix)."""

import datetime as dt

from django.core.management import call_command

from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.outlets.tests.conftest import recognised
from ocop.public import scanpage
from ocop.testing import make_product

HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-cache",
    "Content-Security-Policy": f"default-src 'none'; style-src {scanpage.CSS_HASH}; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Content-Language": "vi",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _verdict(body: bytes) -> str:
    text = body.decode()
    start = text.index('<p class="verdict')
    return text[start : text.index("</p>", start) + 4]


def test_a_miss_is_one_query_with_no_session_and_no_cookie(
    office,  # noqa: F811
    client,
    time_machine,
    django_assert_num_queries,
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    client.force_login(office.coordinator)  # a signed-in officer scanning: the session is not even read
    with django_assert_num_queries(1):
        response = client.get(f"/v/{cert.code}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.cookies == {} and "Set-Cookie" not in response.headers
    headers = dict(response.headers)
    assert headers.pop("ETag").startswith(f'"{cert.pk}-')
    assert headers.pop("Content-Length") == str(len(response.content))
    assert headers == HEADERS  # no Vary: the page is the same for every reader and language
    assert _verdict(response.content) == (
        '<p class="verdict s-valid" id="verdict" data-status="valid"><span class="mark" aria-hidden="true">✔</span>'
        "Còn hiệu lực: sản phẩm OCOP 4 sao\n<small>Giấy chứng nhận còn hiệu lực đến 20/11/2028.</small>"
        '<small lang="en" class="en">Valid: OCOP product, 4 stars. The certificate is valid until 20/11/2028.</small>'
        "</p>"
    )
    with django_assert_num_queries(1):
        unknown = client.get("/v/KHONGCO123")
    assert unknown.status_code == 404 and unknown.cookies == {} and unknown["Content-Language"] == "vi"
    assert "Không có giấy chứng nhận OCOP nào mang mã “KHONGCO123”" in unknown.content.decode()


def test_other_requests_to_the_path_take_the_full_chain_and_the_host_is_still_checked(
    office,  # noqa: F811
    client,
    time_machine,
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    assert client.get(f"/v/{cert.code}", HTTP_HOST="ocop.evil.example").status_code == 400  # ALLOWED_HOSTS
    # HEAD as nginx answers it from a copy: GET's headers (the short chain too: no Vary, Content-Language vi), no body
    get = client.get(f"/v/{cert.code}", HTTP_ACCEPT_LANGUAGE="en")
    head = client.head(f"/v/{cert.code}", HTTP_ACCEPT_LANGUAGE="en")
    assert (head.status_code, head.content, head["Content-Language"]) == (200, b"", "vi")
    assert dict(head.headers) == dict(get.headers) and "Vary" not in head.headers
    report = client.get(f"/v/{cert.code}/report")
    assert report.status_code == 200 and "Vary" in report.headers  # the form page: the full chain, as before
    assert client.get("/v/KHONG-CO.123").status_code == 404  # another spelling: the full chain, the same page


def test_the_verdict_is_the_moments_for_each_certificate_of_the_same_shape(
    office,  # noqa: F811
    client,
    time_machine,
    django_assert_num_queries,
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    a = issue(office)
    b = issue(office, product=make_product(producer=office.producer, name='Chén gốm <men> & "rạn"'))
    page_a, page_b = client.get(f"/v/{a.code}").content.decode(), client.get(f"/v/{b.code}").content.decode()
    assert "<title>Bình gốm men lam · " in page_a and "Chén gốm" not in page_a
    assert "<title>Chén gốm &lt;men&gt; &amp; &quot;rạn&quot; · " in page_b and "Bình gốm" not in page_b
    assert f"{a.number}</dd>" in page_a and f"{b.number}</dd>" in page_b
    services.suspend(by=office.coordinator, certificate=a, reason="Nhãn <ghi> sai")
    with django_assert_num_queries(1):
        suspended = client.get(f"/v/{a.code}").content
    assert _verdict(suspended) == (
        '<p class="verdict s-suspended" id="verdict" data-status="suspended"><span class="mark" aria-hidden="true">'
        "✘</span>TẠM ĐÌNH CHỈ: hiện không phải sản phẩm OCOP\n<small>Bị đình chỉ từ ngày 10/01/2026: Nhãn &lt;ghi&gt; "
        'sai</small><small lang="en" class="en">SUSPENDED: not an OCOP product for now. Suspended since 10/01/2026: '
        "Nhãn &lt;ghi&gt; sai</small></p>"
    )
    services.revoke(
        by=office.coordinator, certificate=b, decision_number="9/QĐ", revoked_on=dt.date(2026, 1, 5), reason="Sai"
    )
    revoked = client.get(f"/v/{b.code}").content
    assert 'data-status="revoked"' in _verdict(revoked)
    assert "ĐÃ THU HỒI: không còn là sản phẩm OCOP" in _verdict(revoked)
    assert "Bị thu hồi theo quyết định 9/QĐ ngày 05/01/2026: Sai" in _verdict(revoked)
    c = issue(office, product=make_product(producer=office.producer, name="Đĩa gốm"))
    assert 'data-status="valid"' in client.get(f"/v/{c.code}").content.decode()  # the shape a's valid page had
    time_machine.move_to(dt.datetime(2028, 11, 21, 9, tzinfo=dt.UTC))
    expired = client.get(f"/v/{a.code}").content  # still suspended: the suspension wins
    assert 'data-status="suspended"' in _verdict(expired)
    services.lift(by=office.coordinator, certificate=a)
    assert "HẾT HIỆU LỰC: không còn là sản phẩm OCOP" in _verdict(client.get(f"/v/{a.code}").content)


def test_where_to_buy_comes_in_the_same_one_query(outlet_scene, client, django_assert_num_queries):
    recognised(outlet_scene)
    with django_assert_num_queries(1):
        page = client.get(f"/v/{outlet_scene.cert.code}").content.decode()
    assert f'<a href="/diem-ban/?san-pham={outlet_scene.product.pk}" id="where-to-buy">' in page
    assert "Nơi mua: 1 điểm bán OCOP" in page


def test_the_copies_go_to_the_buckets_pages_prefix_and_old_days_are_pruned_there(
    office,  # noqa: F811
    client,
    time_machine,
    s3_storage,
    django_capture_on_commit_callbacks,
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    key = f"pages/v/2026-01-10/{cert.code}.html"
    body = client.get(f"/v/{cert.code}").content
    assert s3_storage.names() == [key] and s3_storage.read(key) == body
    head = s3_storage.client.head_object(Bucket=s3_storage.name, Key=key)
    assert head["ContentType"] == "text/html; charset=utf-8"
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn ghi sai hạn dùng")
    assert "TẠM ĐÌNH CHỈ" in s3_storage.read(key).decode()  # rewritten as the change committed
    client.get(f"/v/{cert.code}")  # a request never overwrites a copy
    assert "TẠM ĐÌNH CHỈ" in s3_storage.read(key).decode()
    other = issue(office, product=make_product(producer=office.producer, name="Chén gốm"))
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC))  # a new day: old days pruned in the bucket
    client.get(f"/v/{cert.code}")
    assert s3_storage.names() == [f"pages/v/2026-01-12/{cert.code}.html"]
    call_command("build_scan_pages")
    assert s3_storage.names() == sorted(f"pages/v/2026-01-12/{c.code}.html" for c in (cert, other))
    assert "TẠM ĐÌNH CHỈ" in s3_storage.read(f"pages/v/2026-01-12/{cert.code}.html").decode()
    assert s3_storage.names("files") == s3_storage.names("opendata") == []  # nothing of the pages elsewhere


def test_a_page_rendered_before_a_change_never_stays_in_the_bucket(office, client, time_machine, s3_storage):  # noqa: F811
    """A bucket cannot put "unless there": a scan that checked for the copy, then rendered, then put it after a
    suspension committed (and after the suspension's own rewrite) would leave the valid page for the rest of the
    day. The scan reads the row again after its put and puts the page as it now reads."""
    from ocop.public import scanpage

    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    key = f"pages/v/2026-01-10/{cert.code}.html"
    day = dt.date(2026, 1, 10)
    row, counts = scanpage.page_row(cert.code, day)
    valid = scanpage.render_page(row, cert.code, day, counts)  # what the scan rendered, before the change
    services.suspend(by=office.coordinator, certificate=cert, reason="Nhãn sai")  # its rewrite not yet in the bucket
    assert s3_storage.names() == []
    scanpage.store_if_absent(cert.code, valid, day)  # the scan's put, after the change committed
    assert (
        "TẠM ĐÌNH CHỈ" in s3_storage.read(key).decode() and 'data-status="valid"' not in s3_storage.read(key).decode()
    )
    other = issue(office, product=make_product(producer=office.producer, name="Chén gốm"))
    row, counts = scanpage.page_row(other.code, day)
    page = scanpage.render_page(row, other.code, day, counts)
    scanpage.store_if_absent(other.code, page, day)  # nothing changed: the page as rendered, put once
    assert s3_storage.read(f"pages/v/2026-01-10/{other.code}.html") == page


def test_a_copy_that_cannot_be_stored_still_answers_the_page(office, client, time_machine, settings, tmp_path):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    (tmp_path / "a-file").write_text("not a folder")
    settings.OCOP_PAGE_CACHE_DIR = str(tmp_path / "a-file" / "pages")  # no folder can be made there
    response = client.get(f"/v/{cert.code}")
    assert response.status_code == 200 and 'data-status="valid"' in response.content.decode()


def test_on_postgresql_the_page_query_is_prepared_once_per_connection(office, client, time_machine):  # noqa: F811
    """PostgreSQL planned the page's query at every scan (1.7 ms of planning for 0.3 ms of work): it is a prepared
    statement on the connection, run again with each code. SQLite runs it as before (its own statement cache)."""
    from django.db import connection

    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    for _ in range(7):
        assert 'data-status="valid"' in client.get(f"/v/{cert.code}").content.decode()
    assert client.get("/v/KHONGCO123").status_code == 404  # another code, the same statement
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%certificates_certificate%"],
        )
        assert cursor.fetchall() == [(8,)]  # one statement, run eight times
