"""Role × action: every back-office view, each role, and an outsider (charlie, another province's coordinator)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from ocop.conftest import ROLES, World, check_role_case, client_for
from ocop.registry.models import Document, ImportJob, ParkedRow, Producer, Product, ProductPack, ProductPhoto

L = "login"  # redirected to the log-in page


@pytest.fixture
def world(world_once: World, fresh: Callable[[World], World]) -> World:
    """The world is built once for the module; each case has its own copy, in a savepoint (conftest.Once)."""
    return fresh(world_once)


def _pk(name: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": getattr(w, name).pk}


# name, url kwargs, method, POST data, expected per role (in ROLES order), effect check (True when done)
GET = "get"
POST = "post"
ALL = [L, 200, 200, 200, 200, 200, 200, 200, 200]
READ = [L, 200, 200, 200, 200, 200, 404, 200, 404]
WRITE = [L, 200, 403, 200, 403, 200, 404, 200, 404]
DOC_READ = [L, 200, 200, 200, 404, 200, 404, 200, 404]
DOC_WRITE = [L, 200, 403, 200, 404, 200, 404, 200, 404]
CREATE = [L, 200, 403, 200, 403, 403, 403, 200, 200]


def _checked(w: World, data: dict[str, Any]) -> dict[str, Any]:
    """The world's import, checked as the task worker checks it (the worker itself: registry/tests/test_jobs.py)."""
    from ocop.registry.jobs import execute

    execute(w.job)
    return data


def ok_to_302(expected: list[Any]) -> list[Any]:
    return [302 if e == 200 else e for e in expected]


CASES: list[
    tuple[
        str,
        Callable[[World], dict[str, Any]],
        str,
        Callable[[World], dict[str, Any]] | None,
        list[Any],
        Callable[[World], bool] | None,
    ]
] = [
    ("dashboard", lambda w: {}, GET, None, ALL, None),
    ("producer_list", lambda w: {}, GET, None, ALL, None),
    ("producer_export", lambda w: {}, GET, None, ALL, None),
    ("product_list", lambda w: {}, GET, None, ALL, None),
    ("product_export", lambda w: {}, GET, None, ALL, None),
    ("document_list", lambda w: {}, GET, None, ALL, None),
    ("producer_create", lambda w: {}, GET, None, CREATE, None),
    ("product_create", lambda w: {}, GET, None, [L, 200, 403, 200, 403, 200, 403, 200, 403], None),
    ("producer_detail", _pk("producer"), GET, None, READ, None),
    ("producer_edit", _pk("producer"), GET, None, WRITE, None),
    (
        "producer_edit",
        _pk("producer"),
        POST,
        lambda w: {
            "kind": "cooperative",
            "name": "HTX Đổi Tên",
            "identifier": w.producer.identifier,
            "commune": w.producer.commune_id,
        },
        ok_to_302(WRITE),
        lambda w: Producer.objects.filter(name="HTX Đổi Tên").exists(),
    ),
    (
        "producer_delete",
        _pk("empty_producer"),
        POST,
        lambda w: {},
        [L, 302, 403, 403, 403, 404, 404, 302, 404],
        lambda w: not Producer.objects.filter(pk=w.empty_producer.pk).exists(),
    ),
    # htmx while a name is typed: the similar products among those the user sees (none for an outsider).
    ("product_similar", lambda w: {}, GET, None, ALL, None),
    ("product_detail", _pk("product"), GET, None, READ, None),
    ("product_edit", _pk("product"), GET, None, WRITE, None),
    (
        "product_delete",
        _pk("product"),
        POST,
        lambda w: {},
        [L, 302, 403, 403, 403, 403, 404, 302, 404],
        lambda w: not Product.objects.filter(pk=w.product.pk).exists(),
    ),
    (
        "pack_add",
        _pk("product"),
        POST,
        lambda w: {"name": "Túi", "size": "500 g", "gtin": ""},
        ok_to_302(WRITE),
        lambda w: ProductPack.objects.filter(name="Túi").exists(),
    ),
    (
        "pack_remove",
        lambda w: {"pk": w.product.pk, "pack_pk": w.pack.pk},
        POST,
        lambda w: {},
        ok_to_302(WRITE),
        lambda w: not ProductPack.objects.filter(pk=w.pack.pk).exists(),
    ),
    ("photo_file", lambda w: {"pk": w.product.pk, "photo_pk": w.photo.pk}, GET, None, READ, None),
    (
        "photo_add",
        _pk("product"),
        POST,
        lambda w: {"image": __import__("io").BytesIO(__import__("ocop.testing").testing.PNG_BYTES + b"x")},
        ok_to_302(WRITE),
        lambda w: ProductPhoto.objects.count() == 2,
    ),
    ("document_detail", _pk("document"), GET, None, DOC_READ, None),
    ("document_file", _pk("document"), GET, None, DOC_READ, None),
    ("document_edit", _pk("document"), GET, None, DOC_WRITE, None),
    ("document_create", _pk("producer"), GET, None, WRITE, None),
    (
        "document_delete",
        _pk("document"),
        POST,
        lambda w: {},
        ok_to_302(DOC_WRITE),
        lambda w: not Document.objects.filter(pk=w.document.pk).exists(),
    ),
    ("import_start", lambda w: {"kind": "producers"}, GET, None, CREATE, None),
    ("import_template", lambda w: {"kind": "products"}, GET, None, ALL, None),
    ("import_job", _pk("job"), GET, None, [L, 200, 404, 404, 404, 404, 404, 404, 404], None),
    (
        "import_decide",
        _pk("job"),
        POST,
        lambda w: _checked(w, {"mode": "park", "incomplete": "create", "action": "save"}),
        [L, 302, 404, 404, 404, 404, 404, 404, 404],
        lambda w: ImportJob.objects.filter(pk=w.job.pk, commit=True, mode="park", status="queued").exists(),
    ),
    (
        "import_rerun",
        _pk("job"),
        POST,
        lambda w: {},
        [L, 302, 404, 404, 404, 404, 404, 404, 404],
        None,
    ),
    ("parked_list", lambda w: {}, GET, None, ALL, None),
    ("parked_detail", _pk("parked"), GET, None, [L, 200, 404, 200, 404, 404, 404, 200, 404], None),
    (
        "parked_dismiss",
        _pk("parked"),
        POST,
        lambda w: {"reason": "Trùng với HTX đã có"},
        [L, 302, 404, 302, 404, 404, 404, 302, 404],
        lambda w: ParkedRow.objects.filter(pk=w.parked.pk, state="dismissed").exists(),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("home", [200] * 9),
        ("healthz", [200] * 9),
        ("login", [200] * 9),
        # The Django admin (unit names, reference data) is for the system administrator only.
        (
            "admin:places_commune_changelist",
            ["admin", "admin", "admin", "admin", "admin", "admin", "admin", 200, "admin"],
        ),
    ],
)
def test_public_and_admin_pages(world, role, url_name, expected):
    response = client_for(world.users[role]).get(reverse(url_name))
    want = expected[ROLES.index(role)]
    if want == "admin":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == want


def test_admin_can_rename_a_commune(world):
    from ocop.places.models import Commune

    commune = world.producer.commune
    client = client_for(world.users["admin"])
    url = reverse("admin:places_commune_change", args=[commune.pk])
    response = client.post(
        url, {"name": "Xã Bát Tràng (tên mới)", "short_name": commune.short_name, "kind": commune.kind}
    )
    assert response.status_code == 302
    assert Commune.objects.get(pk=commune.pk).name == "Xã Bát Tràng (tên mới)"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    CASES,
    ids=[f"{c[0]}-{c[2]}" for c in CASES],
)
def test_role_matrix(world, role, name, kwargs, method, data, expected, effect):
    check_role_case(world, world.users[role], role, name, kwargs, method, data, expected, effect)
