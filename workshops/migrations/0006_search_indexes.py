"""The search vectors and indexes of the meetings, findings, recommendations and documents on
PostgreSQL: the site search (rcpdb/core/search.py) and the ``q`` filters of the lists (workshops/filters.py).

As processes/migrations/0006_search_indexes.py explains (and whose helpers this uses): a stored
generated column ``search_document`` holding the weighted vector the query would compute, a GIN index
on it (``<model>_search_gin``) and pg_trgm GIN indexes on ``UPPER(column::text)`` of each searched
column (``<model>_<column>_trgm``), so that the full-text match OR'ed with the ``icontains`` matches is
a BitmapOr of index scans and ``ts_rank`` reads the stored vector. tests/site/test_search_indexes.py
checks both.

Created in RunPython and only on PostgreSQL: invisible to the migration autodetector, so
``makemigrations --check`` stays clean; the reverse operation drops them. Changing the searched fields
or their weights needs a new migration redefining the column; changing the type of a searched column
(e.g. its ``max_length``) needs ``search_document`` dropped first and added again after.
"""

import importlib

from django.db import migrations

# Migration modules start with a digit: imported by name.
_processes = importlib.import_module("processes.migrations.0006_search_indexes")
add_search, remove_search, expand = _processes.add_search, _processes.remove_search, _processes.expand

# model: (prefix of the index names, weighted fields in every language, pg_trgm indexes too)
SEARCHED = {
    "workshop": (
        "workshop",
        expand([("title", "A"), ("summary", "B"), ("city", "C")], translated={"title"}),
        True,
    ),
    "finding": ("finding", expand([("text", "B")]), True),
    "recommendation": (
        "recommendation",
        expand([("text", "B"), ("addressed_to", "C"), ("follow_up_note", "C")]),
        True,
    ),
    "document": ("document", expand([("title", "A"), ("description", "B")]), True),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (prefix, fields, trigram) in SEARCHED.items():
        add_search(schema_editor, apps.get_model("workshops", model_name), prefix, fields, trigram)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, (prefix, fields, trigram) in SEARCHED.items():
        remove_search(schema_editor, apps.get_model("workshops", model_name), prefix, fields, trigram)


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0005_translations"),
        # Creates pg_trgm.
        ("processes", "0006_search_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
