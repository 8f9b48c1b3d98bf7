"""Whole-page caching for anonymous visitors, invalidated by any content change.

Every cached page is stored under the site-wide *content version*: a token that changes whenever any
record of the ``processes`` or ``workshops`` apps is saved, deleted or has a many-to-many relation
changed (the apps connect the signals in their ``AppConfig.ready()``), and after bulk loads, which
call ``bump_content_version()`` themselves because ``bulk_create`` sends no signal. A new version
makes every page stored under the old one unreachable at once (they then expire), so no visitor sees
stale data after an edit in the admin, an import or a command.

The version is kept in the ``content_version`` cache when settings define one, else in the default
cache. With several app processes, the version must live where all of them see it: Redis when
``REDIS_URL`` is set; otherwise a small file cache on the machine (see ``rcpdb/settings.py``), so that
gunicorn workers and management commands on one machine agree.

What is cached (``AnonymousPageCacheMiddleware``, the innermost middleware, so that security headers,
CSRF and sessions are still handled by the outer ones on every request):
- GET requests from anonymous visitors only. A signed-in user (any staff) never gets a cached page,
  and their responses are never stored.
- Keyed on the content version, the active language, whether the browser accepts gzip and the full URL
  (host, path and query string).
- Only 200 responses that set no cookie, use no CSRF token, touch no session or messages, are not
  streamed, carry no ``Cache-Control: private/no-cache/no-store`` (so ``/healthz``, which is
  ``never_cache``, is never stored) and are at most ``MAX_CACHED_BYTES``.
- Never the admin. API responses and CSV/JSON downloads are public data like the pages and are cached
  the same way when they meet the rules above (streamed downloads are not).
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import translation
from django.utils.cache import cc_delim_re

CONTENT_VERSION_KEY = "rcpdb:content-version"
PAGE_KEY_PREFIX = "rcpdb:page"
# Old versions are unreachable at once; their entries just need to go away eventually.
# settings.PAGE_CACHE_SECONDS overrides it; 0 turns the page cache off (the test suite's default, so that
# query-count guards measure the views: tests/site/test_cache.py turns it on).
PAGE_SECONDS = 60 * 60 * 24
MAX_CACHED_BYTES = 1024 * 1024
CACHE_HEADER = "X-Page-Cache"
KEYED_VARY_HEADERS = {"cookie", "accept-language", "accept-encoding"}

_watched_apps = set()


def _version_cache():
    try:
        return caches["content_version"]
    except InvalidCacheBackendError:
        return caches["default"]


def _page_cache():
    return caches["default"]


def content_version():
    """The current content version; a new one is made (and kept) if none is stored yet."""
    store = _version_cache()
    version = store.get(CONTENT_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add(): when two processes start at once, both end up using the first one stored.
        if not store.add(CONTENT_VERSION_KEY, version, timeout=None):
            version = store.get(CONTENT_VERSION_KEY) or version
    return version


def _store_new_version():
    _version_cache().set(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump_content_version():
    """Make every cached page stale. Call after any write that sends no model signal (bulk loads).

    Bumped at once (so the writing connection never reads an old page) and again when the current
    transaction commits: a visitor reading between the two saw the old data and stored it under the
    first new version, which the second bump retires.
    """
    _store_new_version()
    transaction.on_commit(_store_new_version)


def _content_changed(sender, **kwargs):
    if sender._meta.app_label in _watched_apps:
        bump_content_version()


def watch_app_models(app_label):
    """Bump the content version on every save, delete and m2m change of ``app_label``'s models."""
    _watched_apps.add(app_label)
    # Connected once without a sender, so that auto-created m2m through models are covered too.
    post_save.connect(_content_changed, dispatch_uid="rcpdb.cache.post_save")
    post_delete.connect(_content_changed, dispatch_uid="rcpdb.cache.post_delete")
    m2m_changed.connect(_content_changed, dispatch_uid="rcpdb.cache.m2m_changed")


def page_cache_key(request, version=None):
    url = request.build_absolute_uri()
    digest = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()
    language = translation.get_language() or settings.LANGUAGE_CODE
    # A page compressed for a browser that accepts gzip (GZipMiddleware) must not reach one that does not.
    encoding = "gzip" if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "") else "identity"
    return f"{PAGE_KEY_PREFIX}:{version or content_version()}:{language}:{encoding}:{digest}"


def _admin_prefix():
    try:
        return reverse("admin:index")
    except Exception:  # noqa: BLE001 - a site without the admin has nothing to exclude
        return None


def _is_cacheable_request(request):
    if request.method != "GET":
        return False
    admin = _admin_prefix()
    if admin and request.path.startswith(admin):
        return False
    # Any signed-in user (staff) is served fresh pages: checked only after the cheap tests above.
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _is_storable_response(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # The key already holds the language; anonymous pages do not depend on the cookie. A page that
    # varies on anything else (Accept, a custom header) would be served to the wrong visitor.
    vary = {
        header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header.strip()
    }
    if vary - KEYED_VARY_HEADERS:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    # A page with a CSRF token embeds a per-visitor secret; the session or messages may have changed.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "added_new", False):
        return False
    return len(response.content) <= MAX_CACHED_BYTES


class AnonymousPageCacheMiddleware:
    """Serve and store whole pages for anonymous GET requests; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", PAGE_SECONDS)
        if seconds <= 0 or not _is_cacheable_request(request):
            return self.get_response(request)
        version = content_version()
        key = page_cache_key(request, version)
        cached = _page_cache().get(key)
        if cached is not None:
            cached[CACHE_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated  # e.g. the view just logged someone in
        if not signed_in and _is_storable_response(request, response):
            _page_cache().set(key, response, seconds)
            response[CACHE_HEADER] = "miss"
        return response
