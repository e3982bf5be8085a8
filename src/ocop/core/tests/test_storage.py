"""Files through STORAGES: OCOP_STORAGE_URL read into django-storages' S3 options (a malformed value stops start-up
naming the variable, never showing the secret), the two file storages it makes, and the local page storage."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from ocop.core.env import BadEnvironment, envstorage, storage_url
from ocop.core.storage_settings import file_storages

OCOP = str(Path(sys.executable).with_name("ocop"))
EXPECTED = (
    "s3://ACCESS:SECRET@host:port/bucket?region=...&secure=false (an S3-compatible service) or s3://bucket "
    "(Amazon S3, keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
)


def test_a_minio_url_gives_the_endpoint_the_keys_and_the_bucket():
    url = "s3://ocop-app:p%2Fa%2Bss%40word@minio.tinh.gov.vn:9000/ocop-files?region=vn-hn-1&secure=false"
    assert storage_url("OCOP_STORAGE_URL", url) == {
        "bucket_name": "ocop-files",
        "location": "",
        "use_ssl": False,
        "endpoint_url": "http://minio.tinh.gov.vn:9000",
        "addressing_style": "path",
        "region_name": "vn-hn-1",
        "access_key": "ocop-app",
        "secret_key": "p/a+ss@word",
    }
    assert storage_url("X", "s3://k:p@ss:w@minio/ocop")["secret_key"] == "p@ss:w"  # type: ignore[index]  # @ : as is
    assert storage_url("X", "s3://minio:9000/ocop/a?ca=/etc/ocop/ca@2.pem")["verify"] == "/etc/ocop/ca@2.pem"  # type: ignore[index]


def test_amazon_a_prefix_a_ca_bundle_and_the_keys_from_elsewhere(monkeypatch):
    assert storage_url("OCOP_STORAGE_URL", " s3://ocop-hanoi ") == {
        "bucket_name": "ocop-hanoi",
        "location": "",
        "use_ssl": True,
    }  # django-storages and boto3 then read AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the credentials file
    url = "s3://s3.tinh.gov.vn/shared-bucket/ocop/ha-noi?addressing=virtual&ca=/etc/ocop/ca.pem"
    assert storage_url("OCOP_STORAGE_URL", url) == {
        "bucket_name": "shared-bucket",
        "location": "ocop/ha-noi",
        "use_ssl": True,
        "endpoint_url": "https://s3.tinh.gov.vn",
        "addressing_style": "virtual",
        "verify": "/etc/ocop/ca.pem",
    }
    assert storage_url("X", "s3://10.0.0.5:9000/ocop?ca=false")["verify"] is False  # type: ignore[index]
    monkeypatch.delenv("OCOP_STORAGE_URL", raising=False)
    assert envstorage("OCOP_STORAGE_URL") is None  # unset: the local folders
    monkeypatch.setenv("OCOP_STORAGE_URL", "")
    assert envstorage("OCOP_STORAGE_URL") is None


@pytest.mark.parametrize(
    ("value", "shown", "why"),
    [
        ("https://minio:9000/ocop", "https://minio:9000/ocop", "the scheme must be s3://"),
        ("s3://minio:9000", "s3://minio:9000", "a port needs a host and a bucket: s3://host:port/bucket"),
        ("s3://minio:port/ocop", "s3://minio:port/ocop", "the URL cannot be read (Port could not be cast to integer "
         "value as 'port')"),
        ("s3://minio/Ocop_Files", "s3://minio/Ocop_Files", "'Ocop_Files' is no bucket name (3 to 63 lower-case "
         "letters, digits, dots and hyphens)"),
        ("s3://", "s3://", "'' is no bucket name (3 to 63 lower-case letters, digits, dots and hyphens)"),
        ("s3://minio/ocop/../x", "s3://minio/ocop/../x", "no . or .. in the prefix after the bucket, and no #"),
        ("s3://key@minio/ocop", "s3://key@minio/ocop",
         "give both the access key and the secret (ACCESS:SECRET@), or neither"),
        ("s3://key:s3cr3t@minio/ocop?secure=maybe", "s3://key:***@minio/ocop?secure=maybe",
         "secure=true or secure=false"),
        ("s3://key:s3cr3t@minio/ocop?acl=public-read", "s3://key:***@minio/ocop?acl=public-read",
         "unknown parameter 'acl' (known: region, secure, addressing, ca)"),
        ("s3://minio/ocop?addressing=dns", "s3://minio/ocop?addressing=dns", "addressing=path or addressing=virtual"),
        # a secret as generated, with / (or ? #) not percent-encoded: it was shown whole, or its start in urllib's
        # message ("Port could not be cast to integer value as 's3cr3t'") or in the bucket's name
        ("s3://key:s3cr3t/Xy+z@minio:9000/ocop", "s3://key:***@minio:9000/ocop",
         "write / ? # in the secret percent-encoded (%2F %3F %23)"),
        ("s3://key:1/s3cr3t@minio/ocop?secure=false", "s3://key:***@minio/ocop?secure=false",
         "write / ? # in the secret percent-encoded (%2F %3F %23)"),
        ("s3://key:s3cr3t?x@minio/ocop", "s3://key:***@minio/ocop",
         "write / ? # in the secret percent-encoded (%2F %3F %23)"),
        ("s3://key:s3cr3t#x@minio/ocop", "s3://key:***@minio/ocop",
         "write / ? # in the secret percent-encoded (%2F %3F %23)"),
        ("s3://key:s3cr3t@/ocop", "s3://key:***@/ocop", "a host (or, at Amazon S3, the bucket) after the @"),
    ],
)  # fmt: skip
def test_a_malformed_url_names_the_variable_and_hides_the_secret(monkeypatch, value, shown, why):
    monkeypatch.setenv("OCOP_STORAGE_URL", value)
    with pytest.raises(BadEnvironment) as raised:
        envstorage("OCOP_STORAGE_URL")
    assert str(raised.value) == f"Bad environment variable OCOP_STORAGE_URL={shown!r}: expected {EXPECTED}; {why}."
    assert (raised.value.name, raised.value.value) == ("OCOP_STORAGE_URL", shown)
    assert "s3cr3t" not in str(raised.value)


def test_start_up_stops_on_a_malformed_url(tmp_path):
    env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "DEBUG": "true", "OCOP_DATA_DIR": str(tmp_path)}
    result = subprocess.run(  # noqa: S603  # our own command
        [OCOP, "check"], env={**env, "OCOP_STORAGE_URL": "s3://k:secret@minio:9000"},
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Bad environment variable OCOP_STORAGE_URL='s3://k:***@minio:9000': expected {EXPECTED}; a port needs a "
        "host and a bucket: s3://host:port/bucket.\n"
    )


def test_the_storages_an_url_makes_are_private_but_for_the_pages():
    options = storage_url("OCOP_STORAGE_URL", "s3://k:s@minio:9000/ocop/tinh?secure=false")
    made = file_storages(options, memory_bytes=5_242_880)
    configs = [made[alias]["OPTIONS"].pop("client_config") for alias in ("default", "pages")]
    assert configs[0] is configs[1] and configs[0].read_timeout == 30  # backoffice test_storage_faults checks it
    common = {
        "bucket_name": "ocop", "use_ssl": False, "endpoint_url": "http://minio:9000", "addressing_style": "path",
        "access_key": "k", "secret_key": "s", "default_acl": None, "max_memory_size": 5_242_880,
        "signature_version": "s3v4",
    }  # fmt: skip
    assert made == {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "tinh", "file_overwrite": False, "querystring_auth": True},
        },
        "pages": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "tinh/pages", "file_overwrite": True, "querystring_auth": False},
        },
    }
    assert file_storages(None, memory_bytes=1) == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "pages": {"BACKEND": "ocop.core.storage.PageStorage"},
    }


def test_local_pages_follow_the_setting_and_are_replaced_whole(settings, tmp_path):
    pages = storages["pages"]
    assert pages.path("") == str(tmp_path / "pages")  # the tests' OCOP_PAGE_CACHE_DIR
    assert pages.save("v/2026-12-05/ABC.html", ContentFile(b"<p>old</p>")) == "v/2026-12-05/ABC.html"
    assert pages.save("v/2026-12-05/ABC.html", ContentFile(b"<p>new</p>")) == "v/2026-12-05/ABC.html"  # same name
    assert (tmp_path / "pages" / "v" / "2026-12-05" / "ABC.html").read_bytes() == b"<p>new</p>"
    assert os.listdir(tmp_path / "pages" / "v" / "2026-12-05") == ["ABC.html"]  # no temporary file left
    assert (tmp_path / "pages" / "v" / "2026-12-05" / "ABC.html").stat().st_mode & 0o777 == 0o644  # nginx reads it
    settings.OCOP_PAGE_CACHE_DIR = str(tmp_path / "elsewhere")
    assert storages["pages"].path("x.html") == str(tmp_path / "elsewhere" / "x.html")


def test_in_a_bucket_files_are_private_and_pages_under_pages(s3_storage, tmp_path):
    default, pages = storages["default"], storages["pages"]
    first = default.save("documents/a.pdf", ContentFile(b"%PDF-1"))
    second = default.save("documents/a.pdf", ContentFile(b"%PDF-2"))  # never overwritten: a new name
    assert first == "documents/a.pdf" and second != first and second.startswith("documents/a_")
    pages.save("v/2026-12-05/ABC.html", ContentFile(b"<p>old</p>"))
    pages.save("v/2026-12-05/ABC.html", ContentFile(b"<p>new</p>"))
    assert s3_storage.names() == sorted([first, second, "pages/v/2026-12-05/ABC.html"])
    assert s3_storage.read("pages/v/2026-12-05/ABC.html") == b"<p>new</p>"
    with default.open(second, "rb") as fh:
        assert fh.read() == b"%PDF-2"
    grants = s3_storage.client.get_object_acl(Bucket=s3_storage.name, Key=first)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner's only: no public-read
    assert "X-Amz-Signature=" in default.url(first)  # a link, if one were ever made, is signed
    assert not (tmp_path / "files").exists() and not (tmp_path / "pages").exists()  # nothing on the local disk
