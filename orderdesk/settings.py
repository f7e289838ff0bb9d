"""OrderDesk settings, read from the environment.

Every value has a safe default so that a fresh checkout runs with no
configuration: an SQLite file under ``var/`` and the django-q2 ORM broker.
Production sets ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL``, ``SECRET_KEY``
and ``ALLOWED_HOSTS``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ORDERDESK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _persistent_secret_key() -> str:
    """A strong key generated once per installation and kept under var/.

    Lets a fresh machine run without configuration while never shipping a
    key in the repository; production passes SECRET_KEY explicitly.
    """
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or _persistent_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_q",
    "import_export",
    "simple_history",
    "axes",
    "orders",
    "rules",
    "exceptions",
    "integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "orderdesk.urls"
WSGI_APPLICATION = "orderdesk.wsgi.application"
ASGI_APPLICATION = "orderdesk.asgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

SQLITE_OPTIONS = {
    # WAL lets the web server read while a worker writes; IMMEDIATE takes the
    # write lock at BEGIN so two writers queue on busy_timeout instead of one
    # failing with "database is locked" when it upgrades a read transaction.
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=30000;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}


def database_from_env() -> dict:
    default_url = f"sqlite:///{VAR_DIR / 'orderdesk.sqlite3'}"
    url = os.environ.get("DATABASE_URL") or default_url
    # Persistent connections: every queued task reopening the database (and,
    # on SQLite, re-running the PRAGMAs) cost ~40% of the pipeline's throughput
    # (bench/pipeline.py). Health checks drop a connection the server closed.
    config = dj_database_url.parse(url, conn_max_age=env_int("CONN_MAX_AGE", 600),
                                   conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        # Django's SQLite backend with its writers queued (orderdesk/sqlite/base.py).
        config["ENGINE"] = "orderdesk.sqlite"
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Task queue -----------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
# A cache every process sees: the failed API token counts (orders/api/authentication.py)
# must add up across web workers, not per process. Redis where the deployment has it,
# else files beside the database (one host, like the embedded SQLite default).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                      "KEY_PREFIX": "orderdesk"} if REDIS_URL else
          {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
           "LOCATION": str(VAR_DIR / "cache")}}
Q_TIMEOUT = env_int("Q_TIMEOUT", 300)
Q_CLUSTER = {
    "name": "orderdesk",
    "workers": env_int("Q_WORKERS", 2),
    "recycle": 500,
    # A task running longer than `timeout` is killed; a task not acknowledged
    # within `retry` is handed out again. retry must exceed timeout with a
    # margin or a slow but healthy task is delivered twice while it still runs
    # (integrations.checks enforces this).
    "timeout": Q_TIMEOUT,
    "retry": env_int("Q_RETRY", Q_TIMEOUT + 120),
    # Failed tasks are acknowledged: our services record failures and count
    # attempts themselves, so the broker must not redeliver them forever.
    "ack_failures": True,
    "max_attempts": 1,
    "catch_up": False,
    # Successful runs are not stored; failures always are. Every outcome a
    # person needs is the app's own record (documents, decisions with history,
    # the outbox). A positive limit is no cheaper: for every finished task
    # django-q2's monitor locks and reads every stored success to prune the
    # oldest, a write transaction that grows with the limit and, on SQLite,
    # stops every worker (bench/pipeline.py: ~12 ms of each task).
    "save_limit": -1,
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    # Claims tasks in a write transaction that queues with the others
    # (orderdesk/broker.py), up to one per worker at a time.
    Q_CLUSTER["broker_class"] = "orderdesk.broker.OrmBroker"
    Q_CLUSTER["bulk"] = Q_CLUSTER["workers"]
    # How often an idle worker asks the database for work: the latency of each
    # queue hop on the embedded default.
    Q_CLUSTER["poll"] = 0.2

# --- Auth, i18n, static ---------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed password logins are counted per account and per client address
# (django-axes, in the database): AXES_FAILURE_LIMIT failures lock that account,
# and that address, for AXES_COOLOFF_MINUTES. A success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox"
LOGOUT_REDIRECT_URL = "login"
#: Hours an exception may wait before the inbox shows it late (amber from half of it).
CASE_SLA_HOURS = env_int("CASE_SLA_HOURS", 4)

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security -------------------------------------------------------------
# Secure by default whenever DEBUG is off. ORDERDESK_HTTPS=false is for a
# plain-HTTP local run (make run) only.

HTTPS = env_bool("ORDERDESK_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def forwarded_client_ip(request) -> str | None:
    """The client address the (one, trusted) proxy appended to X-Forwarded-For:
    behind it, REMOTE_ADDR is the proxy's, and one lockout would lock everyone."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.rsplit(",", 1)[-1].strip() or request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = forwarded_client_ip if BEHIND_TLS_PROXY else None
# The largest document accepted (bytes), at the intake command, the REST API
# (413) and the mailbox: larger input is refused before it is read, and the
# refusal recorded as an UNREADABLE_DOCUMENT outcome. The readers use it too.
ORDERDESK_MAX_DOCUMENT_BYTES = env_int("ORDERDESK_MAX_DOCUMENT_BYTES", 25 * 1024 * 1024)
# Uploads above this size are streamed to disk, and form posts are capped.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", ORDERDESK_MAX_DOCUMENT_BYTES)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5242880
# What reading one document may cost (integrations.parsers.limits.Budget): a document is
# read in one limited child; an e-mail in DOCUMENT_READ_SECONDS, every attachment included,
# one attachment (or a document that is no e-mail) in DOCUMENT_ATTACHMENT_SECONDS.
# Attachments past the count or the time make the message's orders uncertain; orders past
# the count are one rejected order naming them.
DOCUMENT_READ_SECONDS = env_int("DOCUMENT_READ_SECONDS", 60)
DOCUMENT_READ_MEMORY_MB = env_int("DOCUMENT_READ_MEMORY_MB", 1024)
DOCUMENT_ATTACHMENT_SECONDS = env_int("DOCUMENT_ATTACHMENT_SECONDS", 30)
DOCUMENT_MAX_ATTACHMENTS = env_int("DOCUMENT_MAX_ATTACHMENTS", 10)
DOCUMENT_MAX_ORDERS = env_int("DOCUMENT_MAX_ORDERS", 500)

# --- E-mail ---------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "outbox-mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "orders@orderdesk.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
#: How the desk signs the e-mails a person sends from the inbox.
ORDER_DESK_NAME = os.environ.get("ORDER_DESK_NAME", "The order desk")

# Order mailbox polled by a scheduled task (integrations.mailbox); off without a host.
# Sender authentication of e-mail orders. The receiving hosts whose
# Authentication-Results headers (RFC 8601) are believed, by authserv-id; the
# border host must strip headers that claim these ids from incoming mail (RFC
# 8601 §5). A fail of dmarc, spf or dkim from one of them is UNAUTHORIZED_SENDER;
# with SENDER_AUTHENTICATION_REQUIRED, so is a message without a passing verdict.
TRUSTED_AUTHSERV_IDS = [host.lower() for host in env_list("TRUSTED_AUTHSERV_IDS", [])]
SENDER_AUTHENTICATION_REQUIRED = env_bool("SENDER_AUTHENTICATION_REQUIRED", bool(TRUSTED_AUTHSERV_IDS))
# Verify DKIM signatures here as well (dkimpy; needs DNS from the workers).
DKIM_VERIFY = env_bool("DKIM_VERIFY", False)

IMAP_HOST = os.environ.get("IMAP_HOST", "")
IMAP_PORT = env_int("IMAP_PORT", 993)
IMAP_USER = os.environ.get("IMAP_USER", "")
IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD", "")
IMAP_FOLDER = os.environ.get("IMAP_FOLDER", "INBOX")
IMAP_SSL = env_bool("IMAP_SSL", True)

# --- ERP delivery ---------------------------------------------------------
# How executed orders reach the ERP (integrations/erp). Empty: no adapter, ERP
# messages wait in the outbox until one is configured. integrations.checks
# refuses an incomplete configuration at start.
ERP_ADAPTER = os.environ.get("ERP_ADAPTER", "").strip().lower()  # "webhook" | "filedrop" | ""
ERP_WEBHOOK_URL = os.environ.get("ERP_WEBHOOK_URL", "")
ERP_WEBHOOK_SECRET = os.environ.get("ERP_WEBHOOK_SECRET", "")
ERP_WEBHOOK_TIMEOUT = float(os.environ.get("ERP_WEBHOOK_TIMEOUT") or 10)
ERP_FILEDROP_DIR = os.environ.get("ERP_FILEDROP_DIR", "")
ERP_FILEDROP_FORMAT = os.environ.get("ERP_FILEDROP_FORMAT", "json").strip().lower()  # "json" | "csv"
# Failed attempts before an ERP message becomes a dead letter for a person.
ERP_MAX_ATTEMPTS = env_int("ERP_MAX_ATTEMPTS", 8)

# --- Libraries ------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "orders.api.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Wrong API tokens per client address before it is refused (429) for the
    # rest of the period; empty turns the limit off.
    "DEFAULT_THROTTLE_RATES": {"failed_token": os.environ.get("API_FAILED_TOKEN_RATE",
                                                              "20/hour") or None},
    "NUM_PROXIES": 1 if BEHIND_TLS_PROXY else None,
}

# Cells starting with = + - @ are neutralised in exported spreadsheets so a
# master-data export cannot carry a formula into Excel (CSV injection).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# The user recorded in history for changes no person made (imports from the
# command line, autonomous decisions).
ORDERDESK_SYSTEM_USERNAME = "orderdesk-system"
# Admin imports above this many rows run as a background task.
ORDERDESK_ADMIN_SYNC_IMPORT_ROWS = env_int("ORDERDESK_ADMIN_SYNC_IMPORT_ROWS", 5000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # pydifact announces every interchange's syntax at INFO, and django-q2
    # each task it queues, starts and finishes: noise at our volume (every
    # document's outcome is the app's own record). Their warnings and
    # errors (a task that failed, a broker that is down) are still logged.
    "loggers": {"pydifact": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "django-q": {"level": os.environ.get("Q_LOG_LEVEL", "WARNING")}},
}
