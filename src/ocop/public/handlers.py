"""The public site's reactions to certificate changes: the stored QR pages are rewritten at once."""

from __future__ import annotations

from typing import Any

from ocop.certificates.signals import status_changed


def _refresh_scan_pages(sender: Any, certificate_ids: list[int], **kwargs: Any) -> None:
    from ocop.public.scanpage import refresh

    refresh(certificate_ids)


def connect() -> None:
    status_changed.connect(_refresh_scan_pages, dispatch_uid="public.scan_pages")
