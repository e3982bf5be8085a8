"""A minimal one-page PDF with a few lines of text (demo and test files; real PDFs come from WeasyPrint)."""

from __future__ import annotations

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
    out = bytearray(b"%PDF-1.4\n")
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


def render_document(html: str) -> Any:
    """An HTML page laid out by WeasyPrint in Be Vietnam Pro (shipped as a Python package, so no font is fetched).
    Returns the laid-out document: `.write_pdf()` for all of it, `.copy([page]).write_pdf()` for one page."""
    from fontpkg_be_vietnam_pro import ROOT
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    faces = "".join(
        f"@font-face {{ font-family: 'Be Vietnam Pro'; font-weight: {weight}; "
        f"src: url('{(ROOT / 'files' / f'BeVietnamPro-{name}.ttf').as_uri()}'); }}"
        for weight, name in ((400, "Regular"), (700, "Bold"))
    )
    css = CSS(string=faces + "body { font-family: 'Be Vietnam Pro', sans-serif; }", font_config=fonts)
    return HTML(string=html).render(stylesheets=[css], font_config=fonts)


def render_pdf(html: str) -> bytes:
    """An HTML page as one PDF."""
    return render_document(html).write_pdf()  # type: ignore[no-any-return]


def pages_as_pdfs(html: str) -> list[bytes]:
    """Lay out an HTML document and write each page as its own PDF (runs in a worker process: no Django here)."""
    document = render_document(html)
    return [document.copy([page]).write_pdf() for page in document.pages]
