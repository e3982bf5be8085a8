"""The stored copy of a QR page follows the shelves: "where to buy" appears and goes with the stock."""

import datetime as dt

from ocop.outlets import stock
from ocop.outlets.models import StockItem
from ocop.outlets.tests.conftest import recognised
from ocop.public.scanpage import stockists


def test_the_stored_qr_page_follows_the_shelf(
    outlet_scene,
    django_capture_on_commit_callbacks,
    settings,
):
    from pathlib import Path

    from ocop.certificates.models import Certificate
    from ocop.certificates.queries import scan_rows

    (outlet,) = recognised(outlet_scene)
    day = dt.date(2026, 11, 29)
    rows = scan_rows(Certificate.objects.filter(pk=outlet_scene.cert.pk), day)
    assert stockists(rows, day) == {outlet_scene.product.pk: 1}
    stored = Path(settings.OCOP_PAGE_CACHE_DIR) / "v" / day.isoformat() / f"{outlet_scene.cert.code}.html"
    item = StockItem.objects.get(outlet=outlet, product=outlet_scene.product)
    with django_capture_on_commit_callbacks(execute=True):
        stock.remove_stock(by=outlet_scene.users["commerce"], item=item)
    assert stored.exists() and "Nơi mua" not in stored.read_text(encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        stock.add_stock(by=outlet_scene.users["commerce"], outlet=outlet, product=outlet_scene.product)
    assert "Nơi mua: 1 điểm bán OCOP" in stored.read_text(encoding="utf-8")
