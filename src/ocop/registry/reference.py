"""Reference data: the product classification, loaded from a data file, editable afterwards."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from ocop.registry.models import ProductGroup, ProductSet

DATA = Path(__file__).parent / "data" / "product_classification.json"
NOTE = "148 groups; sets as in the 1048-era national software (unconfirmed for 148)"


@transaction.atomic
def load_classification() -> int:
    """Add missing groups and sets; leaves edited rows alone. Returns how many rows were added."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    added = 0
    for g_pos, group in enumerate(data["groups"], start=1):
        g, created = ProductGroup.objects.get_or_create(
            code=group["code"], defaults={"name": group["name"], "position": g_pos}
        )
        added += created
        for s_pos, (code, name, ministry) in enumerate(group["sets"], start=1):
            _s, created = ProductSet.objects.get_or_create(
                code=code,
                defaults={"group": g, "name": name, "lead_ministry": ministry, "position": s_pos, "note": NOTE},
            )
            added += created
    return added
