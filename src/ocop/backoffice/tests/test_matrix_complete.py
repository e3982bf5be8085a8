"""Issue 15: every back-office URL name has at least one row in a role × action matrix (the `CASES` of the
`test_*matrix*.py` modules here), so a new page cannot ship without its access rule being tried for every role."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

HERE = Path(__file__).parent


def backoffice_names() -> set[str]:
    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver) and p.namespace == "backoffice":
            return {q.name for q in p.url_patterns if isinstance(q, URLPattern) and q.name}
    raise AssertionError("no back-office namespace")


def matrix_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for path in sorted(HERE.glob("test_*matrix*.py")):
        if path.stem == Path(__file__).stem:
            continue
        module = importlib.import_module(f"ocop.backoffice.tests.{path.stem}")
        for case in module.CASES:
            rows.setdefault(case[0], []).append(path.stem)
    return rows


def posted_rows() -> set[str]:
    """The URL names with a POST row in a matrix (the method is the first "get" or "post" of a case)."""
    names = set()
    for path in sorted(HERE.glob("test_*matrix*.py")):
        if path.stem == Path(__file__).stem:
            continue
        for case in importlib.import_module(f"ocop.backoffice.tests.{path.stem}").CASES:
            if next((x for x in case[1:] if x in ("get", "post")), None) == "post":
                names.add(case[0])
    return names


def form_pages() -> set[str]:
    """The back-office pages that show a form on GET and save it on POST: their view reads the posted data."""
    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver) and p.namespace == "backoffice":
            return {
                q.name
                for q in p.url_patterns
                if isinstance(q, URLPattern) and q.name and _reads_post(inspect.getsource(inspect.unwrap(q.callback)))
            }
    raise AssertionError("no back-office namespace")


def _reads_post(source: str) -> bool:
    return "request.POST" in source or 'request.method == "POST"' in source


def test_every_back_office_url_name_has_a_row_in_a_role_matrix():
    names = backoffice_names()
    rows = matrix_rows()
    assert len(names) > 100  # the scan found the back office
    assert sorted(names - set(rows)) == []
    assert sorted(set(rows) - names) == []  # and no row names a page that is gone


def test_every_page_that_saves_a_form_has_a_post_row():
    """A page that answers GET with a form and POST by saving it is tried with a POST for every role: the rule that
    guards the write, not only the one that shows the form."""
    pages = form_pages()
    assert {"product_create", "producer_edit", "notification_list"} <= pages  # the scan finds them
    assert sorted(pages - posted_rows()) == []
