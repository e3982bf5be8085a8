"""Issue 15, item 3: the domain apps store what a link points to (kind and id); only the interface apps (back office,
public pages, API) know URL names. import-linter cannot see a URL name, so this test reads the code."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

import ocop

DOMAIN = ["core", "places", "accounts", "registry", "evaluation", "certificates", "outlets", "promotion",
          "supervision", "planning", "reporting", "webhooks"]  # fmt: skip
ROOT = Path(ocop.__file__).parent
CALLS = re.compile(r"\b(reverse|reverse_lazy|resolve_url|redirect)\(|\{%\s*url\s")
LITERAL = re.compile(r"""["']([\w-]+(?::[\w-]+)?)["']""")


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def domain_files() -> list[Path]:
    files = []
    for app in DOMAIN:
        for path in sorted((ROOT / app).rglob("*")):
            parts = path.relative_to(ROOT).parts
            if path.suffix in {".py", ".html", ".txt"} and "tests" not in parts and "migrations" not in parts:
                files.append(path)
    return files


def test_the_domain_apps_name_no_url():
    names = url_names()
    assert {"backoffice:certificate_detail", "outlet_page", "api:outlets"} <= names  # the scan knows the names
    found = []
    for path in domain_files():
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            if CALLS.search(line):
                found.append(f"{where}: {line.strip()}")
            found += [f"{where}: “{m}”" for m in LITERAL.findall(line) if ":" in m and m in names]
    assert found == []


def test_the_scan_would_see_a_url_name(tmp_path):
    """The patterns catch what they are for (a check of the test itself, on text written here)."""
    line = 'url=reverse("backoffice:certificate_detail", args=[cert.pk])'
    assert CALLS.search(line) and "backoffice:certificate_detail" in LITERAL.findall(line)
    assert CALLS.search('<a href="{% url "outlet_page" c.code %}">')
    assert not CALLS.search("sorted(days, reverse=True)")
