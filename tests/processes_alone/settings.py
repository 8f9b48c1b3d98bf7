"""Settings with the ``processes`` app and the shared core only: no ``workshops``, no site layer.
``tests/processes/test_runs_alone.py`` runs the registry's reads under them in a fresh interpreter."""

from rcpdb.settings import *  # noqa: F403
from rcpdb.settings import INSTALLED_APPS, MIDDLEWARE, TEMPLATES

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("workshops", "rcpdb.site")]
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("rcpdb.site.")]
_PROCESSORS = TEMPLATES[0]["OPTIONS"]["context_processors"]
TEMPLATES = [
    {
        **TEMPLATES[0],
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],
            "context_processors": [name for name in _PROCESSORS if not name.startswith("rcpdb.site.")],
        },
    }
]
ROOT_URLCONF = "tests.processes_alone.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
