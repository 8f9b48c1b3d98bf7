"""Settings for rcpdb, read from the environment.

Production is the default: DEBUG is off unless ``DEBUG=true`` is set, and then the site refuses to start
without a SECRET_KEY of its own and ALLOWED_HOSTS. Local use sets ``DEBUG=true`` (``make run`` and
``make demo`` do it themselves; the test suite does it in rcpdb/settings_for_tests.py), which brings a
development key, local host names and SQLite in the project folder.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless set: a deployment that forgets the variable runs in production mode, never in debug mode.
DEBUG = env_bool("DEBUG", False)

# Public in the repository, so only ever used with DEBUG on.
DEVELOPMENT_SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string when DEBUG is off (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY is the public development key. Set the SECRET_KEY environment variable to a long "
        "random string of your own when DEBUG is off "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set. List the site's host names, comma-separated.")

INSTALLED_APPS = [
    # Before the admin, so that its translated fields show side by side in the admin forms.
    "modeltranslation",
    "rcpdb.core.apps.RcpdbAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "django_countries",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "simple_history",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "rcpdb.core",
    "processes",
    "workshops",
    "rcpdb.site",
]

MIDDLEWARE = [
    # Outermost, so that every answer carries the security headers, error pages included: also a 400 for
    # a bad Host header, which inner middleware (SecurityMiddleware, CommonMiddleware) raise before
    # their own headers are added (rcpdb/core/security.py).
    "rcpdb.core.security.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Language from the URL prefix; on the first visit to / the browser's preferred language.
    "django.middleware.locale.LocaleMiddleware",
    # CORS for the read-only API (settings below): before CommonMiddleware, as django-cors-headers asks.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff sessions end after STAFF_SESSION_IDLE_TIMEOUT without a request (rcpdb/core/security.py).
    "rcpdb.core.security.StaffSessionIdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "rcpdb.core.security.PermissionDeniedLogMiddleware",
    # django-axes turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
    # 304 Not Modified for the open data, also for answers the page cache holds (rcpdb/site/api/).
    "rcpdb.site.api.conditional.ConditionalGetMiddleware",
    # Inner to every middleware that handles a request, so that they all still run for a cached page
    # (rcpdb/core/cache.py): keep it after them.
    "rcpdb.core.cache.AnonymousPageCacheMiddleware",
    # Compresses pages for browsers that accept gzip (Django's BREACH mitigation pads each one), inside
    # the page cache so that a cached page is stored compressed and not compressed again on every hit.
    "django.middleware.gzip.GZipMiddleware",
]

ROOT_URLCONF = "rcpdb.urls"

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
                # The site's parts the data apps' pages include (corrections, citation, linked data).
                "rcpdb.site.context_processors.page_parts",
            ],
        },
    },
]

WSGI_APPLICATION = "rcpdb.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        # An empty DATABASE_URL means the default, as an unset one does.
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE") or "60"),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out username and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login lockout (django-axes): 5 failures for one username from one address lock that pair for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rcpdb.core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "rcpdb.core.security.client_ip"
# How many proxies in front of the site append to X-Forwarded-For (0: use the connection's address).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or "0")

# A staff session ends after this many seconds without a request (default 8 hours).
STAFF_SESSION_IDLE_TIMEOUT = int(os.environ.get("STAFF_SESSION_IDLE_TIMEOUT") or 8 * 60 * 60)

# A second factor (TOTP, django-otp) for staff: optional, or required for the whole admin.
OTP_REQUIRED = env_bool("OTP_REQUIRED", False)
OTP_TOTP_ISSUER = "rcpdb"

# Import and export in the admin (django-import-export), all or nothing. Formula escaping on export is
# processes/resources.py's (the package's own setting only strips a leading "=" and turns every cell,
# numbers included, into text).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- imports ---
# Hardened admin imports (issue 21, processes/imports.py). The file between preview and confirmation
# is kept as a file in a private folder every worker shares, never in a cache that pages can evict;
# several app servers set STORAGES["import_export"] (any storage they all reach) or point
# IMPORT_PREVIEW_DIR at a folder they share. A preview lives IMPORT_PREVIEW_SECONDS.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "processes.imports.PreviewStorage"
IMPORT_PREVIEW_DIR = os.environ.get("IMPORT_PREVIEW_DIR") or str(BASE_DIR / "var" / "import-previews")
IMPORT_PREVIEW_SECONDS = int(os.environ.get("IMPORT_PREVIEW_SECONDS") or 30 * 60)
# Uploads are refused, with a message, beyond these limits (checked before a file is parsed).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES") or 5 * 1024 * 1024)
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS") or 5000)
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS") or 50)
# XLSX (a zip): at most this much unpacked, and no part compressed more than this ratio (zip bombs).
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES") or 30 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO") or 100)
# An import still running after this many seconds is undone and said to be too large (keep it
# under the app server's worker timeout, gunicorn's default is 30 s).
IMPORT_MAX_SECONDS = float(os.environ.get("IMPORT_MAX_SECONDS") or 20)
# A fact whose "as of" date is older than this is listed as stale on a process's data checks page.
RCPDB_STALE_AFTER_DAYS = int(os.environ.get("RCPDB_STALE_AFTER_DAYS") or 365)
# One import per model at a time: a second one waits this long, then is told to try again.
IMPORT_LOCK_WAIT_SECONDS = float(os.environ.get("IMPORT_LOCK_WAIT_SECONDS") or 3)
# --- end imports ---

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The public pages live under /en/, /fr/ and /es/ (rcpdb/urls.py); the admin, the API, /healthz,
# sitemap.xml and robots.txt have no prefix. Each language is named in itself in the switcher.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["rcpdb.formats"]

# Content in three languages (django-modeltranslation; the fields are registered in each app's
# translation.py): a missing French or Spanish text shows the English one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Whole pages for anonymous visitors (rcpdb/core/cache.py), in a cache alias of their own ("pages"), so that
# page traffic never evicts anything else: the per-version filter options and charts ("default") and
# the content version ("content_version"). Redis when REDIS_URL is set (several app servers share
# it; REDIS_PAGES_URL may put the pages on another Redis database or server); else local memory, with
# the content version as a plain text token in a private folder of the project that every process on
# this machine shares (gunicorn workers, management commands), so edits reach them all. No pickle is
# ever read from a shared folder.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_PAGES_URL = os.environ.get("REDIS_PAGES_URL", "") or REDIS_URL
# How long a cached page is kept (edits retire it at once anyway); 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS") or 60 * 60 * 24)
# Pages kept in local memory per process (without Redis), least recently used ones dropped first.
PAGE_CACHE_MAX_ENTRIES = int(os.environ.get("PAGE_CACHE_MAX_ENTRIES") or 2000)
if REDIS_URL:
    CACHES = {
        # The content version is stored without expiry: with a Redis maxmemory, use a volatile-* policy
        # (or REDIS_PAGES_URL on another server) so that it is never evicted.
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rcpdb",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_PAGES_URL,
            "KEY_PREFIX": "rcpdb-pages",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "rcpdb-state",
            "OPTIONS": {"MAX_ENTRIES": 300},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "rcpdb-pages",
            "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_MAX_ENTRIES},
        },
        "content_version": {
            "BACKEND": "rcpdb.core.cache.TokenFileCache",
            "LOCATION": os.environ.get("CONTENT_VERSION_DIR") or str(BASE_DIR / "var" / "content-version"),
        },
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A filter left empty reads "Any" (django-filter's choice filters; rcpdb/core/forms.py does the same
# for model choices).
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("Any")

# The comparison shows at most this many processes side by side (processes/analysis_views.py).
COMPARE_MAX_PROCESSES = int(os.environ.get("COMPARE_MAX_PROCESSES") or "8")

# Hostile query strings must get a 400, not a crash: Django's own limit answers with one.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Security headers, on in every environment so that development sees what production sends.
# Every asset is served by the site itself: no inline script or style, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    # Production sits behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- open data (issue 15) ---
# The read-only API (Django REST framework, rcpdb/site/api/): JSON and the browsable API, the site's
# own pagination and errors, the pages' FilterSets, anonymous clients throttled (429 with Retry-After).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rcpdb.site.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rcpdb.site.api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": ["rcpdb.site.api.throttling.AnonymousThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rcpdb.site.api.errors.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Requests an anonymous client (one IP address) may make to the API, e.g. "120/minute".
API_ANONYMOUS_RATE = os.environ.get("API_ANONYMOUS_RATE") or "120/minute"
SPECTACULAR_SETTINGS = {
    "TITLE": "rcpdb open data API",
    "DESCRIPTION": "Read-only data on the Regional Consultative Processes on migration.",
    "VERSION": "2",
    "SERVE_INCLUDE_SCHEMA": False,
    # Not part of `manage.py check --deploy`: its schema-naming warnings (enum names, filter types) are
    # about the documentation's names, not the deployment; every response is validated against the
    # schema in tests/site/test_open_data.py instead.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Swagger UI from the installed drf-spectacular-sidecar: nothing from the internet. (Not Redoc:
    # drf-spectacular's Redoc page loads its fonts from another host.)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "rcpdb.site.api.schema.fix_blank_urls",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CompletenessEnum": "processes.enums.Completeness",
        "InvolvementEnum": "processes.enums.Involvement",
    },
}
# Other sites may read the API (GET/HEAD only, no cookies) from their own pages.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Content-Length"]
# The data package and the JSON dump are built into this folder, one subfolder per content version
# (rcpdb/site/bulk.py, ``manage.py build_open_data``), and served from it as files.
OPEN_DATA_DIR = os.environ.get("OPEN_DATA_DIR") or str(BASE_DIR / "var" / "open-data")
# Build them in a background thread once a content change commits, so that no request waits for them.
OPEN_DATA_BUILD_AFTER_CHANGE = env_bool("OPEN_DATA_BUILD_AFTER_CHANGE", True)
# --- end open data ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Logins, failed logins and permission denials (rcpdb/core/security.py).
    "loggers": {"rcpdb.security": {"level": "INFO"}},
}

# Mail (the outcome of a suggested correction): printed on the console unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rcpdb <no-reply@rcpdb.invalid>")

# Suggested corrections (rcpdb/site/corrections.py): an email left for a reply is erased this many days
# after the suggestion (manage.py erase_correction_emails, run daily); each network address may send at
# most CORRECTIONS_PER_ADDRESS_PER_DAY suggestions a day; a form sent sooner than CORRECTION_MIN_SECONDS
# after it was shown, or later than CORRECTION_MAX_SECONDS, is refused as automated or stale.
CORRECTION_EMAIL_RETENTION_DAYS = int(os.environ.get("CORRECTION_EMAIL_RETENTION_DAYS", "90"))
CORRECTIONS_PER_ADDRESS_PER_DAY = int(os.environ.get("CORRECTIONS_PER_ADDRESS_PER_DAY", "5"))
CORRECTION_MIN_SECONDS = 3
CORRECTION_MAX_SECONDS = 60 * 60 * 24
