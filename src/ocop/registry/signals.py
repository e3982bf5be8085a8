"""Domain events of the registry, sent after the transaction commits (upper apps handle them in handlers.py), but
`groups_changed`, sent inside it."""

from django.dispatch import Signal

# Sent with `product_ids` (list[int]) when products or their producer changed name: the pages that show a certified
# product's name of today beside its certified one (the QR page's stored copies) are rewritten.
names_changed = Signal()

# Sent with `product_ids` (list[int]) inside the transaction that moves products to another product group (a form's
# save, an import), so a receiver's writes commit or roll back with the move: the rows that count today's OCOP
# products by group (certificates.standing) follow it.
groups_changed = Signal()
