"""The page behind the QR, rendered once per certificate and day, and its stored copies.

The page is the same for everyone (Vietnamese, with English beside it), so a copy can be served by nginx without
asking the application (docs/deployment.md): copies are kept in the "pages" storage (settings.STORAGES: the folder
OCOP_PAGE_CACHE_DIR, or the bucket's pages/ prefix with object storage) under v/<day>/<code>.html, one folder per
day, so a certificate that expires at midnight is simply not found in the new day's folder. A change of status
rewrites that certificate's copy when the change commits (see `refresh`), before the officer's page even returns.

A miss (no copy yet) is answered from one query (`page_row`: the certificate, its certified names, its packs and how
many outlets stock it) and the page's fixed text, rendered once per process (`render_page`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import logging
import os
import secrets
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import router
from django.db.models import Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.csp import build_policy
from django.utils.translation import gettext as _

from ocop.certificates import queries
from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate
from ocop.certificates.rules import shows_as_ocop
from ocop.core.dbrouter import PRIMARY
from ocop.outlets.enums import OutletStatus
from ocop.outlets.models import StockItem
from ocop.outlets.queries import stockist_counts, valid_line_q

logger = logging.getLogger(__name__)

CSS = (Path(__file__).parent / "templates" / "public" / "verify.css").read_text(encoding="utf-8").strip()
CSS_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii") + "'"
CSP = {"default-src": ["'none'"], "style-src": [CSS_HASH], "img-src": ["'self'"], "form-action": ["'self'"],
       "frame-ancestors": ["'none'"]}  # fmt: skip
CSP_HEADER = build_policy(CSP)  # the header, built once (the view sets it: the middleware then leaves it)
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


def _dmy(day: dt.date | None) -> str:
    """As the template's date filter "d/m/Y" writes it."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if day else ""


def render_page(cert: dict[str, Any] | None, code: str, day: dt.date, counts: dict[int, int] | None = None) -> bytes:
    """The page for a row of `queries.scan_rows` as of `day`; None: the "not certified" page. `counts`: outlets
    stocking each product (computed here when not given).

    The template (every label in Vietnamese and English, the styles) is rendered once per process for each shape of
    page: which parts it has (a current name, packs, the outlets' count, the stars...), with a numbered slot for
    each of the certificate's values; a page is that cached fragment with the values put in its slots, escaped as
    the template escapes them. So the page is exactly what the template gives, at a fraction of its cost."""
    values: list[str] = []
    shape: list[object] = []

    def slot(value: Any) -> Any:
        """A value as the template sees it: a slot's token; an empty one as itself (the template tests it)."""
        if not value:
            shape.append(value)
            return value
        shape.append(True)
        values.append(str(value))
        return f"\x00{len(values) - 1}\x00"

    report, outlet_map = _urls(get_script_prefix())
    context: dict[str, object] = {
        "css": CSS, "meta_csp": META_CSP, "code": slot(code), "day": slot(_dmy(day)),
        "report_url": slot(report.format(code) if code.isascii() and code.isalnum() else reverse(REPORT, args=[code])),
    }  # fmt: skip
    outlets = 0
    if cert is not None and shows_as_ocop(cert["status"]):
        counts = counts if counts is not None else stockists([cert], day)
        if outlets := counts.get(cert["product_id"], 0):
            context |= {"outlets": outlets, "outlets_url": slot(f"{outlet_map}?san-pham={cert['product_id']}")}
    with translation.override("en"):
        english = _verdict(cert, day) if cert else ("", "")
    with translation.override("vi") if translation.get_language() != "vi" else nullcontext():
        controls: tuple[object, ...] = (outlets,)
        if cert is not None:
            headline, detail = _verdict(cert, day)
            flags = {k: bool(cert[k]) for k in ("potential_five", "approximate", "historical")}
            c = {k: slot(cert[k]) for k in NAMES} | flags | {"stars": cert["stars"]}
            c |= {k: slot(_dmy(cert[k])) for k in ("valid_until", "issued_on", "decision_on")}
            c |= {"issued_year": slot(cert["issued_on"] and cert["issued_on"].year)}
            c |= {"decision_year": slot(cert["decision_on"] and cert["decision_on"].year)}
            c["packs"] = [{k: slot(p[k]) for k in ("name", "size", "gtin")} for p in cert["packs"]]
            ocop = shows_as_ocop(cert["status"])
            context |= {
                "c": c, "status": slot(cert["status"]), "ocop": ocop, "headline": slot(headline),
                "detail": slot(detail), "headline_en": slot(english[0]), "detail_en": slot(english[1]),
                "star_marks": slot("★" * cert["stars"]),
            }  # fmt: skip
            controls += (ocop, cert["stars"], *flags.values())
        key = (tuple(shape), controls)
        if (fragment := _FRAGMENTS.get(key)) is None:
            fragment = _fragment(render_to_string("public/verify.html", context))
            if len(_FRAGMENTS) >= 4096:  # a bound (a few dozen shapes are usual)
                _FRAGMENTS.clear()
            _FRAGMENTS[key] = fragment
    texts, slots = fragment
    escaped = [html.escape(v) for v in values]  # as the template's autoescape (django.utils.html.escape) does
    parts = [texts[0]]
    for n, text in zip(slots, texts[1:], strict=True):
        parts += (escaped[n], text)
    return "".join(parts).encode("utf-8")


REPORT = "report_problem"


@lru_cache(maxsize=8)
def _urls(script_prefix: str) -> tuple[str, str]:
    """The report form's address with "{}" for the code, and the outlet map's (by the script prefix they start with)."""
    head, tail = reverse(REPORT, args=["0"]).rsplit("/0/", 1)
    return f"{head.replace('{', '{{').replace('}', '}}')}/{{}}/{tail}", reverse("outlet_map")


NAMES = ("product", "current_name", "producer", "current_producer", "commune", "province", "number", "decision",
         "issuing_body")  # fmt: skip
# The page's template rendered with slots, by shape: the texts between the slots, and each slot's value number.
_FRAGMENTS: dict[tuple[object, ...], tuple[list[str], list[int]]] = {}


def _fragment(rendered: str) -> tuple[list[str], list[int]]:
    parts = rendered.split("\x00")
    return parts[0::2], [int(n) for n in parts[1::2]]


# ---- the miss: one query -------------------------------------------------------------------------


def _stockists(day: dt.date) -> Coalesce:
    """`stockist_counts` for the row's product, as a subquery of the page's query."""
    lines = StockItem.objects.filter(
        valid_line_q(day), product_id=OuterRef("product_id"), outlet__status=OutletStatus.RECOGNISED
    )
    distinct = Func("outlet_id", template="COUNT(DISTINCT %(expressions)s)", output_field=IntegerField())
    return Coalesce(Subquery(lines.order_by().annotate(n=distinct).values("n")[:1]), 0)  # no ORDER BY: one count


@lru_cache(maxsize=8)
def _page_sql(alias: str, day: dt.date) -> tuple[str, tuple[Any, ...]]:
    qs = Certificate.objects.filter(code=queries.CODE).annotate(outlets=_stockists(day))
    return queries.compile_by_code(queries.scan_values(qs, "outlets"), alias)


def page_row(code: str, day: dt.date, alias: str | None = None) -> tuple[dict[str, Any] | None, dict[int, int]]:
    """What `render_page` needs for a code on `day`, in one query: its row (None: no such certificate) and the count
    of outlets stocking its product (as `stockists` counts them). From `alias`, else where the router reads."""
    if not (code := queries.clean_code(code)):
        return None, {}
    alias = alias or router.db_for_read(Certificate) or "default"
    found = queries.fetch_by_code(*_page_sql(alias, day), alias, code)
    if found is None:
        return None, {}
    row = dict(zip([*queries.SCAN_FIELDS, "outlets"], found, strict=True))
    outlets = row.pop("outlets")
    row = queries.finish_row(row, day)
    return row, ({row["product_id"]: outlets} if shows_as_ocop(row["status"]) and outlets else {})


# ---- stored copies --------------------------------------------------------------------------------
# Through the "pages" storage, so that they land where nginx reads them: the local folder, or the bucket. On a local
# disk (a storage with paths) a request's copy is linked in place, which never replaces a copy that `refresh` wrote
# meanwhile; in a bucket it is put when absent, then the row is read again from the primary and the page put again
# until it reads as put (a check then a put: a request that read the row just before a change could put the old page
# over the change's own rewrite).


def _storage() -> Storage | None:
    """The "pages" storage; None on a local disk without OCOP_PAGE_CACHE_DIR (no copies kept)."""
    storage = storages["pages"]
    return storage if settings.OCOP_PAGE_CACHE_DIR or not isinstance(storage, FileSystemStorage) else None


def _page_file(body: bytes) -> ContentFile[bytes]:
    page = ContentFile(body)
    page.content_type = "text/html; charset=utf-8"  # type: ignore[attr-defined]  # what a bucket serves it as
    return page


def _name(day: dt.date, code: str) -> str:
    return f"v/{day.isoformat()}/{code}.html"


def _days(storage: Storage) -> list[str]:
    try:
        return sorted(storage.listdir("v")[0])
    except FileNotFoundError:
        return []


def prune(storage: Storage, day: dt.date) -> None:
    """Remove the copies of days before yesterday (a request of the day before may still be in flight)."""
    oldest = (day - dt.timedelta(days=1)).isoformat()
    for old in (d for d in _days(storage) if d < oldest):
        for name in storage.listdir(f"v/{old}")[1]:
            storage.delete(f"v/{old}/{name}")
        storage.delete(f"v/{old}")  # the folder on a local disk (an object store has none)


_pruned: set[tuple[str, str, str, dt.date]] = set()


def _prune_once(storage: Storage, day: dt.date) -> None:
    """On a process's first copy of the day (the nightly `build_scan_pages` prunes too, just after midnight)."""
    key = (type(storage).__name__, getattr(storage, "bucket_name", ""), str(getattr(storage, "location", "")), day)
    if key not in _pruned:
        _pruned.add(key)
        prune(storage, day)


PUT_ATTEMPTS = 3


def store_if_absent(code: str, body: bytes, day: dt.date) -> None:
    """Keep the page a request made, unless a copy is already there: a copy written by `refresh` (after a change)
    always wins over one that a request rendered just before the change. `code`: a certificate's own (letters and
    digits)."""
    storage = _storage()
    if storage is None:
        return
    _prune_once(storage, day)
    if not isinstance(storage, FileSystemStorage):
        if storage.exists(name := _name(day, code)):
            return
        # A bucket has no "put unless there": a change that committed between the check and the put had its copy
        # rewritten first, and this older page would replace it. After each put the row is read again, from the
        # primary (a replica may not have the change yet): a page that now reads otherwise is put again. A change
        # committing after the last read rewrites the copy itself, after this put.
        for _attempt in range(PUT_ATTEMPTS):
            storage.save(name, _page_file(body))
            cert, counts = page_row(code, day, alias=PRIMARY)
            if cert is None or (now := render_page(cert, code, day, counts)) == body:
                return
            body = now
        logger.warning("QR page %s: still changing after %s puts; its copy removed", code, PUT_ATTEMPTS)
        storage.delete(name)  # the next scan stores it again (or the change's own rewrite does)
        return
    # On every miss: the storage's own path() and a temporary file from tempfile cost more than the page's render.
    folder = os.path.join(storage.location, "v", day.isoformat())
    target = os.path.join(folder, f"{code}.html")
    if os.path.exists(target):
        return
    tmp = os.path.join(folder, f".tmp-{secrets.token_hex(8)}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileNotFoundError:  # the day's first copy
        os.makedirs(folder, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            os.fchmod(fd, 0o644)  # nginx reads the copies, whatever the umask
            view = memoryview(body)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.link(tmp, target)  # in place whole, and never over a copy already there
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)


def refresh(certificate_ids: list[int]) -> None:
    """After a change commits: rewrite today's copies of these certificates and drop any of a later day."""
    storage = _storage()
    if storage is None:
        return
    day = timezone.localdate()
    rows = queries.scan_rows(Certificate.objects.filter(pk__in=certificate_ids), day)
    counts = stockists(rows, day)
    later_days = [d for d in _days(storage) if d > day.isoformat()]
    for cert in rows:
        code = cert["code"]
        storage.save(_name(day, code), _page_file(render_page(cert, code, day, counts)))  # in place, atomically
        for later in later_days:
            storage.delete(f"v/{later}/{code}.html")


def build_day(day: dt.date | None = None, batch: int = 1000) -> int:
    """Make the day's copies of every certificate's page ahead of the scans (run just after midnight, e.g. by cron:
    `ocop build_scan_pages`). A copy already there (written by a change or a request) is kept. Returns the count."""
    day = day or timezone.localdate()
    storage = _storage()
    if storage is None:
        return 0
    prune(storage, day)
    ids = list(Certificate.objects.order_by("id").values_list("id", flat=True))
    made = 0
    for start in range(0, len(ids), batch):
        rows = queries.scan_rows(Certificate.objects.filter(pk__in=ids[start : start + batch]), day)
        counts = stockists(rows, day)
        for cert in rows:
            store_if_absent(cert["code"], render_page(cert, cert["code"], day, counts), day)
            made += 1
    return made
