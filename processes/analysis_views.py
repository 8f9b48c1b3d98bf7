"""The cross-process pages: comparison (HTML and CSV), overlap, coverage and timeline.

Thin views over ``processes.analysis``; bad input is a 400 with a message, never a 500.
"""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from rcpdb.exports import csv_response
from rcpdb.filtering import BadRequestInput, clean_querystring_values

from . import analysis, charts
from .models import Process

BAD_REQUEST_TEMPLATE = "processes/analysis/bad_request.html"


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
    available = list(Process.objects.only("slug", "short_name").order_by("short_name"))
    limit = settings.COMPARE_MAX_PROCESSES
    try:
        chosen = analysis.choose_processes(slugs=slugs, available=available, limit=limit)
    except analysis.ComparisonError as error:
        raise BadRequestInput(error.message) from None
    by_slug = {process.slug: process for process in available}
    return {
        "available": available,
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
    try:
        data = analysis.membership_overlap(slugs=slugs)
    except analysis.ComparisonError as error:
        raise BadRequestInput(error.message) from None
    context = {
        "overlap": data,
        "matrix_limit": analysis.MATRIX_LIMIT,
        "shared_states_shown": analysis.SHARED_STATES_SHOWN,
    }
    return render(request, "processes/analysis/overlap.html", context)


# The table names the processes of a state taking part in at most this many; beyond, it gives the number
# only (the state's own page lists them): at 100 times today's data, names made the page 700 KB.
COVERAGE_NAMES_LIMIT = 10


# The page cache keys these pages on ``p`` only (rcpdb/cache.py).
compare.page_cache_params = compare_csv.page_cache_params = overlap.page_cache_params = ("p",)


@require_safe
@_request_guard
def coverage(request):
    clean_querystring_values(request.GET)
    data = analysis.coverage()
    context = {
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
    return render(request, "processes/analysis/coverage.html", context)


@require_safe
@_request_guard
def timeline(request):
    clean_querystring_values(request.GET)
    return render(request, "processes/analysis/timeline.html", timeline_context())


def timeline_context(*, id_prefix="timeline"):
    """What ``processes/analysis/_timeline.html`` needs; the home page view can reuse it."""
    years = analysis.processes_by_year()
    total = sum(len(entry.processes) for entry in years if entry.year is not None)
    return {
        "timeline_years": years,
        "timeline_svg": charts.timeline_svg(years=years, id_prefix=id_prefix),
        "timeline_aggregated": total > charts.TIMELINE_AGGREGATE_ABOVE,
        "timeline_abbreviations": []
        if total > charts.TIMELINE_AGGREGATE_ABOVE
        else charts.timeline_abbreviations(years),
    }
