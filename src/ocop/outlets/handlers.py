"""Outlets' reactions to certificate changes (DESIGN.md): removal tasks on every shelf that stocks the product."""

from __future__ import annotations

from typing import Any

from ocop.certificates.signals import status_changed


def _certificates_changed(sender: Any, certificate_ids: list[int], event: str, **kwargs: Any) -> None:
    from ocop.outlets.stock import react_to_certificates

    react_to_certificates(certificate_ids=certificate_ids, event=event)


def connect() -> None:
    status_changed.connect(_certificates_changed, dispatch_uid="outlets.removal_tasks")
