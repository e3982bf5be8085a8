"""The page behind the QR, rendered once per certificate and day, and its stored copies.

The page is the same for everyone (Vietnamese, with English beside it), so a copy can be served by nginx without
asking the application (docs/deployment.md): copies live under OCOP_PAGE_CACHE_DIR/v/<day>/<code>.html, one folder
per day, so a certificate that expires at midnight is simply not found in the new day's folder. A change of status
rewrites that certificate's copy when the change commits (see `refresh`), before the officer's page even returns.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.certificates import queries
from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate
from ocop.certificates.rules import shows_as_ocop
from ocop.outlets.queries import stockist_counts

CSS = (Path(__file__).parent / "templates" / "public" / "verify.css").read_text(encoding="utf-8").strip()
CSS_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii") + "'"
CSP = {"default-src": ["'none'"], "style-src": [CSS_HASH], "img-src": ["'self'"], "form-action": ["'self'"],
       "frame-ancestors": ["'none'"]}  # fmt: skip
# The same policy inside the page, so that a copy served by nginx carries it too.
META_CSP = f"default-src 'none'; style-src {CSS_HASH}; img-src 'self'; form-action 'self'"


def _verdict(c: dict[str, Any], day: dt.date) -> tuple[str, str]:
    """The headline in large type and the sentence under it, in the active language."""
    status = c["status"]
    until = c["valid_until"].strftime("%d/%m/%Y")
    since = c["status_since"].strftime("%d/%m/%Y") if c["status_since"] else ""
    valid = _("Valid: OCOP product, %(n)s stars") % {"n": c["stars"]}
    if status == Status.VALID:
        return valid, _("The certificate is valid until %(date)s.") % {"date": until}
    if status == Status.EXPIRING:
        days = (c["valid_until"] - day).days + 1
        detail = _("The certificate is valid until %(date)s (%(days)s days left).")
        return valid, detail % {"date": until, "days": days}
    if status == Status.EXPIRED:
        detail = _("The certificate ended on %(date)s. The OCOP mark may no longer be used on this product.")
        return _("EXPIRED: no longer an OCOP product"), detail % {"date": until}
    if status == Status.SUSPENDED:
        detail = _("Suspended since %(date)s: %(reason)s")
        return _("SUSPENDED: not an OCOP product for now"), detail % {"date": since, "reason": c["status_reason"]}
    if status == Status.REVOKED:
        detail = _("Revoked by decision %(number)s of %(date)s: %(reason)s")
        values = {"number": c["revocation_decision"], "date": since, "reason": c["status_reason"]}
        return _("REVOKED: not an OCOP product"), detail % values
    detail = _("This certificate was replaced by certificate %(number)s (%(n)s stars); check the newer label.")
    values = {"number": c["new_number"] or "", "n": str(c["new_stars"] or "")}
    return _("REPLACED by a newer certificate"), detail % values


def stockists(rows: list[dict[str, Any]], day: dt.date) -> dict[int, int]:
    """Outlets that have each row's product on their OCOP shelf (only products that are OCOP today)."""
    products = [r["product_id"] for r in rows if shows_as_ocop(r["status"])]
    return stockist_counts(products, day) if products else {}


def render_page(cert: dict[str, Any] | None, code: str, day: dt.date, counts: dict[int, int] | None = None) -> bytes:
    """The page for a row of `queries.scan_rows` as of `day`; None: the "not certified" page. `counts`: outlets
    stocking each product (computed here when not given)."""
    context: dict[str, object] = {
        "css": CSS, "meta_csp": META_CSP, "code": code, "day": day,
        "report_url": reverse("report_problem", args=[code]),
    }  # fmt: skip
    if cert is not None and shows_as_ocop(cert["status"]):
        counts = counts if counts is not None else stockists([cert], day)
        if n := counts.get(cert["product_id"], 0):
            context |= {"outlets": n, "outlets_url": f"{reverse('outlet_map')}?san-pham={cert['product_id']}"}
    with translation.override("en"):
        english = _verdict(cert, day) if cert else ("", "")
    with translation.override("vi"):
        if cert is not None:
            headline, detail = _verdict(cert, day)
            context |= {
                "c": cert, "status": cert["status"], "ocop": shows_as_ocop(cert["status"]), "headline": headline,
                "detail": detail, "headline_en": english[0], "detail_en": english[1], "star_marks": "★" * cert["stars"],
            }  # fmt: skip
        return render_to_string("public/verify.html", context).encode("utf-8")


# ---- stored copies --------------------------------------------------------------------------------


def _folder(day: dt.date) -> Path | None:
    if not settings.OCOP_PAGE_CACHE_DIR:
        return None
    return Path(settings.OCOP_PAGE_CACHE_DIR) / "v" / day.isoformat()


def _prune(root: Path, day: dt.date) -> None:
    """Remove the folders of days before yesterday (a request of the day before may still be in flight)."""
    oldest = (day - dt.timedelta(days=1)).isoformat()
    for child in root.iterdir():
        if child.is_dir() and child.name < oldest:
            shutil.rmtree(child, ignore_errors=True)


def _temp(folder: Path, body: bytes) -> str:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(body)
    os.chmod(tmp, 0o644)
    return tmp


def store_if_absent(code: str, body: bytes, day: dt.date) -> None:
    """Keep the page a request made, unless a copy is already there: a copy written by `refresh` (after a change)
    always wins over one that a request rendered just before the change."""
    folder = _folder(day)
    if folder is None:
        return
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _prune(folder.parent, day)
    tmp = _temp(folder, body)
    try:
        os.link(tmp, folder / f"{code}.html")
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)


def refresh(certificate_ids: list[int]) -> None:
    """After a change commits: rewrite today's copies of these certificates and drop any of a later day."""
    day = timezone.localdate()
    folder = _folder(day)
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    rows = queries.scan_rows(Certificate.objects.filter(pk__in=certificate_ids), day)
    counts = stockists(rows, day)
    later_days = [f for f in folder.parent.iterdir() if f.is_dir() and f.name > folder.name]
    for cert in rows:
        code = cert["code"]
        os.replace(_temp(folder, render_page(cert, code, day, counts)), folder / f"{code}.html")
        for later in later_days:
            (later / f"{code}.html").unlink(missing_ok=True)


def build_day(day: dt.date | None = None, batch: int = 1000) -> int:
    """Make the day's copies of every certificate's page ahead of the scans (run just after midnight, e.g. by cron:
    `ocop build_scan_pages`). A copy already there (written by a change or a request) is kept. Returns the count."""
    day = day or timezone.localdate()
    folder = _folder(day)
    if folder is None:
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    _prune(folder.parent, day)
    ids = list(Certificate.objects.order_by("id").values_list("id", flat=True))
    made = 0
    for start in range(0, len(ids), batch):
        rows = queries.scan_rows(Certificate.objects.filter(pk__in=ids[start : start + batch]), day)
        counts = stockists(rows, day)
        for cert in rows:
            store_if_absent(cert["code"], render_page(cert, cert["code"], day, counts), day)
            made += 1
    return made
