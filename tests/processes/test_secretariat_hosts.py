"""A secretariat may have several host organisations; its "secretariat host" roles follow from them
(issue 16): the service that derives them, the rule that refuses one entered by hand, and what the
profile, the comparison, the filters, the organisation page and the API show for a joint secretariat."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from processes import analysis, enums, services
from processes import models as pm
from rcpdb.core.history import describe_changes
from rcpdb.site.demo import create_demo_users
from tests import factories as f
from tests.processes.test_admin import admin_form_data

pytestmark = pytest.mark.django_db

HOST = enums.OrganizationRoleKind.SECRETARIAT_HOST
AS_OF = datetime.date(2025, 3, 31)


@pytest.fixture
def iom():
    return f.OrganizationFactory(name="International Organization for Migration", acronym="IOM", slug="iom")


@pytest.fixture
def unhcr():
    return f.OrganizationFactory(name="UN Refugee Agency", acronym="UNHCR", slug="unhcr")


@pytest.fixture
def joint(iom, unhcr):
    """The Mixed Migration Process (made up): a fixed secretariat hosted by IOM and UNHCR together."""
    process = f.ProcessFactory(slug="mixed", short_name="Mixed Migration Process")
    source = f.SourceFactory(title="Joint secretariat agreement")
    secretariat = f.SecretariatFactory(
        process=process,
        arrangement=enums.SecretariatArrangement.FIXED,
        hosts=[unhcr, iom],
        since=2015,
        as_of=AS_OF,
    )
    secretariat.sources.set([source])
    services.sync_secretariat_host_roles(process)
    return process


def host_roles(process):
    return sorted(
        (role.organization.acronym, role.since, role.until, role.as_of, [s.title for s in role.sources.all()])
        for role in pm.OrganizationRole.objects.filter(process=process, role=HOST)
    )


# The derivation ------------------------------------------------------------------------------------


def test_each_host_gets_one_role_with_the_secretariats_dates_and_sources(joint):
    assert host_roles(joint) == [
        ("IOM", 2015, None, AS_OF, ["Joint secretariat agreement"]),
        ("UNHCR", 2015, None, AS_OF, ["Joint secretariat agreement"]),
    ]


def test_a_host_taken_off_loses_its_role_and_a_change_of_dates_follows(joint, unhcr):
    secretariat = joint.secretariat
    secretariat.hosts.remove(unhcr)
    secretariat.since = 2016
    secretariat.save()

    services.sync_secretariat_host_roles(joint)

    assert host_roles(joint) == [("IOM", 2016, None, AS_OF, ["Joint secretariat agreement"])]


def test_syncing_twice_writes_no_second_history_entry(joint):
    before = pm.OrganizationRole.history.count()

    services.sync_secretariat_host_roles(joint)

    assert pm.OrganizationRole.history.count() == before


def test_a_deleted_secretariat_takes_its_host_roles_away_but_not_a_past_host(joint, iom):
    f.OrganizationRoleFactory(process=joint, organization=iom, role=HOST, since=2001, until=2010)
    joint.secretariat.delete()

    services.sync_secretariat_host_roles(joint, secretariat_removed=True)

    assert host_roles(joint) == [("IOM", 2001, 2010, None, [])]


def test_a_process_without_a_secretariat_record_keeps_its_roles_unless_it_just_lost_it(iom):
    process = f.ProcessFactory()
    role = f.OrganizationRoleFactory(process=process, organization=iom, role=HOST)

    services.sync_secretariat_host_roles(process)

    assert list(pm.OrganizationRole.objects.filter(process=process)) == [role]


def test_a_current_host_role_the_secretariat_does_not_name_is_refused(joint, iom):
    other = f.OrganizationFactory(acronym="ICMPD")
    by_hand = pm.OrganizationRole(process=joint, organization=other, role=HOST)

    with pytest.raises(ValidationError) as refused:
        by_hand.full_clean()

    assert refused.value.message_dict == {
        "role": [
            "A current secretariat host is named on the process's secretariat, among its host "
            "organisations; this role then follows from it."
        ]
    }
    # Nor by hand for a host the secretariat names: its role is already derived.
    with pytest.raises(ValidationError):
        pm.OrganizationRole(process=joint, organization=iom, role=HOST).full_clean()
    # A past host (with an end year) is history, not the secretariat's present: it may be entered.
    pm.OrganizationRole(process=joint, organization=other, role=HOST, since=2001, until=2010).full_clean()


# What the public pages and the API show --------------------------------------------------------------


def test_profile_says_hosted_by_both(client, joint):
    response = client.get(joint.get_absolute_url())

    html = response.content.decode()
    assert "Fixed secretariat, hosted by IOM and UNHCR" in html
    assert (
        '<a href="/en/organizations/iom/">International Organization for Migration (IOM)</a> and '
        '<a href="/en/organizations/unhcr/">UN Refugee Agency (UNHCR)</a>'
    ) in html


def test_compare_names_both_hosts(joint):
    f.ProcessFactory(slug="other")

    matrix = analysis.comparison_matrix(slugs=[joint.slug, "other"])

    rows = {row[0]: row[1:] for row in matrix.as_table()}
    assert rows["Secretariat"] == [
        "Fixed secretariat, hosted by International Organization for Migration (IOM) and UN Refugee Agency "
        "(UNHCR)",
        "",
    ]


def test_secretariat_filter_keeps_a_jointly_hosted_process_once(client, joint):
    f.SecretariatFactory(
        process=f.ProcessFactory(short_name="Rotating Process"),
        arrangement=enums.SecretariatArrangement.ROTATING_WITH_CHAIR,
    )

    response = client.get(reverse("processes:process-list"), {"secretariat": "fixed"})

    assert [process.short_name for process in response.context["page_obj"]] == ["Mixed Migration Process"]


def test_each_host_lists_the_joint_secretariat_and_another_organisation_does_not(client, joint):
    icmpd = f.OrganizationFactory(slug="icmpd")
    neither = f.ProcessFactory(short_name="Budapest Process")
    f.SecretariatFactory(process=neither, hosts=[icmpd])

    for slug, expected in [("iom", ["mixed"]), ("unhcr", ["mixed"]), ("icmpd", [neither.slug])]:
        response = client.get(reverse("processes:organization-detail", kwargs={"slug": slug}))
        hosted = response.context["organization"].hosted_secretariats.all()
        assert [secretariat.process.slug for secretariat in hosted] == expected, slug


def test_api_lists_the_hosts(client, joint):
    response = client.get("/api/secretariats/", {"process": "mixed"})

    assert [row["hosts"] for row in response.json()["results"]] == [["iom", "unhcr"]]


# The admin -----------------------------------------------------------------------------------------


@pytest.fixture
def central(editor_groups):
    f.ProcessFactory(slug="puebla", short_name="Puebla Process")
    create_demo_users()
    return get_user_model().objects.get(username="demo-central")


def test_admin_adds_a_second_host_and_the_roles_and_history_follow(client, central, joint, iom, unhcr):
    secretariat = joint.secretariat
    secretariat.hosts.set([iom])
    services.sync_secretariat_host_roles(joint)
    entries = secretariat.history.count()
    client.force_login(central)
    change = reverse("admin:processes_process_change", args=[joint.pk])
    opened = client.get(change)
    # The derived role is the secretariat's, not a row of the organisation roles' inline.
    assert opened.context["adminform"].form.instance == joint
    roles_inline = next(
        f for f in opened.context["inline_admin_formsets"] if f.opts.model is pm.OrganizationRole
    )
    assert list(roles_inline.formset.queryset) == []
    data = admin_form_data(opened)
    data["secretariat-0-hosts"] = [str(iom.pk), str(unhcr.pk)]

    response = client.post(change, data)

    assert response.status_code == 302
    assert host_roles(joint) == [
        ("IOM", 2015, None, AS_OF, ["Joint secretariat agreement"]),
        ("UNHCR", 2015, None, AS_OF, ["Joint secretariat agreement"]),
    ]
    assert secretariat.history.count() == entries + 1
    latest = secretariat.history.first()
    assert sorted(link.organization_id for link in latest.hosts.all()) == sorted([iom.pk, unhcr.pk])
    assert [(c["field"], c["old"], c["new"]) for c in describe_changes(latest)] == [
        ("Host organisations", f"[{iom}]", f"[{iom}, {unhcr}]")
    ]


def test_admin_shows_a_derived_host_role_but_refuses_to_change_or_delete_it(client, central, joint, iom):
    role = pm.OrganizationRole.objects.get(process=joint, organization=iom)
    client.force_login(central)
    change = reverse("admin:processes_organizationrole_change", args=[role.pk])
    delete = reverse("admin:processes_organizationrole_delete", args=[role.pk])

    shown = client.get(change)
    changed = client.post(change, {"role": "partner"})
    deleted = client.post(delete, {"post": "yes"})

    assert shown.status_code == 200
    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert pm.OrganizationRole.objects.get(pk=role.pk).role == HOST


def test_admin_refuses_a_host_role_entered_in_the_roles_inline(client, central, joint, iom):
    client.force_login(central)
    change = reverse("admin:processes_process_change", args=[joint.pk])
    data = admin_form_data(client.get(change))
    total = int(data["organization_roles-TOTAL_FORMS"])
    data.update(
        {
            f"organization_roles-{total}-organization": str(iom.pk),
            f"organization_roles-{total}-role": HOST,
            "organization_roles-TOTAL_FORMS": str(total + 1),
        }
    )

    response = client.post(change, data)

    assert response.status_code == 200
    assert (
        "A current secretariat host is named on the process&#x27;s secretariat, among its host "
        "organisations; this role then follows from it."
    ) in response.content.decode()
    assert host_roles(joint) == [
        ("IOM", 2015, None, AS_OF, ["Joint secretariat agreement"]),
        ("UNHCR", 2015, None, AS_OF, ["Joint secretariat agreement"]),
    ]
