"""Issue 21, items 4 and 5: junk query parameters cannot flush the page cache, pages live in a cache alias of
their own, and the content version is never a pickle in a file cache (local memory and a real Redis).

The Redis run needs ``REDIS_URL`` (a database of its own); it skips without it, except under CI.
"""

import os
import pickle
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rcpdb.core import cache as page_cache
from tests import factories as f

PROJECT = Path(__file__).resolve().parents[2]
THEMES = reverse("processes:theme-list")
SEARCH = reverse("search")


def redis_url_or_skip():
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        message = (
            "REDIS_URL is not set: start redis-server and set REDIS_URL to run the cache tests on Redis."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return redis_url


@pytest.fixture(params=["locmem", "redis"])
def backend(request, settings, tmp_path):
    """The site's own cache layout (rcpdb/settings.py) on one backend, empty and isolated."""
    settings.PAGE_CACHE_SECONDS = 300
    if request.param == "locmem":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "hardening-state",
                "OPTIONS": {"MAX_ENTRIES": 300},
            },
            "pages": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "hardening-pages",
                "OPTIONS": {"MAX_ENTRIES": 300},
            },
            "content_version": {
                "BACKEND": "rcpdb.core.cache.TokenFileCache",
                "LOCATION": str(tmp_path / "content-version"),
            },
        }
        for alias in settings.CACHES:
            caches[alias].clear()
        yield request.param
        return
    redis_url = redis_url_or_skip()
    import redis

    prefix = f"rcpdb-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"{prefix}-pages",
        },
    }
    yield request.param
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def get_counting_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response, len(context.captured_queries)


# --- Item 4: keys from the accepted parameters only ---------------------------------------------------


@pytest.mark.django_db
def test_a_flood_of_unknown_parameters_leaves_the_cached_page_cached(backend, client):
    f.ThemeFactory(name="Labour migration")
    assert client.get(THEMES)[page_cache.CACHE_HEADER] == "miss"
    caches["default"].set("sentinel", "kept")
    version = page_cache.content_version()

    flood = [client.get(f"/robots.txt?n={number}") for number in range(1000)]
    flood += [client.get(f"{THEMES}?junk={number}") for number in range(1000)]
    page, queries = get_counting_queries(client, THEMES)

    assert {response.status_code for response in flood} == {200}
    assert page.status_code == 200
    assert page[page_cache.CACHE_HEADER] == "hit"
    assert queries == 0
    assert "Labour migration" in page.content.decode()
    # The junk requests to the themes page were answered from the page's own entry, and none was stored.
    assert {response.get(page_cache.CACHE_HEADER) for response in flood[1000:]} == {"hit"}
    assert {response.get(page_cache.CACHE_HEADER) for response in flood[:1000]} == {None}
    assert caches["default"].get("sentinel") == "kept"
    assert page_cache.content_version() == version


@pytest.mark.django_db
def test_an_answer_to_unknown_parameters_is_never_stored(backend, client):
    junk = client.get(f"{THEMES}?utm_source=<b>planted</b>")
    page = client.get(THEMES)

    assert junk.status_code == 200
    assert page_cache.CACHE_HEADER not in junk
    assert page[page_cache.CACHE_HEADER] == "miss"
    assert "planted" not in page.content.decode()


@pytest.mark.django_db
def test_only_accepted_parameters_make_the_key_in_a_fixed_order(backend, client):
    first = client.get(f"{THEMES}?page=1&q=mig")
    same = client.get(f"{THEMES}?q=mig&junk=1&page=1")
    other = client.get(f"{THEMES}?page=1")

    assert first[page_cache.CACHE_HEADER] == "miss"
    assert same[page_cache.CACHE_HEADER] == "hit"
    assert other[page_cache.CACHE_HEADER] == "miss"


@pytest.mark.django_db
def test_the_accepted_parameters_of_each_kind_of_page(rf):
    def accepted(path):
        return set(page_cache.accepted_params(rf.get(path)))

    assert accepted(THEMES) == {"page", "format", "q"}
    assert accepted(reverse("workshops:workshop-list")) == {
        *("page", "format", "q", "kind", "ordering", "process", "year", "date_after", "date_before")
    }
    assert accepted(SEARCH) == {"q"}
    assert accepted(reverse("processes:compare")) == {"p"}
    # ?format= (json or the browsable api) and ?lang= change the answer, so they key the cache too.
    assert accepted(reverse("api:themes-list")) == {"format", "lang", "page", "page_size", "q"}
    assert accepted("/robots.txt") == set()
    assert accepted("/no-such-page/") == set()


@pytest.mark.django_db
def test_query_strings_of_one_page_are_bounded(backend, client):
    client.get(THEMES)
    searches = [
        client.get(f"{SEARCH}?q=word{number}") for number in range(page_cache.MAX_VARIANTS_PER_PAGE + 10)
    ]

    stored = [response.get(page_cache.CACHE_HEADER) for response in searches]
    page, queries = get_counting_queries(client, THEMES)
    first_search, first_queries = get_counting_queries(client, f"{SEARCH}?q=word0")
    last_search, last_queries = get_counting_queries(client, f"{SEARCH}?q=word{len(searches) - 1}")

    assert stored == ["miss"] * page_cache.MAX_VARIANTS_PER_PAGE + [None] * 10
    assert (page[page_cache.CACHE_HEADER], queries) == ("hit", 0)
    assert (first_search[page_cache.CACHE_HEADER], first_queries) == ("hit", 0)
    assert page_cache.CACHE_HEADER not in last_search
    assert last_queries > 0


# --- Item 5: the content version outside the page cache, never a pickle ------------------------------


@pytest.mark.django_db
def test_the_version_survives_a_flood_that_evicts_pages(backend, client, settings):
    f.ThemeFactory(name="Asylum")
    page_cache.bump_content_version()
    version = page_cache.content_version()
    filter_key = "rcpdb:test-filter-options"
    caches["default"].set(filter_key, ["asylum"])

    for number in range(400):  # more pages than the local-memory page cache holds
        caches["pages"].set(f"filler-{number}", "x" * 100)

    assert page_cache.content_version() == version
    assert caches["default"].get(filter_key) == ["asylum"]


def test_the_version_is_shared_by_two_separate_file_stores(tmp_path):
    one = page_cache.TokenFileCache(str(tmp_path / "version"), {})
    two = page_cache.TokenFileCache(str(tmp_path / "version"), {})

    assert one.add("v", "first") is True
    assert two.add("v", "second") is False
    assert two.get("v") == "first"
    two.set("v", "third")
    assert one.get("v") == "third"


def test_the_version_is_shared_by_two_separate_redis_clients():
    redis_url = redis_url_or_skip()
    prefix = f"rcpdb-test-{uuid.uuid4().hex}"
    one = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    two = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    try:
        one.set(page_cache.CONTENT_VERSION_KEY, "abc", timeout=None)
        assert two.get(page_cache.CONTENT_VERSION_KEY) == "abc"
    finally:
        one.delete(page_cache.CONTENT_VERSION_KEY)


class Planted:
    def __reduce__(self):
        return (os.system, ("touch /tmp/rcpdb-planted-pickle-ran",))


def test_a_planted_pickle_is_never_loaded(tmp_path):
    store = page_cache.TokenFileCache(str(tmp_path / "version"), {})
    store.set(page_cache.CONTENT_VERSION_KEY, "genuine")
    path = next((tmp_path / "version").iterdir())
    path.write_bytes(pickle.dumps(Planted()))

    assert store.get(page_cache.CONTENT_VERSION_KEY) is None
    assert not Path("/tmp/rcpdb-planted-pickle-ran").exists()  # noqa: S108
    with pytest.raises(ValueError, match="short tokens only"):
        store.set(page_cache.CONTENT_VERSION_KEY, Planted())


def test_a_folder_others_can_write_to_is_refused(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)

    with pytest.raises(ImproperlyConfigured, match="no one else can write to"):
        page_cache.TokenFileCache(str(folder), {}).get("v")


CACHES_CONFIGURED = """
import json, django
django.setup()
from django.conf import settings
caches = {alias: (conf["BACKEND"], str(conf.get("LOCATION", ""))) for alias, conf in settings.CACHES.items()}
print(json.dumps(caches))
"""


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/4"])
def test_no_file_based_cache_is_configured(redis_url):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "rcpdb.settings", "DEBUG": "true"}
    environment.pop("CONTENT_VERSION_DIR", None)
    environment["REDIS_URL"] = redis_url

    result = subprocess.run(  # noqa: S603 - our own code with fixed arguments
        [sys.executable, "-c", CACHES_CONFIGURED],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    import json

    caches_configured = json.loads(result.stdout.strip().splitlines()[-1])
    backends = {alias: backend for alias, (backend, _location) in caches_configured.items()}
    assert "django.core.cache.backends.filebased.FileBasedCache" not in backends.values()
    # Nothing in a shared folder such as /tmp: a folder is the project's own (wherever it is checked out).
    folders = [
        Path(location) for _backend, location in caches_configured.values() if location.startswith("/")
    ]
    if not redis_url:
        assert len(folders) == 1  # the content version's token folder
    assert all(folder.is_relative_to(PROJECT) for folder in folders)
    if redis_url:
        assert backends == {
            "default": "django.core.cache.backends.redis.RedisCache",
            "pages": "django.core.cache.backends.redis.RedisCache",
        }
    else:
        assert backends == {
            "default": "django.core.cache.backends.locmem.LocMemCache",
            "pages": "django.core.cache.backends.locmem.LocMemCache",
            "content_version": "rcpdb.core.cache.TokenFileCache",
        }
        assert caches_configured["content_version"][1] == str(PROJECT / "var" / "content-version")
