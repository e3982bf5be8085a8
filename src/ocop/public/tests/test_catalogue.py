"""The public catalogue: only valid certificates are presented as OCOP products; search and filters; product pages."""

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocop.accounts.services import system_user
from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.registry import services as registry_services
from ocop.testing import PNG_BYTES, make_producer, make_product


def _names(client, query=""):
    response = client.get(f"/san-pham/?{query}")
    assert response.status_code == 200
    return [p.name for p, _c, _s, _m in response.context["rows"]]


def test_only_valid_certificates_show_as_ocop_products(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    valid = issue(office)
    old = issue(office, product=make_product(producer=office.producer, name="Chén gốm cổ"), on=dt.date(2022, 12, 1))
    gone = issue(office, product=make_product(producer=office.producer, name="Đĩa gốm"), stars=3)
    make_product(producer=office.producer, name="Bát gốm chưa chứng nhận")
    services.suspend(by=office.coordinator, certificate=gone, reason="Nhãn sai")
    assert _names(client) == ["Bình gốm men lam"]
    assert _names(client, "status=expired") == ["Chén gốm cổ"]
    assert _names(client, "status=suspended") == ["Đĩa gốm"]
    assert _names(client, "status=all") == ["Bình gốm men lam", "Chén gốm cổ", "Đĩa gốm"]
    body = client.get("/san-pham/?status=all").content.decode()
    assert "Bát gốm chưa chứng nhận" not in body
    assert "Giấy chứng nhận hết hạn: không còn là sản phẩm OCOP" in body
    services.revoke(by=office.coordinator, certificate=valid, decision_number="3/QĐ", revoked_on=dt.date(2026, 1, 9),
                    reason="Sai")  # fmt: skip
    assert _names(client) == []  # at once
    page = client.get(f"/san-pham/{valid.product_id}/")
    assert "Giấy chứng nhận bị thu hồi: không phải sản phẩm OCOP" in page.content.decode()
    assert page.context["packs"] == []
    assert old.code in client.get(f"/san-pham/{old.product_id}/").content.decode()


def test_search_is_ranked_and_diacritic_insensitive_with_filters(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    issue(office)  # Bình gốm men lam, 4 stars, Bát Tràng
    issue(office, product=make_product(producer=office.producer, name="Gốm men rạn"), stars=3)
    ba_vi = make_producer(name="HTX Chè Ba Vì", commune_name="Ba Vì")
    issue(office, product=make_product(producer=ba_vi, name="Chè búp Ba Vì", set_code="1-12"), stars=3)
    assert _names(client, "q=gom") == ["Gốm men rạn", "Bình gốm men lam"]  # names opening with the words first
    assert _names(client, "q=GỐM men&stars=4") == ["Bình gốm men lam"]
    assert _names(client, "q=che") == ["Chè búp Ba Vì"]
    assert _names(client, "province=31") == []
    ba_vi_commune = ba_vi.commune_id
    assert _names(client, f"province=01&commune={ba_vi_commune}") == ["Chè búp Ba Vì"]
    assert _names(client, "stars=9&status=nonsense") == ["Bình gốm men lam", "Chè búp Ba Vì", "Gốm men rạn"]


def test_a_product_page_with_story_photos_and_producer(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    office.product.story = "Làng gốm 700 năm tuổi."
    office.product.save()
    photo = registry_services.add_photo(product=office.product, by=system_user(), upload=io.BytesIO(PNG_BYTES))
    cert = issue(office)
    page = client.get(f"/san-pham/{office.product.pk}/")
    body = page.content.decode()
    assert "Làng gốm 700 năm tuổi." in body and "HTX Gốm Bát Tràng" in body and "Hộp 1 bình" in body
    assert f"/v/{cert.code}" in body
    image = client.get(f"/san-pham/{office.product.pk}/anh/{photo.pk}")
    assert image.status_code == 200 and b"".join(image.streaming_content) == PNG_BYTES
    uncertified = make_product(producer=office.producer)
    assert client.get(f"/san-pham/{uncertified.pk}/").status_code == 404
    client.cookies["django_language"] = "en"
    assert "OCOP product: certificate valid" in client.get(f"/san-pham/{office.product.pk}/").content.decode()


def test_the_catalogue_query_count_stays_flat(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    issue(office)
    client.get("/san-pham/")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get("/san-pham/?q=gom")
        return len(ctx.captured_queries)

    first = count()
    for i in range(2):
        issue(office, product=make_product(producer=office.producer, name=f"Gốm {i}"))
    # SQLite's page plan reads the opening range and the rest separately, and the highest id; PostgreSQL counts
    # and ranks the matches in one query.
    expected = 8 if connection.vendor == "sqlite" else 5
    assert (first, count()) == (expected, expected)


def test_a_common_word_counts_up_to_the_cap(office, client, time_machine, monkeypatch):  # noqa: F811
    from ocop.public import catalogue

    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    for i in range(3):
        issue(office, product=make_product(producer=office.producer, name=f"Gốm men {i}"))
    monkeypatch.setattr(catalogue, "COUNT_CAP", 2)
    response = client.get("/san-pham/?q=gom men")
    assert (response.context["page"].paginator.count, response.context["more"]) == (2, True)
    assert "Hơn 2 sản phẩm: hiển thị 2 sản phẩm đầu" in response.content.decode()
    monkeypatch.setattr(catalogue, "COUNT_CAP", 10)
    response = client.get("/san-pham/?q=gom men")
    assert (response.context["page"].paginator.count, response.context["more"]) == (3, False)


def test_the_catalogue_search_reads_the_certified_products_words(office, client, time_machine):  # noqa: F811
    """On PostgreSQL the catalogue's search reads the words index over certified products (a third of a province's
    table), not the whole table's; its counts and rows are the search's on either database."""
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    issue(office)
    make_product(producer=office.producer, name="Gốm chưa chứng nhận")  # never certified: not in that index
    with CaptureQueriesContext(connection) as ctx:
        assert _names(client, "q=gom") == ["Bình gốm men lam"]
    if connection.vendor == "postgresql":
        (scan,) = [q["sql"] for q in ctx.captured_queries if "@@" in q["sql"]]  # one query: count and ids
        assert "count(*) OVER ()" in scan
        with connection.cursor() as cursor:
            # A test's table is tiny: a scan, or the index on status and last day, would always win. Without
            # them, the planner reads the certified products' words index only if the query's filter implies its
            # predicate and its words are the index's expression. (The test's transaction is rolled back.)
            cursor.execute("DROP INDEX product_ocop_stats")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {scan}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
        assert "product_certified_words" in plan and "registry_product_search_words" not in plan, plan


def test_the_catalogue_is_in_vietnamese_order_and_drops_a_commune_of_another_province(office, client, time_machine):  # noqa: F811
    """Cà before Chè, Đ right after D, Mạch before Miến (byte order put Đ last and Miến before Mạch); a commune left
    from another province (the province was changed in the form) no longer filters."""
    from ocop.places.models import Commune

    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    for name in ["Miến dong", "Đèn tre", "Chè xanh", "Mạch nha", "Cà chua", "Dưa lê"]:
        issue(office, product=make_product(producer=office.producer, name=name))
    issue(office)
    assert _names(client, "status=all") == [
        "Bình gốm men lam", "Cà chua", "Chè xanh", "Dưa lê", "Đèn tre", "Mạch nha", "Miến dong",
    ]  # fmt: skip
    elsewhere = Commune.objects.exclude(province__code="01").order_by("code").first()
    assert len(_names(client, f"province=01&commune={elsewhere.pk}&status=all")) == 7
