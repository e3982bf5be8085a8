"""The URL converter for record ids: `<id:pk>` in every URL conf, in place of Django's `<int:pk>`.

`<int:...>` matches any run of digits, so a 20-digit id reached the database and PostgreSQL answered "bigint out
of range" (a 500). `<id:...>` matches 1 to 18 ASCII digits (all fit a database integer, as
ocop.core.cells.whole_digits reads them); anything longer is no URL of ours: a 404 before any view runs.
Registered once, by CoreConfig.ready().
"""

from __future__ import annotations

from django.urls import register_converter

MAX_DIGITS = 18
MAX_ID = 10**MAX_DIGITS - 1


class RecordIdConverter:
    regex = f"[0-9]{{1,{MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


def register() -> None:
    register_converter(RecordIdConverter, "id")
