"""The search's word-prefix semantics and ranking, pinned: the same results in the same order on SQLite (FTS5) and
PostgreSQL (a GIN index on the words of search_text), checked against the rule in plain Python."""

import pytest

from ocop.core.search import RankedSearch, search
from ocop.core.text import fold_tokens
from ocop.registry.models import Product
from ocop.testing import make_producer, make_product

NAMES = [
    "Bánh đa nem",
    "Bánh đậu xanh",
    "Bánh chưng",
    "Kẹo bánh dừa",
    "Đường phèn",
    "Trà xanh Thái Nguyên",
    "Chè Thái Nguyên",
    # Words that PostgreSQL's text-search parser splits or reads as numbers: "1e5x" is the number 1e5 then "x".
    "Lô 1e5x",
    "Lô 5e3e",
    "Mã 0x1f",
    "Gạo A 1",
    "Mắm 12abc",
    "Nước 000123",
]


@pytest.fixture
def shelf(db):
    producer = make_producer(name="HTX Quê")
    return {name: make_product(producer=producer, name=name) for name in NAMES}


def _rule(q):
    """The search's rule in Python: every query word starts a word of search_text; rows opening with the phrase
    first, then by search_text, then by id."""
    tokens = fold_tokens(q)
    rows = []
    for p in Product.objects.all():
        words = p.search_text.split(" ")
        if all(any(w.startswith(t) for w in words) for t in tokens):
            opening = not p.search_text.startswith(" ".join(tokens))
            rows.append((opening, p.search_text, p.pk, p.name))
    return [name for *_key, name in sorted(rows)]


def _found(q):
    return [p.name for p in search(Product.objects.all(), q)]


def _ranked(q):
    ranked = RankedSearch(Product.objects.all(), q)
    return ranked.count(), [p.name for p in ranked[0:7] + ranked[7:30]]


def test_ranking_is_pinned(shelf):
    assert _found("banh") == ["Bánh chưng", "Bánh đa nem", "Bánh đậu xanh", "Kẹo bánh dừa"]
    assert _found("xanh") == ["Bánh đậu xanh", "Trà xanh Thái Nguyên"]
    assert _found("thai ng") == ["Chè Thái Nguyên", "Trà xanh Thái Nguyên"]
    assert _found("htx que") == sorted(NAMES, key=lambda n: shelf[n].search_text)
    assert _ranked("banh d") == (3, ["Bánh đa nem", "Bánh đậu xanh", "Kẹo bánh dừa"])


def test_every_word_is_a_word_prefix(shelf):
    assert _found("ba xa") == ["Bánh đậu xanh"]
    assert _found("anh") == []  # inside "bánh", not at a word's start
    assert _found("banh dua") == ["Kẹo bánh dừa"]
    assert _found("banh dau xanh que") == ["Bánh đậu xanh"]
    assert _found("banh zzz") == []


def test_marks_and_case_are_folded(shelf):
    assert _found("ĐƯỜNG") == _found("duong") == _found("Đuong") == ["Đường phèn"]
    assert _found("che THAI nguyên") == ["Chè Thái Nguyên"]
    assert _found("bánh đậu") == ["Bánh đậu xanh"]


@pytest.mark.parametrize(
    "q",
    ["x", "1e5", "1e5x", "1e", "e", "5e3e", "5e3", "0x", "0x1f", "a", "a 1", "1", "12", "12abc", "abc", "000", "123"],
)
def test_numbers_and_letters_as_written(shelf, q):
    """No word is split or dropped differently from fold_tokens: the same rows as the rule, on both databases."""
    assert _found(q) == _rule(q)
    assert _ranked(q) == (len(_rule(q)), _rule(q))


def test_exact_lists_for_tricky_words(shelf):
    assert _found("x") == ["Bánh đậu xanh", "Trà xanh Thái Nguyên"]  # not "Lô 1e5x"
    assert _found("e") == []
    assert _found("1e5") == ["Lô 1e5x"]
    assert _found("a 1") == ["Gạo A 1"]
    assert _found("1") == ["Gạo A 1", "Lô 1e5x", "Mắm 12abc"]
    assert _found("0") == ["Mã 0x1f", "Nước 000123"]


@pytest.mark.parametrize(
    "q",
    [
        "banh\x00da",
        "banh\x00\x00",
        "'banh':*",
        "banh & !da",
        "banh | duong",
        "banh:*",
        "%banh_",
        "\\banh",
        "(banh)",
        "🍵 banh",
        "b\u0301anh",  # a combining mark after the letter
        "banh " * 200,
    ],
)
def test_odd_input_is_only_words(shelf, q):
    assert _found(q) == _rule(q)
    assert _ranked(q) == (len(_rule(q)), _rule(q))


def test_odd_input_lists(shelf):
    assert len(_found("\x00")) == len(_found("🍵")) == len(NAMES)  # no words: no filter
    assert _found("banh\x00da") == ["Bánh đa nem", "Bánh đậu xanh"]
    assert _found("banh & !nem") == ["Bánh đa nem"]
    assert _found("banh | duong") == []
    assert _found("'xanh':*") == ["Bánh đậu xanh", "Trà xanh Thái Nguyên"]


def test_capped_count(shelf):
    assert RankedSearch(Product.objects.all(), "banh").capped_count(3) == 3
    assert RankedSearch(Product.objects.all(), "banh").capped_count(4) == 4
    assert RankedSearch(Product.objects.all(), "banh").capped_count(5) == 4
    scoped = Product.objects.exclude(name="Bánh chưng")
    capped = RankedSearch(scoped, "banh")
    assert capped.capped_count(2) == 2
    assert capped.count() == 3
    assert [p.name for p in capped[0:10]] == ["Bánh đa nem", "Bánh đậu xanh", "Kẹo bánh dừa"]
    exact = RankedSearch(scoped, "banh")
    assert exact.capped_count(10) == 3
    assert exact.count() == 3


def test_search_text_sorts_byte_by_byte(db):
    """A space sorts before every letter on both databases, whatever PostgreSQL's locale (en_US would ignore it)."""
    from django.db import connection

    producer = make_producer(name="HTX Quê")
    for name in ["Abb", "Ab C", "Ab"]:
        make_product(producer=producer, name=name)
    assert _found("ab") == ["Ab C", "Ab", "Abb"]  # "ab c htx que" < "ab htx que" < "abb htx que"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation "
                "WHERE a.attrelid = 'registry_product'::regclass AND a.attname = 'search_text'"
            )
            assert cursor.fetchone() == ("C",)


@pytest.mark.parametrize(
    ("one_pass", "part_words", "limit"), [(True, False, 2500), (True, True, 2500), (False, True, 2500), (True, True, 2)]
)
def test_one_pass_and_the_certified_words_find_what_the_rule_finds(shelf, monkeypatch, one_pass, part_words, limit):
    """PostgreSQL's one-pass plan (count and first ids from one scan) and its words index over certified products
    (the public catalogue's) give the rule's rows in the rule's order, within the kept first ids and past them, and
    past the matches one pass reads (limit 2: the two-step plan takes over)."""
    from ocop.core import search as core_search

    monkeypatch.setattr(core_search, "ONE_PASS_HEAD", 3)
    monkeypatch.setattr(core_search, "ONE_PASS_LIMIT", limit)
    Product.objects.exclude(name="Mắm 12abc").update(ocop_status="valid")  # one product never certified
    certified = Product.objects.exclude(ocop_status="")
    for q in ["banh", "banh d", "thai nguyen", "xanh", "lo 1e5x", "htx que", "mam", "khong co"]:
        expected = [name for name in _rule(q) if name != "Mắm 12abc"]
        results = RankedSearch(certified, q, one_pass=one_pass, part_words=part_words)
        assert results.capped_count(100) == len(expected), q
        assert [p.name for p in results[0:2] + results[2:30]] == expected, q
        capped = RankedSearch(certified, q, one_pass=one_pass, part_words=part_words)
        assert capped.capped_count(2) == min(2, len(expected)), q
        assert [p.name for p in capped[0:2]] == expected[:2], q
