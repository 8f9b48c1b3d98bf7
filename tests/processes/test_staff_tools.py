"""Staff tools of the Process admin (issue 16): bulk entry of many rows, and change forms that say
where their errors are, keep their rows in name order and offer no way to change shared data from a row."""

import datetime

import pytest
from django.urls import reverse

from processes import models as pm
from processes import services
from rcpdb.site.demo import create_demo_users
from tests import factories as f
from tests.processes.test_admin import admin_form_data, form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editor_groups")]


@pytest.fixture
def users(editor_groups):
    f.ProcessFactory(slug="puebla", short_name="Puebla Process")
    create_demo_users()
    model = pm.Process.editors.field.related_model
    return {
        "central": model.objects.get(username="demo-central"),
        "editor": model.objects.get(username="demo-puebla"),
    }


def bulk_url(process, kind="members"):
    name = "bulk_members" if kind == "members" else "bulk_organization_roles"
    return reverse(f"admin:processes_process_{name}", args=[process.pk])


def test_pasted_names_resolve_in_any_language_and_by_code(shipped_states):
    resolved = services.resolve_states(
        "Mexique\nguatemala; US, Côte d’Ivoire\nNiger\nSaint Kitts and Nevis, Trinidad and Tobago"
    )

    assert [str(s.code) for s in resolved.states] == ["MX", "GT", "US", "CI", "NE", "KN", "TT"]
    assert resolved.errors == []


def test_unknown_and_ambiguous_names_are_errors(shipped_states):
    resolved = services.resolve_states("Narnia\nGuinea\nIslands")

    assert resolved.states[0].code == "GN"  # "Guinea" is exactly one state's name
    assert resolved.errors[0] == "No state is called “Narnia”."
    assert resolved.errors[1].startswith("“Islands” could be several states (")


def test_bulk_entry_adds_every_row_sourced_with_history(client, users, shipped_states):
    process = pm.Process.objects.get(slug="puebla")
    source = f.SourceFactory()
    process.sources.add(source)
    process.as_of = datetime.date(2024, 5, 1)
    process.save()
    client.force_login(users["central"])

    opened = client.get(bulk_url(process))
    assert opened.context["form"].initial == {"sources": [source.pk], "as_of": datetime.date(2024, 5, 1)}
    response = client.post(
        bulk_url(process),
        {
            "names": "Mexico\nGuatemala",
            "states": [pm.State.objects.get(code="BZ").pk],
            "role": "member",
            "since": "1996",
            "sources": [source.pk],
            "as_of": "2024-05-01",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:processes_process_change", args=[process.pk])
    rows = pm.Membership.objects.filter(process=process).order_by("state__code")
    assert [(str(r.state.code), r.role, r.since, r.as_of) for r in rows] == [
        ("BZ", "member", 1996, datetime.date(2024, 5, 1)),
        ("GT", "member", 1996, datetime.date(2024, 5, 1)),
        ("MX", "member", 1996, datetime.date(2024, 5, 1)),
    ]
    for row in rows:
        assert list(row.sources.all()) == [source]
        (entry,) = row.history.all()
        assert entry.history_user == users["central"]
        assert entry.history_change_reason == "Bulk entry"
        assert [link.source_id for link in entry.sources.all()] == [source.pk]


def test_bulk_entry_is_all_or_nothing(client, users, shipped_states):
    process = pm.Process.objects.get(slug="puebla")
    f.MembershipFactory(process=process, state=pm.State.objects.get(code="MX"), until=None)
    client.force_login(users["central"])

    unknown = client.post(bulk_url(process), {"names": "Guatemala\nNarnia", "role": "member"})
    conflict = client.post(bulk_url(process), {"names": "Guatemala\nMexico", "role": "observer"})

    assert unknown.status_code == 200
    assert unknown.context["form"].errors["names"] == ["No state is called “Narnia”."]
    assert conflict.status_code == 200
    assert "Mexico: Mexico already holds a role in this process" in " ".join(
        conflict.context["form"].non_field_errors()
    )
    assert list(pm.Membership.objects.filter(process=process).values_list("state__code", flat=True)) == ["MX"]


def test_bulk_organisation_roles(client, users):
    process = pm.Process.objects.get(slug="puebla")
    iom, unhcr = f.OrganizationFactory(name="IOM"), f.OrganizationFactory(name="UNHCR")
    client.force_login(users["central"])

    response = client.post(
        bulk_url(process, "roles"), {"organizations": [iom.pk, unhcr.pk], "role": "partner", "since": "2001"}
    )

    assert response.status_code == 302
    assert sorted(process.organization_roles.values_list("organization__name", "role", "since")) == [
        ("IOM", "partner", 2001),
        ("UNHCR", "partner", 2001),
    ]


@pytest.mark.parametrize("kind", ["members", "roles"])
def test_bulk_entry_permissions(client, users, kind):
    own = pm.Process.objects.get(slug="puebla")
    other = f.ProcessFactory(slug="bali")

    anonymous = client.get(bulk_url(own, kind))
    client.force_login(users["editor"])
    editor = (client.get(bulk_url(own, kind)).status_code, client.get(bulk_url(other, kind)).status_code)
    refused_post = client.post(bulk_url(other, kind), {"names": "Mexico", "role": "member"})
    client.force_login(users["central"])
    central = (client.get(bulk_url(own, kind)).status_code, client.get(bulk_url(other, kind)).status_code)

    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert editor == (200, 404)
    assert refused_post.status_code == 404
    assert not pm.Membership.objects.filter(process=other).exists()
    assert central == (200, 200)


def test_change_form_warns_of_unsaved_changes_and_saves_on_top(client, users):
    process = pm.Process.objects.get(slug="puebla")
    client.force_login(users["central"])

    page = client.get(reverse("admin:processes_process_change", args=[process.pk])).content.decode()

    assert 'src="/static/js/unsaved_changes.js"' in page
    assert "data-unsaved-warning=" in page
    assert page.count('name="_save"') == 2
    assert reverse("admin:processes_process_bulk_members", args=[process.pk]) in page


def test_error_summary_links_to_each_error(client, users, shipped_states):
    process = pm.Process.objects.get(slug="puebla")
    client.force_login(users["central"])
    url = reverse("admin:processes_process_change", args=[process.pk])
    data = admin_form_data(client.get(url))
    data["short_name_en"] = ""
    data.update({"memberships-TOTAL_FORMS": "1", "memberships-0-state": "", "memberships-0-role": "member"})

    response = client.post(url, data)

    summary = [(str(e["label"]), e["anchor"]) for e in response.context["error_summary"]]
    assert summary == [
        ("Short name [en]", "id_short_name_en"),
        ("memberships, row 1: State", "id_memberships-0-state"),
    ]
    assert 'href="#id_memberships-0-state"' in response.content.decode()


def test_inline_rows_are_sorted_by_name_and_rows_cannot_delete_reference_data(client, users, shipped_states):
    process = pm.Process.objects.get(slug="puebla")
    for code in ["AE", "EG", "BH"]:  # United Arab Emirates, Egypt, Bahrain
        f.MembershipFactory(process=process, state=pm.State.objects.get(code=code))
    client.force_login(users["central"])

    response = client.get(reverse("admin:processes_process_change", args=[process.pk]))

    (memberships,) = [
        i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "memberships"
    ]
    assert [str(form.instance.state.code) for form in memberships.formset.initial_forms] == ["BH", "EG", "AE"]
    widget = memberships.formset.form.base_fields["state"].widget
    assert (widget.can_delete_related, widget.can_change_related) == (False, False)
    assert "Format: YYYY-MM-DD" in str(memberships.formset.form.base_fields["as_of"].help_text)


def test_stand_alone_forms_start_with_process_and_state(client, users):
    client.force_login(users["central"])

    response = client.get(reverse("admin:processes_membership_add"))

    names = list(response.context["adminform"].form.fields)
    assert names[:2] == ["process", "state"]
    assert names[-2:] == ["sources", "as_of"]


def test_process_history_lists_changes_to_its_rows_readably(client, users, shipped_states):
    process = pm.Process.objects.get(slug="puebla")
    client.force_login(users["central"])
    url = reverse("admin:processes_process_change", args=[process.pk])
    client.post(bulk_url(process), {"names": "Mexico\nGuatemala", "role": "member"})
    guatemala = process.memberships.get(state__code="GT")
    data = admin_form_data(client.get(url))
    rows = [k for k, v in data.items() if k.startswith("memberships-") and k.endswith("-id")]
    (gt_row,) = [k for k in rows if data[k] == str(guatemala.pk)]
    data[gt_row.replace("-id", "-DELETE")] = "on"
    assert client.post(url, data).status_code == 302
    mexico = process.memberships.get()
    mexico.role = "observer"
    mexico.save()

    page = client.get(reverse("admin:processes_process_history", args=[process.pk]))

    changes = page.context["row_changes"]
    assert [(c["model"], c["record"], c["type"], c["user"]) for c in changes] == [
        ("membership", "Mexico – Observer of Puebla Process", "Changed", None),
        ("membership", "Guatemala – Member of Puebla Process", "Deleted", users["central"]),
        ("membership", "Guatemala – Member of Puebla Process", "Created", users["central"]),
        ("membership", "Mexico – Member of Puebla Process", "Created", users["central"]),
    ]
    assert [(str(c["field"]), c["old"], c["new"]) for c in changes[0]["changes"]] == [
        ("Role", "Member", "Observer")
    ]
    assert "Change reason: None" not in page.content.decode()
    assert ">None<" not in page.content.decode()


def test_revert_says_so_and_lands_on_the_record(client, users):
    process = pm.Process.objects.get(slug="puebla")
    client.force_login(users["central"])
    first = process.history.earliest()
    process.status = "dormant"
    process.save()
    revert_url = reverse("admin:processes_process_simple_history", args=[process.pk, first.history_id])
    data = form_data(client.get(revert_url).context["adminform"].form)

    response = client.post(revert_url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:processes_process_change", args=[process.pk])
    (message,) = [str(m) for m in response.wsgi_request._messages]
    assert message.startswith("The process “Puebla Process” was reverted to its version of ")


def test_recover_says_so_and_lands_on_the_record(client, users):
    process = pm.Process.objects.get(slug="puebla")
    source = f.SourceFactory(title="Deleted source")
    pk = source.pk
    source.delete()
    deletion = pm.Source.history.get(id=pk, history_type="-")
    client.force_login(users["central"])
    recover_url = reverse("admin:processes_source_simple_history", args=[pk, deletion.history_id])

    response = client.post(recover_url, form_data(client.get(recover_url).context["adminform"].form))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:processes_source_change", args=[pk])
    (message,) = [str(m) for m in response.wsgi_request._messages]
    assert message.startswith("The source “Deleted source” was recovered as it was on ")
    assert process.pk


def test_data_checks_list_what_needs_fixing_each_linked_to_its_form(client, users, settings, shipped_states):
    settings.RCPDB_STALE_AFTER_DAYS = 365
    process = pm.Process.objects.get(slug="puebla")
    process.as_of = datetime.date.today()
    process.save()
    process.sources.add(f.SourceFactory())
    fresh = f.MembershipFactory(process=process, state=pm.State.objects.get(code="MX"))
    fresh.as_of = datetime.date.today()
    fresh.save()
    fresh.sources.add(f.SourceFactory())
    old = f.MembershipFactory(process=process, state=pm.State.objects.get(code="GT"))
    old.as_of = datetime.date.today() - datetime.timedelta(days=400)
    old.save()
    f.ListCompletenessFactory(process=process, section="members", status="complete")
    claims = [
        f.ProcessClaimFactory(process=process, topic="established", value=value) for value in ("1996", "1995")
    ]
    f.ProcessClaimFactory(process=process, topic="other", value="A")
    f.ProcessClaimFactory(process=process, topic="other", value="B")
    client.force_login(users["central"])

    response = client.get(reverse("admin:processes_process_data_checks", args=[process.pk]))

    sections = {s["key"]: s["findings"] for s in response.context["sections"]}
    old_url = reverse("admin:processes_membership_change", args=[old.pk])
    assert [(f_["label"], f_["url"]) for f_ in sections["stale"]] == [(str(old), old_url)]
    assert (str(old), old_url) in [(f_["label"], f_["url"]) for f_ in sections["unsourced"]]
    assert str(fresh) not in [f_["label"] for f_ in sections["unsourced"] + sections["stale"]]
    assert str(process) not in [f_["label"] for f_ in sections["stale"] + sections["not_checked"]]
    assert "Member states" not in [f_["label"] for f_ in sections["not_recorded"]]
    assert "Observer states" in [f_["label"] for f_ in sections["not_recorded"]]
    assert sorted(f_["url"] for f_ in sections["conflicts"]) == sorted(
        reverse("admin:processes_processclaim_change", args=[c.pk]) for c in claims
    )


def test_data_checks_permissions(client, users):
    own = pm.Process.objects.get(slug="puebla")
    other = f.ProcessFactory(slug="bali")

    def url(process):
        return reverse("admin:processes_process_data_checks", args=[process.pk])

    anonymous = client.get(url(own))
    client.force_login(users["editor"])
    editor = (client.get(url(own)).status_code, client.get(url(other)).status_code)
    client.force_login(users["central"])
    central = (client.get(url(own)).status_code, client.get(url(other)).status_code)

    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert editor == (200, 404)
    assert central == (200, 200)


def test_an_organisation_names_its_country(client, users, shipped_states):
    client.force_login(users["central"])
    mexico = pm.State.objects.get(code="MX")
    add_url = reverse("admin:processes_organization_add")
    data = form_data(client.get(add_url).context["adminform"].form)
    data.update(
        {
            "name_en": "Ministry of Foreign Affairs of Mexico",
            "slug": "sre-mexico",
            "kind": "government",
            "country": mexico.pk,
        }
    )

    response = client.post(add_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert pm.Organization.objects.get(slug="sre-mexico").country == mexico
    assert list(mexico.organizations.values_list("slug", flat=True)) == ["sre-mexico"]


# Organisation roles by pasted names ------------------------------------------------------------------


@pytest.fixture
def organisations():
    return {
        "iom": f.OrganizationFactory(
            name="International Organization for Migration",
            name_fr="Organisation internationale pour les migrations",
            acronym="IOM",
            slug="iom",
        ),
        "unhcr": f.OrganizationFactory(name="UN Refugee Agency", acronym="UNHCR", slug="unhcr"),
        "icmpd": f.OrganizationFactory(
            name="International Centre for Migration Policy Development", acronym="ICMPD", slug="icmpd"
        ),
        "au": f.OrganizationFactory(name="African Union", acronym="AU", slug="african-union"),
        "au-aid": f.OrganizationFactory(name="Australian Aid", acronym="AU", slug="australian-aid"),
    }


def test_pasted_organisations_resolve_by_name_in_any_language_acronym_or_slug(organisations):
    resolved = services.resolve_organizations(
        "Organisation internationale pour les MIGRATIONS\nunhcr; icmpd\n\nafrican-union"
    )

    assert [o.slug for o in resolved.organizations] == ["iom", "unhcr", "icmpd", "african-union"]
    assert resolved.errors == []


def test_unknown_and_ambiguous_organisations_are_named_line_by_line(organisations):
    resolved = services.resolve_organizations("IOM\nAU\nRefugee\nNarnia Office")

    assert [o.slug for o in resolved.organizations] == ["iom"]
    assert resolved.errors == [
        "Line 2: “AU” could be several organisations (African Union (AU); Australian Aid (AU)): "
        "write its full name.",
        "Line 3: no organisation is called “Refugee”. Did you mean: UN Refugee Agency (UNHCR)?",
        "Line 4: no organisation is called “Narnia Office”.",
    ]


def test_bulk_roles_by_pasted_names_add_every_row_sourced_with_history(client, users, organisations):
    process = pm.Process.objects.get(slug="puebla")
    source = f.SourceFactory(title="Puebla Process: observers (2024)")
    client.force_login(users["editor"])

    response = client.post(
        bulk_url(process, "roles"),
        {
            "names": "IOM\nUN Refugee Agency",
            "organizations": [organisations["icmpd"].pk],
            "role": "observer",
            "since": "2001",
            "sources": [source.pk],
            "as_of": "2024-05-01",
        },
    )

    assert response.status_code == 302
    rows = pm.OrganizationRole.objects.filter(process=process).order_by("organization__slug")
    assert [(r.organization.slug, r.role, r.since, r.until, r.as_of) for r in rows] == [
        ("icmpd", "observer", 2001, None, datetime.date(2024, 5, 1)),
        ("iom", "observer", 2001, None, datetime.date(2024, 5, 1)),
        ("unhcr", "observer", 2001, None, datetime.date(2024, 5, 1)),
    ]
    for row in rows:
        assert list(row.sources.all()) == [source]
        (entry,) = row.history.all()
        assert (entry.history_user, entry.history_change_reason) == (users["editor"], "Bulk entry")
        assert [link.source_id for link in entry.sources.all()] == [source.pk]


def test_bulk_roles_save_nothing_when_a_line_is_wrong(client, users, organisations):
    process = pm.Process.objects.get(slug="puebla")
    f.OrganizationRoleFactory(process=process, organization=organisations["iom"], role="partner")
    client.force_login(users["central"])

    unknown = client.post(bulk_url(process, "roles"), {"names": "UNHCR\nAU", "role": "partner"})
    twice = client.post(bulk_url(process, "roles"), {"names": "UNHCR\nunhcr", "role": "partner"})
    conflict = client.post(bulk_url(process, "roles"), {"names": "UNHCR\nIOM", "role": "partner"})

    assert unknown.status_code == 200
    assert unknown.context["form"].errors["names"] == [
        "Line 2: “AU” could be several organisations (African Union (AU); Australian Aid (AU)): "
        "write its full name."
    ]
    assert "UN Refugee Agency (UNHCR) is named twice." in twice.context["form"].non_field_errors()
    assert conflict.status_code == 200
    assert (
        "International Organization for Migration (IOM): "
        "This organisation already has this role in this process."
        in conflict.context["form"].non_field_errors()
    )
    assert list(
        pm.OrganizationRole.objects.filter(process=process).values_list("organization__slug", "role")
    ) == [("iom", "partner")]


def test_bulk_roles_do_not_offer_the_derived_secretariat_host(client, users, organisations):
    process = pm.Process.objects.get(slug="puebla")
    client.force_login(users["central"])

    response = client.post(bulk_url(process, "roles"), {"names": "IOM", "role": "secretariat_host"})

    assert response.status_code == 200
    assert response.context["form"].errors["role"] == [
        "Select a valid choice. secretariat_host is not one of the available choices."
    ]
    assert not pm.OrganizationRole.objects.filter(process=process).exists()


def test_bulk_roles_by_name_refuse_the_editor_of_another_process(client, users, organisations):
    other = f.ProcessFactory(slug="bali")
    client.force_login(users["editor"])

    refused = client.post(bulk_url(other, "roles"), {"names": "IOM", "role": "partner"})
    client.force_login(users["central"])
    accepted = client.post(bulk_url(other, "roles"), {"names": "IOM", "role": "partner"})

    assert refused.status_code == 404
    assert accepted.status_code == 302
    assert list(pm.OrganizationRole.objects.values_list("process__slug", "organization__slug")) == [
        ("bali", "iom")
    ]
