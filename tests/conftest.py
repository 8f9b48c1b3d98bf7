import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_page_cache(settings):
    # Nothing cached (rcpdb/cache.py) leaks from one test into the next. The anonymous page cache is
    # off, so that query-count guards measure the views; tests/site/test_cache.py turns it on.
    from django.core.cache import cache

    cache.clear()
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _english_by_default():
    # A request to /fr/ leaves French active in the thread (LocaleMiddleware activates, nothing resets):
    # each test starts in English, so records made by factories get their English fields.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _private_import_previews(settings, tmp_path_factory):
    # Import previews (processes/imports.py) go to a folder of the test session, not the project's.
    settings.IMPORT_PREVIEW_DIR = str(tmp_path_factory.getbasetemp() / "import-previews")
