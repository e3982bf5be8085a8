"""Every list of the API pages the same way (ocop.api.pagination): page, page_size (1 to 200), count, next and
previous links, and a stable order, so that walking the pages returns each row once."""

import datetime as dt

import pytest

from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.conftest import client_for
from ocop.evaluation.models import CriteriaVersion, Round
from ocop.testing import make_producer, make_product, province

LISTS = [
    "/api/v1/certificates",
    "/api/v1/transparency-log/checkpoints",
    "/api/v1/producers",
    "/api/v1/products",
    "/api/v1/rounds",
    "/api/v1/dossiers",
]


@pytest.mark.parametrize("path", LISTS)
def test_a_page_holds_at_most_200(world, path):
    client = client_for(world.users["coordinator"])
    response = client.get(path, {"page_size": 201})
    assert (response.status_code, response.json()) == (
        422,
        {"detail": [{"field": "page_size", "message": "Giá trị quá lớn: tối đa là 200."}], "code": "invalid"},
    )
    assert client.get(path, {"page_size": 0}).json()["detail"] == [
        {"field": "page_size", "message": "Giá trị quá nhỏ."}
    ]
    assert client.get(path, {"page_size": 200}).status_code == 200


def _walk(client, url, query):
    """Every page from the first, by its next links: the items, and the links followed."""
    body = client.get(url, query).json()
    items, links = list(body["items"]), []
    while body["next"]:
        links.append(body["next"])
        body = client.get(body["next"]).json()
        items += body["items"]
    return items, links, body


def test_certificates_come_in_pages_with_links_and_each_once(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False)
    certs = [issue(office)] + [
        issue(office, product=make_product(producer=office.producer, name=f"Chén {i}"), on=dt.date(2025, 11, 20))
        for i in range(4)
    ]
    items, links, last = _walk(client, "/api/v1/certificates", {"status": "current", "page_size": 2})
    assert [i["number"] for i in items] == sorted(c.number for c in certs)  # one day: by number
    base = "http://testserver/api/v1/certificates?status=current&page_size=2&page="
    assert links == [base + "2", base + "3"]
    assert (last["count"], last["previous"], last["next"]) == (5, base + "2", None)
    second = client.get(base + "2").json()
    assert (second["previous"], second["next"], len(second["items"])) == (base + "1", base + "3", 2)
    beyond = client.get(base + "9").json()
    assert (beyond["items"], beyond["previous"], beyond["next"]) == ([], base + "3", None)


def test_producers_and_products_are_walked_each_once(world):
    for i in range(5):
        make_product(producer=make_producer(name=f"HTX Thử {i % 2}"), name=f"Mật ong {i % 2}")
    client = client_for(world.users["coordinator"])
    for path in ("/api/v1/producers", "/api/v1/products"):
        whole = client.get(path, {"page_size": 200}).json()
        items, _, _ = _walk(client, path, {"page_size": 2})
        assert [i["id"] for i in items] == [i["id"] for i in whole["items"]]
        assert len({i["id"] for i in items}) == whole["count"] >= 6
        words = "htx thu" if path.endswith("producers") else "mat ong"  # ranked: by rank, folded name, id
        found = client.get(path, {"q": words, "page_size": 200}).json()
        searched, _, _ = _walk(client, path, {"q": words, "page_size": 2})
        assert [i["id"] for i in searched] == [i["id"] for i in found["items"]]
        assert len({i["id"] for i in searched}) == found["count"] >= 5


def _rounds(n):
    version = CriteriaVersion.objects.get(code="DEMO-148")
    for i in range(n):
        Round.objects.create(province=province("01"), year=2026, number=i + 1, criteria_version=version)


def test_rounds_are_a_page_latest_first(world):
    _rounds(3)
    body = client_for(world.users["coordinator"]).get("/api/v1/rounds", {"page_size": 2}).json()
    assert (body["count"], [r["number"] for r in body["items"]]) == (3, [3, 2])
    assert body["next"] == "http://testserver/api/v1/rounds?page_size=2&page=2"
    assert client_for(world.users["charlie"]).get("/api/v1/rounds").json()["count"] == 0  # another province's


@pytest.mark.parametrize("n", [1, 3])
def test_the_rounds_list_takes_the_same_queries_whatever_its_length(world, n, django_assert_num_queries):
    _rounds(n)
    client = client_for(world.users["coordinator"])
    client.get("/api/v1/rounds")
    with django_assert_num_queries(5):  # session, user, scope, the count, the page with province and criteria
        assert len(client.get("/api/v1/rounds").json()["items"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_the_certificates_list_takes_the_same_queries_whatever_its_length(
    office,  # noqa: F811
    client,
    time_machine,
    n,
    django_assert_num_queries,
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False)
    issue(office)
    for i in range(n - 1):
        issue(office, product=make_product(producer=office.producer, name=f"Chén {i}"))
    with django_assert_num_queries(4):  # Last-Modified, the count, the page, its packs
        assert len(client.get("/api/v1/certificates").json()["items"]) == n
