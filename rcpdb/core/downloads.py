"""The CSV/JSON downloads of the public list pages (``?format=csv``, ``?format=json``).

A list view names the serializer of its records (``download_serializer_class``, e.g.
``processes.serializers.ProcessSerializer``): a download holds the records the API gives for the same
filters, in the same shape, order and language. This module imports no app.
"""

from django.core.exceptions import TooManyFieldsSent
from django.utils.translation import gettext as _

from rcpdb.core.exports import csv_response, json_response
from rcpdb.core.filtering import BadRequestInput, clean_querystring_values

# Downloads hold every row of the current filters; past this many the visitor is asked to narrow them
# (or to use the paginated API), so one request can never build an unbounded response.
MAX_DOWNLOAD_ROWS = 5000
DOWNLOAD_FORMATS = ("csv", "json")


def json_error(message, *, status=400, fields=None):
    return json_response({"error": str(message), "fields": fields or {}}, status=status)


def form_errors(form):
    return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


def query_params(request):
    """The query string, or BadRequestInput for NUL bytes, absurd lengths and too many parameters."""
    try:
        params = request.GET
    except TooManyFieldsSent:
        raise BadRequestInput(_("The address has too many parameters.")) from None
    clean_querystring_values(params)
    return params


class OpenDataDownloadMixin:
    """``?format=csv`` or ``?format=json`` on a public list page: every row of the current filters.

    Put before ``PublicFilterView`` and set ``download_serializer_class`` to the records' serializer
    (its ``get_queryset()``, ``sort()`` and fields; its ``api_name`` names the file).
    """

    download_serializer_class = None

    def get(self, request, *args, **kwargs):
        # Too many parameters raise TooManyFieldsSent here: the site's own 400 page, as without ?format.
        self.download_format = request.GET.get("format") or None
        if self.download_format is not None and self.download_format not in DOWNLOAD_FORMATS:
            self.download_format = None
            return self.render_bad_request(
                _("The format must be one of: %(formats)s.") % {"formats": ", ".join(DOWNLOAD_FORMATS)},
                filterset=None,
            )
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if getattr(self, "download_format", None):
            kwargs["queryset"] = self.download_serializer_class.get_queryset()
        return kwargs

    def render_bad_request(self, message, *, filterset):
        if getattr(self, "download_format", None) == "json":
            fields = form_errors(filterset.form) if filterset is not None else {}
            return json_error(message, fields=fields)
        return super().render_bad_request(message, filterset=filterset)

    def get_context_data(self, **kwargs):
        if getattr(self, "download_format", None):
            return kwargs  # no pagination: a download holds every row of the filters
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **response_kwargs):
        if not getattr(self, "download_format", None):
            return super().render_to_response(context, **response_kwargs)
        serializer_class = self.download_serializer_class
        records = serializer_class.sort(self.object_list[: MAX_DOWNLOAD_ROWS + 1], self._cleaned_filters())
        if len(records) > MAX_DOWNLOAD_ROWS:
            message = _(
                "More than %(limit)s rows match these filters: narrow them, or use the paginated API."
            ) % {"limit": MAX_DOWNLOAD_ROWS}
            if self.download_format == "json":
                return json_error(message)
            return self.render_bad_request(message, filterset=None)
        rows = serializer_class(records, many=True, context={"request": self.request}).data
        filename = f"rcpdb-{serializer_class.api_name}.{self.download_format}"
        if self.download_format == "json":
            return json_response({"count": len(rows), "results": rows}, filename=filename)
        columns = [name for name in serializer_class().fields if name != "api_url"]
        return csv_response(
            ([_csv_value(row[column]) for column in columns] for row in rows),
            header=columns,
            filename=filename,
        )

    def _cleaned_filters(self):
        return getattr(self.filterset.form, "cleaned_data", {})


def _csv_value(value):
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
