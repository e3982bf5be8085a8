"""Domain events of the registry, sent after the transaction commits (upper apps handle them in handlers.py)."""

from django.dispatch import Signal

# Sent with `product_ids` (list[int]) when products or their producer changed name: the pages that show a certified
# product's name of today beside its certified one (the QR page's stored copies) are rewritten.
names_changed = Signal()
