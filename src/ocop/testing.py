"""Test helpers: records made through the real services, as users and officials make them."""

from __future__ import annotations

import io
import itertools
from typing import Any

from ocop.accounts.models import Role, User
from ocop.accounts.services import create_user, grant_role, system_user
from ocop.core.pdf import tiny_pdf
from ocop.places.models import Commune, Province
from ocop.registry import services
from ocop.registry.enums import DocumentKind, ProducerKind
from ocop.registry.models import Document, Producer, Product, ProductSet
from ocop.testing_pdf import non_admin_fonts as non_admin_fonts  # PDFs read back: see testing_pdf
from ocop.testing_pdf import pdf_fonts as pdf_fonts
from ocop.testing_pdf import pdf_text as pdf_text

_seq = itertools.count(1)
PASSWORD = "test-pass-1234"  # noqa: S105  # test accounts only


def commune(short_name: str, province_code: str = "01") -> Commune:
    return Commune.objects.get(province__code=province_code, short_name=short_name)


def province(code: str = "01") -> Province:
    return Province.objects.get(code=code)


def make_user(
    role: Role | None = None, *, username: str | None = None, province_code: str = "01", communes: tuple[str, ...] = ()
) -> User:
    user = create_user(username=username or f"user{next(_seq)}", password=PASSWORD, full_name="Người Dùng Thử")
    if role == Role.COMMUNE_OFFICER:
        for name in communes:
            grant_role(user=user, role=role, commune=commune(name, province_code))
    elif role == Role.SYSTEM_ADMIN:
        grant_role(user=user, role=role)
    elif role == Role.PRODUCER:
        pass  # linked to a producer with link_producer_account
    elif role is not None:
        grant_role(user=user, role=role, province=province(province_code))
    return user


def tax_code() -> str:
    return f"01{next(_seq) * 7 + 10000000:08d}"


def make_producer(*, by: User | None = None, commune_name: str = "Bát Tràng", **fields: Any) -> Producer:
    data: dict[str, Any] = {
        "kind": ProducerKind.COOPERATIVE,
        "name": f"HTX Thử Nghiệm {next(_seq)}",
        "identifier": tax_code(),
        "commune": commune(commune_name),
    }
    data.update(fields)
    return services.create_producer(by=by or system_user(), **data)


def make_product(*, producer: Producer, by: User | None = None, set_code: str = "1-12", **fields: Any) -> Product:
    data: dict[str, Any] = {
        "producer": producer,
        "name": f"Chè búp {next(_seq)}",
        "product_set": ProductSet.objects.get(code=set_code),
        "commune": producer.commune,
    }
    data.update(fields)
    return services.create_product(by=by or system_user(), **data)


def pdf_bytes(text: str = "test") -> bytes:
    return tiny_pdf([text, str(next(_seq))])


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def make_document(*, producer: Producer, by: User | None = None, **fields: Any) -> Document:
    data: dict[str, Any] = {"kind": DocumentKind.FOOD_SAFETY, "number": f"{next(_seq)}/ATTP"}
    data.update(fields)
    return services.add_document(
        producer=producer, by=by or system_user(), upload=io.BytesIO(pdf_bytes()), original_name="giay.pdf", **data
    )


def worker_env(data_dir: Any, **extra: str) -> dict[str, str]:
    """The environment of a task worker started as its own process against the test database and files."""
    import os

    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        login = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
        url = f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "OCOP_DATA_DIR": str(data_dir), "OCOP_TESTING": "true"}
    env.update(extra)
    return env


def start_worker(data_dir: Any, log_to: Any = None, command: str = "db_worker", **extra: str) -> Any:
    """A real `ocop db_worker` process (kill -9 it to test a crash), or `command="worker"`: `ocop worker`, as
    deployed; its output to the file `log_to` if given (a long run would fill an unread pipe), else a pipe."""
    import subprocess
    import sys
    from pathlib import Path

    args = [str(Path(sys.executable).with_name("ocop")), command, "--no-reload", "--no-startup-delay",
            "--interval", "0.2"]  # fmt: skip
    return subprocess.Popen(  # noqa: S603  # our own command
        args, env=worker_env(data_dir, **extra), stdout=open(log_to, "w") if log_to else subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def wait_for(check: Any, *, timeout: float = 60.0, what: str = "") -> Any:
    """Poll `check()` until it returns something true (a worker in another process is doing the work)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what or check}")


def ministry_user(username: str = "ministry") -> User:
    """The ministry's OCOP office: coordinator of the central level (its round, council and 5-star decisions)."""
    from ocop.places.queries import central_level

    user = User.objects.filter(username=username).first()
    if user is None:
        user = create_user(username=username, password=PASSWORD, full_name="Trần Thanh Nam")
        grant_role(user=user, role=Role.PROVINCE_COORDINATOR, province=central_level())
    return user


def run_queued_tasks(task_path: str = "") -> int:
    """Run the queued background tasks as `ocop db_worker` does (its own `Worker.run_task`, which claims each task and
    records its outcome), inside the test's transaction: the worker's loop would drop a connection held open by the
    test's atomic block. A task that fails fails the test, with its traceback. `task_path` ("ocop.accounts.mail.
    send_notice_emails") runs only that task's queue entries. Returns how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])  # fmt: skip
    count = 0
    ready = DBTaskResult.objects.ready().order_by("enqueued_at")
    while (queued := (ready.filter(task_path=task_path) if task_path else ready).first()) is not None:
        queued.claim("test-worker")
        worker.run_task(queued)
        queued.refresh_from_db()
        if queued.exception_class_path:
            raise AssertionError(f"task {queued.task_path} failed:\n{queued.traceback}")
        count += 1
    return count


NOTICE_EMAILS = "ocop.accounts.mail.send_notice_emails"  # the task that e-mails a notice


def signing_keys(*codes: str) -> None:
    """Make the bodies' signing keys as an administrator does (`ocop signing_keys create`; bodies that have one keep
    it): the private halves under the test's OCOP_KEYS_DIR. Issuing a decision needs its body's key."""
    import io

    from django.core.management import call_command

    call_command("signing_keys", "create", *codes, stdout=io.StringIO())
