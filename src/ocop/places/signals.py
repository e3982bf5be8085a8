"""Domain events of the administrative units, sent after the transaction commits (upper apps handle them in
handlers.py)."""

from typing import Any

from django.db import transaction
from django.dispatch import Signal

# Sent with `model` ("province" or "commune") and `pk` after a province or commune is saved (a rename, its centre):
# files that carry the units' names (the open data) are rewritten. The loader's bulk writes send nothing.
units_changed = Signal()


def unit_saved(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if raw or created:
        return
    model, pk = sender._meta.model_name, instance.pk
    transaction.on_commit(lambda: units_changed.send(sender=sender, model=model, pk=pk))
