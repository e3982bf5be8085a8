"""The referral summary's list of attached documents (issue 17, a tester's finding): each document by its kind's
Vietnamese label (or its own title), its number, date and issuer, as the paper reads ("Phiếu kết quả kiểm nghiệm số
123/KQ-TTKN ngày 05/06/2025 của Trung tâm Kiểm nghiệm"), never the kind's key; the files named from the same label."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from ocop.evaluation import scoring
from ocop.evaluation.models import DossierEvidence
from ocop.evaluation.package import referral_package
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier
from ocop.registry.enums import DocumentKind
from ocop.testing import make_document, pdf_text


def test_the_attachments_read_as_the_papers_do(scene):
    dossier = ready_dossier(scene)
    report = make_document(
        producer=scene.producer,
        kind=DocumentKind.TEST_REPORT,
        number="123/KQ-TTKN",
        issued_on=dt.date(2025, 6, 5),
        issuer="Trung tâm Kiểm nghiệm",
    )
    DossierEvidence.objects.filter(dossier=dossier).delete()
    DossierEvidence.objects.create(dossier=dossier, document=report)
    council_of(scene)
    for user in scene.members:
        scoring.submit_sheet(by=user, dossier=dossier, choices=BEST)
    dossier.refresh_from_db()
    bundle = zipfile.ZipFile(io.BytesIO(referral_package(dossier.result)))
    text = " ".join(pdf_text(bundle.read("00-phieu-tong-hop.pdf")).split())
    # The file's name wraps in its cell; the document's line, then the criterion column (none).
    assert (
        "kiem-nghiem.pdf Phiếu kết quả kiểm nghiệm số 123/KQ-TTKN ngày 05/06/2025 của Trung tâm Kiểm nghiệm —" in text
    )
    assert "test_report" not in text and "Test report" not in text
    assert "tai-lieu/01-phieu-ket-qua-kiem-nghiem.pdf" in bundle.namelist()
