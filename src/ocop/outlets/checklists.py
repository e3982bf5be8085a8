"""The outlet checklists shipped with OCOP Hub (versioned data, like the product criteria)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from ocop.outlets.models import Checklist, ChecklistItem

DATA = Path(__file__).resolve().parent / "data" / "checklists.json"


@transaction.atomic
def load_checklists(path: Path = DATA) -> list[tuple[str, bool]]:
    """Add the checklists not yet present; a version already loaded is never changed (assessments refer to it)."""
    done = []
    for spec in json.loads(path.read_text(encoding="utf-8")):
        if Checklist.objects.filter(code=spec["code"]).exists():
            done.append((spec["code"], False))
            continue
        checklist = Checklist.objects.create(
            code=spec["code"],
            kind=spec["kind"],
            name=spec["name"],
            decision=spec["decision"],
            in_force_from=dt.date.fromisoformat(spec["in_force_from"]) if spec.get("in_force_from") else None,
            pass_mark=spec.get("pass_mark", 0),
            confirmed=spec.get("confirmed", False),
            note=spec.get("note", ""),
            max_points=sum(i.get("points", 0) for i in spec["items"]),
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                checklist=checklist,
                code=i["code"],
                group=i["group"],
                text=i["text"],
                kind=i.get("kind", "check"),
                points=i.get("points", 0),
                mandatory=i.get("mandatory", False),
                measure=i.get("measure", ""),
                minimum=Decimal(i["minimum"]) if i.get("minimum") else None,
                confirmed=i.get("confirmed", True),
                position=n,
            )
            for n, i in enumerate(spec["items"])
        )
        done.append((spec["code"], True))
    return done
