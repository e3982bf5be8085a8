"""Production settings: the environment docs/deployment.md documents passes `ocop check --deploy` with nothing to
report, HTTPS is on by default with DEBUG off, and start-up refuses a missing SECRET_KEY or a malformed value.

Each case starts `ocop` in a fresh process with exactly the environment given (no DATABASE_URL: SQLite)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[4] / "docs" / "deployment.md"
OCOP = str(Path(sys.executable).with_name("ocop"))


def documented_environment(data_dir: Path) -> dict[str, str]:
    """The /etc/ocop/env block of docs/deployment.md's "Production settings", with a real key and a scratch folder."""
    section = DOCS.read_text().split("## Production settings", 1)[1]
    block = re.search(r"```sh\n# /etc/ocop/env\n(.*?)```", section, re.S)
    assert block, "docs/deployment.md: the /etc/ocop/env block is missing"
    env = dict(line.split("=", 1) for line in block.group(1).splitlines() if line and not line.startswith("#"))
    assert env["SECRET_KEY"] == "..." and env["OCOP_DATA_DIR"] == "/srv/ocop"
    assert "DEBUG" not in env and "DATABASE_URL" not in env
    return {**env, "SECRET_KEY": secrets.token_urlsafe(50), "OCOP_DATA_DIR": str(data_dir)}


def ocop(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # our own command
        [OCOP, *args], env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **env},
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


SHOW = (
    "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "s.SECURE_PROXY_SSL_HEADER, s.SECURE_REFERRER_POLICY, s.OCOP_TRUSTED_PROXIES, s.AXES_ENABLED, "
    "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.AXES_LOCKOUT_PARAMETERS)"
)


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    env = documented_environment(tmp_path)
    result = ocop(env, "check", "--deploy", "--fail-level", "WARNING")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (1 silenced).\n"
    shown = ocop(env, "shell", "--no-imports", "-c", SHOW)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == (
        "False True True True True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https') same-origin ['127.0.0.1/32'] "
        "True 5 0:15:00 ['username', 'ip_address']\n"
    )


def test_a_plain_http_intranet_turns_https_off_and_check_deploy_says_so(tmp_path):
    env = {**documented_environment(tmp_path), "OCOP_SECURE_COOKIES": "false", "OCOP_SSL_REDIRECT": "false",
           "OCOP_HSTS_SECONDS": "0", "OCOP_LOGIN_LOCKOUT_BY": "username+ip_address"}  # fmt: skip
    shown = ocop(env, "shell", "--no-imports", "-c", SHOW)
    assert shown.stdout == (
        "False False False True False 0 True ('HTTP_X_FORWARDED_PROTO', 'https') same-origin ['127.0.0.1/32'] "
        "True 5 0:15:00 [['username', 'ip_address']]\n"
    )
    result = ocop(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 1
    warned = re.findall(r"\((security\.W\d+)\)", result.stderr)
    assert warned == ["security.W004", "security.W008", "security.W012", "security.W016"]


def test_the_tests_keep_production_values_but_the_redirect(tmp_path):
    env = {"OCOP_TESTING": "true", "OCOP_DATA_DIR": str(tmp_path)}
    shown = ocop(env, "shell", "--no-imports", "-c", SHOW)
    assert shown.stdout == (
        "False True True True False 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https') same-origin [] "
        "False 5 0:15:00 ['username', 'ip_address']\n"
    )


def test_without_secret_key_and_debug_off_it_refuses_to_start(tmp_path):
    env = documented_environment(tmp_path)
    del env["SECRET_KEY"]
    result = ocop(env, "check")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Environment variable SECRET_KEY is not set: expected a long random string")
    assert "Traceback" not in result.stderr
    # Development (DEBUG=true, as `make run` sets it) starts on its development key.
    assert ocop({**env, "DEBUG": "true"}, "check").returncode == 0


def test_a_malformed_list_names_the_variable(tmp_path):
    env = {**documented_environment(tmp_path), "OCOP_EXPIRY_NOTICE_DAYS": "90,sixty"}
    result = ocop(env, "check")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "Bad environment variable OCOP_EXPIRY_NOTICE_DAYS='90,sixty': expected whole numbers separated by commas "
        "('sixty' is not one).\n"
    )
    env = {**documented_environment(tmp_path), "OCOP_TRUSTED_PROXIES": "127.0.0.1,nginx"}
    result = ocop(env, "check")
    assert result.returncode == 1
    assert result.stderr == (
        "Bad environment variable OCOP_TRUSTED_PROXIES='127.0.0.1,nginx': expected IP addresses or networks "
        "separated by commas ('nginx' is not one).\n"
    )


def test_a_malformed_database_url_never_shows_its_password(tmp_path):
    # Passwords with / : @ left unencoded; the second URL names a replica of another kind than the database.
    cases = [
        ("DATABASE_URL", "postgres://ocop:pa/ss:w0rd@db.tinh.gov.vn:99999/ocop", "postgres://ocop:***@db.tinh.gov.vn:"
         "99999/ocop", "a database URL (This string is not a valid url, possibly because some of its parts is not "
         "properly urllib.parse.quote()'ed.)"),
        ("DATABASE_REPLICA_URL", "mysql://ocop:pa:ss@w0rd@db-2.tinh.gov.vn/ocop", "mysql://ocop:***@db-2.tinh.gov.vn"
         "/ocop", "a database of DATABASE_URL's kind (sqlite3)"),
    ]  # fmt: skip
    for name, value, shown, expected in cases:
        result = ocop({**documented_environment(tmp_path), name: value}, "check")
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == f"Bad environment variable {name}={shown!r}: expected {expected}.\n"
        assert "w0rd" not in result.stderr


def test_https_behind_nginx_redirects_plain_http_and_sends_hsts(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True  # production's value; the tests keep it off
    plain = client.get("/san-pham/?q=gom")
    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/san-pham/?q=gom")
    secure = client.get("/san-pham/", HTTP_X_FORWARDED_PROTO="https")  # as deploy/nginx.conf sends it
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    assert client.get("/healthz").status_code == 200  # a monitor asking gunicorn over HTTP is not redirected
