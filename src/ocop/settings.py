"""One env-driven settings file. A malformed value stops start-up with a clear message."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

# Every environment variable is read through these: a bad value stops start-up naming the variable (ocop.core.env).
from ocop.core.env import (
    BadEnvironment,
    envbool,
    envint,
    envints,
    envlist,
    envmap,
    envnetworks,
    envstorage,
    envstr,
    envtiles,
)
from ocop.core.storage_settings import file_storages

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


DATA_DIR = Path(envstr("OCOP_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", "false")
# The test suite (.ci/test sets it): DEBUG stays off as in production, but the site is served over plain HTTP.
TESTING = envbool("OCOP_TESTING", "false")
SECRET_KEY = envstr("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise BadEnvironment(
            "SECRET_KEY", None, "a long random string (50 characters or more: python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'); with DEBUG off OCOP Hub does not start on a development key "
            "(development: DEBUG=true, as the make targets set it)",
        )  # fmt: skip
    SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105  # DEBUG or tests only
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# Province this installation serves by default (administrative code; 01 = Hà Nội).
OCOP_DEFAULT_PROVINCE = envstr("OCOP_DEFAULT_PROVINCE", "01")
OCOP_PUBLIC_BASE_URL = envstr("OCOP_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Private signing keys of the provinces (Ed25519), one file each; back this folder up with the database.
OCOP_KEYS_DIR = Path(envstr("OCOP_KEYS_DIR", str(DATA_DIR / "keys"))).resolve()
# A certificate shows "expiring soon" this many days before its last day (the legal notice is due 30 days before).
OCOP_EXPIRY_WARN_DAYS = envint("OCOP_EXPIRY_WARN_DAYS", "90")
# Webhooks may go to http:// and to loopback/private/link-local addresses (tests with a local receiver, a closed
# network); off, they go only to https:// on public addresses (docs/api.md, "Webhooks").
OCOP_WEBHOOKS_ALLOW_PRIVATE = envbool("OCOP_WEBHOOKS_ALLOW_PRIVATE", "false")
# The daily watch's notice windows (days before a certificate or document ends) and, from how many days before, the
# written notice goes with them as a PDF (the rules ask for it at least 30 days before).
OCOP_EXPIRY_NOTICE_DAYS = envints("OCOP_EXPIRY_NOTICE_DAYS", "90,60,30")
OCOP_WRITTEN_NOTICE_DAYS = envint("OCOP_WRITTEN_NOTICE_DAYS", "60")
# Worker processes that lay out a decision's certificate PDFs (WeasyPrint is CPU-bound): one per core by default.
OCOP_PDF_PROCESSES = envint("OCOP_PDF_PROCESSES", str(os.cpu_count() or 1), minimum=1)
# Stored copies of the QR pages, one folder per day, for nginx to serve (docs/deployment.md); empty: none kept.
OCOP_PAGE_CACHE_DIR = envstr("OCOP_PAGE_CACHE_DIR", str(DATA_DIR / "pages"))
# The public map's background (docs/deployment.md, "The map's background"): our own provinces outline, with no tile
# server and no request leaving the site, unless a tile server is set; its attribution is then required, and the map
# pages' Content-Security-Policy lets images come from its host (ocop.public.maps).
OCOP_MAP_TILES_URL, OCOP_MAP_ATTRIBUTION = envtiles("OCOP_MAP_TILES_URL", "OCOP_MAP_ATTRIBUTION")
OCOP_MAP_MAX_ZOOM = envint("OCOP_MAP_MAX_ZOOM", "19", minimum=1)
if OCOP_MAP_MAX_ZOOM > 22:
    raise BadEnvironment("OCOP_MAP_MAX_ZOOM", str(OCOP_MAP_MAX_ZOOM), "a zoom level from 1 to 22 (19: street level)")
# E-mail (expiry notices): printed on the console unless a real backend is configured.
MAILERS: dict[str, dict[str, object]] = {
    "default": {"BACKEND": envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
}
if envstr("EMAIL_HOST", ""):  # SMTP: EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and these
    MAILERS["default"]["OPTIONS"] = {
        "host": envstr("EMAIL_HOST", ""),
        "port": envint("EMAIL_PORT", "587", minimum=1),
        "username": envstr("EMAIL_HOST_USER", ""),
        "password": envstr("EMAIL_HOST_PASSWORD", ""),
        "use_tls": envbool("EMAIL_USE_TLS", "true"),
    }
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "ocop@localhost")
# Consumers' problem reports from the scan page accepted per sender and hour.
OCOP_REPORTS_PER_HOUR = envint("OCOP_REPORTS_PER_HOUR", "5")
# Outlet checklists: where our sources give no pass mark or minimum, these settings hold our working values
# (by checklist code, and by `checklist:item` for minimums); the checklist data has the defaults.
OCOP_OUTLET_PASS_MARKS = envmap("OCOP_OUTLET_PASS_MARKS", "")
OCOP_OUTLET_MINIMUMS = envmap("OCOP_OUTLET_MINIMUMS", "")
OCOP_UPLOAD_MAX_BYTES = envint("OCOP_UPLOAD_MAX_MB", "20", minimum=1) * 1024 * 1024
# Uploaded photos: an image declaring more pixels than this is refused before it is decoded (40 MP ≈ 7700 × 5200).
OCOP_UPLOAD_MAX_PIXELS = envint("OCOP_UPLOAD_MAX_MEGAPIXELS", "40", minimum=1) * 1_000_000
# Imports: a sheet whose last row holding data is past this row is refused before it is read.
OCOP_IMPORT_MAX_ROWS = envint("OCOP_IMPORT_MAX_ROWS", "100000", minimum=1)
# Imports: a sheet with data in a column past this one (200 = GR) is refused; calamine allocates every cell up to it.
OCOP_IMPORT_MAX_COLUMNS = envint("OCOP_IMPORT_MAX_COLUMNS", "200", minimum=1)
# Imports: address-space ceiling (MB) of the child process that reads a workbook; past it only that child dies.
OCOP_IMPORT_MEMORY_MB = envint("OCOP_IMPORT_MEMORY_MB", "1024", minimum=1)
# Imports: a part of a workbook (a sheet, the shared strings) larger than this once inflated is refused (a zip bomb).
OCOP_IMPORT_MAX_PART_BYTES = envint("OCOP_IMPORT_MAX_PART_MB", "100", minimum=1) * 1024 * 1024
# Imports: the child reading a workbook is stopped after this many seconds.
OCOP_IMPORT_TIMEOUT_SECONDS = envint("OCOP_IMPORT_TIMEOUT_SECONDS", "120", minimum=1)
# Imports: the stored workbook of a finished import (saved, stopped, refused, checked and left) is deleted this many
# days after the job last changed (`ocop purge_import_files`, daily): it holds personal data.
OCOP_IMPORT_KEEP_DAYS = envint("OCOP_IMPORT_KEEP_DAYS", "30")
OCOP_IMPORT_MAX_WAITING = envint(
    "OCOP_IMPORT_MAX_WAITING", "3", minimum=1
)  # one user's imports waiting or running at once

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",  # login throttling: its own models and migrations
    "django_htmx",
    "ninja",  # the API docs page with its own static files (Swagger UI), not a CDN
    "ocop.core",  # before django_tasks_db: its `db_worker` first marks the jobs of a dead worker as failed
    "django_tasks_db",
    "ocop.places",
    "ocop.accounts",
    "ocop.registry",
    "ocop.evaluation",
    "ocop.certificates",
    "ocop.outlets",
    "ocop.promotion",
    "ocop.supervision",
    "ocop.planning",
    "ocop.reporting",
    "ocop.webhooks",
    "ocop.backoffice",
    "ocop.public",
    "ocop.api",
]

MIDDLEWARE = [
    "ocop.core.dbrouter.ReplicaMiddleware",  # which database the request reads from (removes itself without a replica)
    "ocop.public.fastpath.ScanPageMiddleware",  # the QR page's short chain, no session or CSRF (see its docstring)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "ocop.core.middleware.TextInputMiddleware",  # after the CSRF check: see its docstring
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ocop.core.middleware.StorageFaultMiddleware",  # a bucket out of reach: 503 with a message, not a 500
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a refused login into our lockout page
]

ROOT_URLCONF = "ocop.urls"
WSGI_APPLICATION = "ocop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "ocop.backoffice.menu.menu",
            ],
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'ocop.sqlite3'}"
try:
    _db = dj_database_url.parse(envstr("DATABASE_URL", _default_db), conn_max_age=envint("CONN_MAX_AGE", "60"))
except ValueError as exc:
    raise BadEnvironment("DATABASE_URL", envstr("DATABASE_URL", ""), f"a database URL ({exc})") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # A connection per request unless CONN_MAX_AGE is set (production: 60, as docs/deployment.md says).
    _db["CONN_MAX_AGE"] = envint("CONN_MAX_AGE", "0")
    _db["OPTIONS"] = {
        # WAL for concurrent readers; a 64 MB page cache and memory-mapped reads keep search fast.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # Tests use a file, not shared memory: tests with several connections at once (simultaneous score
    # submissions, the task worker) need SQLite's real file locking and busy timeout.
    _db["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")} if envbool("OCOP_TEST_DB_FILE", "true") else {}
elif _db["ENGINE"].startswith("django.db.backends.postgresql"):
    # PostgreSQL's just-in-time compiler costs ~0.2 s per report query here and saves nothing on queries of this
    # size (the past year's dashboard: 2.0 s with it, 0.8 s without).
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"]["options"] = (_db["OPTIONS"].get("options", "") + " -c jit=off").strip()
DATABASES = {"default": _db}
# A PostgreSQL replica for read-only public traffic (ocop.core.dbrouter says which requests), when set. In tests it
# is a mirror of the test database (TEST MIRROR), as Django's testing of replicas advises.
if _replica_url := envstr("DATABASE_REPLICA_URL", "").strip():
    try:
        _replica = dj_database_url.parse(_replica_url, conn_max_age=_db["CONN_MAX_AGE"])
    except ValueError as exc:
        raise BadEnvironment("DATABASE_REPLICA_URL", _replica_url, f"a database URL ({exc})") from None
    _same = f"a database of DATABASE_URL's kind ({_db['ENGINE'].rsplit('.', 1)[-1]})"
    if _replica["ENGINE"] != _db["ENGINE"]:
        raise BadEnvironment("DATABASE_REPLICA_URL", _replica_url, _same)
    _replica["OPTIONS"] = dict(_db.get("OPTIONS", {}))
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["ocop.core.dbrouter.ReplicaRouter"]
# After a write (any POST, PUT, PATCH, DELETE), that browser reads from the primary for this many seconds.
OCOP_REPLICA_PIN_SECONDS = envint("OCOP_REPLICA_PIN_SECONDS", "10", minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out login before the password is checked (it logs no one in itself).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if envbool("OCOP_FAST_HASHER", "false")
    else ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["ocop.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Leaflet and its marker clusters come from their PyPI packages (xstatic), served as our own static files.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
    # jsQR (npm, package.json; `make setup` runs npm ci): /kiem-tra/ decodes camera frames with it where the browser
    # has no BarcodeDetector.
    ("vendor/jsqr", PROJECT_DIR / "node_modules" / "jsqr" / "dist"),
]
# Uploaded files live under the data dir, never under the static root, and are only served through
# views that check access.
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/files/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
# Every file goes through these (docs/deployment.md, "Files and object storage"): "default" holds the documents,
# photos, PDFs, workbooks, import files and the open-data files (under opendata/), private, served only through views
# that check access; "pages" the QR page copies, public, which nginx reads. Both are local folders (MEDIA_ROOT,
# OCOP_PAGE_CACHE_DIR) unless OCOP_STORAGE_URL names an S3 bucket (ocop.core.env.envstorage): then the files live
# there, the copies under its pages/ prefix, and no application server keeps a file of its own.
OCOP_STORAGE = envstorage("OCOP_STORAGE_URL")
STORAGES = {
    **file_storages(
        OCOP_STORAGE,
        memory_bytes=FILE_UPLOAD_MAX_MEMORY_SIZE,
        # seconds a request to the bucket may wait for an answer (a hung bucket fails fast, not after minutes)
        timeout_seconds=envint("OCOP_STORAGE_TIMEOUT_SECONDS", "30", minimum=1),
    ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "ocop.core.storage.StaticStorage"
    },
}
WHITENOISE_USE_FINDERS = True

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag; keep default behaviour
X_FRAME_OPTIONS = "DENY"

# HTTPS (docs/deployment.md, "Production settings"): with DEBUG off the site is taken to be served over HTTPS by
# nginx (deploy/nginx.conf). A plain-HTTP intranet sets OCOP_SECURE_COOKIES=false, OCOP_SSL_REDIRECT=false and
# OCOP_HSTS_SECONDS=0. The tests (OCOP_TESTING) keep every production value but the redirect: they speak plain HTTP.
_HTTPS = "false" if DEBUG else "true"
SESSION_COOKIE_SECURE = envbool("OCOP_SECURE_COOKIES", _HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("OCOP_SSL_REDIRECT", "false" if TESTING else _HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a monitor may ask gunicorn itself, over plain HTTP on 127.0.0.1
SECURE_HSTS_SECONDS = envint("OCOP_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("OCOP_HSTS_INCLUDE_SUBDOMAINS", _HTTPS)
# Preloading is asked for a whole registrable domain (e.g. a province's gov.vn domain) by its owner, not by one
# application on a subdomain of it: off unless set, and `check --deploy`'s reminder of it (W021) is silenced.
SECURE_HSTS_PRELOAD = envbool("OCOP_HSTS_PRELOAD", "false")
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# The header nginx sets to the scheme the client used ("https"); believed from anyone who reaches the application,
# so the application must listen only where nginx alone reaches it (gunicorn -b 127.0.0.1:8000). Empty: none.
_proxy_ssl_header = envstr("OCOP_PROXY_SSL_HEADER", "" if DEBUG else "X-Forwarded-Proto").strip()
if _proxy_ssl_header and not _proxy_ssl_header.replace("-", "").isalnum():
    raise BadEnvironment("OCOP_PROXY_SSL_HEADER", _proxy_ssl_header, "an HTTP header name such as X-Forwarded-Proto")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
SECURE_REFERRER_POLICY = envstr("OCOP_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# The proxies whose X-Forwarded-For / X-Real-IP tell the client's address (ocop.core.clientip): addresses or networks,
# none by default; 127.0.0.1 behind the shipped deploy/nginx.conf. The login throttle and the report limit use it.
OCOP_TRUSTED_PROXIES = envnetworks("OCOP_TRUSTED_PROXIES", "")

# Login throttling (django-axes): after OCOP_LOGIN_FAILURE_LIMIT failed logins for one username, or from one client
# address (each counted on its own), further logins for it are refused for OCOP_LOGIN_COOLOFF_MINUTES after the last
# failure, with our message (ocop.accounts.throttle) and status 429; a successful login clears the count. The admin
# unlocks with `ocop axes_reset_username NAME`, `ocop axes_reset_ip ADDRESS` or the admin's "Access attempts".
# Off in the tests unless a test turns it on: the test client's login() calls authenticate() without a request.
AXES_ENABLED = envbool("OCOP_LOGIN_THROTTLE", "false" if TESTING else "true")
AXES_FAILURE_LIMIT = envint("OCOP_LOGIN_FAILURE_LIMIT", "5", minimum=1)
OCOP_LOGIN_COOLOFF_MINUTES = envint("OCOP_LOGIN_COOLOFF_MINUTES", "15", minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=OCOP_LOGIN_COOLOFF_MINUTES)
# Counted apart, comma-separated; `username+ip_address` counts the pair together.
AXES_LOCKOUT_PARAMETERS: list[str | list[str]] = []
for _rule in envlist("OCOP_LOGIN_LOCKOUT_BY", "username,ip_address"):
    _parts = [part.strip() for part in _rule.split("+")]
    if not set(_parts) <= {"username", "ip_address", "user_agent"}:
        raise BadEnvironment(
            "OCOP_LOGIN_LOCKOUT_BY", envstr("OCOP_LOGIN_LOCKOUT_BY", ""),
            "username, ip_address or user_agent, or pairs of them joined by +, separated by commas",
        )  # fmt: skip
    AXES_LOCKOUT_PARAMETERS.append(_parts if len(_parts) > 1 else _parts[0])
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ocop.core.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "ocop.accounts.throttle.locked_out"
AXES_HTTP_RESPONSE_CODE = 429

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
