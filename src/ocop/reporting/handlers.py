"""Reactions to lower apps' domain events (DESIGN.md): each handler only calls this app's own services."""

from __future__ import annotations

from typing import Any

from ocop.certificates.signals import status_changed
from ocop.outlets.signals import outlets_changed, sales_recorded, stock_changed
from ocop.places.signals import units_changed
from ocop.registry.signals import groups_changed, names_changed
from ocop.supervision.signals import inspections_changed


def _open_data_changed(sender: Any, **kwargs: Any) -> None:
    """A change the open data files show: one rebuild queued for the burst (opendata.schedule_rebuild)."""
    from ocop.reporting.opendata import schedule_rebuild

    schedule_rebuild()


def _figures_changed(sender: Any, **kwargs: Any) -> None:
    from ocop.reporting.snapshots import changed

    changed()


def connect() -> None:
    for signal in (status_changed, names_changed, units_changed, outlets_changed):
        signal.connect(_open_data_changed, dispatch_uid=f"reporting.opendata.{id(signal)}")
    # groups_changed is sent inside the moving transaction: the new generation commits or rolls back with the move.
    for signal in (status_changed, stock_changed, sales_recorded, inspections_changed, groups_changed):
        signal.connect(_figures_changed, dispatch_uid=f"reporting.figures.{id(signal)}")
