from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ocop.accounts.models import Role
from ocop.accounts.services import system_user
from ocop.evaluation.catalogue import load_reference_criteria
from ocop.places.loader import load_places
from ocop.registry import services
from ocop.registry.reference import load_classification
from ocop.testing import PASSWORD, commune, make_document, make_producer, make_product, make_user, signing_keys
from ocop.testing_s3 import s3_server as s3_server  # the S3 emulator and a bucket per test
from ocop.testing_s3 import s3_storage as s3_storage

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
    parked: Any


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    import io

    from ocop.registry.importing import Plan
    from ocop.registry.jobs import start_import
    from ocop.registry.parking import park_rows
    from ocop.testing import PNG_BYTES

    signing_keys("01", "TW")  # Hà Nội's and the ministry's keys, as `ocop signing_keys create` makes them
    producer = make_producer(commune_name="Bát Tràng")
    empty = make_producer(commune_name="Bát Tràng")
    product = make_product(producer=producer, packs=[{"name": "Hộp", "size": "1 kg", "gtin": ""}])
    photo = services.add_photo(product=product, by=system_user(), upload=io.BytesIO(PNG_BYTES))
    document = make_document(producer=producer)
    owner = make_user(Role.PRODUCER, username="owner")
    services.link_producer_account(producer=producer, user=owner, by=system_user())
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
        rows=[["", "Hợp tác xã", "HTX Mới", "0107777771", "", "", "", "", "Bát Tràng", "", "Hà Nội", "", ""]],
    )
    job = start_import(kind="producers", upload=io.BytesIO(sheet), original_name="a.xlsx", by=users["coordinator"])
    parked = park_rows(
        kind="producers",
        plans=[Plan(row=2, action="review", cells={"Tên chủ thể": "HTX Chờ"}, reason="similar",
                    province_id=producer.province_id, commune_id=producer.commune_id)],
        by=users["coordinator"],
    )[0]  # fmt: skip
    assert commune("Bát Tràng") == producer.commune
    return World(producer, empty, product, product.packs.get(), photo, document, users, job, parked)


class Once:
    """Django's TestCase.setUpTestData for pytest modules: what a module's tests share is built once, in a transaction
    that stays open for the module and is rolled back at its end; each test runs in a savepoint of it (the `db`
    fixture) with its own deep copy of the scene, its own copy of the files written meanwhile, at the time the build
    ended (as if the build had just run for that test). A write in one test never reaches the next."""

    def __init__(self, base: Path, blocker: Any) -> None:
        self.base = base
        self.blocker = blocker
        self.now: Any = None

    @contextmanager
    def building(self, at: Any = None) -> Iterator[None]:
        """Build a scene (database open, the tests' settings, files under `base`), at `at` if given."""
        import time_machine
        from django.test import override_settings
        from django.utils import timezone

        with (
            self.blocker.unblock(),
            override_settings(**_settings_under(self.base)),
            time_machine.travel(at) if at is not None else nullcontext(),
        ):
            yield
            if at is not None:
                self.now = timezone.now()

    def fresh(self, scene: Any, tmp_path: Path, time_machine: Any) -> Any:
        shutil.copytree(self.base, tmp_path, dirs_exist_ok=True, symlinks=True)
        if self.now is not None:
            time_machine.move_to(self.now)
        return copy.deepcopy(scene)


@pytest.fixture(scope="module")
def once(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Once]:
    from django.test import TestCase

    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()  # type: ignore[attr-defined]  # what setUpClass does
    try:
        yield Once(tmp_path_factory.mktemp("once"), django_db_blocker)
    finally:
        with django_db_blocker.unblock():
            TestCase._rollback_atomics(atomics)  # type: ignore[attr-defined]


@pytest.fixture
def fresh(once: Once, db: Any, tmp_path: Path, time_machine: Any) -> Callable[[Any], Any]:
    """This test's own copy of a scene built once for the module (see Once)."""
    return lambda scene: once.fresh(scene, tmp_path, time_machine)


@pytest.fixture(scope="module")
def world_once(once: Once) -> World:
    with once.building():
        return build_world()


def check_role_case(
    scene: Any, user: Any, role: str, name: str, kwargs: Any, method: str, data: Any, expected: list[Any], effect: Any
) -> None:
    """One role × action case of a back-office page: the answer `role` gets (or the log-in redirect), and the effect
    took place exactly when the answer was a redirect after success."""
    from django.urls import reverse

    client = client_for(user)
    url = reverse(f"backoffice:{name}", kwargs=kwargs(scene))
    response = client.get(url) if method == "get" else client.post(url, data(scene) if data else {})
    want = expected[ROLES.index(role)]
    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want, response.content[:400]
    if effect is not None:
        assert effect(scene) is (want == 302)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    # Administrative units and the product classification are loaded once for the whole session.
    with django_db_blocker.unblock():
        load_places()
        load_classification()
        load_reference_criteria()


def _settings_under(base: Path) -> dict[str, Any]:
    return {
        "MEDIA_ROOT": base / "files",
        "OCOP_KEYS_DIR": base / "keys",
        "OCOP_PAGE_CACHE_DIR": str(base / "pages"),
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "LANGUAGE_CODE": "vi",
    }


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    for name, value in _settings_under(tmp_path).items():
        setattr(settings, name, value)


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """For live-server tests: transactional tests empty the tables afterwards, so reload what is missing."""
    load_places()
    load_classification()
    load_reference_criteria()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Debian's Chromium; Playwright never downloads a browser of its own here.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
