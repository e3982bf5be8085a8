"""The package of a 5-star candidate for the central round: one ZIP with the summary, the minutes and the evidence."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import PurePath

from django.template.loader import render_to_string
from django.utils import timezone, translation

from ocop.core.pdf import render_pdf
from ocop.core.text import blank_number, fold, place_date
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.models import Result
from ocop.evaluation.results import decision_number, minutes_pdf
from ocop.places.issuers import MINISTRY, issuer_for

CENTRAL_OFFICE = "Văn phòng Điều phối nông thôn mới Trung ương"  # the ministry's standing OCOP office


def _file_name(number: int, label: str, original: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")[:60] or "tai-lieu"
    suffix = PurePath(original).suffix.lower()[:8]
    return f"tai-lieu/{number:02d}-{stem}{suffix}"


def referral_package(result: Result) -> bytes:
    """A ZIP for the central round: 00 the summary sheet (PDF: the province's letter to the ministry, from its
    issuing body, signed by its signer), 01 the council minutes (PDF), and the dossier's evidence documents from the
    vault, numbered as the summary lists them."""
    dossier = result.dossier
    evidence = list(dossier.evidence.select_related("document", "line"))
    with translation.override("vi"):  # the kind's Vietnamese label names the file, as the summary lists it
        files = [
            (_file_name(i, e.document.title or str(e.document.get_kind_display()), e.document.original_name), e)
            for i, e in enumerate(evidence, start=1)
        ]
    spec = sheet_spec(dossier.criteria_set)
    lines = [
        (line, Decimal(result.line_means.get(line.code, "0")), part)
        for part in ("A", "B", "C")
        for group in spec.groups
        if group.part == part
        for line in group.lines
    ]
    issuer = issuer_for(dossier.round.province)
    # Dated when the referral was made (the result that referred it was recorded), however late it is rebuilt.
    referred_on = timezone.localdate(result.created_at) if result.created_at else timezone.localdate()
    with translation.override("vi"):  # an administrative document, in Vietnamese whatever the page's language
        summary = render_pdf(
            render_to_string(
                "evaluation/referral.html",
                {
                    "result": result,
                    "dossier": dossier,
                    "product": dossier.product,
                    "files": files,
                    "lines": lines,
                    "issuer": issuer,
                    "number_line": blank_number(issuer.symbol),
                    "place_date": place_date(issuer.place, referred_on),
                    "decision_number": decision_number(result.council),
                    "ministry": MINISTRY,
                    "recipients": [f"{MINISTRY} ({CENTRAL_OFFICE})", issuer.office_name],
                },
            )
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("00-phieu-tong-hop.pdf", summary)
        bundle.writestr("01-bien-ban-hoi-dong.pdf", minutes_pdf(result.council))
        for name, item in files:
            with item.document.file.open("rb") as fh:
                bundle.writestr(name, fh.read())
    return out.getvalue()
