import io

from django.urls import reverse

from ocop.conftest import client_for
from ocop.core.excel import write_workbook
from ocop.places.models import Commune
from ocop.registry.columns import PRODUCER_COLUMNS
from ocop.registry.models import ImportJob, Producer

HEADERS = [t for _n, t in PRODUCER_COLUMNS]


def upload(client, rows, name="ds.xlsx"):
    data = io.BytesIO(write_workbook(title="x", headers=HEADERS, rows=rows))
    data.name = name
    return client.post(reverse("backoffice:import_start", kwargs={"kind": "producers"}), {"file": data}, follow=True)


def test_bad_row_is_listed_and_nothing_is_saved(world):
    client = client_for(world.users["coordinator"])
    before = Producer.objects.count()
    response = upload(
        client,
        [
            ["Hợp tác xã", "HTX Tốt", "0101212121", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""],
            ["Doanh nghiệp", "Công ty Sai", "999", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""],
        ],
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Mã số thuế “999” phải có 10 chữ số" in body
    assert [(e.row, e.column) for e in response.context["report"].errors] == [
        (3, "Mã số thuế / Số định danh / Số ĐKKD")
    ]
    assert "import_commit" not in body and "Lưu cả" not in body
    assert Producer.objects.count() == before


def test_not_an_excel_file_is_refused_with_a_message(world):
    client = client_for(world.users["coordinator"])
    fake = io.BytesIO(b"%PDF-1.4 not excel")
    fake.name = "ds.xlsx"
    response = client.post(
        reverse("backoffice:import_start", kwargs={"kind": "producers"}), {"file": fake}, follow=True
    )
    assert response.status_code == 422
    assert "Tệp không phải là sổ tính Excel (.xlsx)." in response.content.decode()


def test_split_commune_is_chosen_then_everything_saved(world):
    client = client_for(world.users["coordinator"])
    response = upload(
        client,
        [
            ["Hợp tác xã", "HTX Gốm Xưa", "0101313131", "", "", "", "", "Bát Tràng", "Gia Lâm", "Hà Nội", "x", ""],
            ["Hợp tác xã", "HTX Ba Vì", "0101313132", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""],
        ],
    )
    assert response.status_code == 200
    job = ImportJob.objects.filter(original_name="ds.xlsx").get()
    assert [c.row for c in response.context["report"].choices] == [2]
    commit_url = reverse("backoffice:import_commit", kwargs={"pk": job.pk})
    response = client.post(commit_url, follow=True)
    assert "Hãy chọn xã/phường hiện nay cho dòng 2." in response.content.decode()
    assert not Producer.objects.filter(identifier__in=["0101313131", "0101313132"]).exists()
    gia_lam = Commune.objects.get(province__code="01", name="Xã Gia Lâm")
    response = client.post(commit_url, {"choice-2": gia_lam.pk}, follow=True)
    assert response.status_code == 200
    assert response.context["report"].created == 2
    saved = Producer.objects.get(identifier="0101313131")
    assert (saved.commune, saved.legacy_commune.name, saved.women_led) == (gia_lam, "Xã Bát Tràng", True)


def test_large_file_shows_a_progress_bar_until_the_worker_is_done(world, settings, django_capture_on_commit_callbacks):
    settings.OCOP_IMPORT_BACKGROUND_ROWS = 1
    client = client_for(world.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(
            client,
            [
                ["Hợp tác xã", "HTX Nền 1", "0101414141", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""],
                ["Hợp tác xã", "HTX Nền 2", "0101414142", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""],
            ],
        )
    assert len(callbacks) == 1  # the task is enqueued when the upload commits
    job = ImportJob.objects.get(original_name="ds.xlsx")
    assert (response.status_code, job.background, response.context["running"]) == (200, True, True)
    assert '<progress max="100" value="0">' in response.content.decode()
    url = reverse("backoffice:import_job", kwargs={"pk": job.pk})
    partial = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    from ocop.registry.jobs import execute

    execute(job, commit=False)  # what the worker runs (the worker itself is tested in registry/tests/test_jobs.py)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    page = client.get(url)
    assert page.context["report"].total == 2
