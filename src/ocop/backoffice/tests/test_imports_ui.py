"""The import pages: the upload only stores and queues, the dry run shows what each row will do, the person's choices
go back to the worker, a stopped job is run again, and the review queue fixes what was parked."""

import io
import os
import socket
import zipfile

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.conftest import client_for
from ocop.core.excel import write_workbook
from ocop.places.models import Commune
from ocop.registry.columns import PRODUCER_COLUMNS
from ocop.registry.importing import Plan
from ocop.registry.jobs import execute
from ocop.registry.models import ImportJob, ImportStatus, ParkedRow, Producer
from ocop.registry.parking import park_rows

HEADERS = [t for _n, t in PRODUCER_COLUMNS]


def upload(client, data, name="ds.xlsx"):
    data = io.BytesIO(data)
    data.name = name
    return client.post(reverse("backoffice:import_start", kwargs={"kind": "producers"}), {"file": data})


def workbook(rows):
    return write_workbook(title="x", headers=HEADERS, rows=rows)


def run_worker_step(name="ds.xlsx"):
    job = ImportJob.objects.get(original_name=name)
    execute(job)  # what the task worker runs for a queued job
    return job


def test_the_dry_run_lists_bad_rows_then_the_good_ones_are_saved_and_the_rest_parked(world):
    client = client_for(world.users["coordinator"])
    before = Producer.objects.count()
    response = upload(client, workbook([
        ["", "Hợp tác xã", "HTX Tốt", "0101212121", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""],
        ["", "Doanh nghiệp", "Công ty Sai", "999", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""],
    ]))  # fmt: skip
    job = ImportJob.objects.get(original_name="ds.xlsx")
    assert (response.status_code, response["Location"], job.status) == (
        302, reverse("backoffice:import_job", kwargs={"pk": job.pk}), ImportStatus.QUEUED
    )  # fmt: skip
    run_worker_step()
    page = client.get(response["Location"])
    assert page.status_code == 422
    body = page.content.decode()
    assert "Mã số thuế “999” phải có 10 chữ số" in body
    assert 'data-count="created">1<' in body and 'data-count="errors">1<' in body
    assert Producer.objects.count() == before

    decide = reverse("backoffice:import_decide", kwargs={"pk": job.pk})
    client.post(decide, {"mode": "park", "incomplete": "create", "action": "save"})
    job = run_worker_step()
    job.refresh_from_db()
    assert (job.status, job.report["committed"]) == (ImportStatus.DONE, True)
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu.\n    1 dòng đã vào hàng chờ xem xét (kể cả dòng có lỗi)." in page
    assert 'data-count="created">1<' in page and 'data-count="waiting">0<' in page and 'data-count="errors">1<' in page
    assert Producer.objects.count() == before + 1
    parked = ParkedRow.objects.get(job=job)
    assert (parked.row, parked.reason, parked.problems[0]["column"]) == (
        3,
        "error",
        "Mã số thuế / Số định danh / Số ĐKKD",
    )


def test_what_is_not_a_workbook_is_refused_at_the_upload_and_nothing_is_stored(world, settings):
    client = client_for(world.users["coordinator"])
    jobs = ImportJob.objects.count()
    stored = sorted((settings.MEDIA_ROOT / "imports").rglob("*"))  # the world's own job
    for content, message in [
        (b"%PDF-1.4 not excel", "Tệp không phải là sổ tính Excel (.xlsx)."),
        ("Tên chủ thể,Xã\nHTX A,Ba Vì\n".encode(), "Tệp là tệp văn bản (có thể là tệp CSV), không phải sổ tính Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Tệp là sổ tính Excel 97–2003 định dạng cũ (.xls)"),
    ]:
        response = upload(client, content)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert ImportJob.objects.count() == jobs
    assert sorted((settings.MEDIA_ROOT / "imports").rglob("*")) == stored


def test_a_workbook_that_declares_a_cell_at_xfd1048576_is_refused_by_the_worker_and_not_kept(world, settings):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook([["", "Hợp tác xã", "HTX A", "", "", "", "", "", "Ba Vì", "", "", "", ""]])))as src, zipfile.ZipFile(out, "w") as dst:  # fmt: skip
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>",
                    b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
                )
            dst.writestr(item, data)
    client = client_for(world.users["coordinator"])
    upload(client, out.getvalue(), name="xfd.xlsx")
    job = run_worker_step("xfd.xlsx")
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ImportStatus.REFUSED, "")
    page = client.get(reverse("backoffice:import_job", kwargs={"pk": job.pk}))
    assert page.status_code == 422
    assert "có dữ liệu ở ô XFD1048576" in page.content.decode()


def test_a_split_commune_is_chosen_on_the_page_for_every_row_with_the_same_words(world):
    client = client_for(world.users["coordinator"])
    upload(client, workbook([
        ["", "Hợp tác xã", "HTX Gốm Xưa", "0101313131", "", "", "", "", "Bát Tràng", "Gia Lâm", "Hà Nội", "x", ""],
        ["", "Hợp tác xã", "HTX Gốm Mới", "0101313133", "", "", "", "", "xã Bát Tràng", "huyện Gia Lâm", "", "", ""],
        ["", "Hợp tác xã", "HTX Ba Vì", "0101313132", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""],
    ]))  # fmt: skip
    job = run_worker_step()
    url = reverse("backoffice:import_job", kwargs={"pk": job.pk})
    page = client.get(url)
    form = page.context["form"]
    assert [(c.rows, [x[2] for x in c.candidates]) for c in page.context["report"].places] == [
        ([2, 3], ["Xã Bát Tràng", "Phường Long Biên", "Xã Gia Lâm"])
    ]
    assert "place-0" in form.fields
    gia_lam = Commune.objects.get(province__code="01", name="Xã Gia Lâm")
    client.post(reverse("backoffice:import_decide", kwargs={"pk": job.pk}),
                {"mode": "all", "incomplete": "create", "place-0": gia_lam.pk, "action": "save"})  # fmt: skip
    run_worker_step()
    assert client.get(url).context["report"].created == 3
    saved = Producer.objects.get(identifier="0101313131")
    assert (saved.commune, saved.legacy_commune.name, saved.women_led) == (gia_lam, "Xã Bát Tràng", True)
    assert Producer.objects.get(identifier="0101313133").commune == gia_lam


def test_the_page_shows_progress_until_the_worker_is_done(world, django_capture_on_commit_callbacks):
    client = client_for(world.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload(
            client, workbook([["", "Hợp tác xã", "HTX Nền 1", "0101414141", "", "", "", "", "Ba Vì", "", "", "", ""]])
        )
    assert len(callbacks) == 1  # the task is enqueued when the upload commits
    job = ImportJob.objects.get(original_name="ds.xlsx")
    url = reverse("backoffice:import_job", kwargs={"pk": job.pk})
    page = client.get(url)
    assert (page.status_code, page.context["running"]) == (200, True)
    assert '<progress max="100" value="0">' in page.content.decode()
    partial = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    run_worker_step()
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    assert client.get(url).context["report"].total == 1


def test_a_job_whose_worker_died_is_shown_stopped_with_run_again(world):
    client = client_for(world.users["coordinator"])
    upload(client, workbook([["", "Hợp tác xã", "HTX Nền 2", "0101414142", "", "", "", "", "Ba Vì", "", "", "", ""]]))
    job = ImportJob.objects.get(original_name="ds.xlsx")
    dead = os.fork()
    if dead == 0:  # a process that ends at once: its pid is a worker that no longer runs
        os._exit(0)
    os.waitpid(dead, 0)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKING, lease_owner=f"{socket.gethostname()}:{dead}"
    )
    page = client.get(reverse("backoffice:import_job", kwargs={"pk": job.pk}))
    body = page.content.decode()
    assert "Tiến trình xử lý tệp này dừng đột ngột; chưa dòng nào được lưu." in body
    assert "Chạy lại" in body
    client.post(reverse("backoffice:import_rerun", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    assert (job.status, job.failure) == (ImportStatus.QUEUED, "")
    run_worker_step()
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED


def test_a_commune_officer_sees_the_parked_rows_of_their_commune(world):
    outsider = Commune.objects.get(province__code="01", name="Xã Ba Vì")
    park_rows(
        kind="producers",
        plans=[Plan(row=9, action="review", cells={"Tên chủ thể": "HTX Ba Vì Chờ"}, reason="place",
                    province_id=outsider.province_id, candidates=[outsider.pk])],
        by=world.users["coordinator"],
    )  # fmt: skip
    officer = client_for(world.users["commune"])
    rows = officer.get(reverse("backoffice:parked_list")).context["page"].object_list
    assert [r.cells["Tên chủ thể"] for r in rows] == ["HTX Chờ"]
    office = client_for(world.users["coordinator"])
    rows = office.get(reverse("backoffice:parked_list")).context["page"].object_list
    assert sorted(r.cells["Tên chủ thể"] for r in rows) == ["HTX Ba Vì Chờ", "HTX Chờ"]


def test_the_review_queue_costs_the_same_queries_for_one_row_and_three(world):
    client = client_for(world.users["coordinator"])
    url = reverse("backoffice:parked_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    park_rows(
        kind="producers",
        plans=[Plan(row=n, action="error", cells={"Tên chủ thể": f"HTX {n}"}, reason="error",
                    province_id=world.producer.province_id) for n in (5, 6)],
        by=world.users["coordinator"],
    )  # fmt: skip
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert (len(one), len(three)) == (6, 6)  # session, user, roles, the count, the page with its places, the menu


def test_a_job_no_worker_takes_is_offered_again_after_ten_minutes(world, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False)
    client = client_for(world.users["coordinator"])
    upload(client, workbook([["", "Hợp tác xã", "HTX Nền 3", "0101414143", "", "", "", "", "Ba Vì", "", "", "", ""]]))
    job = ImportJob.objects.get(original_name="ds.xlsx")
    url = reverse("backoffice:import_job", kwargs={"pk": job.pk})
    assert 'id="waiting"' not in client.get(url).content.decode()  # still within the ten minutes: the progress bar
    time_machine.move_to(dt.datetime(2026, 12, 3, 9, 11, tzinfo=dt.UTC), tick=False)
    assert "Chưa có tiến trình nền nào nhận tệp này sau hơn 10 phút." in client.get(url).content.decode()
    client.post(reverse("backoffice:import_rerun", kwargs={"pk": job.pk}))
    run_worker_step()
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
