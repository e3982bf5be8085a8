"""Uploaded photos and documents are what they claim: the type is decided by decoding the content, never by the name.

Images (JPEG, PNG) are opened with Pillow, refused when they declare more pixels than OCOP_UPLOAD_MAX_PIXELS (before
any pixel is decoded: Image.open reads only the header), fully decoded, turned upright by their EXIF orientation and
re-encoded in their own format. What is stored is the re-encoding: anything appended after the image (an HTML page, a
zip) and the EXIF data (the GPS location, the camera) are gone. PDFs are parsed with pypdf and refused when anything
reachable from the trailer runs a script or a program (JavaScript, a Launch action) or carries embedded files; a PDF is
stored as uploaded (a re-write would break a signed document). Served back, a file that is not an image is an
attachment (see `file_response`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.base import File as DjangoFile
from django.http import FileResponse, Http404
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from ocop.core.storage_faults import check_bucket

__all__ = ["DOCUMENT_TYPES", "IMAGE_TYPES", "CheckedUpload", "check_upload", "file_response"]

IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
DOCUMENT_TYPES = {"pdf": "application/pdf", **IMAGE_TYPES}
PILLOW_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png"}  # MPO: a camera's JPEG with a second view
JPEG_QUALITY = 90
# Nodes of a PDF's object graph walked at most (a 500-page text PDF has some tens of thousands).
PDF_MAX_NODES = 500_000
# A PDF viewer reads the header anywhere in the first KB.
PDF_HEADER = re.compile(rb"%PDF-\d")
# The same names, spelled plainly in the bytes: a second look, for objects a viewer might reach and pypdf not.
PDF_ACTIVE_NAMES = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles|XFA|SubmitForm|ImportData|RichMedia)(?=[\s/<>\[\]()%{}]|\Z)"
)
# Actions that run code, start a program, send the form's data or load outside content; XFA forms carry scripts in
# compressed streams the byte scan cannot read, so an XFA form is refused as a whole.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE"}
ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/XFA", "/RichMedia"}
# What a document may do on its own when opened (/OpenAction, /AA): not even open an address.
AUTOMATIC_KEYS = {"/OpenAction", "/AA"}
AUTOMATIC_ACTIONS = {"/URI", "/GoToR"}

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged upload is refused; its parse warnings are noise


@dataclass(frozen=True)
class CheckedUpload:
    """The bytes to store (a photo re-encoded, a PDF as uploaded), their type and hash."""

    content: bytes
    extension: str
    content_type: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def file(self) -> ContentFile:
        return ContentFile(self.content)


def check_upload(upload: IO[bytes], *, allowed: Mapping[str, str], name: str, label: Any) -> CheckedUpload:
    """Check an upload by decoding it. `allowed` maps extensions to content types (IMAGE_TYPES, DOCUMENT_TYPES);
    `name` is the form field the errors go to and `label` the field's name the message starts with. Raises
    ValidationError({name: [...]}) with a Vietnamese message naming the field; the upload is only read."""
    try:
        return _check(upload, allowed)
    except ValidationError as exc:
        field = capfirst(str(label))
        raise ValidationError(
            {name: [ValidationError(f"{field}: {message}", code=error.code) for error, message in _messages(exc)]}
        ) from exc


def _messages(exc: ValidationError) -> list[tuple[ValidationError, str]]:
    return [(error, message) for error in exc.error_list for message in error.messages]


def _check(upload: IO[bytes], allowed: Mapping[str, str]) -> CheckedUpload:
    limit = settings.OCOP_UPLOAD_MAX_BYTES
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    if size > limit:  # before a byte is read
        raise ValidationError(
            _("the file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": number_format(size / 1048576, 1), "limit": number_format(limit / 1048576, 0)},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("the file is empty."), code="empty")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    image_formats = [fmt for fmt, ext in PILLOW_FORMATS.items() if ext in allowed and fmt != "MPO"]
    if image_formats:
        checked = _image(data, image_formats, allowed)
        if checked is not None:
            return checked
    if "pdf" in allowed and PDF_HEADER.match(data):  # at the very start: a file that opens as HTML is not a PDF
        _check_pdf(data)
        return CheckedUpload(content=data, extension="pdf", content_type=allowed["pdf"])
    raise ValidationError(
        _("only %(types)s files are accepted; this file's content is not one of them.")
        % {"types": ", ".join(e.upper() for e in allowed)},
        code="bad_type",
    )


# ---- images -----------------------------------------------------------------------------------------------------


def _too_many_pixels() -> ValidationError:
    limit = settings.OCOP_UPLOAD_MAX_PIXELS
    return ValidationError(
        _("the image is larger than %(limit)s megapixels; make it smaller and upload it again.")
        % {"limit": number_format(limit / 1_000_000, 0)},
        code="too_many_pixels",
    )


def _unreadable_image() -> ValidationError:
    return ValidationError(_("the image cannot be read (the file is damaged or incomplete)."), code="damaged_image")


def _image(data: bytes, formats: list[str], allowed: Mapping[str, str]) -> CheckedUpload | None:
    """The image re-encoded, or None when the content is no image of `formats` at all.

    The size is checked on the header, before a pixel is decoded. Pillow's own bomb check (a warning past 89 MP, an
    error past twice that) sits above our limit; both are refused here too, should the limit be raised or warnings
    be errors. No warnings filter is set: that is process-wide state, and requests run in threads."""
    try:
        image = Image.open(io.BytesIO(data), formats=formats)  # lazy: the header only
    except UnidentifiedImageError:
        return None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except Exception as exc:  # a header Pillow recognised but could not read
        raise _unreadable_image() from exc
    with image:
        extension = PILLOW_FORMATS.get(str(image.format))
        if extension is None or extension not in allowed:
            return None
        width, height = image.size
        if width * height > settings.OCOP_UPLOAD_MAX_PIXELS:
            raise _too_many_pixels()
        try:
            with _whole_files_only():
                image.load()  # every pixel decoded: a truncated or corrupt file fails here
            upright = ImageOps.exif_transpose(image)
            content = _encode(upright, "JPEG" if extension == "jpg" else "PNG", image.info)
        except Image.DecompressionBombWarning as exc:
            raise _too_many_pixels() from exc
        except Exception as exc:
            raise _unreadable_image() from exc
    return CheckedUpload(content=content, extension=extension, content_type=allowed[extension])


_LOADING = threading.Lock()


@contextmanager
def _whole_files_only() -> Iterator[None]:
    """Pillow's LOAD_TRUNCATED_IMAGES is process-wide, and WeasyPrint sets it on import (it draws what it can of a
    cut image): an upload is decoded with it off, so a cut file is refused, not padded with grey."""
    with _LOADING:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _encode(image: Image.Image, fmt: str, info: Mapping[Any, Any]) -> bytes:
    """The pixels alone in `fmt`, with the colour profile (no EXIF, no text chunks, nothing appended)."""
    options: dict[str, Any] = {}
    if info.get("icc_profile"):
        options["icc_profile"] = info["icc_profile"]
    if fmt == "JPEG":
        if image.mode not in ("L", "RGB", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=JPEG_QUALITY, optimize=True)
    elif "transparency" in info and image.mode in ("P", "L", "RGB"):
        options["transparency"] = info["transparency"]
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


# ---- PDFs -------------------------------------------------------------------------------------------------------


def _unreadable_pdf() -> ValidationError:
    return ValidationError(
        _("the PDF file cannot be read (it is damaged or too complex): save it again as PDF and upload it."),
        code="damaged_pdf",
    )


def _active(what: str) -> ValidationError:
    if what == "/EmbeddedFiles":
        return ValidationError(
            _("the PDF file has other files embedded in it: upload a PDF without attachments."), code="pdf_embedded"
        )
    return ValidationError(
        _(
            "the PDF file contains a script or an action that starts a program (%(what)s): print it to a new PDF "
            "and upload that."
        )
        % {"what": what.lstrip("/")},
        code="pdf_active",
    )


def _check_pdf(data: bytes) -> None:
    """Refuse a PDF pypdf cannot parse, one that is encrypted with a password, or one with active content anywhere
    reachable from its trailer (and, as a second look, named in its bytes)."""
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ValidationError(
                _("the PDF file is protected by a password: upload it without the password."), code="pdf_encrypted"
            )
        found = _walk(reader)
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many types on a hostile file, RecursionError on deep nesting among them
        raise _unreadable_pdf() from exc
    if found is None:
        match = PDF_ACTIVE_NAMES.search(data)
        found = ("/" + match.group(1).decode()) if match else None
    if found is not None:
        raise _active(found)
    if pages < 1:
        raise _unreadable_pdf()


def _walk(reader: Any) -> str | None:
    """The first active name met walking every object reachable from the trailer (iteratively: no recursion, each
    indirect object once, at most PDF_MAX_NODES nodes); None when there is none."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    nodes = 0
    while stack:
        node = stack.pop()
        nodes += 1
        if nodes > PDF_MAX_NODES:
            raise _unreadable_pdf()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            stack.append(node.get_object())
        elif isinstance(node, DictionaryObject):
            action = dict.get(node, "/S")
            if isinstance(action, IndirectObject):
                action = action.get_object()
            if str(action) in ACTIVE_ACTIONS:
                return str(action)
            for name, value in dict.items(node):  # dict's own items: the references unresolved
                if name in ACTIVE_KEYS or name == "/EmbeddedFiles":
                    return str(name)
                if name in AUTOMATIC_KEYS and (automatic := _automatic_action(value)) is not None:
                    return automatic
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(list.__iter__(node))
    return None


def _automatic_action(value: Any) -> str | None:
    """The outside address an /OpenAction or /AA entry opens by itself (a /URI or /GoToR action, directly or among
    the additional actions' triggers), if any."""
    from pypdf.generic import DictionaryObject, IndirectObject

    if isinstance(value, IndirectObject):
        value = value.get_object()
    if not isinstance(value, DictionaryObject):
        return None
    actions = (
        [value] if "/S" in value else [a.get_object() if isinstance(a, IndirectObject) else a for a in value.values()]
    )
    for action in actions:
        kind = action.get("/S") if isinstance(action, DictionaryObject) else None
        if str(kind) in AUTOMATIC_ACTIONS:
            return str(kind)
    return None


# ---- serving ----------------------------------------------------------------------------------------------------

INLINE_TYPES = frozenset(IMAGE_TYPES.values())
EXTENSION_OF = {content_type: extension for extension, content_type in DOCUMENT_TYPES.items()}


def file_response(file: DjangoFile, *, content_type: str, filename: str = "") -> FileResponse:
    """An uploaded file served back: with its stored content type, never sniffed by the browser, as an attachment
    (downloaded, not opened in the page) unless it is a JPEG or PNG image, and named with the extension of what it
    was decoded as (an upload named report.html that is a PDF downloads as report.pdf)."""
    inline = content_type in INLINE_TYPES
    if filename:
        extension = EXTENSION_OF.get(content_type)
        stem = filename.rsplit(".", 1)[0] if "." in filename else filename
        filename = f"{stem}.{extension}" if extension else filename
    try:
        opened = file.open("rb")  # from the "default" storage: a local file, or a bucket's object (spooled)
    except FileNotFoundError:  # its row is there, its file is not (lost with a disk, removed by hand): not found
        check_bucket(getattr(file, "storage", None))  # unless the bucket itself is gone or refuses us: a 503
        raise Http404 from None
    response = FileResponse(opened, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
