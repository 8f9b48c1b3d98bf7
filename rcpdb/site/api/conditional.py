"""``ETag`` and ``Last-Modified`` of the open data from the content version (rcpdb/core/cache.py), and
``304 Not Modified`` for a client that sends them back.

The validators are set by the views (``set_version_headers``) and checked by
``ConditionalGetMiddleware``, which sits outside the page cache so that a cached answer is
revalidated too. The time of a version is when the site first served it (``version_time``).
"""

import hashlib
import time

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

from rcpdb.core import cache as page_cache

VERSION_TIME_KEY = f"{page_cache.CONTENT_VERSION_KEY}-time"


def version_time(version):
    """When ``version`` was first served (seconds since the epoch), kept beside the content version
    as the token ``<version>_<seconds>`` (one key, replaced when the version changes)."""
    store = page_cache.version_store()
    stored = store.get(VERSION_TIME_KEY) or ""
    stored_version, _sep, seconds = stored.partition("_")
    if stored_version == version and seconds.isdigit():
        return int(seconds)
    now = int(time.time())
    store.set(VERSION_TIME_KEY, f"{version}_{now}", timeout=None)
    return now


def set_version_headers(request, response, *, version=None, extra=""):
    """An ETag of the content version, the address and the language; Last-Modified of the version."""
    version = version or page_cache.content_version()
    accepted = getattr(response, "accepted_media_type", "") or ""
    digest = hashlib.sha256(
        f"{version}|{request.get_full_path()}|{get_language()}|{accepted}|{extra}".encode(
            "utf-8", "surrogateescape"
        )
    ).hexdigest()[:32]
    response["ETag"] = f'"{digest}"'
    response["Last-Modified"] = http_date(version_time(version))
    return response


class ConditionalGetMiddleware:
    """``304 Not Modified`` for the open data (``/api/``) when the client's validators still match."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or not request.path.startswith("/api/"):
            return response
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified") or "")
        if response.status_code != 200 or not (etag or last_modified):
            return response
        answer = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        if answer is not response:
            response.close()  # a file being served (rcpdb/site/api/files.py) is closed at once
        return answer
