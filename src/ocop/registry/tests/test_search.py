import pytest

from ocop.core.search import search
from ocop.registry.models import Product
from ocop.testing import make_producer, make_product


@pytest.fixture
def catalogue(db):
    producer = make_producer(name="HTX Tân Cương")
    names = ["Chè Thái Nguyên", "Trà xanh Thái Nguyên", "Đường phèn", "Bánh đa nem", "Bánh đậu xanh", "Gạo nếp"]
    return {n: make_product(producer=producer, name=n) for n in names}


def _search(q):
    return [p.name for p in search(Product.objects.all(), q)]


def test_diacritic_insensitive_and_ranked(catalogue):
    assert _search("che thai nguyen") == ["Chè Thái Nguyên"]
    assert _search("duong") == ["Đường phèn"]
    assert _search("banh da") == ["Bánh đa nem", "Bánh đậu xanh"]
    assert _search("BÁNH ĐA NEM") == ["Bánh đa nem"]
    assert _search("tan cuong")[:1] == ["Bánh đa nem"]  # producer names match too, ranked after names
    assert len(_search("tan cuong")) == 6


def test_prefix_ranking_puts_name_starts_first(catalogue):
    # "Thái Nguyên" is inside both names; neither starts with it, so both rank equal and come by name.
    assert _search("thai nguyen") == ["Chè Thái Nguyên", "Trà xanh Thái Nguyên"]
    assert _search("xanh") == ["Bánh đậu xanh", "Trà xanh Thái Nguyên"]
    assert _search("tra") == ["Trà xanh Thái Nguyên"]


def test_search_follows_updates_and_deletes(catalogue):
    from ocop.registry import services

    product = catalogue["Gạo nếp"]
    services.update_product(product=product, by=None, name="Gạo tám thơm")
    assert _search("gao nep") == []
    assert _search("gao tam") == ["Gạo tám thơm"]
    services.delete_product(product=product, by=None)
    assert _search("gao") == []


def test_empty_or_symbol_query_returns_everything(catalogue):
    assert len(_search("")) == 6
    assert len(_search("  *** ")) == 6
    assert _search('"') == _search("")
