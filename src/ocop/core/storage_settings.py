"""The "default" and "pages" entries of STORAGES (settings.py; the tests' S3 fixture builds the same), without Django:
importable while the settings are read."""

from __future__ import annotations

from typing import Any

S3 = "storages.backends.s3.S3Storage"
PAGES = "pages"  # in a bucket, the QR page copies are kept under this prefix (public: nginx reads them)


CONNECT_SECONDS = 5  # at most, to open a connection to the bucket


def client_config(s3: dict[str, Any], *, timeout_seconds: int, attempts: int) -> Any:
    """botocore's Config for the bucket: short timeouts (botocore's own wait 60 s a read, some 5 times over) and
    `attempts` tries in all; it replaces django-storages' own, so the addressing and signature are set here too."""
    from botocore.config import Config  # only with a bucket: the local folder needs no S3 library

    return Config(
        s3={"addressing_style": s3.get("addressing_style")},
        signature_version="s3v4",
        connect_timeout=min(CONNECT_SECONDS, timeout_seconds),
        read_timeout=timeout_seconds,
        retries={"max_attempts": attempts, "mode": "standard"},
    )


def file_storages(
    s3: dict[str, Any] | None, *, memory_bytes: int, timeout_seconds: int = 30, attempts: int = 3
) -> dict[str, dict[str, Any]]:
    """Local folders (MEDIA_ROOT; OCOP_PAGE_CACHE_DIR for the pages) when `s3` is None, else the bucket that
    `s3` describes (django-storages' S3Storage options, from ocop.core.env.storage_url): the files private in it, the
    QR page copies under its pages/ prefix, public to nginx through the bucket's policy (docs/deployment.md)."""
    if s3 is None:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "pages": {"BACKEND": "ocop.core.storage.PageStorage"},
        }
    # No ACL on any object: the bucket's own policy decides, private but for pages/. A file read is spooled in memory
    # up to `memory_bytes`, then on the local disk (a temporary file, gone when closed).
    # Requests signed with Signature Version 4, which every S3 service accepts (Amazon's newer regions nothing else).
    # A request waits at most `timeout_seconds` for an answer, tried `attempts` times (OCOP_STORAGE_TIMEOUT_SECONDS).
    config = client_config(s3, timeout_seconds=timeout_seconds, attempts=attempts)
    common = {**s3, "default_acl": None, "max_memory_size": memory_bytes, "signature_version": "s3v4"}
    common["client_config"] = config
    prefix = str(s3.get("location", ""))
    return {
        # Names are never overwritten (a new name, as on the local disk); a link, if ever made, is signed and expires.
        "default": {"BACKEND": S3, "OPTIONS": {**common, "file_overwrite": False, "querystring_auth": True}},
        "pages": {
            "BACKEND": S3,
            "OPTIONS": {
                **common,
                "location": f"{prefix}/{PAGES}" if prefix else PAGES,
                "file_overwrite": True,  # a copy is replaced in place: a put is atomic per object
                "querystring_auth": False,  # public: nginx reads pages/* (docs/deployment.md)
            },
        },
    }
