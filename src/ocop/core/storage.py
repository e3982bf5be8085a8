"""Storages of our own: static files as deployed (hashed names and compressed copies, whitenoise), and the QR page
copies on a local disk; and what every storage lacks: a file replaced whole, and opened with its version's stamp.
The files themselves go through Django's STORAGES (settings.py): "default" and "pages", a local folder or a bucket."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.functional import cached_property
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Like whitenoise's, but JavaScript is not scanned for source-map comments: the packaged Leaflet plugins name
    maps that their wheels do not ship, which would stop `collectstatic`. CSS references are still rewritten."""

    patterns = tuple(p for p in ManifestStaticFilesStorage.patterns if p[0] != "*.js")


class PageStorage(FileSystemStorage):
    """The "pages" storage on a local disk: the folder OCOP_PAGE_CACHE_DIR, which nginx reads (followed when the
    setting changes, as FileSystemStorage follows MEDIA_ROOT). A name is saved over in place, atomically: the new
    copy is written beside it and renamed over it, so a reader sees the old page or the new one, never half of one."""

    def __init__(self, location: str | None = None, **kwargs: Any) -> None:
        super().__init__(location=location, allow_overwrite=True, **kwargs)
        self._pages_location = location

    @cached_property
    def base_location(self) -> str:
        return str(self._pages_location if self._pages_location is not None else settings.OCOP_PAGE_CACHE_DIR)

    def _clear_cached_properties(self, setting: Any, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "OCOP_PAGE_CACHE_DIR":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def _save(self, name: str, content: Any) -> str:
        fd, tmp = spool(self, name)
        with os.fdopen(fd, "wb") as fh:
            for chunk in content.chunks():
                fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
        replace(self, name, tmp)
        return str(name).replace("\\", "/")


# ---- a file replaced whole, whatever the storage ----------------------------------------------------------------


def spool(storage: Storage, name: str) -> tuple[int, str]:
    """A new temporary file (descriptor, path) to write the next content of `name` into, then given to `replace`:
    beside `name` on a local disk (renamed over it), else in the system's temporary folder (then uploaded)."""
    if isinstance(storage, FileSystemStorage):
        folder, base = os.path.split(storage.path(name))
        os.makedirs(folder, exist_ok=True)
        return tempfile.mkstemp(dir=folder, prefix=f".{base}-")
    return tempfile.mkstemp(prefix="ocop-spool-")


def replace(storage: Storage, name: str, spooled: str, *, mode: int = 0o644) -> None:
    """The temporary file `spooled` (from `spool`, closed) put in place as `name`, replacing the last content at
    once: a reader gets the old file or the new one, never half of one (a rename on a local disk; one object's put in
    a bucket, which S3 makes visible whole). `spooled` is gone afterwards, whatever happens."""
    try:
        if isinstance(storage, FileSystemStorage):
            os.chmod(spooled, mode)
            os.replace(spooled, storage.path(name))
            return
        with open(spooled, "rb") as fh:
            upload(storage, name, fh)
    finally:
        discard(spooled)


def stored_names(storage: Storage) -> Iterator[str]:
    """Every file's name in a storage, sorted: a local folder walked, a bucket listed (a thousand names a request)."""
    if isinstance(storage, FileSystemStorage):
        root = storage.path("")
        if not os.path.isdir(root):
            return
        found = []
        for folder, _dirs, files in os.walk(root):
            found += [os.path.relpath(os.path.join(folder, f), root).replace(os.sep, "/") for f in files]
        yield from sorted(found)
        return
    location = str(getattr(storage, "location", "")).strip("/")
    prefix = f"{location}/" if location else ""
    objects = storage.bucket.objects.filter(Prefix=prefix)  # type: ignore[attr-defined]  # django-storages' S3
    yield from sorted(obj.key[len(prefix) :] for obj in objects if not obj.key.endswith("/"))  # no folder markers


def upload(storage: Storage, name: str, content: IO[bytes]) -> None:
    """`content` put into a bucket as exactly `name` (one object, whole), replacing any: Storage._save, where save()
    would choose a free name beside it."""
    storage._save(name, File(content))  # type: ignore[attr-defined]  # every storage has it (Django's API to implement)


def discard(spooled: str) -> None:
    """A file from `spool` given up (the writing failed): removed, if still there."""
    if os.path.exists(spooled):
        os.unlink(spooled)


@dataclass(frozen=True)
class Stamp:
    """What identifies one version of a stored file: its size, when it was written and a tag that changes with it."""

    size: int
    modified: float  # seconds since the epoch
    tag: str


def open_stamped(storage: Storage, name: str) -> tuple[File, Stamp]:
    """`name` opened for reading, with the stamp of the version opened (on a local disk, of the very file opened
    even if it is replaced meanwhile; in a bucket, of the object as asked, its ETag). FileNotFoundError if none."""
    fh = storage.open(name, "rb")
    if isinstance(storage, FileSystemStorage):
        st = os.fstat(fh.fileno())
        return fh, Stamp(st.st_size, st.st_mtime, f"{st.st_ino:x}-{st.st_mtime_ns:x}-{st.st_size:x}")
    obj = fh.obj  # type: ignore[attr-defined]  # django-storages' S3File: the object, loaded on opening
    etag = str(obj.e_tag).strip('"')
    return fh, Stamp(int(obj.content_length), obj.last_modified.timestamp(), f"{etag}-{obj.content_length:x}")
