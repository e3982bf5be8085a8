"""The open register of certificates: CSV and JSON files, regenerated when certificates change (a task after each
change) and whenever they are older than today's statuses, the last logged change or the last signed checkpoint, so
a download is never stale. Beside them, checkpoints.json: every signed checkpoint of the transparency log, newest
first, as /api/v1/transparency-log/checkpoints serves them (and `ocop verify-log --checkpoints` reads)."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from ocop.certificates import checkpoints, queries
from ocop.certificates.models import Certificate, Checkpoint, LogHead
from ocop.core.excel import csv_cell

FIELDS = [
    "number", "code", "product", "producer", "commune", "province", "stars", "issued_on", "valid_until", "status",
    "decision", "issuing_body",
]  # fmt: skip


def _dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "opendata"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _state() -> tuple[int, str, int]:
    head = LogHead.objects.filter(pk=1).first()
    last = Checkpoint.objects.order_by("-id").values_list("id", flat=True).first()
    return (head.seq if head else 0), timezone.localdate().isoformat(), last or 0


def rows() -> list[dict[str, Any]]:
    qs = (
        queries.with_status(Certificate.objects.all())
        .select_related("product", "producer", "commune", "province", "decision")
        .order_by("province__code", "year", "sequence")
    )
    return [
        {
            "number": c.number,
            "code": c.code,
            "product": c.product.name,
            "producer": c.producer.name,
            "commune": c.commune.name if c.commune else "",
            "province": c.province.name,
            "stars": c.stars,
            "issued_on": c.issued_on.isoformat(),
            "valid_until": c.valid_until.isoformat(),
            "status": c.reader_status,  # type: ignore[attr-defined]
            "decision": c.decision.number,
            "issuing_body": c.decision.issuing_body,
        }
        for c in qs.iterator(chunk_size=2000)
    ]


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)  # readers see the old file or the new one, never half of one


def write_register() -> dict[str, Any]:
    seq, day, checkpoint = _state()
    items = rows()
    marks = [c.as_dict() for c in checkpoints.published()]
    meta = {"generated_at": timezone.localtime().isoformat(timespec="seconds"), "log_seq": seq, "day": day,
            "checkpoint_id": checkpoint, "count": len(items), "checkpoints": len(marks)}  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    # The file opens in Excel by design (its BOM) and names are typed by whoever registers a product: a cell that
    # starts like a formula gets an apostrophe (ocop.core.excel.csv_cell). The JSON keeps the text as it is.
    writer.writerows({key: csv_cell(value) for key, value in item.items()} for item in items)
    folder = _dir()
    _write(folder / "certificates.csv", out.getvalue().encode("utf-8-sig"))  # the BOM lets Excel read Vietnamese
    _write(folder / "certificates.json", json.dumps({**meta, "items": items}, ensure_ascii=False).encode("utf-8"))
    marks_file = {"generated_at": meta["generated_at"], "log_seq": seq, "count": len(marks), "items": marks}
    _write(folder / "checkpoints.json", json.dumps(marks_file).encode("utf-8"))
    _write(folder / "meta.json", json.dumps(meta).encode("utf-8"))
    return meta


def current_register() -> dict[str, Any]:
    """The files' description, regenerating them first if they miss a change or a new day."""
    try:
        meta: dict[str, Any] = json.loads((_dir() / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return write_register()
    if (meta.get("log_seq"), meta.get("day"), meta.get("checkpoint_id")) != _state():
        return write_register()
    return meta


def register_path(kind: str, name: str = "certificates") -> Path:
    current_register()
    return _dir() / f"{name}.{kind}"


@task()
def refresh_register() -> None:
    write_register()
