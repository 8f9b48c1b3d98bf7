"""What the API (rcpdb/api.py) and the downloads of the public list pages share.

Kept apart from rcpdb/api.py so that the list views of ``processes`` can offer downloads without
importing ``workshops`` (dependencies run one way, see tests/test_layering.py): this module imports no
app. rcpdb/api.py describes each collection (its queryset, FilterSet and record fields) and registers
it here; a list view names its collection with ``open_data_collection``.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, TooManyFieldsSent
from django.urls import reverse
from django.utils.translation import gettext as _

from rcpdb.core.exports import csv_response, json_response
from rcpdb.core.filtering import BadRequestInput, clean_querystring_values

# Downloads hold every row of the current filters; past this many the visitor is asked to narrow them
# (or to use the paginated API), so one request can never build an unbounded response.
MAX_DOWNLOAD_ROWS = 5000
DOWNLOAD_FORMATS = ("csv", "json")

COLLECTIONS = {}


def register(collection):
    COLLECTIONS[collection.name] = collection
    return collection


def get_collection(name):
    """The collection ``name``, registered by rcpdb/api.py (which the site's URLconf loads)."""
    try:
        return COLLECTIONS[name]
    except KeyError:
        raise ImproperlyConfigured(f"No open-data collection {name!r}: is rcpdb.api imported?") from None


@dataclass(frozen=True)
class Collection:
    """One public collection, as the API, the downloads and the dump show it."""

    name: str  # the API path and the key in the dump: "processes"
    title: str
    filterset_class: type
    base_queryset: object  # a function returning the queryset
    serialize: object  # record -> dict of stable keys (without url/api_url)
    csv_columns: tuple
    lookup: str  # the detail URL's field: "slug", "code" or "pk"
    list_url_name: str  # the public list page
    example: str = ""
    sort: object = None  # (records, cleaned_data) -> list, for orderings done in Python

    def queryset(self):
        return self.base_queryset()

    def lookup_value(self, record):
        if self.lookup == "code":
            return str(record.code)
        return getattr(record, self.lookup)

    def api_url_path(self, record):
        return reverse(f"api:{self.name}-detail", kwargs={"key": self.lookup_value(record)})

    def record(self, request, obj):
        data = self.serialize(obj)
        data["url"] = request.build_absolute_uri(obj.get_absolute_url())
        data["api_url"] = request.build_absolute_uri(self.api_url_path(obj))
        return data

    def ordered(self, records, cleaned_data):
        return self.sort(records, cleaned_data) if self.sort else list(records)


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

    Put before ``PublicFilterView`` and set ``open_data_collection`` to a key of ``COLLECTIONS``.
    """

    open_data_collection = None

    @property
    def collection(self):
        return get_collection(self.open_data_collection)

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
            kwargs["queryset"] = self.collection.queryset()
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
        collection = self.collection
        records = collection.ordered(self.object_list[: MAX_DOWNLOAD_ROWS + 1], self._cleaned_filters())
        if len(records) > MAX_DOWNLOAD_ROWS:
            message = _(
                "More than %(limit)s rows match these filters: narrow them, or use the paginated API."
            ) % {"limit": MAX_DOWNLOAD_ROWS}
            if self.download_format == "json":
                return json_error(message)
            return self.render_bad_request(message, filterset=None)
        rows = [collection.record(self.request, obj) for obj in records]
        filename = f"rcpdb-{collection.name}.{self.download_format}"
        if self.download_format == "json":
            return json_response({"count": len(rows), "results": rows}, filename=filename)
        return csv_response(
            ([_csv_value(row[column]) for column in collection.csv_columns] for row in rows),
            header=collection.csv_columns,
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
