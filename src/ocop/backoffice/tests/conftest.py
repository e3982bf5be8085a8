from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from ocop.accounts.models import Role
from ocop.registry import services
from ocop.testing import PASSWORD, commune, make_document, make_producer, make_product, make_user

ROLES = ["anon", "coordinator", "commerce", "commune", "council", "producer", "outlet", "admin", "charlie"]


@dataclass
class World:
    producer: Any
    empty_producer: Any
    product: Any
    pack: Any
    photo: Any
    document: Any
    users: dict[str, Any]
    job: Any


@pytest.fixture
def world(db) -> World:
    import io

    from ocop.registry.jobs import start_import
    from ocop.testing import PNG_BYTES

    producer = make_producer(commune_name="Bát Tràng")
    empty = make_producer(commune_name="Bát Tràng")
    product = make_product(producer=producer, packs=[{"name": "Hộp", "size": "1 kg", "gtin": ""}])
    photo = services.add_photo(product=product, by=None, upload=io.BytesIO(PNG_BYTES))
    document = make_document(producer=producer)
    owner = make_user(Role.PRODUCER, username="owner")
    services.link_producer_account(producer=producer, user=owner, by=None)
    users = {
        "anon": None,
        "coordinator": make_user(Role.PROVINCE_COORDINATOR, username="coordinator"),
        "commerce": make_user(Role.COMMERCE_OFFICER, username="commerce"),
        "commune": make_user(Role.COMMUNE_OFFICER, username="communeofficer", communes=("Bát Tràng",)),
        "council": make_user(Role.COUNCIL_MEMBER, username="council"),
        "producer": owner,
        "outlet": make_user(Role.OUTLET_OPERATOR, username="outlet"),
        "admin": make_user(Role.SYSTEM_ADMIN, username="admin"),
        # The outsider: coordinator of another province (Hải Phòng).
        "charlie": make_user(Role.PROVINCE_COORDINATOR, username="charlie", province_code="31"),
    }
    from ocop.core.excel import write_workbook
    from ocop.registry.columns import PRODUCER_COLUMNS

    sheet = write_workbook(
        title="x",
        headers=[t for _n, t in PRODUCER_COLUMNS],
        rows=[["Hợp tác xã", "HTX Mới", "0107777771", "", "", "", "", "Bát Tràng", "", "Hà Nội", "", ""]],
    )
    job = start_import(kind="producers", upload=io.BytesIO(sheet), original_name="a.xlsx", by=users["coordinator"])
    assert commune("Bát Tràng") == producer.commune
    return World(producer, empty, product, product.packs.get(), photo, document, users, job)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client
