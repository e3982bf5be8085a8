"""Domain events of outlets, sent after the transaction commits (upper apps handle them in handlers.py)."""

from django.dispatch import Signal

# Sent with `product_ids` (list[int]) when a product goes on or off a shelf: the public pages that list where to
# buy it are refreshed.
stock_changed = Signal()

# Sent (no arguments) after monthly sales are recorded or imported: dashboards recount.
sales_recorded = Signal()

# Sent with `outlet_ids` (list[int]) after an outlet is registered, changed, or changes status: the open data's
# sales points are rewritten.
outlets_changed = Signal()
