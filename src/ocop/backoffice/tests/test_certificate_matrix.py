"""Role × action for the decisions, certificates, their PDFs, consumers' reports and renames of certified products:
each role, and the outsider charlie (another province's coordinator). The province's inspector, who is not in
ROLES, has rows of its own in test_supervision_matrix.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.accounts.services import system_user
from ocop.certificates import jobs, reports
from ocop.certificates import services as certificates
from ocop.certificates.enums import DecisionState, IssuingLevel, Status
from ocop.certificates.models import BatchState, Certificate, CertificateBatch, ConsumerReport, Decision, DecisionItem
from ocop.conftest import ROLES, Once, World, check_role_case
from ocop.evaluation.testing import council_result
from ocop.outlets.tests.conftest import certify
from ocop.registry.models import ProductPack, ProductRename
from ocop.registry.renames import flag_rename
from ocop.testing import make_product, province

L = "login"


@dataclass
class Cm:
    w: World
    cert: Certificate  # the world's product, 4 stars, issued 20/11/2025
    issued: Decision  # its decision
    draft: Decision  # a draft with one item (`item`, of `second`)
    item: DecisionItem
    pack: ProductPack  # one of the two packs of `second`
    third: Any  # a product with a council result, not yet on a decision
    batch: CertificateBatch  # the issued decision's PDF batch, stopped
    report: ConsumerReport  # a consumer's report on the certificate
    rename: ProductRename  # the certified product renamed, not yet reviewed


@pytest.fixture(scope="module")
def cm_once(once: Once, world_once: World) -> Cm:
    world = world_once
    with once.building(at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
        coordinator = world.users["coordinator"]
        ProductPack.objects.create(product=world.product, name="Hộp 1 bình", size="30 cm", gtin="8930000000019")
        cert = certify(coordinator, world.product)
        second = make_product(producer=world.producer)
        pack = ProductPack.objects.create(product=second, name="Hộp 2 bình", size="2 x 30 cm")
        ProductPack.objects.create(product=second, name="Bộ 6 bình")  # the item carries both packs at first
        third = make_product(producer=world.producer)
        council_result(second, 4)
        council_result(third, 3)
        draft = certificates.draft_decision(by=coordinator, province=province(), level=IssuingLevel.PROVINCE)
        item = certificates.add_item(by=coordinator, decision=draft, product=second, stars=4)
        batch = jobs.start_pdf_batch(by=coordinator, decision=cert.decision)
        CertificateBatch.objects.filter(pk=batch.pk).update(state=BatchState.FAILED, failure="worker stopped")
        report = reports.report_problem(code=cert.code, kind="fake", message="Nhãn in mờ", client="203.0.113.5")
        old_name = world.product.name
        type(world.product).objects.filter(pk=world.product.pk).update(name="Chè búp tên mới")
        world.product.refresh_from_db()
        rename = flag_rename(product=world.product, old_name=old_name, by=system_user())
        assert rename is not None
        return Cm(world, cert, cert.decision, draft, item, pack, third, batch, report, rename)


@pytest.fixture
def cm(cm_once: Cm, fresh: Callable[[Cm], Cm]) -> Cm:
    """Built once for the module; each case has its own copy, in a savepoint (conftest.Once)."""
    return fresh(cm_once)


GET, POST = "get", "post"
ALL = [L, 200, 200, 200, 200, 200, 200, 200, 200]
OFFICE_READ = [L, 200, 200, 404, 404, 404, 404, 200, 404]  # decisions: the province's offices
OFFICE_WRITE = [L, 302, 403, 404, 404, 404, 404, 302, 404]  # the OCOP office (coordinator) writes
CERT_READ = [L, 200, 200, 200, 404, 200, 404, 200, 404]  # + the product's commune and its producer
CERT_WRITE = [L, 302, 403, 403, 404, 403, 404, 302, 404]

Case = tuple[
    str,
    Callable[[Cm], dict[str, Any]],
    str,
    Callable[[Cm], dict[str, Any]] | None,
    list[Any],
    Callable[[Cm], bool] | None,
]
CERT = lambda c: {"pk": c.cert.pk}  # noqa: E731
DRAFT = lambda c: {"pk": c.draft.pk}  # noqa: E731
ITEM = lambda c: {"pk": c.draft.pk, "item_pk": c.item.pk}  # noqa: E731
ISSUED = lambda c: {"pk": c.issued.pk}  # noqa: E731


def _status(status: str) -> Callable[[Cm], bool]:
    return lambda c: Certificate.objects.get(pk=c.cert.pk).status == status


CASES: list[Case] = [
    ("decision_list", lambda c: {}, GET, None, ALL, None),
    (
        "decision_create",
        lambda c: {},
        POST,
        lambda c: {"province": c.draft.province_id, "level": "province", "issuing_body": "UBND thử nghiệm"},
        [L, 302, 403, 403, 403, 403, 403, 302, 400],  # charlie drafts only for his own province
        lambda c: Decision.objects.filter(issuing_body="UBND thử nghiệm").exists(),
    ),
    ("decision_detail", DRAFT, GET, None, OFFICE_READ, None),
    ("decision_detail", ISSUED, GET, None, OFFICE_READ, None),
    (
        "decision_item_add",
        DRAFT,
        POST,
        lambda c: {"product": c.third.pk, "stars": "3"},
        OFFICE_WRITE,
        lambda c: DecisionItem.objects.filter(decision=c.draft, product=c.third).exists(),
    ),
    (
        "decision_item_remove",
        ITEM,
        POST,
        lambda c: {},
        OFFICE_WRITE,
        lambda c: not DecisionItem.objects.filter(pk=c.item.pk).exists(),
    ),
    (
        "decision_item_packs",
        ITEM,
        POST,
        lambda c: {"pack": [c.pack.pk]},
        OFFICE_WRITE,
        lambda c: list(DecisionItem.objects.get(pk=c.item.pk).packs.all()) == [c.pack],
    ),
    (
        "decision_issue",
        DRAFT,
        POST,
        lambda c: {"number": "77/QĐ-UBND", "signed_on": "02/03/2026", "signer": "Nguyễn Văn Ký", "confirm": "on"},
        OFFICE_WRITE,
        lambda c: Decision.objects.get(pk=c.draft.pk).state == DecisionState.ISSUED,
    ),
    ("decision_pdf", ISSUED, GET, None, OFFICE_READ, None),
    (
        "decision_pdfs",
        ISSUED,
        POST,
        lambda c: {},
        OFFICE_WRITE,
        lambda c: CertificateBatch.objects.filter(decision=c.issued).count() == 2,
    ),
    ("pdf_batch", lambda c: {"pk": c.batch.pk}, GET, None, OFFICE_READ, None),
    (
        "pdf_batch_rerun",
        lambda c: {"pk": c.batch.pk},
        POST,
        lambda c: {},
        OFFICE_WRITE,
        lambda c: CertificateBatch.objects.get(pk=c.batch.pk).state == BatchState.QUEUED,
    ),
    ("certificate_list", lambda c: {}, GET, None, ALL, None),
    ("certificate_detail", CERT, GET, None, CERT_READ, None),
    ("certificate_pdf", CERT, GET, None, CERT_READ, None),
    # A pack's GS1 Digital Link QR (its barcode as issued): whoever reads the certificate downloads it.
    ("certificate_pack_qr", lambda c: {**CERT(c), "gtin": "8930000000019", "kind": "svg"}, GET, None, CERT_READ, None),
    ("certificate_pack_qr", lambda c: {**CERT(c), "gtin": "08930000000019", "kind": "png"}, GET, None, CERT_READ, None),
    # A barcode that is none of the certificate's packs is no page, for anyone.
    (
        "certificate_pack_qr",
        lambda c: {**CERT(c), "gtin": "8930000000026", "kind": "svg"},
        GET,
        None,
        [L, 404, 404, 404, 404, 404, 404, 404, 404],
        None,
    ),
    # Years before its end the certificate has no written notice, for anyone (the roles near the end:
    # test_certificate_notice_download).
    ("certificate_notice_pdf", CERT, GET, None, [L, 404, 404, 404, 404, 404, 404, 404, 404], None),
    (
        "certificate_action",
        lambda c: {"pk": c.cert.pk, "action": "suspend"},
        POST,
        lambda c: {"reason": "Nhãn sai quy cách"},
        CERT_WRITE,
        _status(Status.SUSPENDED),
    ),
    (
        "certificate_action",
        lambda c: {"pk": c.cert.pk, "action": "revoke"},
        POST,
        lambda c: {"decision_number": "9/QĐ-UBND", "revoked_on": "01/03/2026", "reason": "Ngừng sản xuất"},
        CERT_WRITE,
        _status(Status.REVOKED),
    ),
    ("report_list", lambda c: {}, GET, None, ALL, None),
    (
        "report_handled",
        lambda c: {"pk": c.report.pk},
        POST,
        lambda c: {},
        OFFICE_WRITE,  # the office or the province's inspectors; commerce officers read the reports only
        lambda c: ConsumerReport.objects.get(pk=c.report.pk).handled,
    ),
    (
        "rename_reviewed",
        lambda c: {"pk": c.rename.pk},
        POST,
        lambda c: {"note": "Đã xem"},
        [L, 302, 403, 403, 403, 403, 404, 302, 404],  # whoever sees the product sees the flag; the office reviews
        lambda c: ProductRename.objects.get(pk=c.rename.pk).reviewed_at is not None,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_certificate_role_matrix(cm, role, name, kwargs, method, data, expected, effect):
    check_role_case(cm, cm.w.users[role], role, name, kwargs, method, data, expected, effect)
