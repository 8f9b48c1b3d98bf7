"""Every error of the API as ``{"error": message, "fields": {field: [messages]}}`` (never a 500 for bad
input): invalid filters name their fields, unknown records and pages are 404, too many requests 429."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def _messages(detail):
    if isinstance(detail, list | tuple):
        return [str(item) for item in detail]
    return [str(detail)]


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    fields = {}
    if isinstance(exc, exceptions.ValidationError):
        message = _("Some filters are not valid.")
        if isinstance(exc.detail, dict):
            fields = {name: _messages(detail) for name, detail in exc.detail.items()}
    elif isinstance(exc, exceptions.NotFound) and exc.detail == exceptions.NotFound.default_detail:
        message = _("There is no such record.")
    elif isinstance(exc, exceptions.Throttled):
        message = _("Too many requests: please wait %(seconds)s seconds and try again.") % {
            "seconds": int(exc.wait or 1)
        }
    elif response.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        message = _("This address is read-only.")
    else:
        message = str(exc.detail) if hasattr(exc, "detail") else str(exc)
    response.data = {"error": message, "fields": fields}
    return response
