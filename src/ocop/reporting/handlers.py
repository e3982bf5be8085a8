"""Reactions to lower apps' domain events (DESIGN.md): each handler only calls this app's own services."""

from __future__ import annotations

from typing import Any

from ocop.certificates.signals import status_changed
from ocop.outlets.signals import sales_recorded, stock_changed
from ocop.supervision.signals import inspections_changed


def _certificates_changed(sender: Any, **kwargs: Any) -> None:
    from ocop.reporting.opendata import refresh_register

    refresh_register.enqueue()


def _figures_changed(sender: Any, **kwargs: Any) -> None:
    from ocop.reporting.snapshots import changed

    changed()


def connect() -> None:
    status_changed.connect(_certificates_changed, dispatch_uid="reporting.opendata")
    for signal in (status_changed, stock_changed, sales_recorded, inspections_changed):
        signal.connect(_figures_changed, dispatch_uid=f"reporting.figures.{id(signal)}")
