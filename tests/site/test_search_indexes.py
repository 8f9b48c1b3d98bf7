"""The stored search vectors and the indexes of the search on PostgreSQL (the 0006_search_indexes
migrations of processes and workshops, rcpdb/core/search.py).

They guard against the query and the database drifting apart: the stored vector must be the one the
query would compute from the searched fields, and the planner must be able to answer the search of the
findings and of the processes with the indexes (a sequential scan disabled, as at 100x data).
"""

import re

import pytest
from django.contrib.postgres.search import SearchHeadline
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse

from processes.models import Organization, Process, Theme
from rcpdb.core.search import (
    MARK_END,
    MARK_START,
    SEARCH_CONFIG,
    SearchExcerpt,
    StoredDocument,
    document_fields,
    filter_by_text,
    ordered_matches_queryset,
    ranked_statement,
    search_vector,
    stored_document_models,
    web_search_query,
)
from rcpdb.site.search import group_specs
from tests import factories as f
from workshops.models import Document, Finding, Recommendation, Workshop

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The stored search vectors and the GIN/pg_trgm indexes exist on PostgreSQL only.",
)

FACTORIES = {
    Process: f.ProcessFactory,
    Organization: f.OrganizationFactory,
    Theme: f.ThemeFactory,
    Workshop: f.WorkshopFactory,
    Finding: f.FindingFactory,
    Recommendation: f.RecommendationFactory,
    Document: f.DocumentFactory,
}


def bitmap_indexes(queryset):
    """The indexes of the plan's bitmap index scans, sequential scans disabled."""
    return statement_bitmap_indexes(*queryset.query.sql_with_params())


def statement_bitmap_indexes(sql, params):
    """The indexes of the bitmap index scans of a statement's plan, sequential scans disabled."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Without them the planner of an almost empty table rightly reads it whole, or walks an index
        # in the order asked for; the question here is whether the text conditions can use the indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return re.findall(r"Bitmap Index Scan on (\w+)", plan)


def spec(key):
    return next(spec for spec in group_specs() if spec.key == key)


@pytest.mark.parametrize("model", stored_document_models(), ids=lambda model: model.__name__)
def test_the_stored_vector_is_the_one_the_query_would_compute(db, model):
    fields = document_fields(model, model.search_document_fields)
    record = FACTORIES[model]()
    # A different word in every searched column, in every language.
    model.objects.filter(pk=record.pk).update(
        **{column: f"border{position} {column}" for position, (column, _weight) in enumerate(fields)}
    )

    stored, computed = (
        model.objects.filter(pk=record.pk)
        .annotate(stored=StoredDocument(), computed=search_vector(fields))
        .values_list("stored", "computed")
        .get()
    )

    assert stored == computed
    assert len(re.findall(r"'border\d+'", stored)) == len(fields)


def test_the_stored_vector_of_a_finding_holds_its_words_weighted_b(db):
    finding = f.FindingFactory(text="Border crossings were discussed.")

    stored = (
        Finding.objects.filter(pk=finding.pk)
        .annotate(stored=StoredDocument())
        .values_list("stored", flat=True)
    )

    assert list(stored) == ["'border':1B 'cross':2B 'discuss':4B"]


def test_an_edited_record_is_found_by_its_new_words_only(db):
    edited = f.FindingFactory(text="Labour mobility.")
    f.FindingFactory(text="Labour markets.")
    edited.text = "Border management."
    edited.save()

    by_new_word = filter_by_text(Finding.objects.all(), "management", [("text", "B")])
    by_old_word = filter_by_text(Finding.objects.all(), "mobility", [("text", "B")])

    assert list(by_new_word) == [edited]
    assert list(by_old_word) == []


def test_the_findings_search_is_answered_by_the_vector_index_alone(db):
    queryset = ordered_matches_queryset(spec("findings"), "trafficking border")

    used = bitmap_indexes(queryset)

    # The match and the count both read the GIN index; no meeting is joined (prefetched for the shown).
    assert used == ["finding_search_gin", "finding_search_gin"]


def test_the_processes_search_is_answered_by_the_vector_index_alone(db):
    queryset = ordered_matches_queryset(spec("processes"), "trafficking border")

    used = bitmap_indexes(queryset)

    assert used == ["process_search_gin", "process_search_gin"]


@pytest.mark.parametrize(
    ("key", "index"), [("findings", "finding_search_gin"), ("processes", "process_search_gin")]
)
def test_the_site_search_statement_reads_the_matches_once(db, key, index):
    """The site search's statement (``ranked_statement``) ranks and counts the matches it read once,
    and reads whole only the records it shows (by primary key)."""
    sql, params = ranked_statement(spec(key), "trafficking border")

    used = statement_bitmap_indexes(sql, params)

    assert [name for name in used if name == index] == [index]
    assert [name for name in used if name != index] == [f"{spec(key).queryset.model._meta.db_table}_pkey"]


def test_the_admin_search_of_findings_can_use_the_trigram_index(db):
    """The trigram indexes serve the admin's substring search (``search_fields``, ``icontains``)."""
    queryset = Finding.objects.filter(text__icontains="raffick").order_by("pk")

    assert bitmap_indexes(queryset) == ["finding_text_trgm"]


def test_the_admin_search_of_processes_can_use_the_trigram_indexes(db):
    queryset = Process.objects.filter(
        Q(name_en__icontains="uebla") | Q(name_fr__icontains="uebla") | Q(acronym__icontains="uebla")
    )

    assert sorted(bitmap_indexes(queryset)) == [
        "process_acronym_trgm",
        "process_name_en_trgm",
        "process_name_fr_trgm",
    ]


def test_a_word_matches_as_the_start_of_a_word(db):
    secretariat = f.FindingFactory(text="The secretariat rotates.")
    traffickers = f.FindingFactory(text="Traffickers were prosecuted.")
    f.FindingFactory(text="Labour markets.")

    assert list(filter_by_text(Finding.objects.all(), "secretar", [("text", "B")])) == [secretariat]
    assert list(filter_by_text(Finding.objects.all(), "trafficking", [("text", "B")])) == [traffickers]


def test_the_prefix_query_keeps_phrases_negations_and_alternatives(db):
    phrase = f.FindingFactory(text="People smuggling across borders.")
    reversed_words = f.FindingFactory(text="Smuggling of people.")
    other = f.FindingFactory(text="Asylum systems.")

    def found(query):
        return set(filter_by_text(Finding.objects.all(), query, [("text", "B")]))

    assert found('"people smuggling"') == {phrase}
    assert found("smuggling -borders") == {reversed_words}
    assert found("asylum or borders") == {phrase, other}


def test_a_query_of_stop_words_or_quotes_finds_nothing_without_an_error(db):
    f.FindingFactory(text="Of the people, by the people.")

    assert list(filter_by_text(Finding.objects.all(), "of the", [("text", "B")])) == []
    assert list(filter_by_text(Finding.objects.all(), "'\"' -", [("text", "B")])) == []


def test_the_findings_list_filter_uses_the_stored_vector(db):
    queryset = filter_by_text(Finding.objects.all(), "trafficking", [("text", "B")])

    sql = str(queryset.query)

    assert '"workshops_finding"."search_document" @@' in sql
    assert "to_tsvector" not in sql


def test_other_fields_than_the_stored_ones_compute_their_vector(db):
    matched = f.FindingFactory(text="Nothing here.")
    matched.workshop.title = "Frontier meeting"
    matched.workshop.save()
    f.FindingFactory(text="Frontier talk.")

    queryset = filter_by_text(Finding.objects.all(), "frontier", [("workshop__title", "A")])

    assert "to_tsvector" in str(queryset.query)
    assert list(queryset) == [matched]


def test_only_the_names_searched_by_the_admin_keep_a_trigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'processes_process' AND indexname LIKE %s",
            ["%\\_trgm"],
        )
        names = sorted(row[0] for row in cursor.fetchall())

    assert names == [
        "process_acronym_trgm",
        "process_name_en_trgm",
        "process_name_es_trgm",
        "process_name_fr_trgm",
        "process_short_name_en_trgm",
        "process_short_name_es_trgm",
        "process_short_name_fr_trgm",
    ]


def test_the_search_page_answers_a_query_of_stop_words_with_its_empty_state(client, db):
    f.FindingFactory(text="Of the people, by the people.")

    response = client.get(reverse("search"), {"q": "of the"})

    assert response.status_code == 200
    assert response.context["groups"] == []
    assert "Nothing matches “of the”. Try fewer or other words." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["'", "\\", ":*", "!(x)", "<->", "'a'b'", "a:*b", "''''", "a & b | c", '"unclosed', "- -", "🙂"],
)
def test_tsquery_syntax_in_a_query_is_only_text(client, db, query):
    """The prefix rewrite works on PostgreSQL's own rendering of the query: no character breaks it."""
    f.FindingFactory(text="Talks on the border.")

    response = client.get(reverse("search"), {"q": query})

    assert response.status_code == 200
    assert response.context["query"] == query


def test_a_word_with_an_apostrophe_is_found(client, db):
    finding = f.FindingFactory(text="O'Brien spoke about the border.")
    f.FindingFactory(text="Brienz spoke.")

    response = client.get(reverse("search"), {"q": "o'brien"})

    assert [hit.url for group in response.context["groups"] for hit in group.hits] == [
        finding.get_absolute_url()
    ]


def test_the_excerpt_writes_what_django_s_headline_writes(db):
    """SearchExcerpt composes its options once; the SQL and the parameters are SearchHeadline's."""
    options = {
        "config": SEARCH_CONFIG,
        "start_sel": MARK_START,
        "stop_sel": MARK_END,
        "max_words": 40,
        "min_words": 15,
        "max_fragments": 2,
        "fragment_delimiter": " … ",
    }

    def sql(headline):
        query = web_search_query("border o'brien")
        queryset = Finding.objects.annotate(headline=headline("text", query, **options)).values("headline")
        return queryset.query.sql_with_params()

    for _ in range(2):  # composed the first time, reused the second
        assert sql(SearchExcerpt) == sql(SearchHeadline)
    f.FindingFactory(text="Border management was discussed at length by the states present.")
    (headline,) = Finding.objects.annotate(
        headline=SearchExcerpt("text", web_search_query("border"), **options)
    ).values_list("headline", flat=True)
    assert headline.startswith(f"{MARK_START}Border{MARK_END} management")
