"""Region.m49_code, State.aliases and State.search_text (#14: every country, ready), and PostgreSQL's
``unaccent`` extension.

``unaccent`` is a trusted extension: a role that is not superuser creates it when it has CREATE on the
database (the database's owner has). On SQLite the operation does nothing. The states and M49 regions
themselves come in 0008_states_data. Reversing keeps the extension (other code may use it by then).
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations, models


class CreateUnaccent(UnaccentExtension):
    """``CREATE EXTENSION IF NOT EXISTS unaccent`` on PostgreSQL; reversed, the extension stays."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


class Migration(migrations.Migration):

    dependencies = [
        ('processes', '0007_drop_unused_trigram_indexes'),
    ]

    operations = [
        CreateUnaccent(),
        migrations.AddField(
            model_name='historicalregion',
            name='m49_code',
            field=models.CharField(blank=True, db_index=True, help_text="The region's code in the UN M49 standard (e.g. 015 for Northern Africa); empty for groupings that are not M49 regions.", max_length=3, verbose_name='UN M49 code'),
        ),
        migrations.AddField(
            model_name='historicalstate',
            name='aliases',
            field=models.TextField(blank=True, help_text='Other names people use for this country, one per line (e.g. Ivory Coast, Cape Verde). Search finds the state by these and by its names in every language.', verbose_name='other names'),
        ),
        migrations.AddField(
            model_name='historicalstate',
            name='search_text',
            field=models.TextField(blank=True, editable=False, help_text='The names and other names in lower case without accents, one per line.', verbose_name='search text'),
        ),
        migrations.AddField(
            model_name='region',
            name='m49_code',
            field=models.CharField(blank=True, db_index=True, help_text="The region's code in the UN M49 standard (e.g. 015 for Northern Africa); empty for groupings that are not M49 regions.", max_length=3, verbose_name='UN M49 code'),
        ),
        migrations.AddField(
            model_name='state',
            name='aliases',
            field=models.TextField(blank=True, help_text='Other names people use for this country, one per line (e.g. Ivory Coast, Cape Verde). Search finds the state by these and by its names in every language.', verbose_name='other names'),
        ),
        migrations.AddField(
            model_name='state',
            name='search_text',
            field=models.TextField(blank=True, editable=False, help_text='The names and other names in lower case without accents, one per line.', verbose_name='search text'),
        ),
    ]
