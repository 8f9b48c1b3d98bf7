"""Process editors may add sources, and change or delete the ones they added (issue 16).

Grants the group "Process editors" ``add_source``, ``change_source`` and ``delete_source``; which
source a process editor may change or delete is the admin's job (processes/admin.py, SourceAdmin:
only their own, until a central editor saves it). Idempotent: ``add`` of permissions the group
already has changes nothing. Reversed, it takes the three permissions away again.
"""

from django.db import migrations

PROCESS_EDITORS_GROUP = "Process editors"
CODENAMES = ("add_source", "change_source", "delete_source")


def _permissions(apps, using):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(using).filter(content_type__app_label="processes", codename__in=CODENAMES)


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.using(using).get_or_create(name=PROCESS_EDITORS_GROUP)
    group.permissions.add(*_permissions(apps, using))


def revoke(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.using(using).filter(name=PROCESS_EDITORS_GROUP):
        group.permissions.remove(*_permissions(apps, using))


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0002_corrections"),
        ("processes", "0011_source_owner"),
    ]

    operations = [migrations.RunPython(grant, revoke, elidable=False)]
