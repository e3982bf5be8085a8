"""The criteria catalogue pages: browse a version's sheets, export it, import a new version from the back office."""

import io
import json
from dataclasses import replace

from django.urls import reverse
from openpyxl import load_workbook

from ocop.conftest import client_for
from ocop.evaluation.catalogue import DATA, catalogue_from_json, catalogue_of
from ocop.evaluation.criteria_import import criteria_workbook, read_criteria
from ocop.evaluation.models import CriteriaVersion
from ocop.registry.jobs import execute
from ocop.registry.models import ImportJob


def _demo():
    return catalogue_from_json(json.loads((DATA / "criteria_demo_148.json").read_text(encoding="utf-8")))


def _upload(client, data: bytes, name="tieu-chi.xlsx"):
    """Upload, let the worker check it (what the task does), then open the job's page."""
    upload = io.BytesIO(data)
    upload.name = name
    response = client.post(reverse("backoffice:import_start", kwargs={"kind": "criteria"}), {"file": upload})
    execute(ImportJob.objects.get(original_name=name, status="queued"))
    return client.get(response["Location"])


def _save(client, job):
    client.post(reverse("backoffice:import_decide", kwargs={"pk": job.pk}),
                {"mode": "all", "incomplete": "create", "action": "save"})  # fmt: skip
    execute(ImportJob.objects.get(pk=job.pk))
    return client.get(reverse("backoffice:import_job", kwargs={"pk": job.pk}))


def test_the_catalogue_lists_each_version_once(world, django_assert_num_queries):
    client = client_for(world.users["producer"])
    with django_assert_num_queries(5):  # session, user, roles, versions with their counts, the menu's work
        response = client.get(reverse("backoffice:criteria_list"))
    rows = [(v.code, v.set_count, v.round_count, v.provenance) for v in response.context["versions"]]
    assert rows == [("DEMO-148", 27, 0, "demo"), ("1048/2019", 26, 0, "unverified")]
    body = response.content.decode()
    assert "Bản chép chưa kiểm chứng" in body and "Nhập tiêu chí từ Excel" not in body
    coordinator = client_for(world.users["coordinator"])  # criteria are national: the province does not import them
    assert "Nhập tiêu chí từ Excel" not in coordinator.get(reverse("backoffice:criteria_list")).content.decode()
    admin = client_for(world.users["admin"])
    assert "Nhập tiêu chí từ Excel" in admin.get(reverse("backoffice:criteria_list")).content.decode()


def test_a_sheet_shows_its_rules(world):
    client = client_for(world.users["council"])
    old = CriteriaVersion.objects.get(code="1048/2019")
    response = client.get(reverse("backoffice:criteria_detail", kwargs={"pk": old.pk}) + "?set=1-06")
    assert response.status_code == 200
    sheet = response.context["sheet"]
    assert [(part, maximum, len(groups)) for part, maximum, groups in response.context["parts"]] == [
        ("A", 35, 3),
        ("B", 25, 2),
        ("C", 40, 5),
    ]
    assert len(sheet.lines()) == 31
    body = response.content.decode()
    assert "loại sản phẩm" in body  # the disqualifying option of line 1.1
    assert "các tiêu chí không chấm: 6.2, 6.3, 6.4, 6.5, 6.6" in body
    assert "chỉ chấm khi tiêu chí 5.1 có điểm" in body
    assert [c.name for c in response.context["checklist"]][:2] == [
        "Phiếu đăng ký sản phẩm",
        "Phương án, kế hoạch kinh doanh sản phẩm",
    ]
    missing = client.get(reverse("backoffice:criteria_detail", kwargs={"pk": old.pk}) + "?set=9-99")
    assert missing.status_code == 404
    demo = CriteriaVersion.objects.get(code="DEMO-148")
    first = client.get(reverse("backoffice:criteria_detail", kwargs={"pk": demo.pk}))
    assert first.context["chosen"].code == "1-01"
    assert "bắt buộc từ 3 sao (ít nhất 1 điểm)" in first.content.decode()


def test_the_export_is_the_import_format_and_round_trips(world):
    client = client_for(world.users["commune"])
    demo = CriteriaVersion.objects.get(code="DEMO-148")
    response = client.get(reverse("backoffice:criteria_export", kwargs={"pk": demo.pk}))
    assert response["Content-Disposition"] == 'attachment; filename="tieu-chi-DEMO-148.xlsx"'
    parsed, errors = read_criteria(io.BytesIO(response.content))
    assert errors == []
    assert parsed == catalogue_of(demo) == _demo()


def test_an_administrator_imports_a_new_version_from_the_back_office(world):
    client = client_for(world.users["admin"])
    template = client.get(reverse("backoffice:import_template", kwargs={"kind": "criteria"}))
    assert read_criteria(io.BytesIO(template.content))[0] == _demo()
    demo = _demo()
    new = replace(demo, version=replace(demo.version, code="148/2023-HN", provenance="official"), sets=demo.sets[:3])
    checked = _upload(client, criteria_workbook(new))
    assert checked.status_code == 200
    assert "3 dòng đã được kiểm tra" not in checked.content.decode()  # counted in criterion lines, not rows
    job = ImportJob.objects.get(kind="criteria")
    assert (job.status, job.report["total"]) == ("checked", 330)  # the lines sheet's rows: one per option
    assert not CriteriaVersion.objects.filter(code="148/2023-HN").exists()
    done = _save(client, job)
    assert done.status_code == 200
    assert reverse("backoffice:criteria_list") in done.content.decode()
    saved = CriteriaVersion.objects.get(code="148/2023-HN")
    assert (saved.provenance, saved.sets.count()) == ("official", 3)


def test_a_broken_workbook_is_refused_with_its_row_and_nothing_is_saved(world):
    client = client_for(world.users["admin"])
    demo = _demo()
    new = replace(demo, version=replace(demo.version, code="148/2023-HN"), sets=demo.sets[:1])
    wb = load_workbook(io.BytesIO(criteria_workbook(new)))
    wb["Tiêu chí"]["P8"] = 2  # the best option of line A1.1 drops from 3 to 2 points (below the title block)
    out = io.BytesIO()
    wb.save(out)
    before = CriteriaVersion.objects.count()
    response = _upload(client, out.getvalue())
    assert response.status_code == 422
    body = response.content.decode()
    assert "Phần A phải đạt đúng 40 điểm; các phương án cao nhất chỉ đạt 39 điểm." in body
    job = ImportJob.objects.get(kind="criteria")
    assert _save(client, job).status_code == 422
    job.refresh_from_db()
    assert (job.status, job.report["committed"]) == ("checked", False)
    assert CriteriaVersion.objects.count() == before


def test_a_coordinator_is_told_that_only_an_administrator_replaces_a_national_version(world):
    client = client_for(world.users["coordinator"])
    demo = _demo()
    national = replace(demo, version=replace(demo.version, code="1048/2019"), sets=demo.sets[:1])
    before = list(CriteriaVersion.objects.values_list("pk", "code", "name").order_by("pk"))
    response = _upload(client, criteria_workbook(national))
    job = ImportJob.objects.get(kind="criteria")
    assert job.report["errors"] == [
        {
            "row": 0,
            "column": "",
            "message": "Chỉ quản trị hệ thống mới được nhập hoặc thay thế một phiên bản bộ tiêu chí: bộ tiêu chí là "
            "của quốc gia, dùng chung cho mọi tỉnh. Hãy gửi tệp cho quản trị hệ thống.",
        }
    ]
    assert "Chỉ quản trị hệ thống mới được nhập hoặc thay thế một phiên bản bộ tiêu chí" in response.content.decode()
    decided = client.post(reverse("backoffice:import_decide", kwargs={"pk": job.pk}),
                          {"mode": "all", "incomplete": "create", "action": "save"})  # fmt: skip
    job.refresh_from_db()
    assert (decided.status_code, job.status, job.report["committed"]) == (302, "refused", False)
    assert list(CriteriaVersion.objects.values_list("pk", "code", "name").order_by("pk")) == before
    producer = client_for(world.users["producer"])
    assert producer.get(reverse("backoffice:import_start", kwargs={"kind": "criteria"})).status_code == 403
