"""A secretariat may have several host organisations (issue 16); its "secretariat host" roles follow.

Schema: ``Secretariat.hosts`` (many-to-many, with its history table) replaces ``Secretariat.host``.

Data, so that every host is kept and nothing is stated in two places that can disagree:

- every secretariat's hosts are its former host plus the organisations with a current "secretariat
  host" role in its process (a host named only in a role is kept);
- the sources those roles cited are added to the secretariat's, a role's note is added to the
  secretariat's notes (unless they already say it), and a role's since-year fills an empty one;
- the current "secretariat host" roles are then derived from the secretariat: one per host, with the
  secretariat's since-year, "as of" and sources, and no note of their own (as
  processes/services.py, ``sync_secretariat_host_roles``, keeps them);
- each history entry of a secretariat that named a host now lists it among its hosts, so that the
  history still says who hosted it when.

A role of a process that has no secretariat record is left as it is (no arrangement can be invented
for it). Reversed, a secretariat keeps its first host by name (the only one the old field can hold).
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models

SECRETARIAT_HOST = "secretariat_host"


def _sort_key(organization):
    return (organization.name or "").casefold()


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias
    Secretariat = apps.get_model("processes", "Secretariat")
    HistoricalSecretariat = apps.get_model("processes", "HistoricalSecretariat")
    HistoricalHosts = apps.get_model("processes", "HistoricalSecretariat_hosts")
    OrganizationRole = apps.get_model("processes", "OrganizationRole")
    through = Secretariat.hosts.through

    for secretariat in Secretariat.objects.using(db).order_by("pk"):
        roles = list(
            OrganizationRole.objects.using(db)
            .filter(process_id=secretariat.process_id, role=SECRETARIAT_HOST, until__isnull=True)
            .order_by("pk")
        )
        hosts = {role.organization_id for role in roles}
        if secretariat.host_id:
            hosts.add(secretariat.host_id)
        changed = False
        for role in roles:
            note = (role.note or "").strip()
            if note and note not in (secretariat.notes or ""):
                secretariat.notes = f"{secretariat.notes}\n\n{note}".strip()
                changed = True
            if secretariat.since is None and role.since is not None:
                secretariat.since = role.since
                changed = True
            secretariat.sources.add(*role.sources.all())
        if changed:
            secretariat.save(update_fields=["notes", "since"])
        secretariat.hosts.add(*hosts)
        sources = list(secretariat.sources.all())
        by_organization = {role.organization_id: role for role in roles}
        for organization_id in sorted(hosts):
            role = by_organization.get(organization_id) or OrganizationRole(
                process_id=secretariat.process_id, organization_id=organization_id, role=SECRETARIAT_HOST
            )
            role.since, role.as_of, role.note = secretariat.since, secretariat.as_of, ""
            role.save()
            role.sources.set(sources)

    # The history: an entry that named a host lists it among the hosts.
    link_ids = {
        (secretariat_id, organization_id): pk
        for pk, secretariat_id, organization_id in through.objects.using(db).values_list(
            "pk", "secretariat_id", "organization_id"
        )
    }
    HistoricalHosts.objects.using(db).bulk_create(
        HistoricalHosts(
            id=link_ids.get((entry.id, entry.host_id), 0),
            history_id=entry.history_id,
            secretariat_id=entry.id,
            organization_id=entry.host_id,
        )
        for entry in HistoricalSecretariat.objects.using(db).filter(host__isnull=False).exclude(
            history_type="-"
        )
    )


def backwards(apps, schema_editor):
    db = schema_editor.connection.alias
    Secretariat = apps.get_model("processes", "Secretariat")
    for secretariat in Secretariat.objects.using(db).prefetch_related("hosts"):
        hosts = sorted(secretariat.hosts.all(), key=_sort_key)
        if hosts:
            secretariat.host_id = hosts[0].pk
            secretariat.save(update_fields=["host"])


class Migration(migrations.Migration):
    dependencies = [
        ("processes", "0011_source_owner"),
    ]

    operations = [
        migrations.AddField(
            model_name="secretariat",
            name="hosts",
            field=models.ManyToManyField(
                blank=True,
                help_text="One or several (a joint secretariat). Their “secretariat host” roles follow from this.",
                related_name="hosted_secretariats",
                to="processes.organization",
                verbose_name="host organisations",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalSecretariat_hosts",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="processes.historicalsecretariat",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="processes.organization",
                    ),
                ),
                (
                    "secretariat",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="processes.secretariat",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalSecretariat_hosts",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.RemoveField(model_name="historicalsecretariat", name="host"),
        migrations.RemoveField(model_name="secretariat", name="host"),
    ]
