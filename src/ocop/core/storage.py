"""Static files as deployed: hashed names and compressed copies (whitenoise)."""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Like whitenoise's, but JavaScript is not scanned for source-map comments: the packaged Leaflet plugins name
    maps that their wheels do not ship, which would stop `collectstatic`. CSS references are still rewritten."""

    patterns = tuple(p for p in ManifestStaticFilesStorage.patterns if p[0] != "*.js")
