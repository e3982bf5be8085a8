"""The dry-run page as people use it: answers stay on the page until the save (checking again never loses one), an
all-or-none save that cannot go ahead says why, a total row is named and not read, and the review queue shows what
each row is, to whom it belongs, and why one was dismissed."""

import datetime as dt
import io

from django.urls import reverse

from ocop.certificates.models import Certificate
from ocop.certificates.tests.test_history import HEAD
from ocop.conftest import client_for
from ocop.places.models import Commune
from ocop.registry.imports import run_import
from ocop.registry.models import ImportJob, ImportMode, ParkedRow, Producer

from .test_imports_ui import run_worker_step, upload, workbook


def row(name, commune, district="", province="Hà Nội", ident=""):
    return ["", "Hợp tác xã", name, ident, "", "", "", "", commune, district, province, "", ""]


def decide(client, job, **data):
    client.post(reverse("backoffice:import_decide", kwargs={"pk": job.pk}), {"incomplete": "create", **data})
    return run_worker_step(job.original_name)


def page(client, job):
    return client.get(reverse("backoffice:import_job", kwargs={"pk": job.pk}))


def test_answers_stay_on_the_page_until_the_save(world):
    client = client_for(world.users["coordinator"])
    look_alike = world.producer.name.replace("Nghiệm", "Nghiệmm")
    upload(client, workbook([row("HTX Gốm Xưa", "Bát Tràng", "Gia Lâm"), row(look_alike, "Bát Tràng")]))
    job = run_worker_step()
    form = page(client, job).context["form"]
    assert sorted(form.fields) == ["action", "incomplete", "mode", "place-0", "same-3"]
    gia_lam = Commune.objects.get(province__code="01", name="Xã Gia Lâm")

    job = decide(client, job, **{"place-0": gia_lam.pk, "same-3": "", "mode": "all", "action": "recheck"})
    form = page(client, job).context["form"]
    assert (sorted(form.fields), form.fields["place-0"].initial) == (
        ["action", "incomplete", "mode", "place-0", "same-3"],
        gia_lam.pk,
    )
    assert [str(label) for _v, label in form.fields["place-0"].choices] == [
        "quyết định sau (dòng chờ xem xét)",
        "Xã Bát Tràng (00577) — gợi ý",  # the likely one first, marked
        "Phường Long Biên (00145)",
        "Xã Gia Lâm (00565)",
    ]

    # Answering the look-alike keeps the commune already chosen (the page sends what it shows).
    job = decide(client, job, **{"place-0": gia_lam.pk, "same-3": "new", "mode": "all", "action": "recheck"})
    job.refresh_from_db()
    assert (list(job.choices["places"].values()), job.choices["same"]) == ([gia_lam.pk], {"3": "new"})
    form = page(client, job).context["form"]
    assert (form.fields["place-0"].initial, form.fields["same-3"].initial) == (gia_lam.pk, "new")
    report = page(client, job).context["report"]
    assert (report.created, report.waiting, report.error_rows) == (2, 0, 0)

    job = decide(client, job, **{"place-0": gia_lam.pk, "same-3": "new", "mode": "all", "action": "save"})
    assert Producer.objects.get(name="HTX Gốm Xưa").commune == gia_lam
    assert Producer.objects.filter(name=look_alike).count() == 1


def test_an_all_or_none_save_that_cannot_go_ahead_says_why(world):
    client = client_for(world.users["coordinator"])
    bad = ["", "Doanh nghiệp", "Công ty Sai", "999", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""]
    total = ["", "", "Tổng cộng: 2 chủ thể", "", "", "", "", "", "", "", "", "", ""]
    upload(client, workbook([row("HTX Tốt", "Ba Vì", ident="0101212121"), bad, total]))
    job = run_worker_step()
    job = decide(client, job, mode="all", action="save")
    response = page(client, job)
    body = response.content.decode()
    assert response.context["report"].skipped == [[4, "Tổng cộng: 2 chủ thể"]]
    assert 'id="skipped">Không đọc như dữ liệu (dòng tổng cộng dưới bảng): dòng 4 (“Tổng cộng: 2 chủ thể”)</p>' in body
    assert (
        "Chưa lưu gì: với cách “Lưu tất cả các dòng hoặc không lưu dòng nào”, tệp chỉ được lưu khi mọi dòng đều sẵn "
        "sàng, mà có 1 dòng có lỗi và 0 dòng chờ người xem xét."
    ) in body
    assert not Producer.objects.filter(name="HTX Tốt").exists()


def test_the_queue_names_each_row_keeps_its_import_and_why_one_was_dismissed(world):
    client = client_for(world.users["coordinator"])
    bad = ["", "Doanh nghiệp", "Công ty Sai", "999", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""]
    upload(client, workbook([bad]))
    job = run_worker_step()
    decide(client, job, mode="park", action="save")
    parked = ParkedRow.objects.get(job=job)
    listing = client.get(reverse("backoffice:parked_list") + f"?job={job.pk}")
    assert [r.label for r in listing.context["page"]] == ["Công ty Sai"]
    assert "Các dòng của lần nhập “ds.xlsx”." in listing.content.decode()
    response = client.post(
        reverse("backoffice:parked_dismiss", kwargs={"pk": parked.pk}), {"reason": "Trùng với hồ sơ giấy"}
    )
    assert response["Location"] == reverse("backoffice:parked_list") + f"?job={job.pk}"
    dismissed = client.get(reverse("backoffice:parked_list") + "?state=dismissed").content.decode()
    assert "<td>Trùng với hồ sơ giấy</td>" in dismissed


def history_list(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_a_recognition_entered_from_a_list_has_no_pdf_and_its_rows_are_the_offices(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC), tick=False)
    office = world.users["coordinator"]
    rows = [
        [1, "Bình men lam", "HTX Gốm Cổ", "huyện Gia Lâm", "Thủ công mỹ nghệ", "4 sao", "2335/QĐ-UBND", "18/06/2024",
         2024, "Thành phố", ""],
        [2, "Bát men rạn", "HTX Gốm Cổ", "xã Bát Tràng, huyện Gia Lâm", "Không có nhóm này", "4 sao", "2335/QĐ-UBND",
         "18/06/2024", 2024, "Thành phố", ""],
    ]  # fmt: skip
    run_import("history", history_list(rows), user=office, commit=True, mode=ImportMode.PARK)
    cert = Certificate.objects.get(series="LS")
    client = client_for(office)
    detail = client.get(reverse("backoffice:certificate_detail", kwargs={"pk": cert.pk})).content.decode()
    assert 'id="no-pdf">Giấy chứng nhận bản giấy do cơ quan ban hành cấp' in detail
    assert "chữ ký số của tỉnh" not in detail
    assert "chưa xác định xã (Huyện Gia Lâm cũ), Thành phố Hà Nội" in detail
    assert client.get(reverse("backoffice:certificate_pdf", kwargs={"pk": cert.pk})).status_code == 404
    assert client.get(reverse("backoffice:decision_pdf", kwargs={"pk": cert.decision_id})).status_code == 404
    assert (cert.product.group.name, cert.product.product_set) == ("Hàng thủ công mỹ nghệ", None)
    # The bad row waits for the province office only: the Bát Tràng officer neither sees nor opens it.
    parked = ParkedRow.objects.get(kind="history")
    officer = client_for(world.users["commune"])
    assert parked.pk not in [r.pk for r in officer.get(reverse("backoffice:parked_list")).context["page"]]
    assert officer.get(reverse("backoffice:parked_detail", kwargs={"pk": parked.pk})).status_code == 404


def test_one_user_cannot_hold_the_worker_with_many_imports(world):
    client = client_for(world.users["coordinator"])
    for n in range(2):  # with the world's own job, three are waiting
        upload(client, workbook([row(f"HTX {n}", "Ba Vì")]), name=f"q{n}.xlsx")
    response = upload(client, workbook([row("HTX Bốn", "Ba Vì")]), name="q3.xlsx")
    assert response.status_code == 400
    assert "Bạn đang có 3 lần nhập chờ hoặc đang chạy: hãy đợi một lần xong rồi mới tải tệp khác." in (
        response.content.decode()
    )
    assert not ImportJob.objects.filter(original_name="q3.xlsx").exists()
