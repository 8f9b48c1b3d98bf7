"""Whole-page caching for anonymous visitors, invalidated by any content change.

Every cached page is stored under the site-wide *content version*: a token that changes whenever any
record of the ``processes`` or ``workshops`` apps is saved, deleted or has a many-to-many relation
changed (the apps connect the signals in their ``AppConfig.ready()``), and after bulk loads, which
call ``bump_content_version()`` themselves because ``bulk_create`` sends no signal. The token is
written once per transaction, when it commits (one admin save or one demo load: one write). A new
version makes every page stored under the old one unreachable at once (they then expire), so no
visitor sees stale data after an edit in the admin, an import or a command.

Separate stores, so that page traffic can never evict anything else (rcpdb/settings.py, ``CACHES``):
- ``pages``: the cached pages only (bounded: ``PAGE_CACHE_MAX_ENTRIES`` in local memory, or its own
  ``REDIS_PAGES_URL``). Without a ``pages`` alias, the default cache is used (tests that set one cache).
- ``default``: the per-version filter options and charts and anything else the site keeps (import
  previews are the import machinery's).
- ``content_version``: the version token. With ``REDIS_URL`` it is the default cache (Redis, shared by
  every app server, stored without expiry). Without Redis it is ``TokenFileCache``: the token as a plain
  text file in a private folder of the project (``CONTENT_VERSION_DIR``), shared by every process on the
  machine (gunicorn workers, commands) — never a pickle, never in a shared folder such as /tmp.

What is cached (``AnonymousPageCacheMiddleware``, the innermost middleware, so that security headers,
CSRF and sessions are still handled by the outer ones on every request):
- GET requests from anonymous visitors only. A signed-in user (any staff) never gets a cached page,
  and their responses are never stored.
- Keyed on the content version, the active language, whether the browser accepts gzip, the host, the
  path and only the query parameters the page accepts (``accepted_params``: its filters, ``page``,
  ``format``, ``q``...), in a fixed order. A request with any other parameter is served a cached copy of
  the page without it when there is one, and its own answer is never stored, so junk parameters can
  neither evict pages nor plant a page under another address. At most ``MAX_VARIANTS_PER_PAGE`` query
  strings of one page are stored per content version.
- Only 200 responses that set no cookie, use no CSRF token, touch no session or messages, are not
  streamed, carry no ``Cache-Control: private/no-cache/no-store`` (so ``/healthz``, which is
  ``never_cache``, is never stored) and are at most ``MAX_CACHED_BYTES``.
- Never the admin. API responses and CSV/JSON downloads are public data like the pages and are cached
  the same way when they meet the rules above (streamed downloads are not).

Per-version data (``cached_per_version``): what a page computes that is the same for every visitor (the
timeline and its chart, the overlap of memberships, the home page's figures...) is built once per content
version, and per language unless told otherwise, and kept in the ``default`` cache. It serves signed-in
staff too (it holds public data only, and any edit retires it at once): only whole pages are never
served to or stored for them.
"""

import functools
import hashlib
import os
import re
import stat
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache, InvalidCacheBackendError
from django.core.exceptions import ImproperlyConfigured, TooManyFieldsSent
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.http import HttpResponse
from django.urls import Resolver404, resolve, reverse
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
# Distinct query strings of one page (one language, one content version) stored at most.
MAX_VARIANTS_PER_PAGE = 50
VARIANTS_KEY_PREFIX = "rcpdb:page-variants"
# Every page accepts these parameters; list pages and the API add their filters (accepted_params).
LIST_PARAMS = ("page", "format")

_watched_apps = set()


def version_store():
    """The cache that holds the content version (shared by every process of the site)."""
    return _version_cache()


def _version_cache():
    try:
        return caches["content_version"]
    except InvalidCacheBackendError:
        return caches["default"]


def _page_cache():
    try:
        return caches["pages"]
    except InvalidCacheBackendError:
        return caches["default"]


TOKEN_RE = re.compile(r"[0-9A-Za-z_-]{1,128}")


class TokenFileCache(BaseCache):
    """A cache of short text tokens (the content version), one plain text file per key, no pickles.

    ``LOCATION`` is a folder this process creates (mode 0700) or that already belongs to it and that no
    one else may write to; anything else raises ImproperlyConfigured rather than trusting a folder
    another local user could have prepared. Values must be short tokens (letters, digits, ``-``, ``_``);
    a file holding anything else reads as missing. Values never expire (the timeout is ignored): it is
    meant for the content version, which is only ever replaced. Writes are atomic (a temporary file
    renamed or linked into place), so every process on the machine reads either the old or the new token.
    """

    def __init__(self, location, params):
        super().__init__(params)
        self.directory = Path(location)
        self._checked = False

    def _folder(self):
        if not self._checked:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = os.lstat(self.directory)
            if (
                stat.S_ISLNK(info.st_mode)
                or not stat.S_ISDIR(info.st_mode)
                or info.st_uid != os.getuid()
                or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            ):
                raise ImproperlyConfigured(
                    f"The content version folder {self.directory} must be a folder of this user that no one "
                    "else can write to (set CONTENT_VERSION_DIR to a private folder)."
                )
            self._checked = True
        return self.directory

    def _path(self, key, version):
        key = self.make_and_validate_key(key, version=version)
        return self._folder() / hashlib.sha256(key.encode()).hexdigest()

    def _temporary(self, value):
        if not isinstance(value, str) or not TOKEN_RE.fullmatch(value):
            raise ValueError("TokenFileCache keeps short tokens only (letters, digits, - and _).")
        handle, name = tempfile.mkstemp(dir=self._folder(), prefix=".tmp-")
        with os.fdopen(handle, "w") as file:
            file.write(value)
        return name

    def get(self, key, default=None, version=None):
        try:
            handle = os.open(self._path(key, version), os.O_RDONLY | os.O_NOFOLLOW)
        except (FileNotFoundError, OSError):
            return default
        with os.fdopen(handle, "rb") as file:
            value = file.read(200).decode("ascii", "replace").strip()
        return value if TOKEN_RE.fullmatch(value) else default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        os.replace(self._temporary(value), self._path(key, version))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        temporary = self._temporary(value)
        try:
            os.link(temporary, self._path(key, version))  # fails if the key exists: only one add wins
        except FileExistsError:
            return False
        finally:
            os.unlink(temporary)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.has_key(key, version=version)

    def delete(self, key, version=None):
        try:
            os.unlink(self._path(key, version))
        except FileNotFoundError:
            return False
        return True

    def clear(self):
        for path in self._folder().iterdir():
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)


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


DATA_KEY_PREFIX = "rcpdb:data"
# Keyed on the content version: an edit makes the data unreachable at once; this only bounds how long
# data of a retired version stays in the cache.
DATA_SECONDS = 60 * 60 * 24
_MISSING = object()


def cached_per_version(key, builder, *, per_language=True, timeout=DATA_SECONDS):
    """What ``builder()`` returns, built once per content version (and language) and kept in the cache.

    ``key`` names the data (add whatever else it depends on, e.g. ``"timeline:home"``). The value is
    stored in the ``default`` cache under the current content version, so that any content change
    (every save, delete or m2m change of a watched app, and ``bump_content_version()``) retires it at
    once. With ``per_language`` (the default) each language has its own copy: use it whenever the value
    holds translated text (names, labels, rendered markup); ``per_language=False`` for data that reads
    the same in every language (counts, primary keys). ``None`` is a value like any other: it is stored.
    The value must pickle (Redis and local memory both store pickles); each call returns a fresh copy
    from the cache, so a caller may change what it gets without touching what is stored.
    """
    language = (translation.get_language() or settings.LANGUAGE_CODE) if per_language else "*"
    full_key = f"{DATA_KEY_PREFIX}:{content_version()}:{language}:{key}"
    store = caches["default"]
    value = store.get(full_key, _MISSING)
    if value is _MISSING:
        value = builder()
        store.set(full_key, value, timeout)
    return value


# Sent with ``version`` once a new content version is stored (after the commit of the change): the site
# layer builds the bulk data files of that version then (rcpdb/site/bulk.py).
content_changed = Signal()


def _store_new_version():
    version = uuid.uuid4().hex
    _version_cache().set(CONTENT_VERSION_KEY, version, timeout=None)
    content_changed.send(sender=None, version=version)


def bump_content_version(using=None):
    """Make every cached page stale once the current transaction commits (at once outside one).

    Called by the model signals and after any write that sends none (bulk loads). However many
    records one transaction writes, the version is stored once, after the commit
    (``transaction.on_commit``): until then no other connection can read the new data, so a page
    stored meanwhile holds the old data under the old version, which the bump then retires. A
    rolled-back transaction (or savepoint) drops its bump with its writes.
    """
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        callback is _store_new_version for _sids, callback, _robust in connection.run_on_commit
    ):
        return  # this transaction already bumps when it commits
    transaction.on_commit(_store_new_version, using=using)


def _content_changed(sender, using=None, **kwargs):
    if sender._meta.app_label in _watched_apps:
        bump_content_version(using)


def watch_app_models(app_label):
    """Bump the content version on every save, delete and m2m change of ``app_label``'s models."""
    _watched_apps.add(app_label)
    # Connected once without a sender, so that auto-created m2m through models are covered too.
    post_save.connect(_content_changed, dispatch_uid="rcpdb.core.cache.post_save")
    post_delete.connect(_content_changed, dispatch_uid="rcpdb.core.cache.post_delete")
    m2m_changed.connect(_content_changed, dispatch_uid="rcpdb.core.cache.m2m_changed")


def filter_param_names(filterset_class):
    """The query parameters a django-filter FilterSet reads (``name``, or ``name_<suffix>`` for ranges)."""
    names = set()
    for name, filter_ in filterset_class.base_filters.items():
        widget = filter_.extra.get("widget") or filter_.field_class.widget
        suffixes = getattr(widget, "suffixes", None)
        names.update(f"{name}_{suffix}" for suffix in suffixes) if suffixes else names.add(name)
    return names


def accepted_params(request):
    """The query parameters the page at ``request.path_info`` reads; every other one is ignored by it.

    A view declares its own in ``page_cache_params`` (a function attribute or a class attribute); a view
    with a ``filterset_class`` (the public lists and the API's viewsets) adds its filters' parameters.
    An address that resolves to nothing accepts none.
    """
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    return _accepted_params(request.path_info, urlconf)


@functools.lru_cache(maxsize=2048)
def _accepted_params(path_info, urlconf):
    """``accepted_params`` of one address, kept for the last 2,048 addresses asked (a cached page is
    served in ~0.5 ms, of which resolving the address against every URL pattern took ~0.1 ms)."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return frozenset()
    # Django's class-based views, or Django REST framework's viewsets (the API, rcpdb/site/api/).
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    declared = getattr(match.func, "page_cache_params", None) or getattr(view_class, "page_cache_params", ())
    names = set(declared)
    filterset_class = getattr(view_class, "filterset_class", None)
    if filterset_class is not None:
        names |= filter_param_names(filterset_class)
    return frozenset(names)


def page_query(request):
    """(the query string made of the accepted parameters only, in a fixed order; any unknown parameter?)"""
    accepted = accepted_params(request)
    keys = set(request.GET)
    pairs = [(key, value) for key in sorted(keys & accepted) for value in request.GET.getlist(key)]
    return urlencode(pairs), bool(keys - accepted)


def _key_parts(request, version):
    language = translation.get_language() or settings.LANGUAGE_CODE
    # A page compressed for a browser that accepts gzip (GZipMiddleware) must not reach one that does not.
    encoding = "gzip" if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "") else "identity"
    return f"{version or content_version()}:{language}:{encoding}"


def _digest(text):
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def page_cache_key(request, version=None, query=None):
    """The cache key of the page: the version, language, encoding, host, path and accepted parameters."""
    if query is None:
        query, _unknown = page_query(request)
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"{PAGE_KEY_PREFIX}:{_key_parts(request, version)}:{_digest(url)}"


def _may_store_variant(request, version, query):
    """False once ``MAX_VARIANTS_PER_PAGE`` query strings of this page are stored under ``version``."""
    if not query:
        return True  # the page itself, without parameters, always
    store = _page_cache()
    key = f"{VARIANTS_KEY_PREFIX}:{_key_parts(request, version)}:{_digest(request.get_host() + request.path)}"
    seconds = getattr(settings, "PAGE_CACHE_SECONDS", PAGE_SECONDS)
    store.add(key, 0, seconds)
    try:
        return store.incr(key) <= MAX_VARIANTS_PER_PAGE
    except ValueError:  # evicted in between: store nothing this time
        return False


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


def _stored_copy(response):
    """What the page cache stores of ``response``: its status, headers and bytes, as a plain
    ``HttpResponse``. A Django REST framework ``Response`` would also pickle its ``data`` (every record
    of the page, as Python objects), which each hit would unpickle for nothing."""
    copy = HttpResponse(response.content, status=response.status_code, reason=response.reason_phrase)
    for header, value in response.items():
        copy[header] = value
    return copy


class AnonymousPageCacheMiddleware:
    """Serve and store whole pages for anonymous GET requests; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", PAGE_SECONDS)
        if seconds <= 0 or not _is_cacheable_request(request):
            return self.get_response(request)
        try:
            query, unknown = page_query(request)
        except TooManyFieldsSent:
            return self.get_response(request)  # the view answers with its own 400
        version = content_version()
        key = page_cache_key(request, version, query)
        cached = _page_cache().get(key)
        if cached is not None:
            cached[CACHE_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if unknown:
            return response  # never stored: the answer to junk parameters is not the page's
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated  # e.g. the view just logged someone in
        if (
            not signed_in
            and _is_storable_response(request, response)
            and _may_store_variant(request, version, query)
        ):
            _page_cache().set(key, _stored_copy(response), seconds)
            response[CACHE_HEADER] = "miss"
        return response
