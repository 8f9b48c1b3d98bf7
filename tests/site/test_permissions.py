"""Who may do what in the admin (issue 7): the permission matrix, and the rules behind it.

Every admin model × {a row of the editor's own process, a row of another process} × {list, view, add,
change, delete, autocomplete, export, import, history}, for a process editor (``demo-puebla``, editor of
the Puebla Process), a central editor (``demo-central``) and an anonymous visitor. The accounts are made
by the same service as the demo's, so the test checks the permission design that ships.

Reading the tables: ``SHOWN``/``HIDDEN`` — the row is in the list, autocomplete results or exported
file, or not; ``ACCEPTED``/``REFUSED`` — an import row for that process passes the preview, or gets a
row error; numbers are HTTP statuses (302 after a change or delete is Django's "saved, back to the
list"); ``None`` — the admin does not offer the action for this model at all. Reference data has no
owner: its two rows are simply two rows — except sources, whose "own" row is one the process editor
added and whose other row is a central source.
"""

import csv
import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse

from processes import models as pm
from rcpdb.site.demo import create_demo_users
from rcpdb.site.models import Correction
from tests import factories as f
from tests.processes.test_admin import admin_form_data
from workshops import models as wm

pytestmark = pytest.mark.django_db

SHOWN, HIDDEN = "shown", "hidden"
ACCEPTED, REFUSED = "accepted", "refused"
ACTIONS = ["list", "view", "add", "change", "delete", "autocomplete", "export", "import", "history"]


def meeting(process):
    return f.WorkshopFactory(processes=[process])


# How to make a row "of" a process, for every model with an admin.
BUILD = {
    pm.Region: lambda p: f.RegionFactory(),
    pm.State: lambda p: f.StateFactory(),
    pm.Organization: lambda p: f.OrganizationFactory(),
    pm.Theme: lambda p: f.ThemeFactory(),
    # A process's source: one its editor added (the other process has no editor: a central source).
    pm.Source: lambda p: f.SourceFactory(owner=p.editors.first()),
    pm.Process: lambda p: p,
    pm.ProcessClaim: lambda p: f.ProcessClaimFactory(process=p),
    pm.ListCompleteness: lambda p: f.ListCompletenessFactory(process=p),
    pm.Membership: lambda p: f.MembershipFactory(process=p),
    pm.OrganizationRole: lambda p: f.OrganizationRoleFactory(process=p),
    pm.Secretariat: lambda p: f.SecretariatFactory(process=p),
    pm.ChairTerm: lambda p: f.ChairTermFactory(process=p),
    pm.Funding: lambda p: f.FundingFactory(process=p),
    pm.Evaluation: lambda p: f.EvaluationFactory(process=p),
    pm.Output: lambda p: f.OutputFactory(process=p),
    pm.Achievement: lambda p: f.AchievementFactory(process=p),
    pm.InstitutionLink: lambda p: f.InstitutionLinkFactory(process=p),
    wm.Person: lambda p: f.PersonFactory(),
    wm.Workshop: meeting,
    wm.Session: lambda p: f.SessionFactory(workshop=meeting(p)),
    wm.SessionLead: lambda p: f.SessionLeadFactory(session__workshop=meeting(p)),
    wm.Participation: lambda p: f.ParticipationFactory(workshop=meeting(p)),
    wm.Finding: lambda p: f.FindingFactory(workshop=meeting(p)),
    wm.Recommendation: lambda p: f.RecommendationFactory(workshop=meeting(p)),
    wm.Document: lambda p: f.DocumentFactory(workshop=meeting(p)),
    Correction: lambda p: Correction.objects.create(
        process=p, section="members", wrong="Wrong.", should_say="Right.", source="A report", address_key="k"
    ),
}

# Where the admin autocompletes each model: (the admin using the autocomplete, its field).
AUTOCOMPLETE = {
    pm.Region: (pm.Process, "regions"),
    pm.State: (pm.Membership, "state"),
    pm.Organization: (pm.Funding, "organization"),
    pm.Theme: (pm.Process, "themes"),
    pm.Source: (pm.Membership, "sources"),
    pm.Process: (pm.Membership, "process"),
    wm.Person: (wm.SessionLead, "person"),
    wm.Workshop: (wm.Finding, "workshop"),
    wm.Session: (wm.SessionLead, "session"),
}

# --- The expected outcomes -----------------------------------------------------------------------

REFERENCE = {
    "list": (SHOWN, SHOWN),
    "view": (200, 200),
    "add": 403,
    "change": (403, 403),
    "delete": (403, 403),
    "autocomplete": (SHOWN, SHOWN),
    "export": None,
    "import": None,
    "history": (200, 200),
}
RECORD = {
    "list": (SHOWN, HIDDEN),
    "view": (200, 404),
    "add": 200,
    "change": (302, 404),
    "delete": (302, 404),
    "autocomplete": None,
    "export": None,
    "import": None,
    "history": (200, 404),
}
AUTOCOMPLETED_RECORD = {**RECORD, "autocomplete": (SHOWN, HIDDEN)}
IMPORTABLE_RECORD = {**RECORD, "export": (SHOWN, HIDDEN), "import": (ACCEPTED, REFUSED)}
# Process editors add sources and change or delete the ones they added; the rest opens read-only.
OWNED_REFERENCE = {**REFERENCE, "add": 200, "change": (302, 403), "delete": (302, 403)}

PROCESS_EDITOR = {
    pm.Region: REFERENCE,
    pm.State: REFERENCE,
    pm.Organization: REFERENCE,
    pm.Theme: REFERENCE,
    pm.Source: OWNED_REFERENCE,
    # Only central editors create or delete whole processes.
    pm.Process: {**AUTOCOMPLETED_RECORD, "add": 403, "delete": (403, 404)},
    pm.ProcessClaim: RECORD,
    pm.ListCompleteness: RECORD,
    pm.Membership: IMPORTABLE_RECORD,
    pm.OrganizationRole: RECORD,
    pm.Secretariat: RECORD,
    pm.ChairTerm: IMPORTABLE_RECORD,
    pm.Funding: IMPORTABLE_RECORD,
    pm.Evaluation: RECORD,
    pm.Output: RECORD,
    pm.Achievement: RECORD,
    pm.InstitutionLink: RECORD,
    wm.Person: REFERENCE,
    wm.Workshop: AUTOCOMPLETED_RECORD,
    wm.Session: AUTOCOMPLETED_RECORD,
    wm.SessionLead: RECORD,
    wm.Participation: RECORD,
    wm.Finding: IMPORTABLE_RECORD,
    wm.Recommendation: IMPORTABLE_RECORD,
    wm.Document: RECORD,
    # The review queue: read-only rows, decided by "Accept" and "Decline" (tests/site/test_corrections.py).
    Correction: {**RECORD, "add": 403, "change": (403, 404), "delete": (403, 404)},
}

EVERYTHING = {
    "list": (SHOWN, SHOWN),
    "view": (200, 200),
    "add": 200,
    "change": (302, 302),
    "delete": (302, 302),
    "autocomplete": None,
    "export": None,
    "import": None,
    "history": (200, 200),
}
AUTOCOMPLETED = {**EVERYTHING, "autocomplete": (SHOWN, SHOWN)}
IMPORTABLE = {**EVERYTHING, "export": (SHOWN, SHOWN), "import": (ACCEPTED, ACCEPTED)}

CENTRAL_EDITOR = {
    pm.Region: AUTOCOMPLETED,
    pm.State: AUTOCOMPLETED,
    pm.Organization: AUTOCOMPLETED,
    pm.Theme: AUTOCOMPLETED,
    pm.Source: AUTOCOMPLETED,
    pm.Process: AUTOCOMPLETED,
    pm.ProcessClaim: EVERYTHING,
    pm.ListCompleteness: EVERYTHING,
    pm.Membership: IMPORTABLE,
    pm.OrganizationRole: EVERYTHING,
    pm.Secretariat: EVERYTHING,
    pm.ChairTerm: IMPORTABLE,
    pm.Funding: IMPORTABLE,
    pm.Evaluation: EVERYTHING,
    pm.Output: EVERYTHING,
    pm.Achievement: EVERYTHING,
    pm.InstitutionLink: EVERYTHING,
    wm.Person: AUTOCOMPLETED,
    wm.Workshop: AUTOCOMPLETED,
    wm.Session: AUTOCOMPLETED,
    wm.SessionLead: EVERYTHING,
    wm.Participation: EVERYTHING,
    wm.Finding: IMPORTABLE,
    wm.Recommendation: IMPORTABLE,
    wm.Document: EVERYTHING,
    Correction: {**EVERYTHING, "add": 403, "change": (403, 403)},
}

EXPECTED = {"process_editor": PROCESS_EDITOR, "central_editor": CENTRAL_EDITOR}
CELLS = [
    pytest.param(role, model, action, id=f"{role}-{model.__name__}-{action}")
    for role in EXPECTED
    for model in BUILD
    for action in ACTIONS
]


# --- Acting ----------------------------------------------------------------------------------------


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def autocomplete_url(model):
    source, field = AUTOCOMPLETE[model]
    return (
        f"{reverse('admin:autocomplete')}?app_label={source._meta.app_label}"
        f"&model_name={source._meta.model_name}&field_name={field}&term="
    )


def export_data(model_admin):
    resource = model_admin.resource_classes[0]
    prefix = resource.__name__.lower()
    return {
        "format": "0",
        "resource": "0",
        **{f"{prefix}_{name}": "on" for name in resource().get_export_order()},
    }


def scope_slug(obj):
    """What a file names the row's process or meeting by."""
    return obj.workshop.slug if hasattr(obj, "workshop") else obj.process.slug


def import_file(model, process):
    """One new row for ``process`` (or a meeting of it), as a CSV upload."""
    # Not one of the factories' sequence of codes: the existing row (BUILD) never has this state.
    state = f.StateFactory(code="IS")
    workshop = wm.Workshop.objects.filter(processes=process).first() or meeting(process)
    rows = {
        pm.Membership: ("process,state,role,since", f"{process.slug},{state.code},member,2001"),
        pm.ChairTerm: ("process,state,start_year,end_year", f"{process.slug},{state.code},2010,2011"),
        pm.Funding: (
            "process,state,organization,kind,year",
            f"{process.slug},{state.code},,voluntary_state,2003",
        ),
        wm.Finding: ("workshop,number,kind,text", f"{workshop.slug},77,observation,Imported."),
        wm.Recommendation: (
            "workshop,position,kind,text,status",
            f"{workshop.slug},77,recommendation,Imported.,open",
        ),
    }
    header, row = rows[model]
    return SimpleUploadedFile("rows.csv", f"{header}\n{row}\n".encode())


def act(client, model, action, obj, process):
    """Do ``action`` on ``obj`` (of ``process``) and return its outcome in the tables' terms."""
    model_admin = admin.site._registry[model]
    if action == "list":
        response = client.get(url(model, "changelist"))
        assert response.status_code == 200
        return SHOWN if obj.pk in {row.pk for row in response.context["cl"].result_list} else HIDDEN
    if action == "view":
        return client.get(url(model, "change", obj.pk)).status_code
    if action == "add":
        return client.get(url(model, "add")).status_code
    if action == "change":
        page = client.get(url(model, "change", obj.pk))
        data = admin_form_data(page) if page.status_code == 200 and "adminform" in page.context else {}
        return client.post(url(model, "change", obj.pk), data).status_code
    if action == "delete":
        return client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code
    if action == "history":
        return client.get(url(model, "history", obj.pk)).status_code
    if action == "autocomplete":
        response = client.get(autocomplete_url(model))
        assert response.status_code == 200
        return SHOWN if str(obj.pk) in {item["id"] for item in response.json()["results"]} else HIDDEN
    if action == "export":
        response = client.post(url(model, "export"), export_data(model_admin))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv"
        lines = response.content.decode().splitlines()
        return SHOWN if any(line.startswith(f"{scope_slug(obj)},") for line in lines) else HIDDEN
    if action == "import":
        before = model.objects.count()
        response = client.post(
            url(model, "import"), {"format": "0", "resource": "0", "import_file": import_file(model, process)}
        )
        assert response.status_code == 200
        assert model.objects.count() == before  # a preview stores nothing
        result = response.context["result"]
        return REFUSED if result.has_errors() or result.has_validation_errors() else ACCEPTED
    raise AssertionError(action)


def offered(model, action):
    """Whether the admin offers ``action`` on ``model`` at all."""
    if action == "autocomplete":
        return any(
            model_admin.model is AUTOCOMPLETE.get(model, (None,))[0]
            and AUTOCOMPLETE[model][1] in model_admin.autocomplete_fields
            for model_admin in admin.site._registry.values()
        )
    try:
        url(model, action)
    except NoReverseMatch:
        return False
    return True


@pytest.fixture
def world(editor_groups):
    own = f.ProcessFactory(slug="puebla", short_name="Puebla Process")
    other = f.ProcessFactory(slug="bali", short_name="Bali Process")
    create_demo_users()
    users = {u.username: u for u in pm.Process.editors.field.related_model.objects.all()}
    return own, other, {"process_editor": users["demo-puebla"], "central_editor": users["demo-central"]}


@pytest.mark.parametrize(("role", "model", "action"), CELLS)
def test_permission_matrix(client, world, role, model, action):
    own, other, users = world
    expected = EXPECTED[role][model][action]
    client.force_login(users[role])

    if expected is None:
        assert not offered(model, action)
        return
    if action == "add":
        assert act(client, model, action, None, own) == expected
        return
    # Each row on its own, so deleting one cannot touch the other.
    own_obj = BUILD[model](own)
    own_outcome = act(client, model, action, own_obj, own)
    other_obj = BUILD[model](other)
    other_outcome = act(client, model, action, other_obj, other)

    assert (own_outcome, other_outcome) == expected
    if action == "delete":
        deleted = [status == 302 for status in expected]
        assert [not model.objects.filter(pk=o.pk).exists() for o in (own_obj, other_obj)] == deleted


ANONYMOUS_CELLS = [
    pytest.param(model, action, id=f"{model.__name__}-{action}")
    for model in BUILD
    for action in ACTIONS
    if CENTRAL_EDITOR[model][action] is not None
]


@pytest.mark.parametrize(("model", "action"), ANONYMOUS_CELLS)
def test_anonymous_visitor_is_sent_to_the_login_page(client, world, model, action):
    own, _other, _users = world
    obj = BUILD[model](own)
    target = {
        "list": url(model, "changelist"),
        "view": url(model, "change", obj.pk),
        "add": url(model, "add"),
        "change": url(model, "change", obj.pk),
        "delete": url(model, "delete", obj.pk),
        "history": url(model, "history", obj.pk),
        "autocomplete": autocomplete_url(model) if model in AUTOCOMPLETE else None,
        "export": url(model, "export") if offered(model, "export") else None,
        "import": url(model, "import") if offered(model, "import") else None,
    }[action]

    response = client.post(target) if action in {"change", "delete"} else client.get(target)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    assert model.objects.filter(pk=obj.pk).exists()


# --- The rules behind the matrix -------------------------------------------------------------------


def test_process_editor_is_offered_only_their_processes(client, world):
    own, other, users = world
    client.force_login(users["process_editor"])

    form = client.get(url(pm.Membership, "add")).context["adminform"].form

    assert list(form.fields["process"].queryset) == [own]


def test_process_editor_cannot_attach_a_row_to_another_process(client, world):
    own, other, users = world
    state = f.StateFactory(code="MX")
    client.force_login(users["process_editor"])

    response = client.post(
        url(pm.Membership, "add"), {"process": other.pk, "state": state.pk, "role": "member"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["process"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not pm.Membership.objects.exists()


def test_process_editor_is_offered_only_meetings_and_sessions_of_their_processes(client, world):
    own, other, users = world
    own_session = f.SessionFactory(workshop=meeting(own))
    f.SessionFactory(workshop=meeting(other))
    client.force_login(users["process_editor"])

    form = client.get(url(wm.Finding, "add")).context["adminform"].form

    assert list(form.fields["workshop"].queryset) == [own_session.workshop]
    assert list(form.fields["session"].queryset) == [own_session]
    assert list(form.fields["processes"].queryset) == [own]


def test_process_editor_must_give_a_new_meeting_one_of_their_processes(client, world):
    own, other, users = world
    client.force_login(users["process_editor"])

    form = client.get(url(wm.Workshop, "add")).context["adminform"].form

    assert form.fields["processes"].required is True
    assert list(form.fields["processes"].queryset) == [own]


def test_process_editor_saving_a_shared_meeting_keeps_the_other_processes(client, world):
    own, other, users = world
    shared = f.WorkshopFactory(processes=[own, other], title="Shared meeting")
    client.force_login(users["process_editor"])
    data = admin_form_data(client.get(url(wm.Workshop, "change", shared.pk)))
    data["title_en"] = "Shared meeting, renamed"

    response = client.post(url(wm.Workshop, "change", shared.pk), data)

    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.title == "Shared meeting, renamed"
    assert set(shared.processes.all()) == {own, other}


def test_process_editor_sees_editors_read_only(client, world):
    own, _other, users = world
    client.force_login(users["process_editor"])

    form = client.get(url(pm.Process, "change", own.pk)).context["adminform"].form

    assert "editors" not in form.fields
    assert "name_en" in form.fields


def test_process_editor_list_filter_offers_only_their_processes(client, world):
    own, other, users = world
    second = f.ProcessFactory(slug="colombo", short_name="Colombo Process")
    second.editors.add(users["process_editor"])
    for process in (own, other, second):
        f.MembershipFactory(process=process)
    client.force_login(users["process_editor"])

    response = client.get(url(pm.Membership, "changelist"))

    specs = response.context["cl"].filter_specs
    process_filter = next(spec for spec in specs if getattr(spec, "field_path", None) == "process")
    assert [label for _pk, label in process_filter.lookup_choices] == ["Colombo Process", "Puebla Process"]
    assert len(response.context["cl"].result_list) == 2


def test_unknown_and_other_process_ids_answer_alike(client, world):
    own, other, users = world
    other_membership = f.MembershipFactory(process=other)
    client.force_login(users["process_editor"])

    other_response = client.get(url(pm.Membership, "change", other_membership.pk))
    unknown_response = client.get(url(pm.Membership, "change", 999999))

    assert (other_response.status_code, unknown_response.status_code) == (404, 404)
    # The pages differ only in the id they were asked for.
    assert other_response.content.decode().replace(f"/{other_membership.pk}/", "/ID/") == (
        unknown_response.content.decode().replace("/999999/", "/ID/")
    )


def denials(caplog):
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "rcpdb.security" and r.getMessage().startswith("permission denied")
    ]


def test_refusing_another_process_record_is_logged(client, world, caplog):
    own, other, users = world
    other_membership = f.MembershipFactory(process=other)
    client.force_login(users["process_editor"])

    with caplog.at_level("WARNING", logger="rcpdb.security"):
        client.get(url(pm.Membership, "change", other_membership.pk))

    assert denials(caplog) == [
        "permission denied: user=demo-puebla action=open model=processes.Membership object=None "
        f"path={url(pm.Membership, 'change', other_membership.pk)}"
    ]


def test_forbidden_answer_is_logged(client, world, caplog):
    own, _other, users = world
    region = f.RegionFactory()
    client.force_login(users["process_editor"])

    with caplog.at_level("WARNING", logger="rcpdb.security"):
        response = client.post(url(pm.Region, "delete", region.pk), {"post": "yes"})

    assert response.status_code == 403
    assert denials(caplog) == [
        f"permission denied: user=demo-puebla method=POST path={url(pm.Region, 'delete', region.pk)} "
        "address=127.0.0.1"
    ]


def test_process_editor_export_holds_only_their_rows(client, world):
    own, other, users = world
    f.MembershipFactory(process=own, state=f.StateFactory(code="MX"))
    f.MembershipFactory(process=other, state=f.StateFactory(code="ID"))
    client.force_login(users["process_editor"])

    response = client.post(url(pm.Membership, "export"), export_data(admin.site._registry[pm.Membership]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["process", "state", "role", "since", "until", "note", "sources", "as_of"],
        ["puebla", "MX", "member", "", "", "", "", ""],
    ]


def test_csrf_is_enforced_on_admin_posts(world):
    own, _other, users = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["central_editor"])

    response = client.post(url(pm.Process, "change", own.pk), {"name": "Changed without a token"})

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.name != "Changed without a token"


def test_central_editor_picks_process_editors_by_autocomplete(client, world):
    _own, _other, users = world
    client.force_login(users["central_editor"])

    response = client.get(
        f"{reverse('admin:autocomplete')}?app_label=processes&model_name=process&field_name=editors&term=puebla"
    )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["demo-puebla"]


def test_process_editor_cannot_delete_a_meeting_shared_with_another_process(client, world):
    own, other, users = world
    shared = f.WorkshopFactory(processes=[own, other])
    client.force_login(users["process_editor"])

    response = client.post(url(wm.Workshop, "delete", shared.pk), {"post": "yes"})

    assert response.status_code == 403
    assert wm.Workshop.objects.filter(pk=shared.pk).exists()


def test_process_editor_bulk_delete_refuses_a_shared_meeting(client, world):
    own, other, users = world
    shared = f.WorkshopFactory(processes=[own, other])
    client.force_login(users["process_editor"])

    response = client.post(
        url(wm.Workshop, "changelist"),
        {"action": "delete_selected", "_selected_action": [shared.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert wm.Workshop.objects.filter(pk=shared.pk).exists()


def test_process_editor_bulk_delete_ignores_rows_of_other_processes(client, world):
    own, other, users = world
    own_row = f.MembershipFactory(process=own)
    other_row = f.MembershipFactory(process=other)
    client.force_login(users["process_editor"])

    response = client.post(
        url(pm.Membership, "changelist"),
        {"action": "delete_selected", "_selected_action": [own_row.pk, other_row.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert list(pm.Membership.objects.all()) == [other_row]


# The staff tools of the Process page (issue 16): bulk entry and data checks -------------------------

STAFF_TOOLS = {
    "bulk_members": ({"names": "Mexico", "role": "member"}, pm.Membership),
    "bulk_organization_roles": (None, pm.OrganizationRole),
    "data_checks": (None, None),
}
STAFF_TOOL_EXPECTED = {
    # (own process, another process): GET status
    "process_editor": (200, 404),
    "central_editor": (200, 200),
}


@pytest.mark.parametrize("role", list(STAFF_TOOL_EXPECTED))
@pytest.mark.parametrize("tool", list(STAFF_TOOLS))
def test_staff_tools_matrix(client, world, role, tool):
    own, other, users = world
    f.StateFactory(code="MX")
    client.force_login(users[role])

    def tool_url(process):
        return reverse(f"admin:processes_process_{tool}", args=[process.pk])

    outcome = (client.get(tool_url(own)).status_code, client.get(tool_url(other)).status_code)

    assert outcome == STAFF_TOOL_EXPECTED[role]
    data, model = STAFF_TOOLS[tool]
    if data is not None:
        posted = client.post(tool_url(other), data)
        stored = model.objects.filter(process=other).exists()
        assert (posted.status_code, stored) == ((404, False) if role == "process_editor" else (302, True))


@pytest.mark.parametrize("tool", list(STAFF_TOOLS))
def test_staff_tools_refuse_anonymous_visitors_and_staff_without_permission(client, world, tool):
    own, _other, _users = world
    url = reverse(f"admin:processes_process_{tool}", args=[own.pk])
    no_permission = f.UserFactory(is_staff=True)
    own.editors.add(no_permission)

    anonymous = client.get(url)
    client.force_login(no_permission)
    refused = client.get(url)

    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert refused.status_code == 403


# --- Sources process editors add (issue 16) --------------------------------------------------------


@pytest.fixture
def bali_editor(world):
    from django.contrib.auth.models import Group

    own, other, _users = world
    user = f.UserFactory(username="bali-editor", is_staff=True)
    user.groups.set([Group.objects.get(name="Process editors")])
    other.editors.add(user)
    return user


def source_form(client, source, **changes):
    data = admin_form_data(client.get(url(pm.Source, "change", source.pk)))
    data.update(changes)
    return data


def test_process_editor_adds_a_source_that_becomes_theirs(client, world):
    _own, _other, users = world
    client.force_login(users["process_editor"])

    response = client.post(
        url(pm.Source, "add"),
        {
            "slug": "puebla-declaration-2024",
            "title": "Puebla declaration 2024",
            "url": "https://example.org/d",
        },
    )

    source = pm.Source.objects.get(slug="puebla-declaration-2024")
    assert response.status_code == 302
    assert source.owner == users["process_editor"]


def test_another_process_editor_cannot_change_or_delete_the_source(client, world, bali_editor):
    _own, _other, users = world
    source = f.SourceFactory(owner=users["process_editor"], title="Puebla declaration")
    client.force_login(bali_editor)
    page = client.get(url(pm.Source, "change", source.pk))
    data = admin_form_data(page)
    data["title"] = "Renamed by Bali"

    changed = client.post(url(pm.Source, "change", source.pk), data)
    deleted = client.post(url(pm.Source, "delete", source.pk), {"post": "yes"})

    source.refresh_from_db()
    assert page.status_code == 200  # read-only, like any reference data
    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert (source.title, source.owner) == ("Puebla declaration", users["process_editor"])


def test_owner_changes_their_source_and_keeps_it(client, world):
    _own, _other, users = world
    source = f.SourceFactory(owner=users["process_editor"], title="Puebla declaration")
    client.force_login(users["process_editor"])

    response = client.post(
        url(pm.Source, "change", source.pk), source_form(client, source, title="Corrected")
    )

    source.refresh_from_db()
    assert response.status_code == 302
    assert (source.title, source.owner) == ("Corrected", users["process_editor"])


def test_a_central_editor_saving_the_source_takes_it_over(client, world):
    _own, _other, users = world
    source = f.SourceFactory(owner=users["process_editor"], title="Puebla declaration")
    client.force_login(users["central_editor"])
    central_save = client.post(
        url(pm.Source, "change", source.pk), source_form(client, source, title="Checked")
    )
    client.force_login(users["process_editor"])
    data = admin_form_data(client.get(url(pm.Source, "change", source.pk)))
    data["title"] = "Changed again by Puebla"

    editor_save = client.post(url(pm.Source, "change", source.pk), data)

    source.refresh_from_db()
    assert (central_save.status_code, editor_save.status_code) == (302, 403)
    assert (source.title, source.owner) == ("Checked", None)


def test_owner_cannot_delete_their_source_once_another_process_cites_it(client, world):
    own, other, users = world
    source = f.SourceFactory(owner=users["process_editor"])
    f.MembershipFactory(process=own).sources.add(source)
    client.force_login(users["process_editor"])
    page_while_own = client.get(url(pm.Source, "delete", source.pk))
    f.MembershipFactory(process=other).sources.add(source)

    refused = client.post(url(pm.Source, "delete", source.pk), {"post": "yes"})

    assert page_while_own.status_code == 200
    assert refused.status_code == 403
    assert pm.Source.objects.filter(pk=source.pk).exists()


def test_process_editor_picks_every_source_in_the_autocomplete(client, world, bali_editor):
    _own, _other, users = world
    theirs = f.SourceFactory(owner=users["process_editor"], title="Puebla source")
    central = f.SourceFactory(title="Central source")
    client.force_login(bali_editor)

    response = client.get(autocomplete_url(pm.Source))

    assert {item["id"] for item in response.json()["results"]} == {str(theirs.pk), str(central.pk)}
