"""Certificate and decision PDFs in Vietnamese, and the batch that makes a decision's PDFs on the task worker."""

import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from ocop.certificates import jobs, services
from ocop.certificates.models import Certificate, CertificateBatch
from ocop.conftest import client_for
from ocop.evaluation.testing import council_result
from ocop.testing import make_product, province


def _text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _decision(office, n=1):
    decision = services.draft_decision(by=office.coordinator, province=province())
    products = [office.product] + [make_product(producer=office.producer, name=f"Lọ hoa {i}") for i in range(n - 1)]
    for i, product in enumerate(products):
        council_result(product, 3 + i % 2)
        services.add_item(by=office.coordinator, decision=decision, product=product, stars=3 + i % 2)
    services.issue_decision(
        by=office.coordinator, decision=decision, number="125/QĐ-UBND", signed_on=dt.date(2026, 1, 10),
        signer="Nguyễn Văn A",
    )  # fmt: skip
    return decision


def test_a_certificate_pdf_in_vietnamese_with_its_qr(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC))
    decision = _decision(office)
    cert = decision.certificates.get()
    response = client_for(office.coordinator).get(reverse("backoffice:certificate_pdf", kwargs={"pk": cert.pk}))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert round(float(reader.pages[0].mediabox.width)) == 842  # A4 landscape
    text = _text(response.content)
    assert "GIẤY CHỨNG NHẬN" in text and "SẢN PHẨM OCOP ĐẠT 3 SAO" in text
    assert "Bình gốm men lam" in text and "HTX Gốm Bát Tràng" in text
    assert "Quyết định số 125/QĐ-UBND ngày 10/01/2026" in text
    assert "Có giá trị đến hết ngày 10/01/2029." in text
    assert f"Kiểm tra: {cert.code}" in text
    cert.refresh_from_db()
    assert cert.pdf.name == "certificates/2026/01-2026-00001.pdf"  # made once, then kept


def test_a_certificate_pdf_made_after_a_rename_prints_the_name_as_certified(office, time_machine):
    from ocop.certificates import pdf
    from ocop.registry.services import update_product

    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC))
    cert = _decision(office).certificates.get()
    update_product(product=office.product, by=office.coordinator, name="Bình gốm men lam cao cấp")
    text = _text(pdf.certificate_pdf(cert))
    assert "Bình gốm men lam" in text and "cao cấp" not in text  # the QR beside it carries the certified name


def test_the_decision_pdf_in_the_administrative_layout(office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC))
    decision = _decision(office, n=3)
    response = client_for(office.coordinator).get(reverse("backoffice:decision_pdf", kwargs={"pk": decision.pk}))
    text = _text(response.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: 125/QĐ-UBND" in text  # Decree 30 spells HÒA
    assert "ngày 10 tháng 01 năm 2026" in text
    assert "Quyết định số 1489/QĐ-TTg" in text
    assert "Công nhận 3 sản phẩm đạt chuẩn OCOP (2 sản phẩm 3 sao, 1 sản phẩm 4 sao)" in text
    assert "01-2026-00003" in text and "Nguyễn Văn A" in text


def test_a_decisions_pdfs_are_made_on_the_task_worker(reference_data, office, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC), tick=True)
    decision = _decision(office, n=3)
    client = client_for(office.coordinator)
    response = client.post(reverse("backoffice:decision_pdfs", kwargs={"pk": decision.pk}))
    batch = CertificateBatch.objects.get()
    assert response["Location"] == reverse("backoffice:pdf_batch", kwargs={"pk": batch.pk})
    assert (batch.state, batch.total, batch.done) == ("queued", 3, 0)
    page = client.get(response["Location"])
    assert "0/3" in page.content.decode() or "0 trên 3" in page.content.decode()
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    batch.refresh_from_db()
    assert (batch.state, batch.done) == ("done", 3)
    names = sorted(Certificate.objects.values_list("pdf", flat=True))
    assert names == [f"certificates/2026/01-2026-0000{i}.pdf" for i in (1, 2, 3)]
    assert "3 giấy chứng nhận (PDF) đã sẵn sàng." in client.get(response["Location"]).content.decode()
    assert jobs.start_pdf_batch  # the service the view calls
