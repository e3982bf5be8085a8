"""/events and /trainings: read as the back office shows them (ocop.promotion.access), a producer seeing its own booth
only, the outsider nothing."""

from __future__ import annotations

import datetime as dt

from ocop.api.tests.shop_scene import shop, shop_once  # noqa: F401  # the fixtures
from ocop.conftest import client_for
from ocop.outlets.tests.conftest import certify
from ocop.promotion import services
from ocop.testing import make_producer, make_product, province

EMPTY: dict[str, object] = {"count": 0, "next": None, "previous": None, "items": []}


def _event(s):
    return {
        "id": s.event.pk,
        "kind": "fair",
        "name": "Hội chợ OCOP Hà Nội 2026",
        "organiser": "Sở Công Thương",
        "starts_on": "2026-11-10",
        "ends_on": "2026-11-14",
        "province_code": "01",
        "province": "Thành phố Hà Nội",
        "commune_code": "00577",
        "commune": "Xã Bát Tràng",
        "place": "Trung tâm Triển lãm Bát Tràng",
        "platform": "",
        "booth_count": 1,
        "revenue": 35_000_000,
    }


def _booth(booth, producer, product_ids, revenue=None, contracts=None, value=None, visitors=None):
    return {
        "id": booth.pk,
        "label": booth.label,
        "producer_id": producer.pk,
        "producer": producer.name,
        "ocop": True,
        "product_ids": product_ids,
        "revenue": revenue,
        "contracts": contracts,
        "contract_value": value,
        "visitors": visitors,
    }


def test_events_as_the_back_office_lists_them(shop):  # noqa: F811
    listed = {"count": 1, "next": None, "previous": None, "items": [_event(shop)]}
    for who in ("coordinator", "commerce", "commune", "producer", "admin"):
        assert client_for(shop.w.users[who]).get("/api/v1/events").json() == listed
    for who in ("charlie", "outlet", "council"):
        assert client_for(shop.w.users[who]).get("/api/v1/events").json() == EMPTY
    coordinator = client_for(shop.w.users["coordinator"])
    assert coordinator.get("/api/v1/events?kind=livestream").json() == EMPTY
    assert coordinator.get("/api/v1/events?year=2025").json() == EMPTY
    assert coordinator.get("/api/v1/events?province=31").json() == EMPTY
    assert coordinator.get("/api/v1/events?kind=fair&year=2026&province=01").json() == listed
    bad = coordinator.get("/api/v1/events?kind=party")
    assert (bad.status_code, bad.json()["detail"][0]["field"]) == (422, "kind")


def test_a_producer_reads_its_own_booth_only(shop):  # noqa: F811
    coordinator = shop.w.users["coordinator"]
    other = make_producer(name="HTX Gốm Kim Lan")
    vase = make_product(producer=other, name="Bình gốm Kim Lan")
    certify(coordinator, vase, on=dt.date(2026, 6, 1), stars=3)
    theirs = services.allocate_booth(by=coordinator, event=shop.event, producer=other, label="B03", products=[vase])
    url = f"/api/v1/events/{shop.event.pk}"
    mine = _booth(shop.booth, shop.w.producer, [shop.w.product.pk], 35_000_000, 2, 120_000_000, 800)
    full = client_for(coordinator).get(url).json()
    assert full == {**_event(shop), "booth_count": 2, "note": "", "booths": [mine, _booth(theirs, other, [vase.pk])]}
    assert client_for(shop.w.users["producer"]).get(url).json()["booths"] == [mine]
    assert client_for(shop.w.users["commune"]).get(url).json()["booths"] == [mine, _booth(theirs, other, [vase.pk])]
    for who in ("charlie", "outlet"):
        assert client_for(shop.w.users[who]).get(url).status_code == 404


def test_trainings_and_their_attendees(shop):  # noqa: F811
    training = {
        "id": shop.training.pk,
        "topic": "Bao bì và truy xuất nguồn gốc",
        "organiser": "Văn phòng OCOP",
        "starts_on": "2026-09-08",
        "ends_on": "2026-09-09",
        "place": "UBND xã Bát Tràng",
        "province_code": "01",
        "province": "Thành phố Hà Nội",
        "commune_code": "00577",
        "commune": "Xã Bát Tràng",
        "attendee_count": 2,
    }
    for who in ("coordinator", "commune", "producer"):
        got = client_for(shop.w.users[who]).get("/api/v1/trainings").json()
        assert got == {"count": 1, "next": None, "previous": None, "items": [training]}
    person = {"organisation": "", "producer_id": shop.w.producer.pk, "producer": shop.w.producer.name}
    detail = client_for(shop.w.users["producer"]).get(f"/api/v1/trainings/{shop.training.pk}").json()
    assert detail == {
        **training,
        "attendees": [{"name": "Lê Văn Bình", **person}, {"name": "Nguyễn Thị Hoa", **person}],  # by name
    }
    assert client_for(shop.w.users["charlie"]).get("/api/v1/trainings").json() == EMPTY
    assert client_for(shop.w.users["charlie"]).get(f"/api/v1/trainings/{shop.training.pk}").status_code == 404
    assert client_for(None).get("/api/v1/trainings").status_code == 401


def test_lists_in_pages(shop, django_assert_num_queries):  # noqa: F811
    coordinator = shop.w.users["coordinator"]
    client = client_for(coordinator)
    with django_assert_num_queries(5):  # session, user, roles; the count, the page
        assert client.get("/api/v1/events").json()["count"] == 1
    with django_assert_num_queries(5):
        assert client.get("/api/v1/trainings").json()["count"] == 1
    for n in (1, 2):
        services.create_event(by=coordinator, province=province(), kind="livestream", name=f"Phiên livestream {n}",
                              organiser="Sở Công Thương", starts_on=dt.date(2026, 11, 20 + n),
                              ends_on=dt.date(2026, 11, 20 + n), platform="https://shop.example.vn")  # fmt: skip
        services.record_training(by=coordinator, province=province(), topic=f"Lớp thương mại điện tử {n}",
                                 organiser="Văn phòng OCOP", starts_on=dt.date(2026, 10, n),
                                 ends_on=dt.date(2026, 10, n), place="Hội trường UBND tỉnh")  # fmt: skip
    with django_assert_num_queries(5):
        events = client.get("/api/v1/events?page_size=2").json()
    assert [e["name"] for e in events["items"]] == ["Phiên livestream 2", "Phiên livestream 1"]  # newest first
    assert events["next"] == "http://testserver/api/v1/events?page_size=2&page=2"
    with django_assert_num_queries(5):
        trainings = client.get("/api/v1/trainings").json()
    assert [t["topic"] for t in trainings["items"]] == [
        "Lớp thương mại điện tử 2",
        "Lớp thương mại điện tử 1",
        "Bao bì và truy xuất nguồn gốc",
    ]
