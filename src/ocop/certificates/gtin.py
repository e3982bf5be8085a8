"""The certificate a pack's barcode (GTIN) stands for: what the GS1 Digital Link resolver (public.gs1, /01/<GTIN>)
answers."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ocop.certificates.models import Certificate
from ocop.certificates.queries import with_certified_names, with_status
from ocop.certificates.rules import shows_as_ocop
from ocop.registry.validators import gtin14

FIELDS = ("pk", "code", "number", "product_id", "issued_on", "reader_status", "certified_product", "issued_packs")


def stored_forms(gtin: str) -> list[str]:
    """The ways a valid GTIN may be stored on a pack: its 14 digits and, where they start with zeros, its GTIN-13,
    GTIN-12 and GTIN-8 (the check digit counts from the right, so each is the same GTIN)."""
    full = gtin14(gtin)
    return [full[14 - n :] for n in (14, 13, 12, 8) if not full[: 14 - n].strip("0")]


def _rows(qs: QuerySet[Certificate], today: dt.date) -> list[dict[str, Any]]:
    return list(with_certified_names(with_status(qs, today)).values(*FIELDS))


def certificates_for_gtin(gtin: str, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The certificates listing a pack with this barcode (a valid GTIN of 8, 12, 13 or 14 digits), as rows of
    FIELDS, the one to show first: one that makes an OCOP product today before one that does not, then the latest
    issued, then the highest id (a barcode on two packs, or on a product certified again, has several).

    A certificate lists a pack through the registry's row; a pack removed from the registry, or whose barcode was
    corrected, after its labels were printed is found in the certificate's copy of its packs as issued (a scan of
    the certificates' copies, made only when no registry row has the barcode)."""
    today = today or timezone.localdate()
    forms = stored_forms(gtin)
    rows = _rows(Certificate.objects.filter(packs__gtin__in=forms), today)
    if not rows:
        text = Cast("issued_packs", TextField())
        named = reduce(or_, (Q(packs_text__contains=f'"{form}"') for form in forms))
        copies = Certificate.objects.filter(issued_packs__isnull=False).annotate(packs_text=text).filter(named)
        full = gtin14(gtin)
        rows = [
            row
            for row in _rows(copies, today)
            if any(pack.get("gtin") and gtin14(str(pack["gtin"])) == full for pack in row["issued_packs"])
        ]
    unique = {row["pk"]: row for row in rows}.values()
    return sorted(unique, key=lambda r: (shows_as_ocop(r["reader_status"]), r["issued_on"], r["pk"]), reverse=True)
