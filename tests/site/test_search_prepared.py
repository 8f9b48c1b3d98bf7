"""The site search's statements, written once per worker and language (rcpdb/core/search.py:
``ordered_matches``, ``prepared_statement``, ``attach_related``).

On PostgreSQL each group's ranked, counted and excerpted query is compiled once with a stand-in for the
visitor's query and run with the query as a parameter. These tests hold it to what the ORM writes for
each query (the same records, order, totals and passages, for every kind of query a visitor can type),
check that it is compiled once per language and that the relations of the shown records are fetched
once for every group.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from processes.models import Process
from rcpdb.core import search as core_search
from rcpdb.core.search import RESULTS_PER_GROUP, attach_related, ordered_matches, ordered_matches_queryset
from rcpdb.site.search import group_specs
from tests import factories as f
from workshops.models import Finding

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the statements are written once on PostgreSQL only"
)

QUERIES = [
    "border",
    "trafficking border",
    '"border management"',
    "labour or border",
    "border -labour",
    "the of",  # stop words only: nothing matches
    "bord",  # a prefix of a word
    "'); DROP TABLE workshops_finding; --",
    "100% border %s %(x)s",
    "frontière",
    "\ue002",  # the stand-in itself
    "\ue002 border",
]


@pytest.fixture
def statements(monkeypatch):
    """An empty cache of statements, and a count of the statements written."""
    monkeypatch.setattr(core_search, "_statements", {})
    written = []
    original = core_search.ranked_statement

    def counting(spec, query):
        written.append((spec.key, query))
        return original(spec, query)

    monkeypatch.setattr(core_search, "ranked_statement", counting)
    return written


@pytest.fixture
def records(db):
    workshop = f.WorkshopFactory(title="Border management meeting", summary="Border posts and labour.")
    other = f.WorkshopFactory(title="Labour meeting", summary="Labour markets.")
    author = f.OrganizationFactory(name="Border Institute", description="Studies border crossings.")
    for number in range(1, 14):
        text = "Border management was discussed." if number % 2 else "Labour and border mobility."
        f.FindingFactory(workshop=workshop if number < 8 else other, number=number, text=text)
    f.FindingFactory(workshop=other, number=20, text="Labour markets only.")  # never a border match
    f.FindingFactory(workshop=other, number=21, text="100% of the trafficking border cases.")
    f.RecommendationFactory(workshop=workshop, position=1, text="Secure the border.")
    f.RecommendationFactory(workshop=other, position=1, text="Open labour markets.")
    f.DocumentFactory(workshop=workshop, author=author, description="A paper on border posts.")
    f.DocumentFactory(workshop=None, author=None, description="A border atlas.")
    f.ProcessFactory(description="Trafficking and border management.")
    f.ProcessFactory(description="Labour migration.")
    f.ThemeFactory(name="Border management", description="Borders.")
    return workshop


def _shown(records):
    return [(r.pk, r.total, round(r.rank, 6), r.headline) for r in records]


@postgresql_only
@pytest.mark.parametrize("query", QUERIES)
def test_the_prepared_statement_finds_what_the_orm_query_finds(records, statements, query):
    for spec in group_specs():
        expected = list(ordered_matches_queryset(spec, query)[:RESULTS_PER_GROUP])

        found = ordered_matches(spec, query)

        assert _shown(found) == _shown(expected), spec.key
        assert [type(record) for record in found] == [spec.queryset.model] * len(expected)


@postgresql_only
def test_the_prepared_statements_find_the_expected_records(records, statements):
    findings = next(spec for spec in group_specs() if spec.key == "findings")

    found = ordered_matches(findings, "border -labour")

    # Findings 1, 3, ... 13 say "Border management"; 2, 4, ... say "Labour and border" (left out), as
    # do "Labour markets only" (no border) and "100% of the trafficking border cases" (it is found).
    assert sorted(record.number for record in found) == [1, 3, 5, 7, 9, 11, 13, 21]
    assert {record.total for record in found} == {8}
    assert all(core_search.MARK_START in record.headline for record in found)
    assert Finding.objects.count() == 15  # the query was a parameter, never SQL


@postgresql_only
def test_a_statement_is_written_once_per_group_and_language(records, statements):
    specs = group_specs()
    for query in ["border", "labour", "border management"]:
        for spec in specs:
            ordered_matches(spec, query)

    assert sorted(statements) == sorted((spec.key, core_search._SEARCH_TEXT) for spec in specs)

    with translation.override("fr"):
        for spec in group_specs():
            ordered_matches(spec, "border")

    assert len(statements) == 2 * len(specs)
    assert {language for _key, _label, language in core_search._statements} == {"en", "fr"}


@postgresql_only
def test_each_language_orders_equal_matches_by_its_own_names(db, statements):
    alpha = f.ProcessFactory(short_name_en="Alpha", short_name_fr="Zêta", description="Border talks.")
    beta = f.ProcessFactory(short_name_en="Beta", short_name_fr="Alpha", description="Border talks.")
    f.ProcessFactory(description="Labour talks.")  # not a match
    processes = next(spec for spec in group_specs() if spec.key == "processes")

    english = ordered_matches(processes, "border")
    with translation.override("fr"):
        french = ordered_matches(processes, "border")

    assert [p.pk for p in english] == [alpha.pk, beta.pk]
    assert [p.pk for p in french] == [beta.pk, alpha.pk]
    assert {p.total for p in english + french} == {2}


def test_the_relations_of_every_group_are_fetched_once(records):
    specs = {spec.key: spec for spec in group_specs()}
    keys = ("findings", "recommendations", "documents")
    found = [(specs[key], ordered_matches(specs[key], "border")) for key in keys]
    with_meeting = [record for _spec, group in found for record in group if record.workshop_id]

    with CaptureQueriesContext(connection) as queries:
        attach_related(found)
        titles = {str(record.workshop) for record in with_meeting}
        authors = [document.author.name for document in found[2][1] if document.author_id]

    # One query for the meetings of the findings, the recommendation and the document, one for the
    # author; the document without a meeting or an author asks for neither.
    assert len(queries) == 2
    assert titles == {"Border management meeting", "Labour meeting"}
    assert authors == ["Border Institute"]
    shown = [record.workshop for _spec, group in found for record in group if record.workshop_id]
    assert len({id(meeting) for meeting in shown}) == 2  # one fetched object per meeting, shared
    assert sorted(len(group) for _spec, group in found) == [1, 2, 10]


def test_attach_related_asks_nothing_when_no_record_has_a_relation(db):
    specs = {spec.key: spec for spec in group_specs()}

    with CaptureQueriesContext(connection) as queries:
        attach_related([(specs["findings"], []), (specs["documents"], [])])

    assert len(queries) == 0


def test_the_prepared_statements_serve_the_search_page(client, records):
    response = client.get("/en/search/", {"q": "border"})

    groups = {group.key: group for group in response.context["groups"]}
    assert groups["findings"].total == 8 + 6  # the odd findings, the even ones and finding 21
    assert groups["recommendations"].total == 1
    assert groups["documents"].total == 2
    assert groups["processes"].total == 1
    assert Process.objects.count() == 2


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_choice_labels_are_the_ones_django_displays(db, language):
    from rcpdb.core.localized import choice_label
    from workshops import enums as wenums

    recommendation = f.RecommendationFactory()
    with translation.override(language):
        for kind in wenums.RecommendationKind:
            for status in wenums.FollowUpStatus:
                recommendation.kind, recommendation.status = kind.value, status.value
                assert choice_label(recommendation, "kind") == recommendation.get_kind_display()
                assert choice_label(recommendation, "status") == recommendation.get_status_display()
        recommendation.kind = "not-a-kind"
        assert choice_label(recommendation, "kind") == "not-a-kind" == recommendation.get_kind_display()

    # Each language has its own table.
    recommendation.status = wenums.FollowUpStatus.DONE
    done = {"en": "Done", "fr": "Terminé", "es": "Cumplida"}[language]
    with translation.override(language):
        assert choice_label(recommendation, "status") == done
