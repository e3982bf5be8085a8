"""A hostile workbook uploaded while consumers browse: the upload is refused with a message, no request fails, and
neither the web server nor the task worker goes down (the reading happens in a child process under a ceiling)."""

import io
import os
import signal
import zipfile

import pytest
from playwright.sync_api import Page, expect

from ocop.accounts.models import Role
from ocop.core.excel import write_workbook
from ocop.registry.columns import PRODUCER_COLUMNS
from ocop.registry.models import ImportJob, ImportStatus
from ocop.testing import make_producer, make_product, make_user, start_worker

from .test_browser import log_in

pytestmark = pytest.mark.browser


def xfd_workbook(path):
    """1.6 KB: a table whose last cell claims XFD1048576, the sheet's very last cell."""
    plain = write_workbook(title="x", headers=[t for _n, t in PRODUCER_COLUMNS], rows=[["", "Hợp tác xã", "HTX A"]])
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                data = data.replace(b"</sheetData>", cell + b"</sheetData>")
            dst.writestr(item.filename, data)


def test_an_xfd1048576_workbook_is_refused_while_the_catalogue_keeps_serving(
    page: Page, context, live_server, reference_data, tmp_path
):
    make_user(Role.PROVINCE_COORDINATOR, username="vanphong")
    for i in range(3):
        make_product(producer=make_producer(name=f"HTX Chè {i}"), name=f"Chè búp {i}")
    path = tmp_path / "xfd.xlsx"
    xfd_workbook(path)
    server_pid = os.getpid()
    worker = start_worker(tmp_path)
    problems: list[str] = []
    try:
        consumer = context.new_page()
        for tab in (page, consumer):
            tab.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
            tab.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 500 else None)
        log_in(page, live_server, "vanphong")
        page.goto(f"{live_server.url}/bo/imports/producers/")
        page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(path))
        page.get_by_role("button", name="Kiểm tra tệp").click()
        for query in ("che", "chè búp", "htx", ""):  # a consumer browses while the worker reads the file
            consumer.goto(f"{live_server.url}/san-pham/?q={query}")
            expect(consumer.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("#refused")).to_contain_text("có dữ liệu ở ô XFD1048576", timeout=30_000)
        expect(page.get_by_role("link", name="Tải lên tệp đã sửa")).to_be_visible()
        consumer.goto(f"{live_server.url}/san-pham/")
        expect(consumer.get_by_role("heading", level=1)).to_be_visible()
        job = ImportJob.objects.get()
        assert (job.status, job.file.name) == (ImportStatus.REFUSED, "")
        assert worker.poll() is None  # the worker is the same process: only its reading child was refused
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert problems == []
    # The web server (this test process runs it) served every page before, during and after the upload.
    assert os.getpid() == server_pid
