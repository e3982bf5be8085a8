"""The files' storage out of reach (OCOP_STORAGE_URL's bucket hung, gone, or refusing our keys), told apart from a file
that is gone: botocore is imported only when an S3 storage is in use, so the local folder needs none of it."""

from __future__ import annotations

from typing import Any

# A ClientError that says the bucket, not the object, is the trouble: missing, or our keys refused.
FAULT_CODES = frozenset({"NoSuchBucket", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403"})


def storage_fault(exc: BaseException | None) -> bool:
    """Whether `exc` (or an exception it was raised from, as boto3's S3UploadFailedError is) says the storage cannot
    be reached or used: no connection, a timeout, a missing bucket, refused keys."""
    try:
        from botocore.exceptions import ClientError, HTTPClientError
        from botocore.exceptions import ConnectionError as BotoConnectionError
    except ImportError:  # no S3 support installed: the local folder, whose errors are no outage of ours
        return False
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, BotoConnectionError | HTTPClientError):  # refused, unresolved, timed out, cut
            return True
        if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in FAULT_CODES:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def check_bucket(storage: Any) -> None:
    """Raise the storage's own error when `storage` is an S3 bucket that cannot be reached or used (HEAD of the
    bucket); nothing for a local folder or a bucket that answers. An object's HEAD answers a bare 404 for a missing
    bucket as for a missing object: this tells the two apart."""
    bucket = getattr(storage, "bucket_name", None)
    if not bucket:
        return
    from botocore.exceptions import ClientError

    try:
        storage.connection.meta.client.head_bucket(Bucket=bucket)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchBucket"}:
            raise ClientError(
                {**exc.response, "Error": {**exc.response.get("Error", {}), "Code": "NoSuchBucket"}}, "HeadBucket"
            ) from exc
        raise


def bucket_check(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """`ocop check --deploy`: a warning when OCOP_STORAGE_URL names a bucket this server cannot reach or use (a
    deploy check only: no other command waits on the bucket)."""
    from django.conf import settings
    from django.core import checks
    from django.core.files.storage import storages

    if getattr(settings, "OCOP_STORAGE", None) is None:
        return []
    storage = storages["default"]
    try:
        check_bucket(storage)
    except Exception as exc:
        if not storage_fault(exc):
            raise
        return [
            checks.Warning(
                f"The bucket {getattr(storage, 'bucket_name', '')!r} of OCOP_STORAGE_URL cannot be reached or used: "
                f"{exc}",
                hint="Check the bucket exists, the endpoint answers and the access key may read and write it "
                "(docs/deployment.md, Files and object storage).",
                id="ocop.W101",
            )
        ]
    return []
