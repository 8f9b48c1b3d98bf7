"""Whole-page caching for anonymous visitors (rcpdb/core/cache.py), on local memory and on a real Redis.

The Redis run needs ``REDIS_URL`` (use a database of its own, e.g. redis://127.0.0.1:6379/15): it
skips without it, except under CI, where a missing Redis fails the run.
"""

import os
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from processes import models as pm
from rcpdb.core import cache as page_cache
from tests import factories as f
from tests.admin_forms import record_state

THEMES = reverse("processes:theme-list")


@pytest.fixture(params=["locmem", "redis"])
def backend(request, settings):
    """The page and version caches of one backend, empty, isolated from other processes' tests."""
    settings.PAGE_CACHE_SECONDS = 300
    if request.param == "locmem":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "test-cache-pages",
            },
            "content_version": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "test-cache-version",
            },
        }
        caches["default"].clear()
        caches["content_version"].clear()
        yield request.param
        return

    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        message = (
            "REDIS_URL is not set: start redis-server and set REDIS_URL to run the cache tests on Redis."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    import redis

    prefix = f"rcpdb-test-{uuid.uuid4().hex}"
    # As in production: one Redis holds the pages and the content version.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    yield request.param
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def get_counting_queries(client, url, **extra):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **extra)
    return response, len(context.captured_queries)


def test_page_cache_off_serves_nothing_from_the_cache(backend, client, db, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(THEMES)

    response, queries = get_counting_queries(client, THEMES)

    assert page_cache.CACHE_HEADER not in response
    assert queries > 0


def test_backend_is_the_one_asked_for(backend):
    expected = {
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "redis": "django.core.cache.backends.redis.RedisCache",
    }[backend]

    cache = caches["default"]

    assert f"{type(cache).__module__}.{type(cache).__name__}" == expected


def test_anonymous_visitor_gets_the_cached_page_without_queries(backend, client, db):
    f.ThemeFactory(name="Labour migration")
    first, first_queries = get_counting_queries(client, THEMES)

    second, second_queries = get_counting_queries(client, THEMES)

    assert first.status_code == 200
    assert first[page_cache.CACHE_HEADER] == "miss"
    assert first_queries > 0
    assert second.status_code == 200
    assert second[page_cache.CACHE_HEADER] == "hit"
    assert second_queries == 0
    assert second.content == first.content
    assert "Labour migration" in second.content.decode()


def test_an_api_answer_is_stored_as_its_bytes_and_headers(backend, client, db):
    """A cached API answer is a plain response: what was sent, without the serialized records that a
    Django REST framework ``Response`` carries beside its bytes (each hit would unpickle them)."""
    f.ThemeFactory(name="Labour migration")
    url = reverse("api:themes-list")
    first, _first_queries = get_counting_queries(client, url, headers={"accept-encoding": "gzip"})

    second, queries = get_counting_queries(client, url, headers={"accept-encoding": "gzip"})

    assert hasattr(first, "data")  # the view's own answer, a Django REST framework Response
    assert (first[page_cache.CACHE_HEADER], second[page_cache.CACHE_HEADER]) == ("miss", "hit")
    assert (type(second), hasattr(second, "data"), queries) == (HttpResponse, False, 0)
    assert (second.status_code, second.content) == (200, first.content)
    sent = {name: value for name, value in first.items() if name != page_cache.CACHE_HEADER}
    assert {name: value for name, value in second.items() if name != page_cache.CACHE_HEADER} == sent
    assert sent["Content-Encoding"] == "gzip"
    assert sent["Content-Type"] == "application/json; charset=utf-8"


def test_the_parameters_an_address_accepts_are_looked_up_once(rf, db, monkeypatch, settings):
    page_cache._accepted_params.cache_clear()
    resolved = []
    original = page_cache.resolve

    def counting(path, urlconf=None):
        resolved.append(path)
        return original(path, urlconf)

    monkeypatch.setattr(page_cache, "resolve", counting)
    search = reverse("search")

    first = page_cache.accepted_params(rf.get(f"{search}?q=border"))
    again = page_cache.accepted_params(rf.get(f"{search}?q=labour&page=2"))
    themes = page_cache.accepted_params(rf.get(THEMES))
    settings.ROOT_URLCONF = "tests.processes_alone.urls"  # another site: its own answer
    elsewhere = page_cache.accepted_params(rf.get(search))

    assert (first, again, themes) == ({"q"}, {"q"}, {"page", "format", "q"})
    assert elsewhere == frozenset()
    assert resolved == [search, THEMES, search]
    page_cache._accepted_params.cache_clear()


def test_cached_page_still_gets_the_security_headers(backend, client, db):
    first = client.get(THEMES)

    second = client.get(THEMES)

    assert second[page_cache.CACHE_HEADER] == "hit"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert second["X-Content-Type-Options"] == "nosniff"


def test_query_string_is_part_of_the_key(backend, client, db):
    client.get(THEMES)

    other, other_queries = get_counting_queries(client, THEMES + "?page=1")
    again, again_queries = get_counting_queries(client, THEMES + "?page=1")

    assert other[page_cache.CACHE_HEADER] == "miss"
    assert other_queries > 0
    assert again[page_cache.CACHE_HEADER] == "hit"
    assert again_queries == 0


def test_admin_edit_shows_at_once_to_an_anonymous_visitor(backend, client, admin_client, transactional_db):
    theme = f.ThemeFactory(name="Labour migration", slug="labour-migration")
    client.get(THEMES)
    assert client.get(THEMES)[page_cache.CACHE_HEADER] == "hit"

    url = reverse("admin:processes_theme_change", args=[theme.pk])
    edit = admin_client.post(
        url,
        {"name_en": "Labour mobility", "slug": "labour-migration", "description_en": ""}
        | record_state(admin_client, url),
    )
    response, queries = get_counting_queries(client, THEMES)

    assert edit.status_code == 302
    assert response[page_cache.CACHE_HEADER] == "miss"
    assert queries > 0
    assert "Labour mobility" in response.content.decode()
    assert "Labour migration" not in response.content.decode()


def test_model_save_invalidates(backend, client, transactional_db):
    theme = f.ThemeFactory(name="Asylum")
    client.get(THEMES)

    theme.name = "Asylum and protection"
    theme.save()
    response = client.get(THEMES)

    assert response[page_cache.CACHE_HEADER] == "miss"
    assert "Asylum and protection" in response.content.decode()


def test_model_delete_invalidates(backend, client, transactional_db):
    f.ThemeFactory(name="Asylum")
    gone = f.ThemeFactory(name="Smuggling")
    client.get(THEMES)

    gone.delete()
    response = client.get(THEMES)

    assert response[page_cache.CACHE_HEADER] == "miss"
    assert "Smuggling" not in response.content.decode()
    assert "Asylum" in response.content.decode()


def test_many_to_many_change_invalidates(backend, client, transactional_db):
    process = f.ProcessFactory(short_name="Puebla Process", slug="puebla")
    theme = f.ThemeFactory(name="Asylum", slug="asylum")
    url = reverse("processes:theme-detail", kwargs={"slug": "asylum"})
    before = client.get(url)
    version = page_cache.content_version()

    process.themes.add(theme)
    response = client.get(url)

    assert "Puebla Process" not in before.content.decode()
    assert page_cache.content_version() != version
    assert response[page_cache.CACHE_HEADER] == "miss"
    assert "Puebla Process" in response.content.decode()


def test_a_change_in_another_app_invalidates_too(backend, client, transactional_db):
    client.get(THEMES)
    version = page_cache.content_version()

    f.WorkshopFactory()

    assert page_cache.content_version() != version
    assert client.get(THEMES)[page_cache.CACHE_HEADER] == "miss"


def test_changes_outside_the_content_apps_keep_the_cache(backend, client, db):
    client.get(THEMES)
    version = page_cache.content_version()

    f.UserFactory()

    assert page_cache.content_version() == version
    assert client.get(THEMES)[page_cache.CACHE_HEADER] == "hit"


def test_one_transaction_bumps_the_version_once_after_it_commits(
    backend, db, django_capture_on_commit_callbacks
):
    before = page_cache.content_version()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        theme = f.ThemeFactory()
        process = f.ProcessFactory()
        process.themes.add(theme)
        theme.delete()
        page_cache.bump_content_version()
        during = page_cache.content_version()

    after = page_cache.content_version()
    assert callbacks == [page_cache._store_new_version]
    assert during == before  # no other connection sees the new data before the commit either
    assert after != before


def test_a_rolled_back_savepoint_drops_its_bump_and_a_later_write_bumps(
    backend, db, django_capture_on_commit_callbacks
):
    before = page_cache.content_version()

    with (
        django_capture_on_commit_callbacks(execute=True) as rolled_back,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        f.ThemeFactory()
        raise RuntimeError("roll back")
    unchanged = page_cache.content_version()
    with django_capture_on_commit_callbacks(execute=True) as committed:
        f.ThemeFactory()

    assert rolled_back == []
    assert unchanged == before
    assert committed == [page_cache._store_new_version]
    assert page_cache.content_version() != before


def test_a_write_outside_a_transaction_bumps_the_version_at_once(backend, transactional_db):
    before = page_cache.content_version()

    f.ThemeFactory()  # autocommit: committed, so bumped, before the call returns
    between = page_cache.content_version()
    f.ThemeFactory()

    assert between != before
    assert page_cache.content_version() not in (before, between)


def test_staff_never_get_a_cached_page_nor_store_one(backend, client, admin_client, db):
    f.ThemeFactory(name="Asylum")
    client.get(THEMES)  # an anonymous visitor fills the cache

    staff_first, staff_first_queries = get_counting_queries(admin_client, THEMES)
    staff_again, staff_again_queries = get_counting_queries(admin_client, THEMES)

    assert staff_first.status_code == 200
    assert page_cache.CACHE_HEADER not in staff_first
    assert page_cache.CACHE_HEADER not in staff_again
    assert staff_first_queries > 0
    assert staff_again_queries == staff_first_queries


def test_staff_pages_are_not_served_to_anonymous_visitors(backend, client, admin_client, db):
    f.ThemeFactory(name="Asylum")
    admin_client.get(THEMES)

    response, queries = get_counting_queries(client, THEMES)

    assert response[page_cache.CACHE_HEADER] == "miss"
    assert queries > 0
    assert "Log out" not in response.content.decode()


def test_each_language_has_its_own_entry(backend, client, db):
    english_url = reverse("processes:theme-list")
    with translation.override("fr"):
        french_url = reverse("processes:theme-list")
    client.get(english_url)

    french, french_queries = get_counting_queries(client, french_url)
    french_again, again_queries = get_counting_queries(client, french_url)
    english, english_queries = get_counting_queries(client, english_url)

    assert (english_url, french_url) == ("/en/themes/", "/fr/themes/")
    assert french[page_cache.CACHE_HEADER] == "miss"
    assert french_queries > 0
    assert '<html lang="fr">' in french.content.decode()
    assert french_again[page_cache.CACHE_HEADER] == "hit"
    assert again_queries == 0
    assert english[page_cache.CACHE_HEADER] == "hit"
    assert english_queries == 0
    assert '<html lang="en">' in english.content.decode()


def test_language_code_is_part_of_the_key(backend, client, db):
    """Addresses without a prefix (the API) follow the browser's language: one entry per language."""
    url = reverse("api:processes-list")
    client.get(url, headers={"accept-language": "en"})

    french = client.get(url, headers={"accept-language": "fr"})
    french_again = client.get(url, headers={"accept-language": "fr"})

    assert french[page_cache.CACHE_HEADER] == "miss"
    assert french_again[page_cache.CACHE_HEADER] == "hit"


def test_a_compressed_page_never_reaches_a_browser_without_gzip(backend, client, db):
    url = reverse("processes:coverage")
    client.get(url, headers={"accept-encoding": "gzip"})
    compressed = client.get(url, headers={"accept-encoding": "gzip"})

    plain = client.get(url, headers={"accept-encoding": "identity"})
    plain_again = client.get(url, headers={"accept-encoding": "identity"})

    assert (compressed[page_cache.CACHE_HEADER], compressed["Content-Encoding"]) == ("hit", "gzip")
    assert plain[page_cache.CACHE_HEADER] == "miss"
    assert "Content-Encoding" not in plain
    assert plain.content.decode().startswith("<!DOCTYPE html>")
    assert plain_again[page_cache.CACHE_HEADER] == "hit"
    assert "Content-Encoding" not in plain_again


def test_not_found_pages_are_not_stored(backend, client, db):
    url = reverse("processes:theme-detail", kwargs={"slug": "nothing-here"})
    client.get(url)

    response, queries = get_counting_queries(client, url)

    assert response.status_code == 404
    assert page_cache.CACHE_HEADER not in response
    assert queries > 0


def test_healthz_is_never_stored(backend, client, db):
    client.get(reverse("healthz"))

    response = client.get(reverse("healthz"))

    assert response.content == b"ok"
    assert page_cache.CACHE_HEADER not in response


def test_admin_login_page_is_never_cached(backend, client, db):
    client.get(reverse("admin:login"))

    response = client.get(reverse("admin:login"))

    assert response.status_code == 200
    assert page_cache.CACHE_HEADER not in response


def test_bulk_writes_bump_the_version_when_asked(backend, client, transactional_db):
    client.get(THEMES)

    pm.Theme.objects.bulk_create([pm.Theme(name="Return", slug="return")])
    stale = client.get(THEMES)
    page_cache.bump_content_version()
    fresh = client.get(THEMES)

    # bulk_create sends no signal: that is why bulk loads call bump_content_version() themselves.
    assert stale[page_cache.CACHE_HEADER] == "hit"
    assert fresh[page_cache.CACHE_HEADER] == "miss"
    assert "Return" in fresh.content.decode()


def test_loading_the_demo_makes_cached_pages_stale(client, transactional_db, shipped_states, settings):
    from rcpdb.site import demo as services

    settings.PAGE_CACHE_SECONDS = 300  # the default caches: loading the demo once is slow enough
    client.get(THEMES)

    services.load_demo()
    response = client.get(THEMES)

    assert response[page_cache.CACHE_HEADER] == "miss"
    assert "Trafficking in persons" in response.content.decode()


@pytest.mark.parametrize(
    ("vary", "second_request"),
    [(None, "hit"), ("Accept-Language", "hit"), ("Cookie", "hit"), ("Accept", None), ("*", None)],
)
def test_only_responses_varying_on_keyed_headers_are_stored(backend, rf, db, vary, second_request):
    def view(request):
        response = HttpResponse("negotiated")
        if vary:
            response["Vary"] = vary
        return response

    middleware = page_cache.AnonymousPageCacheMiddleware(view)
    request = rf.get("/negotiated/")
    request.user = AnonymousUser()

    middleware(request)
    second = middleware(request)

    assert second.get(page_cache.CACHE_HEADER) == second_request
