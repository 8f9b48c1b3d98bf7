"""The stored search vectors and the indexes of the search on PostgreSQL (the 0006_search_indexes
migrations of processes and workshops, rcpdb/search.py).

They guard against the query and the database drifting apart: the stored vector must be the one the
query would compute from the searched fields, and the planner must be able to answer the search of the
findings and of the processes with the indexes (a sequential scan disabled, as at 100x data).
"""

import re

import pytest
from django.db import connection, transaction

from processes.models import Organization, Process, Theme
from rcpdb.search import (
    STORED_DOCUMENTS,
    StoredDocument,
    document_fields,
    filter_by_text,
    group_specs,
    ordered_matches_queryset,
    search_vector,
)
from tests import factories as f
from workshops.models import Document, Finding, Recommendation, Workshop

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The stored search vectors and the GIN/pg_trgm indexes exist on PostgreSQL only.",
)

PROCESS_TRIGRAM_COLUMNS = [
    "short_name_en",
    "short_name_fr",
    "short_name_es",
    "name_en",
    "name_fr",
    "name_es",
    "acronym",
    "description_en",
    "description_fr",
    "description_es",
    "objectives_en",
    "objectives_fr",
    "objectives_es",
    "established_note",
    "working_methods",
    "meeting_structure",
]

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
    with transaction.atomic(), connection.cursor() as cursor:
        # Without them the planner of an almost empty table rightly reads it whole, or walks an index
        # in the order asked for; the question here is whether the text conditions can use the indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    return re.findall(r"Bitmap Index Scan on (\w+)", plan)


def spec(key):
    return next(spec for spec in group_specs() if spec.key == key)


@pytest.mark.parametrize("model", list(STORED_DOCUMENTS), ids=lambda model: model.__name__)
def test_the_stored_vector_is_the_one_the_query_would_compute(db, model):
    fields = document_fields(model, STORED_DOCUMENTS[model])
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


def test_the_findings_search_can_use_the_vector_and_trigram_indexes(db):
    queryset = ordered_matches_queryset(spec("findings"), "trafficking border")

    used = bitmap_indexes(queryset)

    # The meetings are joined by their primary key.
    assert sorted(set(used)) == ["finding_search_gin", "finding_text_trgm", "workshops_workshop_pkey"]


def test_the_processes_search_can_use_the_vector_and_trigram_indexes(db):
    queryset = ordered_matches_queryset(spec("processes"), "trafficking border")

    used = bitmap_indexes(queryset)

    assert sorted(set(used)) == sorted(
        ["process_search_gin"] + [f"process_{column}_trgm" for column in PROCESS_TRIGRAM_COLUMNS]
    )


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
