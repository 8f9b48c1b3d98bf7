"""The editor groups and their permissions come from `migrate` (rcpdb/site/migrations/0001_editor_groups.py).

The main test migrates an empty SQLite database in production mode, as a new production site would,
and reads the groups back with plain SQL.
"""

import importlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from processes.editors import CENTRAL_EDITORS_GROUP
from rcpdb.site.demo import PROCESS_EDITORS_GROUP

PROJECT = Path(__file__).resolve().parents[2]
migration = importlib.import_module("rcpdb.site.migrations.0001_editor_groups")
sources_migration = importlib.import_module("rcpdb.site.migrations.0003_process_editors_add_sources")

ACTIONS = ("add", "change", "delete", "view")
PROCESS_EDITOR_PERMISSIONS = sorted(
    [
        ("processes", f"{action}_{model}")
        for model in (
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
        for action in ACTIONS
    ]
    + [("processes", "view_process"), ("processes", "change_process")]
    + [("processes", f"view_{model}") for model in ("region", "state", "source", "organization", "theme")]
    + [
        ("workshops", f"{action}_{model}")
        for model in ("workshop", "session", "sessionlead", "participation", "finding", "recommendation")
        + ("document",)
        for action in ACTIONS
    ]
    + [("workshops", "view_person")]
    # 0003_process_editors_add_sources: they add sources (and change or delete their own).
    + [("processes", "add_source"), ("processes", "change_source"), ("processes", "delete_source")]
)
CENTRAL_EXTRA = sorted(
    [
        ("auth", "view_user"),
        ("axes", "delete_accessattempt"),
        ("axes", "view_accessattempt"),
        ("otp_totp", "add_totpdevice"),
        ("otp_totp", "change_totpdevice"),
        ("otp_totp", "delete_totpdevice"),
        ("otp_totp", "view_totpdevice"),
    ]
)

GROUP_PERMISSIONS_SQL = """
    SELECT g.name, ct.app_label, p.codename
    FROM auth_group g
    JOIN auth_group_permissions gp ON gp.group_id = g.id
    JOIN auth_permission p ON p.id = gp.permission_id
    JOIN django_content_type ct ON ct.id = p.content_type_id
    ORDER BY g.name, ct.app_label, p.codename
"""


def run_manage(*args, database):
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    environment.update(
        DEBUG="false",
        SECRET_KEY="a-production-key-" + "x" * 50,
        ALLOWED_HOSTS="rcpdb.example.org",
        DATABASE_URL=f"sqlite:///{database}",
    )
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args, "--noinput", "-v", "0"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def read_groups(database):
    with sqlite3.connect(database) as db:
        rows = db.execute(GROUP_PERMISSIONS_SQL).fetchall()
        names = [name for (name,) in db.execute("SELECT name FROM auth_group ORDER BY name")]
        content_permissions = sorted(
            db.execute(
                "SELECT ct.app_label, p.codename FROM auth_permission p"
                " JOIN django_content_type ct ON ct.id = p.content_type_id"
                " WHERE ct.app_label IN ('processes', 'workshops')"
            ).fetchall()
        )
    groups = {name: [] for name in names}
    for name, app_label, codename in rows:
        groups[name].append((app_label, codename))
    return groups, content_permissions


def test_migrate_on_an_empty_production_database_makes_both_groups_with_their_permissions(tmp_path):
    database = tmp_path / "production.sqlite3"

    first = run_manage("migrate", database=database)
    groups, content_permissions = read_groups(database)
    again = run_manage("migrate", "site", "zero", database=database)
    rerun = run_manage("migrate", database=database)
    groups_after_rerun, _ = read_groups(database)

    assert (first.returncode, first.stderr) == (0, "")
    assert (again.returncode, rerun.returncode) == (0, 0)
    assert list(groups) == ["Central editors", "Process editors"]
    assert len(content_permissions) > 200  # every model's four permissions, historical models too
    assert groups["Central editors"] == sorted(content_permissions + CENTRAL_EXTRA)
    assert groups["Process editors"] == PROCESS_EDITOR_PERMISSIONS
    assert len(PROCESS_EDITOR_PERMISSIONS) == 83
    # Run again (migrating the site app back and forward): the same two groups, the same permissions.
    assert groups_after_rerun == groups


@pytest.mark.django_db
def test_running_the_migration_again_restores_exactly_the_groups_permissions(editor_groups):
    central = Group.objects.get(name=CENTRAL_EDITORS_GROUP)
    process_editors = Group.objects.get(name=PROCESS_EDITORS_GROUP)
    expected_central = set(central.permissions.values_list("pk", flat=True))
    expected_process = set(process_editors.permissions.values_list("pk", flat=True))
    process_editors.permissions.add(Permission.objects.get(codename="delete_process"))
    central.permissions.remove(Permission.objects.get(codename="view_user"))

    for _ in range(2):
        migration.set_up_editor_groups(apps, SimpleNamespace(connection=connection))
        sources_migration.grant(apps, SimpleNamespace(connection=connection))

    assert Group.objects.filter(name__in=[CENTRAL_EDITORS_GROUP, PROCESS_EDITORS_GROUP]).count() == 2
    assert set(central.permissions.values_list("pk", flat=True)) == expected_central
    assert set(process_editors.permissions.values_list("pk", flat=True)) == expected_process
    assert not process_editors.permissions.filter(codename="delete_process").exists()
    assert central.permissions.filter(codename="view_user").exists()


def test_group_names_are_the_ones_the_admin_and_the_demo_use():
    assert migration.CENTRAL_EDITORS_GROUP == CENTRAL_EDITORS_GROUP == "Central editors"
    assert migration.PROCESS_EDITORS_GROUP == PROCESS_EDITORS_GROUP == "Process editors"


@pytest.mark.django_db
def test_demo_users_without_the_groups_is_a_clear_error_and_creates_no_account(settings, shipped_states):
    from django.contrib.auth import get_user_model

    settings.DEBUG = True
    Group.objects.all().delete()

    with pytest.raises(CommandError) as error:
        call_command("load_demo", "--with-demo-users", verbosity=0)

    assert str(error.value) == (
        "The groups Central editors, Process editors are missing: run `python manage.py migrate` first."
    )
    assert get_user_model().objects.count() == 0


@pytest.mark.django_db
def test_process_editors_get_the_source_permissions_once_and_lose_them_when_reversed(editor_groups):
    process_editors = Group.objects.get(name=PROCESS_EDITORS_GROUP)
    source_codenames = ["add_source", "change_source", "delete_source"]

    def granted():
        return sorted(
            process_editors.permissions.filter(codename__endswith="_source").values_list(
                "codename", flat=True
            )
        )

    sources_migration.grant(apps, SimpleNamespace(connection=connection))
    again = granted()
    sources_migration.revoke(apps, SimpleNamespace(connection=connection))
    reversed_ = granted()

    assert again == sorted([*source_codenames, "view_source"])
    assert reversed_ == ["view_source"]
    # Central editors keep theirs.
    assert Group.objects.get(name=CENTRAL_EDITORS_GROUP).permissions.filter(codename="add_source").exists()
