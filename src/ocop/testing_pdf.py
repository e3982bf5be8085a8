"""Reading a PDF back in tests: its text and its fonts (no Django, no domain app: core's tests use it too)."""

from __future__ import annotations

import io
from typing import Any


def pdf_text(data: bytes) -> str:
    """A PDF's text as read back by pypdf: every page's lines, spaces collapsed, one line per line."""
    from pypdf import PdfReader

    lines = []
    for page in PdfReader(io.BytesIO(data)).pages:
        lines += [" ".join(line.split()) for line in page.extract_text().splitlines()]
    return "\n".join(line for line in lines if line)


def pdf_fonts(data: bytes) -> set[str]:
    """The BaseFont of every font a PDF's pages use (their /Resources /Font, nested form XObjects included), with
    the subset prefix ("ABCDEF+") stripped: the administrative documents use {"Tinos"} or Times New Roman only."""
    from pypdf import PdfReader

    found: set[str] = set()
    seen: set[int] = set()

    def walk(resources: Any) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources or id(resources) in seen:
            return
        seen.add(id(resources))
        for font in (resources.get("/Font") or {}).values():
            name = str(font.get_object().get("/BaseFont", "")).lstrip("/")
            found.add(name.split("+", 1)[1] if "+" in name[:7] else name)
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object().get("/Resources"))

    for page in PdfReader(io.BytesIO(data)).pages:
        walk(page.get("/Resources"))
    return found


def non_admin_fonts(data: bytes) -> set[str]:
    """The fonts of a PDF that are not the administrative serif face (Times New Roman, or Tinos in its subset
    families "Tinos", "Tinos-Vietnamese"...): an administrative document has none. Empty PDFs are refused."""
    fonts = pdf_fonts(data)
    assert fonts, "the PDF has no fonts"
    return {name for name in fonts if not name.replace("-", "").startswith(("TimesNewRoman", "Tinos"))}
