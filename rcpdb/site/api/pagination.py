"""Pages of records: ``?page=`` and ``?page_size=`` (at most 100), with the count and links."""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.response import Response

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def positive_int(params, name, *, default, maximum=None):
    """``params[name]`` as a whole number from 1 (to ``maximum``), else a 400 naming the rule."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    # ASCII digits only ("١" and "²" are digits to str.isdigit), and short enough to be a real page.
    value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
    if value is None or value < 1 or (maximum is not None and value > maximum):
        if maximum is None:
            message = _("%(name)s must be a positive whole number.") % {"name": name}
        else:
            message = _("%(name)s must be a whole number from 1 to %(maximum)s.") % {
                "name": name,
                "maximum": maximum,
            }
        raise ParseError(message)
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        self.request = request
        self.size = positive_int(params, "page_size", default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
        number = positive_int(params, "page", default=1)
        paginator = Paginator(queryset, self.size)
        if number > paginator.num_pages and not (number == 1 and paginator.count == 0):
            raise NotFound(_("There is no page %(number)s of these results.") % {"number": number})
        self.page = paginator.page(number)
        return list(self.page)

    def _link(self, target):
        query = self.request.query_params.copy()
        query["page"] = target
        return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")

    def get_next_link(self):
        return self._link(self.page.next_page_number()) if self.page.has_next() else None

    def get_previous_link(self):
        return self._link(self.page.previous_page_number()) if self.page.has_previous() else None

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "page": self.page.number,
                "page_size": self.size,
                "num_pages": self.page.paginator.num_pages,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["count", "page", "page_size", "num_pages", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "num_pages": {"type": "integer"},
                "next": link,
                "previous": link,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "page", "required": False, "in": "query", "schema": {"type": "integer", "minimum": 1}},
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": DEFAULT_PAGE_SIZE,
                },
            },
        ]
