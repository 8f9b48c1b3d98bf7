"""Many-to-many links in the history (issue 7): recorded with each change, restored by a revert and by
"Recover deleted", and never a way for a process editor to link another process's records."""

import pytest
from django.contrib.auth import get_user_model

from processes import models as pm
from rcpdb.site.demo import create_demo_users, load_demo
from tests import factories as f
from tests.processes.test_admin import admin_form_data
from tests.site.test_history import revert_form_data, url
from workshops import models as wm

pytestmark = pytest.mark.django_db


def linked(entry, field, column):
    """The primary keys a history entry holds for one many-to-many field."""
    return set(getattr(entry, field).values_list(column, flat=True))


def pks(manager):
    return set(manager.values_list("pk", flat=True))


@pytest.fixture
def users(editor_groups):
    """The demo's central editor and the Puebla Process's editor (as in test_history.py)."""
    f.ProcessFactory(slug="puebla", short_name="Puebla Process")
    create_demo_users()
    return {user.username: user for user in get_user_model().objects.all()}


@pytest.fixture
def themes():
    names = ["Asylum", "Health", "Labour migration"]
    return {name: f.ThemeFactory(name=name) for name in names}


@pytest.fixture
def sources():
    return {title: f.SourceFactory(title=title) for title in ["Report A", "Report B"]}


@pytest.fixture
def linked_process(themes, sources):
    """A process with themes Asylum and Labour migration and source Report A."""
    process = f.ProcessFactory(themes=[themes["Asylum"], themes["Labour migration"]])
    process.sources.set([sources["Report A"]])
    return process


def change_links(client, process, themes, sources):
    data = admin_form_data(client.get(url(pm.Process, "change", process.pk)))
    data["themes"] = [str(theme.pk) for theme in themes]
    data["sources"] = [str(source.pk) for source in sources]
    response = client.post(url(pm.Process, "change", process.pk), data)
    assert response.status_code == 302


def test_admin_change_of_links_writes_one_entry_holding_the_links_before_and_after(
    client, users, themes, sources, linked_process
):
    process = linked_process
    entries_before = process.history.count()
    client.force_login(users["demo-central"])

    change_links(
        client,
        process,
        [themes["Health"], themes["Labour migration"]],
        [sources["Report A"], sources["Report B"]],
    )

    assert process.history.count() == entries_before + 1
    after = process.history.first()
    before = after.prev_record
    assert (after.history_type, after.history_user) == ("~", users["demo-central"])
    assert linked(before, "themes", "theme_id") == {themes["Asylum"].pk, themes["Labour migration"].pk}
    assert linked(before, "sources", "source_id") == {sources["Report A"].pk}
    assert linked(after, "themes", "theme_id") == {themes["Health"].pk, themes["Labour migration"].pk}
    assert linked(after, "sources", "source_id") == {sources["Report A"].pk, sources["Report B"].pk}
    assert linked(after, "regions", "region_id") == set()
    assert linked(after, "editors", "user_id") == set()


def test_history_page_lists_the_link_changes(client, users, themes, sources, linked_process):
    client.force_login(users["demo-central"])
    change_links(
        client,
        linked_process,
        [themes["Health"], themes["Labour migration"]],
        [sources["Report A"], sources["Report B"]],
    )

    response = client.get(url(pm.Process, "history", linked_process.pk))

    latest = response.context["page_obj"].object_list[0]
    assert {change["field"]: (change["old"], change["new"]) for change in latest.history_delta_changes} == {
        "Themes": ("[Asylum, Labour migration]", "[Health, Labour migration]"),
        "Sources": ("[Report A]", "[Report A, Report B]"),
    }
    assert "<strong>Themes:</strong>" in response.content.decode()


def test_revert_restores_the_links_of_the_version(client, users, themes, sources, linked_process):
    process = linked_process
    client.force_login(users["demo-central"])
    change_links(client, process, [themes["Health"]], [sources["Report B"]])
    version = process.history.first().prev_record
    entries_before = process.history.count()

    page = client.get(url(pm.Process, "simple_history", process.pk, version.history_id))
    response = client.post(
        url(pm.Process, "simple_history", process.pk, version.history_id), revert_form_data(page)
    )

    assert response.status_code == 302
    assert sorted(page.context["adminform"].form.initial["themes"]) == sorted(
        [themes["Asylum"].pk, themes["Labour migration"].pk]
    )
    assert pks(process.themes) == {themes["Asylum"].pk, themes["Labour migration"].pk}
    assert pks(process.sources) == {sources["Report A"].pk}
    assert process.history.count() == entries_before + 1
    reverted = process.history.first()
    assert linked(reverted, "themes", "theme_id") == {themes["Asylum"].pk, themes["Labour migration"].pk}
    assert linked(reverted, "sources", "source_id") == {sources["Report A"].pk}


def test_recovering_a_deleted_finding_brings_back_its_links(client, users, themes):
    puebla = pm.Process.objects.get(slug="puebla")
    bali = f.ProcessFactory(short_name="Bali Process")
    workshop = f.WorkshopFactory(processes=[puebla, bali])
    finding = f.FindingFactory(
        workshop=workshop, themes=[themes["Asylum"], themes["Health"]], processes=[puebla, bali]
    )
    other = f.FindingFactory(workshop=workshop, themes=[themes["Health"]], processes=[bali])
    pk = finding.pk
    client.force_login(users["demo-central"])
    assert client.post(url(wm.Finding, "delete", pk), {"post": "yes"}).status_code == 302
    assert not wm.Finding.objects.filter(pk=pk).exists()

    rows = client.get(url(wm.Finding, "recover_deleted")).context["rows"]
    response = client.post(rows[0]["url"], revert_form_data(client.get(rows[0]["url"])))

    assert response.status_code == 302
    recovered = wm.Finding.objects.get(pk=pk)
    assert pks(recovered.themes) == {themes["Asylum"].pk, themes["Health"].pk}
    assert pks(recovered.processes) == {puebla.pk, bali.pk}
    assert pks(other.themes) == {themes["Health"].pk}
    assert pks(other.processes) == {bali.pk}
    entry = recovered.history.first()
    assert entry.history_type == "+"
    assert linked(entry, "themes", "theme_id") == {themes["Asylum"].pk, themes["Health"].pk}
    assert linked(entry, "processes", "process_id") == {puebla.pk, bali.pk}


@pytest.fixture
def puebla_meeting():
    """A meeting of the Puebla Process (so its findings are the puebla editor's) and another process."""
    puebla = pm.Process.objects.get(slug="puebla")
    bali = f.ProcessFactory(short_name="Bali Process")
    return puebla, bali, f.WorkshopFactory(processes=[puebla])


def test_process_editor_revert_does_not_bring_back_another_process(client, users, puebla_meeting):
    puebla, bali, workshop = puebla_meeting
    finding = f.FindingFactory(workshop=workshop, processes=[puebla, bali])
    version = finding.history.first()
    finding.processes.set([puebla])
    client.force_login(users["demo-puebla"])

    page = client.get(url(wm.Finding, "simple_history", finding.pk, version.history_id))
    response = client.post(
        url(wm.Finding, "simple_history", finding.pk, version.history_id), revert_form_data(page)
    )

    assert linked(version, "processes", "process_id") == {puebla.pk, bali.pk}
    assert page.context["adminform"].form.initial["processes"] == [puebla.pk]
    assert response.status_code == 302
    assert pks(finding.processes) == {puebla.pk}


def test_process_editor_revert_posting_another_process_is_refused(client, users, puebla_meeting):
    puebla, bali, workshop = puebla_meeting
    finding = f.FindingFactory(workshop=workshop, processes=[puebla, bali])
    version = finding.history.first()
    finding.processes.set([puebla])
    client.force_login(users["demo-puebla"])
    page = client.get(url(wm.Finding, "simple_history", finding.pk, version.history_id))
    data = revert_form_data(page)
    data["processes"] = [str(puebla.pk), str(bali.pk)]

    response = client.post(url(wm.Finding, "simple_history", finding.pk, version.history_id), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["processes"] == [
        f"Select a valid choice. {bali.pk} is not one of the available choices."
    ]
    assert pks(finding.processes) == {puebla.pk}


def test_process_editor_revert_keeps_links_to_processes_they_cannot_see(client, users, puebla_meeting):
    puebla, bali, workshop = puebla_meeting
    finding = f.FindingFactory(workshop=workshop, processes=[puebla])
    version = finding.history.first()
    finding.processes.add(bali)
    client.force_login(users["demo-puebla"])

    page = client.get(url(wm.Finding, "simple_history", finding.pk, version.history_id))
    response = client.post(
        url(wm.Finding, "simple_history", finding.pk, version.history_id), revert_form_data(page)
    )

    assert response.status_code == 302
    assert pks(finding.processes) == {puebla.pk, bali.pk}
    assert linked(finding.history.first(), "processes", "process_id") == {puebla.pk, bali.pk}


def test_inline_change_of_links_writes_one_entry_holding_them(client, users, themes):
    process = f.ProcessFactory()
    output = f.OutputFactory(process=process)
    entries_before = output.history.count()
    client.force_login(users["demo-central"])
    data = admin_form_data(client.get(url(pm.Process, "change", process.pk)))
    data["outputs-0-themes"] = [str(themes["Asylum"].pk), str(themes["Health"].pk)]

    response = client.post(url(pm.Process, "change", process.pk), data)

    assert response.status_code == 302
    assert pks(output.themes) == {themes["Asylum"].pk, themes["Health"].pk}
    assert output.history.count() == entries_before + 1
    assert linked(output.history.first(), "themes", "theme_id") == {themes["Asylum"].pk, themes["Health"].pk}


def test_demo_initial_history_holds_the_links_and_a_second_load_adds_none(shipped_states):
    load_demo()
    puebla = pm.Process.objects.get(slug="puebla")
    link_counts = {
        model: model.objects.count()
        for model in (type(puebla.history.get()).themes.model, type(puebla.history.get()).sources.model)
    }

    load_demo()

    entry = puebla.history.get()
    assert sorted(
        pm.Theme.objects.filter(pk__in=linked(entry, "themes", "theme_id")).values_list("slug", flat=True)
    ) == [
        "human-rights",
        "migration-and-development",
        "migration-policy",
    ]
    assert sorted(
        pm.Source.objects.filter(pk__in=linked(entry, "sources", "source_id")).values_list("slug", flat=True)
    ) == [
        "crmsv-about",
        "crmsv-observer-organizations",
        "crmsv-technical-secretariat",
        "iom-puebla",
        "report-2005",
    ]
    assert sorted(
        pm.Region.objects.filter(pk__in=linked(entry, "regions", "region_id")).values_list("slug", flat=True)
    ) == ["caribbean", "central-america", "northern-america"]
    assert {model: model.objects.count() for model in link_counts} == link_counts
    assert link_counts[type(entry).themes.model] == pm.Process.themes.through.objects.count()


def test_demo_users_twice_record_the_new_editor_once(editor_groups):
    puebla = f.ProcessFactory(slug="puebla")
    entries_before = puebla.history.count()

    create_demo_users()
    create_demo_users()

    editor = get_user_model().objects.get(username="demo-puebla")
    assert puebla.history.count() == entries_before + 1
    assert linked(puebla.history.first(), "editors", "user_id") == {editor.pk}
