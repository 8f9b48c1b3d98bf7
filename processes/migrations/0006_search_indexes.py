"""The search vectors and indexes of the site search and the ``q`` filters on PostgreSQL.

``filter_by_text()`` (rcpdb/core/search.py) matches ``<weighted search vector> @@ websearch_to_tsquery(...)``
OR every word ``icontains`` (``UPPER(column::text) LIKE UPPER('%word%')``) in one of the searched
columns, and ranks the matches with ``ts_rank`` over the same vector. Computing the vector for every
row (eight fields, translated ones in three languages) made the search page take 700 ms at 100x
data; an expression index alone does not help enough, as the vector of every matching row is still
computed twice (recheck and rank). So on PostgreSQL each searched table gets:

- ``search_document``: a stored generated column, the weighted vector built from the same Django
  expressions as ``search_vector()`` in rcpdb/core/search.py (config "english", translated fields in every
  language), compiled to SQL here; PostgreSQL keeps it up to date on every insert and update;
- ``<model>_search_gin``: a GIN index on that column;
- ``<model>_<column>_trgm``: pg_trgm GIN indexes (``gin_trgm_ops``) on ``UPPER(column::text)`` of each
  searched column of the large tables (here the processes), so that the full-text match OR'ed with the
  substring matches is a BitmapOr of index scans instead of a sequential scan.

tests/site/test_search_indexes.py checks that the stored vector equals the query's and that the planner
uses the indexes.

All of it is created in RunPython and only on PostgreSQL (SQLite searches with ``icontains`` alone):
the column is not a model field and the indexes are not in ``Meta.indexes``, so the migration
autodetector sees none of them and ``makemigrations --check`` stays clean. The reverse operation
drops them (pg_trgm stays installed). Changing the searched fields or their weights in
rcpdb/core/search.py needs a new migration redefining the column. PostgreSQL refuses to change the type
of a column a generated column reads (e.g. a new ``max_length`` of a searched field): such a
migration drops ``search_document`` first and adds it again after.
"""

from functools import reduce
from operator import add

from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models.sql import Query

# As rcpdb/core/search.py builds the vector: config "english", translated fields in every language.
SEARCH_CONFIG = "english"
LANGUAGES = ("en", "fr", "es")
DOCUMENT_COLUMN = "search_document"


def expand(weighted_fields, translated=()):
    return [
        (f"{name}_{language}", weight) if name in translated else (name, weight)
        for name, weight in weighted_fields
        for language in (LANGUAGES if name in translated else ("",))
    ]


def search_vector(weighted_fields):
    return reduce(
        add, (SearchVector(name, weight=weight, config=SEARCH_CONFIG) for name, weight in weighted_fields)
    )


def expression_sql(model, expression, schema_editor):
    """``expression`` as SQL over ``model``'s unqualified columns, its parameters inlined."""
    query = Query(model, alias_cols=False)
    compiler = query.get_compiler(connection=schema_editor.connection)
    sql, params = expression.resolve_expression(query).as_sql(compiler, schema_editor.connection)
    return sql % tuple(schema_editor.quote_value(param) for param in params)


def add_search(schema_editor, model, prefix, weighted_fields, trigram):
    quote = schema_editor.quote_name
    table = quote(model._meta.db_table)
    vector = expression_sql(model, search_vector(weighted_fields), schema_editor)
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN {quote(DOCUMENT_COLUMN)} tsvector "
        f"GENERATED ALWAYS AS ({vector}) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX {quote(prefix + '_search_gin')} ON {table} USING gin ({quote(DOCUMENT_COLUMN)})"
    )
    if trigram:
        for column, _weight in weighted_fields:
            schema_editor.execute(
                f"CREATE INDEX {quote(f'{prefix}_{column}_trgm')} ON {table} "
                f"USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)"
            )


def remove_search(schema_editor, model, prefix, weighted_fields, trigram):
    quote = schema_editor.quote_name
    if trigram:
        for column, _weight in weighted_fields:
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(f'{prefix}_{column}_trgm')}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {quote(prefix + '_search_gin')}")
    schema_editor.execute(
        f"ALTER TABLE {quote(model._meta.db_table)} DROP COLUMN IF EXISTS {quote(DOCUMENT_COLUMN)}"
    )


# model: (prefix of the index names, weighted fields in every language, pg_trgm indexes too)
SEARCHED = {
    "process": (
        "process",
        expand(
            [
                ("short_name", "A"),
                ("name", "A"),
                ("acronym", "A"),
                ("description", "B"),
                ("objectives", "B"),
                ("established_note", "C"),
                ("working_methods", "C"),
                ("meeting_structure", "C"),
            ],
            translated={"name", "short_name", "description", "objectives"},
        ),
        True,
    ),
    "organization": (
        "organization",
        expand([("name", "A"), ("acronym", "A"), ("description", "B")], translated={"name", "description"}),
        False,
    ),
    "theme": (
        "theme",
        expand([("name", "A"), ("description", "B")], translated={"name", "description"}),
        False,
    ),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A trusted extension: the owner of the database may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for model_name, (prefix, fields, trigram) in SEARCHED.items():
        add_search(schema_editor, apps.get_model("processes", model_name), prefix, fields, trigram)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (prefix, fields, trigram) in SEARCHED.items():
        remove_search(schema_editor, apps.get_model("processes", model_name), prefix, fields, trigram)


class Migration(migrations.Migration):
    dependencies = [
        ("processes", "0005_translations"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
