"""Issue 15: every operation of the OpenAPI document has at least one row in a role × action matrix (the `CASES` of
the `test_api_matrix*.py` modules here), so a new endpoint cannot ship without its access rule being tried."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

from django.urls import resolve

from ocop.api.urls import api

HERE = Path(__file__).parent


class Anything:
    """Stands for the scene in a case's URL: any attribute is another one, and it prints as 1."""

    def __getattr__(self, name: str) -> Any:
        return Anything()

    def __str__(self) -> str:
        return "1"


def operations() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, methods in paths.items() for method in methods}


def covered() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(HERE.glob("test_api_matrix*.py")):
        if path.stem == Path(__file__).stem:
            continue
        for case in importlib.import_module(f"ocop.api.tests.{path.stem}").CASES:
            url = case[1](Anything()).split("?")[0]
            route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", resolve(url).route)
            found.add((case[0].upper(), "/" + route))
    return found


def test_every_api_operation_has_a_row_in_a_role_matrix():
    ops = operations()
    assert ("GET", "/api/v1/certificates/{code}") in ops and len(ops) >= 24
    assert sorted(ops - covered()) == []
