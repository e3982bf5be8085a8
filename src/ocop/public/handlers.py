"""The public site's reactions to certificate changes (and renames of certified products): the stored QR pages
are rewritten at once."""

from __future__ import annotations

from typing import Any

from ocop.certificates.signals import status_changed
from ocop.outlets.signals import stock_changed
from ocop.registry.signals import names_changed


def _refresh_scan_pages(sender: Any, certificate_ids: list[int], **kwargs: Any) -> None:
    from ocop.public.scanpage import refresh

    refresh(certificate_ids)


def _products_changed(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    from ocop.certificates.models import Certificate
    from ocop.public.scanpage import refresh

    ids = list(Certificate.objects.filter(product_id__in=product_ids).values_list("pk", flat=True))
    if ids:
        refresh(ids)


def connect() -> None:
    status_changed.connect(_refresh_scan_pages, dispatch_uid="public.scan_pages")
    stock_changed.connect(_products_changed, dispatch_uid="public.scan_pages_stock")
    names_changed.connect(_products_changed, dispatch_uid="public.scan_pages_names")
