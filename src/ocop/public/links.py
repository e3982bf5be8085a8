"""The public pages a domain app links to (the open data's product and outlet addresses), by kind: only the
interface apps know URL names."""

from __future__ import annotations

from django.urls import reverse

PAGES = {"product": "catalogue_product", "outlet": "outlet_page"}


def public_path(kind: str) -> str:
    """The path of a kind's public page as a format string taking the record's key: "/san-pham/{}/"."""
    marker = "999999999"
    return reverse(PAGES[kind], args=[marker]).replace(marker, "{}")
