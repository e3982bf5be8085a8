"""Storages of our own: static files as deployed (hashed names and compressed copies, whitenoise), and the QR page
copies on a local disk. The files themselves go through Django's STORAGES (settings.py): "default" and "pages"."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files.storage import FileSystemStorage
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
        full_path = self.path(name)
        folder = os.path.dirname(full_path)
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in content.chunks():
                    fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            os.chmod(tmp, self.file_permissions_mode or 0o644)  # nginx reads the copies
            os.replace(tmp, full_path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return str(name).replace("\\", "/")
