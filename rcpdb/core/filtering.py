"""Shared behaviour of the public list pages: bad filter or paging input is a 400, never a 500.

Every public list view subclasses ``PublicFilterView``: invalid filter values render the same page
with the form errors and status 400 (never a silently unfiltered list), and a page number that is
not a positive integer is a 400 too; a page past the end is a 404.
"""

import django_filters
from django.core.paginator import EmptyPage, InvalidPage, PageNotAnInteger
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters.views import FilterView

from rcpdb.core.forms import prepare_filter_form
from rcpdb.core.search import MAX_QUERY_LENGTH, filter_by_text, limit_terms

MAX_VALUE_LENGTH = 500


class BadRequestInput(Exception):
    """Raised by a view for input it refuses; rendered as a 400 with ``message``."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def clean_querystring_values(querydict):
    """Refuse values no form field should ever get: NUL bytes and absurd lengths."""
    for key, values in querydict.lists():
        for value in [key, *values]:
            if "\x00" in value:
                raise BadRequestInput(_("The address contains a NUL character."))
            if len(value) > MAX_VALUE_LENGTH:
                raise BadRequestInput(
                    _("A value in the address is longer than %(limit)s characters.")
                    % {"limit": MAX_VALUE_LENGTH}
                )


class PublicFilterView(FilterView):
    paginate_by = 25
    strict = True
    # With the filterset's own parameters, all the page reads: the page cache keys it on them only
    # (rcpdb/core/cache.py); ``format`` is OpenDataDownloadMixin's.
    page_cache_params = ("page", "format")
    bad_request_template_name = "400_filters.html"

    def get(self, request, *args, **kwargs):
        try:
            clean_querystring_values(request.GET)
        except BadRequestInput as error:
            return self.render_bad_request(error.message, filterset=None)
        self.filterset = self.get_filterset(self.get_filterset_class())
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.render_bad_request(_("Some filters are not valid."), filterset=self.filterset)
        self.object_list = self.filterset.qs
        try:
            context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        except BadRequestInput as error:
            return self.render_bad_request(error.message, filterset=self.filterset)
        return self.render_to_response(context)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        raw = self.request.GET.get(self.page_kwarg) or 1
        try:
            number = int(raw) if raw != "last" else paginator.num_pages
            if number < 1:
                raise ValueError
        except (TypeError, ValueError):
            raise BadRequestInput(_("The page number must be a positive whole number.")) from None
        try:
            page = paginator.page(number)
        except (EmptyPage, PageNotAnInteger, InvalidPage):
            raise Http404(_("There is no page %(number)s of these results.") % {"number": number}) from None
        return paginator, page, page.object_list, page.has_other_pages()

    def render_bad_request(self, message, *, filterset):
        if filterset is not None:
            # The form the list shows (fast selects, options read once per content version), without
            # counts: Django's own select templates would render thousands of options, each read again.
            prepare_filter_form(filterset, counts={})
        context = {"message": message, "filter": filterset, "view": self}
        return self.response_class(
            request=self.request,
            template=[self.bad_request_template_name],
            context=context,
            status=400,
        )


class TextFilter(django_filters.CharFilter):
    """The ``q`` filter of every list: words found as the site search finds them (rcpdb/core/search.py),
    in the fields the model declares in ``search_document_fields``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        kwargs.setdefault("label", _lazy("Text"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        query, _ignored = limit_terms(" ".join((value or "").split()))
        return filter_by_text(qs, query) if query else qs
