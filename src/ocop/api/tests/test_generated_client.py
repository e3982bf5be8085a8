"""Item 7 of issue 18: a Python client generated from the OpenAPI document with openapi-python-client works, with a
token: it lists certificates, reads a 404 as a typed error, creates a product and reports a month of sales.

The client is generated once for the module from the document the API serves, and talks to the application
in-process (httpx's WSGI transport), so the test's database transaction is the one the API sees."""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client

from ocop.accounts.models import TokenScope
from ocop.accounts.services import create_api_token
from ocop.api.tests.shop_scene import shop, shop_once  # noqa: F401  # the fixtures
from ocop.certificates.models import Certificate
from ocop.outlets.models import SalesRecord
from ocop.registry.models import Product

PACKAGE = "ocop_generated_client"
# The generator writes no formatter hooks here, and takes the workbook's content type as a binary file (it knows
# application/octet-stream by that name only): docs/api.md shows the same configuration.
CONFIG = """post_hooks: []
content_type_overrides:
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: Any) -> Any:
    """The client package, generated from /api/v1/openapi.json; the generator must not warn of anything it skipped."""
    base = tmp_path_factory.mktemp("client")
    (base / "openapi.json").write_bytes(Client().get("/api/v1/openapi.json", secure=True).content)
    (base / "config.yml").write_text(CONFIG)
    run = subprocess.run(  # noqa: S603  # our own fixed arguments
        [str(Path(sys.executable).with_name("openapi-python-client")), "generate", "--path", "openapi.json",
         "--config", "config.yml", "--output-path", PACKAGE, "--meta", "none"],
        cwd=base, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(base))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(base))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def wsgi():
    # Django's WSGI handler closes the connection after each response; the test's transaction lives on it.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield httpx.WSGITransport(app=get_wsgi_application())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _module(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


def _client(generated: Any, wsgi: Any, user: Any) -> Any:
    """The generated client with a write token of `user`, and no cookie: what another system holds."""
    token = create_api_token(user=user, name="Hệ thống siêu thị", scope=TokenScope.WRITE, days=30, by=user).text
    return generated.AuthenticatedClient(
        base_url="https://testserver", token=token, httpx_args={"transport": wsgi}, raise_on_unexpected_status=True
    )


def test_lists_certificates_and_reads_a_404_as_a_typed_error(generated, wsgi, shop):  # noqa: F811
    models = _module("models")
    client = _client(generated, wsgi, shop.w.users["commerce"])
    listing = _module("api.certificates.list_certificates").sync(client=client, page_size=1)
    assert isinstance(listing, models.CertificatePage)
    assert (listing.count, listing.previous) == (2, None)
    assert listing.next_ == "https://testserver/api/v1/certificates?page=2&page_size=1"
    assert [(c.code, c.stars, c.status) for c in listing.items] == [(shop.cert.code, 4, models.CertificateStatus.VALID)]
    assert _module("api.certificates.list_certificates").sync(client=client, page=2, page_size=1).items[0].code == (
        Certificate.objects.exclude(pk=shop.cert.pk).get().code
    )
    missing = _module("api.certificates.get_certificate").sync_detailed(client=client, code="KHONGCO")
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.ErrorOut)
    assert (missing.parsed.detail, missing.parsed.code) == ("Không tìm thấy.", models.ErrorCode.NOT_FOUND)


def test_creates_a_product(generated, wsgi, shop):  # noqa: F811
    models = _module("models")
    client = _client(generated, wsgi, shop.w.users["coordinator"])
    body = models.ProductIn(
        producer_id=shop.w.producer.pk,
        name="Chén gốm men rạn",
        product_set_code=shop.w.product.product_set.code,
        commune_code=shop.w.producer.commune.code,
        packs=[models.PackIn(name="Hộp 6 chén", size="6 chén", gtin="")],
    )
    created = _module("api.registry.create_product").sync_detailed(client=client, body=body)
    assert created.status_code == 201
    product = Product.objects.get(name="Chén gốm men rạn")
    assert (created.parsed.id, created.parsed.name, created.parsed.producer_id) == (
        product.pk, "Chén gốm men rạn", shop.w.producer.pk
    )  # fmt: skip
    assert [(p.name, p.size) for p in created.parsed.packs] == [("Hộp 6 chén", "6 chén")]
    assert list(product.packs.values_list("name", "size")) == [("Hộp 6 chén", "6 chén")]


def test_reports_a_month_of_sales(generated, wsgi, shop):  # noqa: F811
    models = _module("models")
    client = _client(generated, wsgi, shop.w.users["outlet"])
    body = models.SalesMonthIn(lines=[models.SalesLineIn(product_id=shop.w.product.pk, quantity=7.5, revenue=900_000)])
    reported = _module("api.sales.report_outlet_sales").sync(
        client=client, code=shop.outlet.code, year=2026, month=12, body=body
    )
    assert isinstance(reported, models.SalesMonthOut)
    assert (reported.year, reported.month, reported.revenue) == (2026, 12, 900_000)
    assert [(line.product_id, line.revenue) for line in reported.lines] == [(shop.w.product.pk, 900_000)]
    december = SalesRecord.objects.get(outlet=shop.outlet, month=dt.date(2026, 12, 1))
    assert (december.product_id, str(december.quantity), december.revenue) == (shop.w.product.pk, "7.50", 900_000)
    refused = _module("api.sales.report_outlet_sales").sync_detailed(
        client=client, code=shop.outlet.code, year=2026, month=12,
        body=models.SalesMonthIn(lines=[models.SalesLineIn(product_id=shop.w.product.pk, quantity=-1, revenue=5)]),
    )  # fmt: skip
    assert refused.status_code == 422
    assert [(e.field, e.message) for e in refused.parsed.detail] == [("lines.0.quantity", "Giá trị quá nhỏ.")]
    assert SalesRecord.objects.get(pk=december.pk).revenue == 900_000


def test_the_documented_configuration_is_the_one_tested():
    """docs/api.md's "A generated client" shows this module's configuration, word for word."""
    docs = (Path(__file__).parents[4] / "docs" / "api.md").read_text()
    section = docs.split("## A generated client", 1)[1]
    assert section.split("```yaml\n", 1)[1].split("```", 1)[0] == CONFIG
