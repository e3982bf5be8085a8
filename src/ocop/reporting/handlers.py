"""Reactions to lower apps' domain events (DESIGN.md): each handler only calls this app's own services."""

from __future__ import annotations

from typing import Any

from ocop.certificates.signals import status_changed


def _certificates_changed(sender: Any, **kwargs: Any) -> None:
    from ocop.reporting.opendata import refresh_register

    refresh_register.enqueue()


def connect() -> None:
    status_changed.connect(_certificates_changed, dispatch_uid="reporting.opendata")
