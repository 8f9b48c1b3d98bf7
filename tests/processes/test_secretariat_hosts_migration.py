"""Migration 0012_secretariat_hosts keeps every host and derives the "secretariat host" roles from the
secretariat, so that nothing is said in two places that can disagree (issue 16)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from processes import models as pm

BEFORE = [("processes", "0011_source_owner")]
HOST = "secretariat_host"


@pytest.mark.django_db(transaction=True)
def test_every_host_is_kept_and_the_roles_follow_the_secretariat():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Process, Organization = old.get_model("processes", "Process"), old.get_model("processes", "Organization")
    Source, Secretariat = old.get_model("processes", "Source"), old.get_model("processes", "Secretariat")
    Role = old.get_model("processes", "OrganizationRole")

    def process(slug):
        names = {"name": slug, "name_en": slug, "short_name": slug, "short_name_en": slug}
        return Process.objects.create(**names, slug=slug, kind="geographic", status="active")

    def organization(slug):
        return Organization.objects.create(
            name=slug.upper(), name_en=slug.upper(), slug=slug, kind="international"
        )

    iom, unhcr, icmpd = organization("iom"), organization("unhcr"), organization("icmpd")
    agreement = Source.objects.create(slug="agreement", title="Agreement")
    report = Source.objects.create(slug="report", title="Report")
    # Named twice and agreeing: the host and its role.
    same = process("same")
    Secretariat.objects.create(process=same, arrangement="fixed", host=iom, since=2001).sources.set(
        [agreement]
    )
    Role.objects.create(process=same, organization=iom, role=HOST, note="Runs it.").sources.set([report])
    # Named twice and disagreeing: the host is IOM, the role says UNHCR (a joint secretariat).
    joint = process("joint")
    Secretariat.objects.create(process=joint, arrangement="fixed", host=iom)
    Role.objects.create(process=joint, organization=unhcr, role=HOST, since=2010)
    # Named only as the host; and a past host, which stays as it was.
    only = process("only")
    Secretariat.objects.create(process=only, arrangement="tsu", host=icmpd)
    Role.objects.create(process=only, organization=iom, role=HOST, since=1995, until=2000)

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    def hosts(slug):
        return sorted(pm.Secretariat.objects.get(process__slug=slug).hosts.values_list("slug", flat=True))

    def roles(slug):
        return sorted(
            (r.organization.slug, r.since, r.until, r.note, sorted(r.sources.values_list("slug", flat=True)))
            for r in pm.OrganizationRole.objects.filter(process__slug=slug, role=HOST)
        )

    assert (hosts("same"), hosts("joint"), hosts("only")) == (["iom"], ["iom", "unhcr"], ["icmpd"])
    assert roles("same") == [("iom", 2001, None, "", ["agreement", "report"])]
    assert roles("joint") == [("iom", 2010, None, "", []), ("unhcr", 2010, None, "", [])]
    assert roles("only") == [("icmpd", None, None, "", []), ("iom", 1995, 2000, "", [])]
    same_secretariat = pm.Secretariat.objects.get(process__slug="same")
    assert same_secretariat.notes == "Runs it."
    assert sorted(same_secretariat.sources.values_list("slug", flat=True)) == ["agreement", "report"]
    assert pm.Secretariat.objects.get(process__slug="joint").since == 2010
