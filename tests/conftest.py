"""Fixtures every test shares, and the isolation of parallel workers (pytest-xdist).

Under ``pytest -n`` each worker gets its own test database (pytest-django names it per worker) and,
here, its own Redis database and file-cache folder, so that one worker's ``cache.clear()`` never empties
another's cache in the middle of a test.
"""

import atexit
import os
import re
import shutil

import pytest


def _isolate_parallel_worker():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    index = int(worker[2:])
    from django.conf import settings

    def own_redis_db(url):
        # redis://host:port/15 -> /15 for gw0, /14 for gw1, ...: one database per worker.
        return re.sub(r"/(\d+)$", lambda match: f"/{(int(match.group(1)) - index) % 16}", url)

    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = own_redis_db(os.environ["REDIS_URL"])
        settings.REDIS_URL = os.environ["REDIS_URL"]
    for config in settings.CACHES.values():
        backend = config["BACKEND"].lower()
        if "redis" in backend:
            config["LOCATION"] = own_redis_db(config["LOCATION"])
        elif "filebased" in backend:
            config["LOCATION"] = f"{config['LOCATION']}-{worker}"
        elif "tokenfilecache" in backend:
            # The content version's folder: the workers inherit the first process's; each gets its own
            # (and the commands a test starts read the same one).
            config["LOCATION"] = f"{config['LOCATION']}-{worker}"
            os.environ["CONTENT_VERSION_DIR"] = config["LOCATION"]
            atexit.register(shutil.rmtree, config["LOCATION"], ignore_errors=True)


_isolate_parallel_worker()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_page_cache(settings):
    # Nothing cached (rcpdb/core/cache.py) leaks from one test into the next. The anonymous page cache is
    # off, so that query-count guards measure the views; tests/site/test_cache.py turns it on.
    from django.core.cache import cache, caches

    cache.clear()
    caches["pages"].clear()
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _english_by_default():
    # A request to /fr/ leaves French active in the thread (LocaleMiddleware activates, nothing resets):
    # each test starts in English, so records made by factories get their English fields.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database without the states and regions the migrations ship (0008_states_data).

    Tests make the states and regions they need (tests/factories.py) and count on the others not
    being there; tests/processes/test_states_iso.py loads the shipped ones itself and checks the
    migration on a database of its own making.
    """
    with django_db_blocker.unblock():
        from processes.models import Region, State

        State.objects.all().delete()
        Region.objects.update(parent=None)
        Region.objects.all().delete()


@pytest.fixture
def shipped_states(db):
    """The states and M49 regions the migration ships (what every real database has), made with the
    migration's own code; without history entries, as the migration writes none."""
    from processes.models import Region, State
    from processes.state_reference import ensure_states

    ensure_states(State, Region)
    State.history.all().delete()
    Region.history.all().delete()


@pytest.fixture(autouse=True)
def _private_import_previews(settings, tmp_path_factory):
    # Import previews (processes/imports.py) go to a folder of the test session, not the project's.
    settings.IMPORT_PREVIEW_DIR = str(tmp_path_factory.getbasetemp() / "import-previews")


@pytest.fixture
def editor_groups(db):
    """The editor groups and their permissions, made with the migration's own code.

    The test database has them from ``migrate``; this makes them again after a ``transactional_db``
    test has flushed every table (rerunning the migration's code changes nothing otherwise).
    """
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    schema_editor = SimpleNamespace(connection=connection)
    importlib.import_module("rcpdb.site.migrations.0001_editor_groups").set_up_editor_groups(
        apps, schema_editor
    )
    importlib.import_module("rcpdb.site.migrations.0003_process_editors_add_sources").grant(
        apps, schema_editor
    )
