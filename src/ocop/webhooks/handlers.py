"""Reactions to lower apps' domain events (DESIGN.md): each handler only calls this app's own services."""

from __future__ import annotations

from typing import Any

from ocop.certificates.signals import status_changed
from ocop.outlets.signals import outlets_changed
from ocop.registry.signals import names_changed


def _certificates(sender: Any, certificate_ids: list[int], event: str, **kwargs: Any) -> None:
    from ocop.webhooks.events import certificates_changed

    certificates_changed(certificate_ids=certificate_ids, event=event)


def _products(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    from ocop.webhooks.events import products_renamed

    products_renamed(product_ids=product_ids)


def _outlets(sender: Any, outlet_ids: list[int], **kwargs: Any) -> None:
    from ocop.webhooks.events import outlets_changed as changed

    changed(outlet_ids=outlet_ids)


def connect() -> None:
    status_changed.connect(_certificates, dispatch_uid="webhooks.certificates")
    names_changed.connect(_products, dispatch_uid="webhooks.products")
    outlets_changed.connect(_outlets, dispatch_uid="webhooks.outlets")
