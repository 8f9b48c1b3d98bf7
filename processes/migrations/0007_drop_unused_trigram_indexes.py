"""Drop the pg_trgm indexes of the process texts that no query reads any more (PostgreSQL only).

The site search and the list filters match full text only (rcpdb/core/search.py): the stored vector and its
GIN index answer them. Substring (``icontains``) matching on PostgreSQL is left to the admin's search,
which looks in the names and acronym of a process only (``ProcessAdmin.search_fields``): their trigram
indexes stay, those of the long texts go (every save of a process had to update them).
"""

from django.db import migrations

UNUSED = [
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


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in UNUSED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(f'process_{column}_trgm')}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for column in UNUSED:
        schema_editor.execute(
            f"CREATE INDEX {quote(f'process_{column}_trgm')} ON {quote('processes_process')} "
            f"USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("processes", "0006_search_indexes")]

    operations = [migrations.RunPython(drop, create, elidable=False)]
