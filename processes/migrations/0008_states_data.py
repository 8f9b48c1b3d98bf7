"""Every ISO 3166-1 country and territory as a State, in its UN M49 region (#14).

Creates the UN M49 regions (region › sub-region › intermediate region, with their codes and their
English, French and Spanish names) or finds them by M49 code or slug, creates the states missing,
puts every state in its most specific M49 region, adds the common alternative names and builds the
search text (processes/state_reference.py reads the committed processes/data/*.csv files).

Safe on a database that already has states: they keep their id and so their memberships, chair terms
and history; only their region, aliases and search text change. Running it again changes nothing.

The reverse does nothing: states and regions may be in use by then, and which ones this migration
created is not recorded. Reversing leaves them as they are.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from processes.state_reference import ensure_states

    ensure_states(apps.get_model("processes", "State"), apps.get_model("processes", "Region"))


class Migration(migrations.Migration):
    dependencies = [
        ("processes", "0008_states_schema"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
