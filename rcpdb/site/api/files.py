"""The bulk files (rcpdb/site/bulk.py) served as files: ``FileResponse`` with ``Content-Length``,
``ETag`` and ``Last-Modified``; the gzip copy to clients that accept gzip. Never built per request
(once per content version, after the change commits or by ``manage.py build_open_data``)."""

import hashlib
import os

from django.http import FileResponse, Http404
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from rcpdb.site import bulk

CONTENT_TYPES = {".json": "application/json", ".csv": "text/csv; charset=utf-8"}


def _serve(request, name, *, download_name=None):
    folder = bulk.ensure_built()
    if name not in bulk.file_names(folder):
        raise Http404(_("There is no such file in the data package."))
    path = folder / name
    gzipped = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    if gzipped:
        path = folder / f"{name}.gz"
    info = os.stat(path)
    # FileResponse closes the file when the response is done.
    response = FileResponse(open(path, "rb"), content_type=CONTENT_TYPES[os.path.splitext(name)[1]])  # noqa: SIM115
    if gzipped:
        response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it alone
    if download_name:
        response["Content-Disposition"] = f'attachment; filename="{download_name}"'
    tag = hashlib.sha256(f"{folder.name}/{path.name}/{info.st_size}".encode()).hexdigest()[:32]
    response["ETag"] = f'"{tag}"'
    response["Last-Modified"] = http_date(int(info.st_mtime))
    response["Cache-Control"] = "public, max-age=300"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@require_safe
def dump(request):
    """Every public table as JSON, in one file."""
    return _serve(request, bulk.DUMP, download_name="rcpdb-dump.json")


@require_safe
def datapackage(request):
    """The Frictionless Data Package: ``datapackage.json``, its CSVs beside it (``data/<table>.csv``)."""
    return _serve(request, bulk.DATAPACKAGE)


@require_safe
def table(request, name):
    return _serve(request, f"{name}.csv", download_name=f"rcpdb-{name}.csv")


dump.page_cache_params = datapackage.page_cache_params = table.page_cache_params = ()
