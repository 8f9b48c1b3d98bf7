"""The site search: one search over the whole knowledge base (``/search/``).

The text matching is the shared core's (rcpdb/core/search.py); each data app says how its records are
searched and shown (processes/search.py, workshops/search.py); this module puts their groups in one
page, with the states found by name.
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import TooManyFieldsSent
from django.db.models import Count, Window
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from processes import search as process_search
from processes.models import State
from processes.state_reference import fold
from rcpdb.core.filtering import BadRequestInput, clean_querystring_values
from rcpdb.core.search import (
    MARK_START,
    MAX_QUERY_LENGTH,
    MAX_SEARCH_TERMS,
    RESULTS_PER_GROUP,
    SearchGroup,
    SearchHit,
    attach_related,
    headline_excerpt,
    limit_terms,
    ordered_matches,
    parse_terms,
    python_excerpt,
    state_needle,
)
from workshops import search as workshop_search


def group_specs():
    """Every kind of record the site search shows, in the order of the page."""
    return [*process_search.group_specs(), *workshop_search.group_specs()]


def _state_group(query):
    """States matching by name in English, French or Spanish, other name or ISO code, whatever the
    case and accents (``State.objects.matching``): one query."""
    needle = state_needle(query)
    if not needle:
        return None
    folded = fold(needle)
    states = list(
        State.objects.search(query)
        .select_related("region")
        .annotate(total=Window(Count("pk")))
        .order_by("code")[:RESULTS_PER_GROUP]
    )
    if not states:
        return None
    states.sort(key=lambda s: (not fold(s.name).startswith(folded), str(s.name)))
    hits = [
        SearchHit(
            title=str(state.name),
            url=state.get_absolute_url(),
            excerpt="",
            meta=str(state.region) if state.region_id else "",
        )
        for state in states
    ]
    return SearchGroup(key="states", label=_("States"), total=states[0].total, hits=hits)


def search_everything(query):
    """Every group with at least one match, in a fixed order: one query per kind of record, and one per
    kind of related record shown (the meetings of the findings, recommendations and documents)."""
    wanted, _unwanted = parse_terms(query)
    found = [(spec, ordered_matches(spec, query)) for spec in group_specs()]
    attach_related(found)
    groups = []
    for spec, records in found:
        if spec.key == "organizations":
            state_group = _state_group(query)
            if state_group:
                groups.append(state_group)
        if not records:
            continue
        hits = []
        for record in records:
            headline = getattr(record, "headline", "") or ""
            if MARK_START in headline:
                excerpt = headline_excerpt(headline)
            else:
                body = spec.body_text(record).strip()
                excerpt = python_excerpt(body, wanted) if body else ""
            hits.append(
                SearchHit(
                    title=str(spec.title(record)),
                    url=spec.url(record),
                    excerpt=excerpt,
                    meta=str(spec.meta(record)) if spec.meta else "",
                )
            )
        more_url = f"{reverse(spec.list_url_name)}?{urlencode({'q': query})}" if spec.list_url_name else ""
        groups.append(
            SearchGroup(
                key=spec.key,
                label=spec.label,
                total=records[0].total,
                hits=hits,
                more_url=more_url,
                more_label=spec.more_label,
            )
        )
    return groups


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=_('Use "quotes" for a phrase, or between alternatives and -word to leave a word out.'),
    )


def _render_search(request, context, status=200):
    return render(request, "search/search.html", context, status=status)


@require_safe
def search_view(request):
    try:
        clean_querystring_values(request.GET)
    except TooManyFieldsSent:
        message = _("The address has too many parameters.")
        return _render_search(request, {"form": SearchForm(), "message": message}, status=400)
    except BadRequestInput as error:
        return _render_search(request, {"form": SearchForm(), "message": error.message}, status=400)
    form = SearchForm(request.GET)
    if not form.is_valid():
        message = _("The search is not valid.")
        return _render_search(request, {"form": form, "message": message}, status=400)
    query, ignored_terms = limit_terms(" ".join(form.cleaned_data["q"].split()))
    groups = search_everything(query) if query else []
    context = {
        "form": form,
        "query": query,
        "ignored_terms": ignored_terms,
        "max_terms": MAX_SEARCH_TERMS,
        "groups": groups,
        "total": sum(group.total for group in groups),
    }
    return _render_search(request, context)


# The page cache keys the search page on ``q`` only (rcpdb/core/cache.py).
search_view.page_cache_params = ("q",)
