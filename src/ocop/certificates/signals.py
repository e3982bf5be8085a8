"""Domain events of certificates, sent after the transaction commits (upper apps handle them in handlers.py)."""

from django.dispatch import Signal

# Sent with `certificate_ids` (list[int]) and `event` (a LogEvent value) whenever certificates are issued or change
# status: outlets take the product off their OCOP shelf, caches are purged, notifications go out.
status_changed = Signal()
