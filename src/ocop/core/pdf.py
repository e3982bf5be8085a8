"""PDFs: administrative documents laid out by WeasyPrint in the Decree 30 serif face, and a minimal one-page PDF
with a few lines of text (demo and test files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ocop.core.text import fold


def tiny_pdf(lines: list[str]) -> bytes:
    text = "".join(
        f"BT /F1 12 Tf 50 {780 - 18 * i} Td ({fold(line).replace('(', '').replace(')', '')}) Tj ET\n"
        for i, line in enumerate(lines)
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return assemble(objects)


def assemble(objects: list[bytes], version: bytes = b"1.4") -> bytes:
    """A PDF file of these objects (numbered from 1, the catalog first), with its cross-reference table."""
    out = bytearray(b"%PDF-" + version + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# Decree 30/2020/NĐ-CP asks for Times New Roman. A server that has it uses it; one without lays the page out the
# same with Tinos (metric-compatible with Times New Roman, complete for Vietnamese), installed from the npm registry
# as @fontsource/tinos by `make setup` (npm ci) and declared below from its files, never fetched at run time.
# @fontsource ships Tinos cut into subsets by unicode-range. WeasyPrint (70) tells embedded fonts apart by their
# family, weight and style only, so subsets declared under one family would be embedded as one file and print the
# wrong glyphs (ế came out as h): each subset gets its own family ("Tinos", "Tinos Vietnamese", "Tinos Latin Ext"),
# all listed after Times New Roman.
TINOS_FAMILIES = {"latin": "Tinos", "vietnamese": "Tinos Vietnamese", "latin-ext": "Tinos Latin Ext"}
ADMIN_FONT_FAMILY = '"Times New Roman", ' + ", ".join(f'"{family}"' for family in TINOS_FAMILIES.values()) + ", serif"

# The project directory, as settings.PROJECT_DIR (src/ocop/core/pdf.py -> project): computed here because
# pages_as_pdfs runs in worker processes without Django.
TINOS_DIR = Path(__file__).resolve().parents[3] / "node_modules" / "@fontsource" / "tinos"
_TINOS_FACES = ((400, "normal"), (700, "normal"), (400, "italic"), (700, "italic"))


class FontsMissing(RuntimeError):
    """The fallback face is not installed: `make setup` (npm ci) has not been run."""


def _tinos_faces() -> str:
    if not (TINOS_DIR / "unicode.json").is_file():
        raise FontsMissing(
            f"The Tinos font (npm package @fontsource/tinos) is not installed in {TINOS_DIR.parent}; "
            "run `make setup` (npm ci) to install it. Administrative documents need it when Times New Roman "
            "is not on the server."
        )
    ranges = json.loads((TINOS_DIR / "unicode.json").read_text(encoding="utf-8"))
    rules = []
    for subset, family in TINOS_FAMILIES.items():
        for weight, style in _TINOS_FACES:
            path = TINOS_DIR / "files" / f"tinos-{subset}-{weight}-{style}.woff"
            if not path.is_file():
                raise FontsMissing(f"{path} is missing; run `make setup` (npm ci) to reinstall @fontsource/tinos.")
            rules.append(
                f"@font-face {{ font-family: '{family}'; font-weight: {weight}; font-style: {style}; "
                f"src: url('{path.as_uri()}') format('woff'); unicode-range: {ranges[subset]}; }}"
            )
    return "".join(rules)


def render_document(html: str) -> Any:
    """An HTML page laid out by WeasyPrint in the administrative serif face (Times New Roman, else Tinos).
    Returns the laid-out document: `.write_pdf()` for all of it, `.copy([page]).write_pdf()` for one page.
    Raises FontsMissing when Tinos is not installed (no silent fall back to another face)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    # On the root, not the body: the page-number margin boxes inherit from the page, which inherits from the root
    # (set on the body, the page numbers came out in the system's default face).
    css = CSS(string=_tinos_faces() + f"html {{ font-family: {ADMIN_FONT_FAMILY}; }}", font_config=fonts)
    return HTML(string=html).render(stylesheets=[css], font_config=fonts)


def render_pdf(html: str) -> bytes:
    """An HTML page as one PDF."""
    return render_document(html).write_pdf()  # type: ignore[no-any-return]


def pages_as_pdfs(html: str) -> list[bytes]:
    """Lay out an HTML document and write each page as its own PDF (runs in a worker process: no Django here)."""
    document = render_document(html)
    return [document.copy([page]).write_pdf() for page in document.pages]
