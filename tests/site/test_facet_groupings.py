"""Facet counts read from the results' shared table expression (rcpdb/core/forms.py ``_grouping``):
a facet on a column of the results, on a row it points to, or on a many-to-many table gives exactly
what grouping the results' rows again (each facet's own ``build``) gives, on the synthetic knowledge
base, for every list with filters set."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from processes.filters import ProcessFilter
from processes.models import Process
from processes.selectors import process_list_queryset
from rcpdb.core import forms as core_forms
from rcpdb.site import synthetic
from workshops.filters import FindingFilter, RecommendationFilter, WorkshopFilter
from workshops.models import Finding, Recommendation, Workshop

LISTS = [
    (ProcessFilter, process_list_queryset, {"kind": "geographic", "status": "active"}),
    (ProcessFilter, process_list_queryset, {"q": "process"}),
    (FindingFilter, Finding.objects.all, {"q": "migration"}),
    (FindingFilter, Finding.objects.all, {"q": "migration", "kind": "observation"}),
    (
        FindingFilter,
        Finding.objects.all,
        {"kind": "observation", "theme": ["syn1-theme-01", "syn1-theme-02"]},
    ),
    (RecommendationFilter, Recommendation.objects.all, {"q": "states"}),
    (WorkshopFilter, Workshop.objects.all, {"q": "dialogue"}),
]


@pytest.fixture
def knowledge_base(db):
    synthetic.generate_synthetic(scale=1)


def counts(filterset_class, queryset, data):
    filterset = filterset_class(data, queryset=queryset())
    assert filterset.form.is_valid(), filterset.form.errors
    return core_forms._facet_counts(filterset, total=True)


@pytest.mark.parametrize(("filterset_class", "queryset", "data"), LISTS)
def test_shared_groupings_count_what_grouping_the_rows_again_counts(
    knowledge_base, monkeypatch, filterset_class, queryset, data
):
    shared = counts(filterset_class, queryset, data)
    # Every facet regrouped from the rows of the results' keys (the total stays one count of them).
    shared_grouping = core_forms._grouping
    monkeypatch.setattr(
        core_forms, "_grouping", lambda model, path: shared_grouping(model, path) if path == "" else None
    )
    regrouped = counts(filterset_class, queryset, data)

    assert shared == regrouped
    assert shared[core_forms.TOTAL][""] == filterset_class(data, queryset=queryset()).qs.count()
    assert any(n for facet in shared.values() for n in facet.values())  # the data gives counts


def test_each_shape_of_path_has_its_grouping():
    column = core_forms._grouping(Finding, "kind")
    assert (column.column, column.join, column.through) == ("kind", None, None)
    pointed = core_forms._grouping(Finding, "workshop__slug")
    assert (pointed.column, pointed.join_column) == ("workshop_id", "slug")
    many = core_forms._grouping(Finding, "themes__slug")
    assert (many.through, many.source, many.through_path) == (
        Finding.themes.through,
        "finding",
        "theme__slug",
    )
    assert many.distinct is False  # Django's table holds a pair once, and a theme's slug is unique
    assert core_forms._grouping(Finding, "themes__name").distinct is True
    assert core_forms._grouping(Finding, "") == core_forms._Grouping()
    # Other shapes are counted by the facet's own build: two hops through a row, a reverse relation.
    assert core_forms._grouping(Finding, "workshop__processes__slug") is None
    assert core_forms._grouping(Process, "memberships__state__code") is None
    assert core_forms._grouping(Process, "not_a_field") is None


def test_a_word_is_looked_for_once_and_the_results_table_is_read_once(knowledge_base):
    filterset = FindingFilter({"q": "migration"}, queryset=Finding.objects.all())
    assert filterset.form.is_valid()
    with CaptureQueriesContext(connection) as queries:
        core_forms._facet_counts(filterset, total=True)

    (sql,) = [query["sql"] for query in queries.captured_queries]
    assert sql.count("LIKE") + sql.count("@@") == 1
    # The findings table is read once, by the table expression; the total and the meeting, session and
    # kind facets group its rows; the theme and process facets read their many-to-many tables by its keys.
    assert sql.count('FROM "workshops_finding"') == 1
    # It holds the keys and the three columns grouped, not the findings' text.
    shared = sql[: sql.index("), facet0 AS")]
    assert shared.count(" AS ") == 5 and '"text" AS' not in shared
    assert sql.count("FROM facet_results0") == 6
    assert sql.count("IN (SELECT pk FROM facet_results0)") == 2
