"""Domain events of supervision, sent after the transaction commits (upper apps handle them in handlers.py)."""

from django.dispatch import Signal

# Sent with `province_id` after an inspection is recorded, a finding fixed or a sanction decided: dashboards recount.
inspections_changed = Signal()
