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


def _set(code: str) -> int:
    from ocop.registry.models import ProductSet

    return int(ProductSet.objects.get(code=code).pk)


def _pdf() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ocop.testing import pdf_bytes

    return SimpleUploadedFile("giay.pdf", pdf_bytes(), content_type="application/pdf")


def _workbook() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ocop.core.excel import write_workbook
    from ocop.registry.columns import PRODUCER_COLUMNS

    data = write_workbook(title="x", headers=[t for _n, t in PRODUCER_COLUMNS], rows=[
        ["", "Hợp tác xã", "HTX Nhập", "0107777779", "", "", "", "", "Bát Tràng", "", "Hà Nội", "", ""]])  # fmt: skip
    return SimpleUploadedFile("a.xlsx", data)


def _cells(w: World) -> dict[str, str]:
    """The parked producer row, completed: every column of the producers' sheet as the review form names them."""
    from ocop.registry.columns import PRODUCER_COLUMNS

    filled = {
        "Loại chủ thể": "Hợp tác xã",
        "Tên chủ thể": "HTX Chờ",
        "Xã/Phường": "Bát Tràng",
        "Tỉnh/Thành phố": "Hà Nội",
    }
    return {f"c{i}": filled.get(title, "") for i, (_n, title) in enumerate(PRODUCER_COLUMNS)}


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
    # The pages that show a form and save it: each POST tried for every role, with what it writes.
    (
        "producer_create",
        lambda w: {},
        POST,
        lambda w: {
            "kind": "cooperative",
            "name": "HTX Ma Trận",
            "identifier": "0109876543",
            "commune": w.producer.commune_id,
        },
        [L, 302, 403, 302, 403, 403, 403, 302, 400],  # charlie: Bát Tràng is not among his communes
        lambda w: Producer.objects.filter(name="HTX Ma Trận").exists(),
    ),
    (
        "product_create",
        lambda w: {},
        POST,
        lambda w: {
            "producer": w.producer.pk,
            "name": "Gốm ma trận",
            "product_set": _set("1-12"),
            "commune": w.producer.commune_id,
            "status": "active",
        },
        [L, 302, 403, 302, 403, 302, 403, 302, 403],
        lambda w: Product.objects.filter(name="Gốm ma trận").exists(),
    ),
    (
        "product_edit",
        _pk("product"),
        POST,
        lambda w: {
            "producer": w.producer.pk,
            "name": "Gốm đổi tên",
            "product_set": w.product.product_set_id,
            "commune": w.product.commune_id,
            "status": "active",
        },
        ok_to_302(WRITE),
        lambda w: Product.objects.filter(name="Gốm đổi tên").exists(),
    ),
    (
        "document_create",
        _pk("producer"),
        POST,
        lambda w: {"kind": "food_safety", "number": "MT-1", "file": _pdf()},
        ok_to_302(WRITE),
        lambda w: Document.objects.filter(number="MT-1").exists(),
    ),
    (
        "document_edit",
        _pk("document"),
        POST,
        lambda w: {"kind": "food_safety", "number": "MT-2"},
        ok_to_302(DOC_WRITE),
        lambda w: Document.objects.filter(number="MT-2").exists(),
    ),
    (
        "import_start",
        lambda w: {"kind": "producers"},
        POST,
        lambda w: {"file": _workbook()},
        ok_to_302(CREATE),
        lambda w: ImportJob.objects.count() == 2,
    ),
    ("parked_list", lambda w: {}, GET, None, ALL, None),
    ("parked_detail", _pk("parked"), GET, None, [L, 200, 404, 200, 404, 404, 404, 200, 404], None),
    (
        "parked_detail",
        _pk("parked"),
        POST,
        lambda w: {**_cells(w), "same": "new"},
        [L, 302, 404, 302, 404, 404, 404, 302, 404],
        lambda w: ParkedRow.objects.filter(pk=w.parked.pk, state="resolved").exists(),
    ),
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
