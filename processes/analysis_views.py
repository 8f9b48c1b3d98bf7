"""The cross-process pages: comparison (HTML and CSV), overlap, coverage and timeline.

Thin views over ``processes.analysis``; bad input is a 400 with a message, never a 500.
"""

from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from rcpdb.core.cache import cached_per_version
from rcpdb.core.exports import csv_response
from rcpdb.core.filtering import BadRequestInput, clean_querystring_values
from rcpdb.core.forms import checkbox_choices

from . import analysis, charts
from .models import Process

BAD_REQUEST_TEMPLATE = "processes/analysis/bad_request.html"


class ProcessChoice(NamedTuple):
    """A process of the comparison's chooser."""

    slug: str
    short_name: str


def _bad_request(request, message):
    return render(request, BAD_REQUEST_TEMPLATE, {"message": message}, status=400)


def _comparison(request):
    """The comparison chosen in the query string: ``available`` (every process, for the chooser),
    ``chosen`` (slugs, at most ``settings.COMPARE_MAX_PROCESSES``) and ``matrix`` (None below two)."""
    try:
        clean_querystring_values(request.GET)
        slugs = request.GET.getlist("p")
    except TooManyFieldsSent:
        raise BadRequestInput(_("The address has too many parameters.")) from None
    # Every process, for the chooser: the same for every visitor, built once per content version and
    # language, as plain (slug, name) pairs (900 model instances took ~6 ms a request to unpickle).
    available = cached_per_version(
        "compare:choices",
        lambda: [
            ProcessChoice(process.slug, str(process.short_name))
            for process in Process.objects.only("slug", "short_name").order_by("short_name")
        ],
    )
    limit = settings.COMPARE_MAX_PROCESSES
    try:
        chosen = analysis.choose_processes(slugs=slugs, available=available, limit=limit)
    except analysis.ComparisonError as error:
        raise BadRequestInput(error.message) from None
    by_slug = {process.slug: process for process in available}
    if chosen:
        choices_html = checkbox_choices(available, "p", chosen, "choose-")
    else:  # the chooser nobody has ticked yet: the same for every visitor
        choices_html = cached_per_version(
            "compare:choices-html", lambda: checkbox_choices(available, "p", [], "choose-")
        )
    return {
        "available": available,
        "choices_html": choices_html,
        "chosen": chosen,
        "chosen_processes": [by_slug[slug] for slug in chosen],
        "compare_limit": limit,
        "matrix": analysis.comparison_matrix(slugs=chosen) if len(chosen) >= 2 else None,
    }


def _request_guard(view):
    """Turns ``BadRequestInput`` (and Django's too-many-fields refusal) into a 400 page."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (BadRequestInput, TooManyFieldsSent) as error:
            message = getattr(error, "message", _("The address has too many parameters."))
            return _bad_request(request, message)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_safe
@_request_guard
def compare(request):
    context = _comparison(request)
    context["query"] = request.GET.urlencode()
    return render(request, "processes/analysis/compare.html", context)


@require_safe
@_request_guard
def compare_csv(request):
    context = _comparison(request)
    matrix = context["matrix"]
    if matrix is None:
        raise BadRequestInput(_("Choose at least two processes to compare."))
    table = matrix.as_table()
    return csv_response(table[1:], header=table[0], filename="rcpdb-comparison.csv")


@require_safe
@_request_guard
def overlap(request):
    """The overlap matrix of at most ``analysis.MATRIX_LIMIT`` processes, chosen with ``?p=slug``."""
    try:
        clean_querystring_values(request.GET)
        slugs = request.GET.getlist("p")
    except TooManyFieldsSent:
        raise BadRequestInput(_("The address has too many parameters.")) from None

    def content():
        context = {
            "overlap": analysis.membership_overlap(slugs=slugs),
            "matrix_limit": analysis.MATRIX_LIMIT,
            "shared_states_shown": analysis.SHARED_STATES_SHOWN,
        }
        return render_to_string("processes/analysis/_overlap.html", context)

    try:
        # The default selection is the same for every visitor: computed and rendered once per content
        # version and language, as its cost grows with the memberships. A chosen one, on every request.
        html = content() if slugs else cached_per_version("overlap:default", content)
    except analysis.ComparisonError as error:
        raise BadRequestInput(error.message) from None
    return render(request, "processes/analysis/overlap.html", {"overlap_html": html})


# The table names the processes of a state taking part in at most this many; beyond, it gives the number
# only (the state's own page lists them): at 100 times today's data, names made the page 700 KB.
COVERAGE_NAMES_LIMIT = 10


# The page cache keys these pages on ``p`` only (rcpdb/core/cache.py).
compare.page_cache_params = compare_csv.page_cache_params = overlap.page_cache_params = ("p",)


@require_safe
@_request_guard
def coverage(request):
    clean_querystring_values(request.GET)
    context = cached_per_version("coverage", _coverage_context)
    return render(request, "processes/analysis/coverage.html", context)


def _coverage_context():
    """The coverage page's data, map and table rows: the same for every visitor (one per version)."""
    data = analysis.coverage()
    return {
        "coverage": data,
        "map_svg": charts.coverage_map_svg(states=data.states),
        "legend": charts.coverage_legend(unknown=bool(data.not_counted)),
        "names_limit": COVERAGE_NAMES_LIMIT,
        "rows": [
            (
                entry,
                charts.coverage_class(
                    member_count=entry.member_count,
                    observer_count=entry.observer_count,
                    unknown=entry.unknown,
                ),
            )
            for entry in data.states
        ],
    }


@require_safe
@_request_guard
def timeline(request):
    clean_querystring_values(request.GET)
    return render(request, "processes/analysis/timeline.html", timeline_context())


def timeline_context(*, id_prefix="timeline", compact=False):
    """``timeline_html``: the rendered ``processes/analysis/_timeline.html`` (the chart, its abbreviations
    and the list of every process by year); the home page view reuses it (``compact``: short names only).

    The same for every visitor: drawn and rendered once per content version and language
    (``cached_per_version``), as its cost grows with the number of processes.
    """

    def build():
        years = analysis.processes_by_year()
        total = sum(len(entry.processes) for entry in years if entry.year is not None)
        aggregated = total > charts.TIMELINE_AGGREGATE_ABOVE
        context = {
            "timeline_years": years,
            "timeline_svg": charts.timeline_svg(years=years, id_prefix=id_prefix),
            "timeline_aggregated": aggregated,
            "timeline_abbreviations": [] if aggregated else charts.timeline_abbreviations(years),
            "compact": compact,
        }
        return render_to_string("processes/analysis/_timeline.html", context)

    return {"timeline_html": cached_per_version(f"timeline:{id_prefix}:{compact}", build)}
