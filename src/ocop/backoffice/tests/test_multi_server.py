"""Several servers at once (issue 19): two real application servers (gunicorn, each on its own port of 127.0.0.1)
and two real task workers (`ocop worker`, as deployed) on one database and one object store (the S3 emulator, as
OCOP_STORAGE_URL names it in production), with no local folder shared between them for files. Server A reads the
signing keys from OCOP_KEYS_DIR (a secret store's folder), server B from OCOP_SIGNING_KEY_<key id> (a secret store's
variables) with an empty keys folder. Through them: a decision of 400 certificates (40 on SQLite, where the servers
share the test database's file) issued on B at the moment one of 20 is issued on A, whose PDFs the workers make
when asked on B, an import, nine council members scoring a dossier from both servers, QR scans on both; then every
certificate number is unique, every PDF reads the same from either server, every task ran once, and a suspension
made on A shows on B's next scan. The run's parts are timed and printed (seed, issue, PDFs, reading every PDF twice)."""

from __future__ import annotations

import datetime as dt
import http.client
import io
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import Q
from django.tasks.base import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from ocop.accounts.models import Role
from ocop.certificates import services
from ocop.certificates.models import BatchState, Certificate, CertificateBatch, Checkpoint, SigningKey, Status
from ocop.core.excel import write_workbook
from ocop.evaluation.demo import FIVE_STARS
from ocop.evaluation.models import CriteriaVersion, Result
from ocop.evaluation.testing import council_result
from ocop.evaluation.tests.conftest import REQUIRED, Scene, council_of, ready_dossier
from ocop.registry.columns import PRODUCER_COLUMNS
from ocop.registry.jobs import start_import
from ocop.registry.models import ImportJob, ImportStatus, Producer
from ocop.testing import (
    make_document,
    make_producer,
    make_product,
    make_user,
    province,
    signing_keys,
    start_worker,
    wait_for,
    worker_env,
)

pytestmark = pytest.mark.django_db(transaction=True)
SMALL = 20  # the decision whose PDFs the workers make (400 take minutes to lay out; bench/ measures that)


@dataclass
class Browser:
    """A browser speaking to one server: its cookies (a signed-in session), a CSRF cookie of its own making."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, bytes, str]:
        """(status, body, Location) of one request."""
        headers = {"Host": "127.0.0.1"}
        body = None
        if method == "POST":
            self.cookies.setdefault("csrftoken", secrets.token_hex(16))  # 32 characters: Django's secret's length
            body = urlencode({**(data or {}), "csrfmiddlewaretoken": self.cookies["csrftoken"]})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content, response.headers.get("Location", "")
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, bytes, str]:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> tuple[int, bytes, str]:
        return self.request("POST", path, data)


def signed_in(user: Any, port: int) -> Browser:
    """A browser on the server with the user's session (made here, in the shared database, as a login does)."""
    client = Client()
    client.force_login(user)
    return Browser(port, {"sessionid": client.cookies["sessionid"].value})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Servers:
    a: int
    b: int


@pytest.fixture
def servers(reference_data: Any, s3_storage: Any, tmp_path: Path) -> Iterator[Servers]:
    """Two application servers and two workers, started after the keys exist (as a deployment starts them)."""
    signing_keys("01")
    key = SigningKey.objects.get(province__code="01")
    private = (tmp_path / "keys" / f"{key.key_id}.key").read_text()
    (tmp_path / "empty-keys").mkdir()
    shared = {"OCOP_STORAGE_URL": s3_storage.url, "OCOP_PDF_PROCESSES": "1"}
    env_a = worker_env(tmp_path, **shared)
    env_b = worker_env(tmp_path, **shared, OCOP_KEYS_DIR=str(tmp_path / "empty-keys"),
                       **{f"OCOP_SIGNING_KEY_{key.key_id}": private})  # fmt: skip
    ports = Servers(free_port(), free_port())
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    processes = [
        subprocess.Popen(  # noqa: S603  # our own application
            [gunicorn, "ocop.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "600"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / f"server-{port}.log").open("w"),
        )
        for port, env in ((ports.a, env_a), (ports.b, env_b))
    ]
    processes += [start_worker(tmp_path, tmp_path / f"worker-{n}.log", "worker", **shared) for n in (1, 2)]
    try:
        for port in (ports.a, ports.b):
            wait_for(lambda port=port: _up(port), timeout=60, what=f"the server on port {port}")
        yield ports
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)  # a worker finishes the task under way first
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _logs(folder: Path) -> str:
    """The servers' and workers' logs, shown when an assertion about their work fails."""
    return "\n".join(f"== {p.name}\n{p.read_text()[-3000:]}" for p in sorted(folder.glob("*.log")))


def _up(port: int) -> bool:
    try:
        return Browser(port).get("/healthz")[0] == 200
    except OSError:
        return False


def _decision_of(coordinator: Any, size: int, start: int) -> Any:
    """A draft decision of `size` new products of Hà Nội, each with its council's published result (3 or 4 stars),
    drafted from the round as the back office does."""
    producer = make_producer(name=f"HTX Nhiều Sản Phẩm {start}")
    for i in range(start, start + size):
        council_result(make_product(producer=producer, name=f"Sản phẩm số {i:03d}"), 3 + i % 2)
    round_ = Result.objects.select_related("dossier__round").first().dossier.round  # type: ignore[union-attr]
    return services.draft_from_round(by=coordinator, round_=round_)


def _scoring_scene(coordinator: Any) -> Any:
    """A dossier ready for a council of nine, its meeting open (the evaluation tests' walk through the flow)."""
    from ocop.accounts.services import system_user
    from ocop.evaluation import dossiers as flow
    from ocop.registry import services as registry

    producer = make_producer(name="HTX Cốm Làng Vòng", commune_name="Bát Tràng")
    product = make_product(producer=producer, name="Cốm Làng Vòng", set_code="1-06")
    for kind in REQUIRED:
        make_document(producer=producer, kind=kind, expires_on=dt.date(2030, 1, 1))
    owner = make_user(Role.PRODUCER, username="owner")
    registry.link_producer_account(producer=producer, user=owner, by=system_user())
    round_ = flow.create_round(by=coordinator, province=province("01"), year=2025, number=2,
                               criteria_version=CriteriaVersion.objects.get(code="DEMO-148"))  # fmt: skip
    members = [make_user(Role.COUNCIL_MEMBER, username=f"member{i}") for i in range(9)]
    commune = make_user(Role.COMMUNE_OFFICER, username="communeofficer", communes=("Bát Tràng",))
    scene = Scene(round_, product, producer, owner, commune, coordinator, None, members)
    dossier = ready_dossier(scene)
    council_of(scene, present=9)
    return dossier, members


def test_two_servers_and_two_workers_on_one_database_and_one_store(servers, s3_storage, tmp_path, settings):
    size = 400 if connection.vendor == "postgresql" else 40
    timings: dict[str, float] = {}
    started = time.monotonic()
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    small = _decision_of(coordinator, SMALL, 0)  # its PDFs made by the workers (the real batch)
    decision = _decision_of(coordinator, size, SMALL)
    dossier, members = _scoring_scene(coordinator)
    timings["seed"] = time.monotonic() - started
    office_a, office_b = signed_in(coordinator, servers.a), signed_in(coordinator, servers.b)

    # Both decisions issued at the same moment, the large one on server B (its key from the environment), the small
    # one on server A (its key from the folder); each body's log checkpoint signed after it.
    started = time.monotonic()
    typed = {"signed_on": "2026-03-02", "signer": "Nguyễn Văn Ký"}

    def issue(browser: Browser, pk: int, number: str) -> tuple[int, str]:
        assert browser.post(f"/bo/decisions/{pk}/issue/", {**typed, "number": number})[0] == 200  # the confirmation
        status, _body, location = browser.post(f"/bo/decisions/{pk}/issue/", {**typed, "number": number,
                                                                              "confirm": "on"})  # fmt: skip
        return status, location

    with ThreadPoolExecutor(2 if connection.vendor == "postgresql" else 1) as pool:  # SQLite: one writer at a time
        on_b = pool.submit(issue, office_b, decision.pk, "400/QĐ-UBND")
        on_a = pool.submit(issue, office_a, small.pk, "20/QĐ-UBND")
        assert (on_b.result(), on_a.result()) == ((302, f"/bo/decisions/{decision.pk}/"),
                                                  (302, f"/bo/decisions/{small.pk}/"))  # fmt: skip
    timings["issue"] = time.monotonic() - started
    started = time.monotonic()
    status, _body, location = office_b.post(f"/bo/decisions/{small.pk}/pdfs/", {})
    batch = CertificateBatch.objects.get(decision=small)
    assert (status, location) == (302, f"/bo/certificates/batch/{batch.pk}/")

    # Meanwhile an import, checked by a worker from the file the store holds.
    rows = [["", "Hợp tác xã", f"HTX Nhập {i}", f"0107{i:06d}", "", "", "", "", "Ba Vì", "", "Hà Nội", "", ""]
            for i in range(5)]  # fmt: skip
    sheet = write_workbook(title="x", headers=[t for _n, t in PRODUCER_COLUMNS], rows=rows)
    job = start_import(kind="producers", upload=io.BytesIO(sheet), original_name="htx.xlsx", by=coordinator)

    # Nine members score the dossier, five through server A and four through server B, at the same time as the PDFs.
    sheet_form = {f"line_{code}": str(option) for code, option in FIVE_STARS.items()}
    for i, member in enumerate(members):
        browser = signed_in(member, servers.a if i < 5 else servers.b)
        status, body, location = browser.post(f"/bo/dossiers/{dossier.pk}/score/submit/", sheet_form)
        assert (status, location) == (302, f"/bo/dossiers/{dossier.pk}/score/"), body[:500]
    result = Result.objects.get(dossier=dossier)
    assert (result.scorers, result.stars) == (9, 5)

    running = (BatchState.QUEUED, BatchState.RUNNING)
    wait_for(lambda: not CertificateBatch.objects.filter(pk=batch.pk, state__in=running).exists(), timeout=600,
             what="the certificate PDFs")  # fmt: skip
    batch.refresh_from_db()
    assert (batch.state, batch.failure, batch.done) == (BatchState.DONE, "", SMALL), _logs(tmp_path)
    timings["pdfs"] = time.monotonic() - started
    wait_for(lambda: ImportJob.objects.filter(pk=job.pk).exclude(status=ImportStatus.QUEUED).exclude(
        status=ImportStatus.CHECKING).exists(), what="the import's check")  # fmt: skip
    job.refresh_from_db()
    assert (job.status, job.processed, job.report["errors"]) == (ImportStatus.CHECKED, 5, [])
    assert Producer.objects.filter(name__startswith="HTX Nhập").count() == 0  # checked, not saved

    # Every number unique, none skipped, across the two decisions issued at once; every key the province's.
    certificates = list(Certificate.objects.filter(decision=decision).order_by("sequence"))
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert (len(numbers), len(set(numbers))) == (size + SMALL, size + SMALL)
    assert sorted(numbers) == [f"01-2026-{n:05d}" for n in range(1, size + SMALL + 1)]
    assert set(Certificate.objects.values_list("key_id", flat=True)) == {SigningKey.objects.get().key_id}
    assert Checkpoint.objects.filter(key_id=SigningKey.objects.get().key_id).exists()

    # Every PDF the same from either server and in the store: the batch's, and one of the large decision made on
    # demand by server A then read by server B.
    started = time.monotonic()
    on_demand = certificates[-1]
    for cert in [*Certificate.objects.filter(decision=small).order_by("sequence"), on_demand]:
        path = f"/bo/certificates/{cert.pk}/certificate.pdf"
        from_a, from_b = office_a.get(path), office_b.get(path)
        assert (from_a[0], from_b[0], from_a[1][:5], from_a[1] == from_b[1]) == (200, 200, b"%PDF-", True)
        cert.refresh_from_db()
        assert s3_storage.read(cert.pdf.name) == from_a[1]
    timings["read the PDFs from both"] = time.monotonic() - started

    # QR scans on both servers; a suspension made on A shows on B's next scan.
    for cert in certificates[:20]:
        for port in (servers.a, servers.b):
            status, body, _location = Browser(port).get(f"/v/{cert.code}")
            assert (status, cert.number in body.decode()) == (200, True)
    cert = certificates[0]
    status, _body, location = office_a.post(f"/bo/certificates/{cert.pk}/suspend/", {"reason": "Kiểm tra nhãn"})
    assert (status, location) == (302, f"/bo/certificates/{cert.pk}/")
    assert Certificate.objects.get(pk=cert.pk).status == Status.SUSPENDED
    status, body, _location = Browser(servers.b).get(f"/v/{cert.code}")
    assert (status, "state-suspended" in body.decode() or "ĐÌNH CHỈ" in body.decode()) == (200, True)

    # Every task due by now ran once, on one worker, and succeeded (the midnight ones wait for their time).
    due = DBTaskResult.objects.filter(Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now()))
    wait_for(lambda: not due.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists(),
             what="the tasks due")  # fmt: skip
    tasks = list(due.values_list("task_path", "status", "worker_ids"))
    assert [(path, status, len(ids)) for path, status, ids in tasks if (status, len(ids)) != ("SUCCESSFUL", 1)] == []
    assert {"ocop.certificates.jobs.make_pdfs", "ocop.registry.jobs.process_import"} <= {t[0] for t in tasks}
    print(f"\n{connection.vendor}, {size} certificates: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
