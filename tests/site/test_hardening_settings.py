"""Issue 21, item 9: production by default. Without ``DEBUG=true`` the site runs with DEBUG off and refuses
to start without a key of its own; ``make run`` and ``make demo`` set development mode themselves."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SETUP = "import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"
REAL_KEY = "k3y-" + "a1b2c3d4e5" * 6


def setup_django(code=SETUP, **env):
    """``django.setup()`` (or ``code``) in a fresh interpreter with the site's own settings and only
    ``env`` set."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="rcpdb.settings", **env)
    return subprocess.run(  # noqa: S603 - our own code with fixed arguments
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_is_off_when_not_set():
    result = setup_django(SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="rcpdb.example.org")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG False"


@pytest.mark.parametrize("value", ["", "0", "false", "no", "off", "nonsense"])
def test_debug_is_off_unless_it_says_on(value):
    result = setup_django(DEBUG=value, SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="rcpdb.example.org")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG False"


def test_nothing_set_refuses_to_start_with_a_clear_message():
    result = setup_django()

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set." in result.stderr
    assert "or set DEBUG=true for local development." in result.stderr


@pytest.mark.parametrize("key", ["django-insecure-local-development-only", "django-insecure-abc123-copied"])
def test_production_refuses_the_development_key(key):
    result = setup_django(SECRET_KEY=key, ALLOWED_HOSTS="rcpdb.example.org")

    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is the public development key."
        in result.stderr
    )


def manage(*args, **env):
    """``python manage.py *args`` in a fresh interpreter with only ``env`` set."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own code with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT_DEBUG = "from django.conf import settings; print('DEBUG', settings.DEBUG)"


def test_manage_py_in_a_bare_checkout_runs_in_development_mode():
    assert manage("makemigrations", "--check", "--dry-run").stdout.strip() == "No changes detected"
    assert manage("shell", "--no-imports", "-c", PRINT_DEBUG).stdout.strip() == "DEBUG True"


def test_manage_py_with_a_key_of_its_own_stays_in_production_mode():
    result = manage(
        "shell", "--no-imports", "-c", PRINT_DEBUG, SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="rcpdb.example.org"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG False"


def test_the_site_refuses_to_start_without_a_key_even_where_manage_py_would_not():
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    environment["DJANGO_SETTINGS_MODULE"] = "rcpdb.settings"
    result = subprocess.run(  # noqa: S603 - our own code with fixed arguments
        [sys.executable, "-c", "import rcpdb.wsgi"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set." in result.stderr


def test_development_mode_starts_with_nothing_else_set():
    result = setup_django(DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG True"


def test_make_run_and_demo_set_development_mode_themselves():
    makefile = (PROJECT / "Makefile").read_text()
    targets = {}
    for name in ("run", "demo"):
        body = re.search(rf"^{name}: install\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
        targets[name] = [line.strip() for line in body.splitlines() if "manage.py" in line]

    assert targets == {
        "run": [
            "DEBUG=true $(PY) manage.py migrate --noinput",
            "DEBUG=true $(PY) manage.py load_demo --with-demo-users",
            "DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000",
        ],
        "demo": [
            "DEBUG=true $(PY) manage.py migrate --noinput",
            "DEBUG=true $(PY) manage.py load_demo",
        ],
    }


def test_the_wsgi_application_freezes_what_loading_it_made():
    """rcpdb/wsgi.py moves what Django, the apps and the URLconf made out of the collector's reach, so a
    full collection in a worker walks only what requests made since."""
    code = (
        "import gc, sys; import rcpdb.wsgi; "
        "print(gc.get_freeze_count() > 50000, 'processes.views' in sys.modules, "
        "'rcpdb.site.api.views' in sys.modules)"
    )
    result = setup_django(code, DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]
