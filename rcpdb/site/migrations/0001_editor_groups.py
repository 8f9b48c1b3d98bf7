"""The editor groups and their permissions, so that ``migrate`` alone gives a working permission model.

- "Central editors": every permission of ``processes`` and ``workshops``, and the few beyond the
  records they need (pick process editors in the users' autocomplete, give staff a TOTP device, lift
  a login lockout).
- "Process editors" (secretariat editors): the model permissions that make the admin pages of their
  own process and its meetings reachable; limiting them to their own process is the admin's job
  (processes/admin_scoping.py).

The permissions are created first (``create_permissions``; Django otherwise creates them only after
the whole ``migrate`` run), so this works on an empty database. Running it again changes nothing:
groups are looked up by name and their permissions set to exactly these. Accounts are not created
here (``load_demo --with-demo-users`` adds the demo's, in development only).

Written out in full, as a migration must be: it does not change when the code does. A later change of
the groups' permissions is a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

CENTRAL_EDITORS_GROUP = "Central editors"
PROCESS_EDITORS_GROUP = "Process editors"
CONTENT_APPS = ("processes", "workshops")
CENTRAL_EXTRA_PERMISSIONS = (
    ("auth", "view_user"),
    ("otp_totp", "add_totpdevice"),
    ("otp_totp", "change_totpdevice"),
    ("otp_totp", "delete_totpdevice"),
    ("otp_totp", "view_totpdevice"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
)
ACTIONS = ("add", "change", "delete", "view")
PER_PROCESS_MODELS = (
    "processclaim",
    "listcompleteness",
    "membership",
    "organizationrole",
    "secretariat",
    "chairterm",
    "funding",
    "evaluation",
    "output",
    "achievement",
    "institutionlink",
)
PER_MEETING_MODELS = (
    "workshop",
    "session",
    "sessionlead",
    "participation",
    "finding",
    "recommendation",
    "document",
)
REFERENCE_MODELS = ("region", "state", "source", "organization", "theme")
WORKSHOP_REFERENCE_MODELS = ("person",)


def process_editor_codenames():
    """``{app label: [codenames]}`` of the group "Process editors"."""
    processes = [f"{action}_{model}" for model in PER_PROCESS_MODELS for action in ACTIONS]
    processes += ["view_process", "change_process"]
    processes += [f"view_{model}" for model in REFERENCE_MODELS]
    workshops = [f"{action}_{model}" for model in PER_MEETING_MODELS for action in ACTIONS]
    workshops += [f"view_{model}" for model in WORKSHOP_REFERENCE_MODELS]
    return {"processes": processes, "workshops": workshops}


def create_all_permissions(apps, using):
    """Every model's content type and permissions, as ``migrate`` makes them at its end."""
    for app_config in apps.get_app_configs():
        stub = getattr(app_config, "models_module", None) is None  # a migration state's app: it has models
        if stub:
            app_config.models_module = True
        try:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
        finally:
            if stub:
                app_config.models_module = None


def set_up_editor_groups(apps, schema_editor):
    using = schema_editor.connection.alias
    create_all_permissions(apps, using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(using)

    central, _ = Group.objects.using(using).get_or_create(name=CENTRAL_EDITORS_GROUP)
    extra = Q()
    for app_label, codename in CENTRAL_EXTRA_PERMISSIONS:
        extra |= Q(content_type__app_label=app_label, codename=codename)
    central.permissions.set(permissions.filter(Q(content_type__app_label__in=CONTENT_APPS) | extra))

    process_editors, _ = Group.objects.using(using).get_or_create(name=PROCESS_EDITORS_GROUP)
    chosen = Q(pk__in=[])
    for app_label, codenames in process_editor_codenames().items():
        chosen |= Q(content_type__app_label=app_label, codename__in=codenames)
    process_editors.permissions.set(permissions.filter(chosen))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
        ("processes", "0009_merge_0008_states_data_0008_truth_list_completeness"),
        ("workshops", "0007_content_recommendation_numbering"),
    ]

    operations = [
        # Reversed, it leaves the groups: they may hold accounts by then.
        migrations.RunPython(set_up_editor_groups, migrations.RunPython.noop, elidable=False),
    ]
