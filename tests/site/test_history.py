"""History of admin changes (issue 7): who changed what and when, revert, and recovering deleted records."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from processes import models as pm
from rcpdb.site.demo import create_demo_users
from tests import factories as f
from tests.processes.test_admin import admin_form_data, form_data

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def users(editor_groups):
    f.ProcessFactory(slug="puebla", short_name="Puebla Process")
    create_demo_users()
    return {user.username: user for user in get_user_model().objects.all()}


def revert_form_data(page):
    """What the history page's "Revert" form posts: the version's values, as rendered."""
    assert page.status_code == 200
    return form_data(page.context["adminform"].form)


def change_note(client, membership, note):
    data = admin_form_data(client.get(url(pm.Membership, "change", membership.pk)))
    data["note"] = note
    response = client.post(url(pm.Membership, "change", membership.pk), data)
    assert response.status_code == 302


def test_admin_change_is_recorded_with_who(client, users):
    membership = f.MembershipFactory(note="First note.")
    client.force_login(users["demo-central"])

    change_note(client, membership, "Second note.")

    history = list(membership.history.order_by("history_date"))
    assert [(h.history_type, h.note, h.history_user) for h in history] == [
        ("+", "First note.", None),
        ("~", "Second note.", users["demo-central"]),
    ]


def test_history_page_lists_the_changes(client, users):
    membership = f.MembershipFactory(note="First note.")
    client.force_login(users["demo-central"])
    change_note(client, membership, "Second note.")

    response = client.get(url(pm.Membership, "history", membership.pk))

    assert response.status_code == 200
    assert [(h.history_type, h.history_user) for h in response.context["page_obj"].object_list] == [
        ("~", users["demo-central"]),
        ("+", None),
    ]
    assert "demo-central" in response.content.decode()


def test_revert_restores_an_earlier_version(client, users):
    membership = f.MembershipFactory(note="First note.")
    client.force_login(users["demo-central"])
    change_note(client, membership, "Second note.")
    first = membership.history.earliest("history_date")

    page = client.get(url(pm.Membership, "simple_history", membership.pk, first.history_id))
    response = client.post(
        url(pm.Membership, "simple_history", membership.pk, first.history_id), revert_form_data(page)
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.note == "First note."
    assert membership.history.count() == 3
    assert membership.history.latest("history_date").history_user == users["demo-central"]


def test_process_editor_reverts_their_own_record(client, users):
    puebla = pm.Process.objects.get(slug="puebla")
    membership = f.MembershipFactory(process=puebla, note="First note.")
    client.force_login(users["demo-puebla"])
    change_note(client, membership, "Second note.")
    first = membership.history.earliest("history_date")

    page = client.get(url(pm.Membership, "simple_history", membership.pk, first.history_id))
    client.post(url(pm.Membership, "simple_history", membership.pk, first.history_id), revert_form_data(page))

    membership.refresh_from_db()
    assert membership.note == "First note."


def test_process_editor_cannot_open_another_process_version(client, users):
    membership = f.MembershipFactory(note="Bali's note.")
    version = membership.history.get()
    client.force_login(users["demo-puebla"])

    response = client.get(url(pm.Membership, "simple_history", membership.pk, version.history_id))

    assert response.status_code == 404


def test_recover_deleted_lists_the_deleted_record_and_recreates_it(client, users):
    kept = f.MembershipFactory(note="Kept.")
    deleted = f.MembershipFactory(note="Deleted by mistake.")
    deleted_pk, state, process = deleted.pk, deleted.state, deleted.process
    client.force_login(users["demo-central"])
    assert client.post(url(pm.Membership, "delete", deleted_pk), {"post": "yes"}).status_code == 302

    listing = client.get(url(pm.Membership, "recover_deleted"))

    assert listing.status_code == 200
    assert [row["label"] for row in listing.context["rows"]] == [str(deleted)]
    assert listing.context["rows"][0]["deleted_by"] == users["demo-central"]
    form_page = client.get(listing.context["rows"][0]["url"])
    response = client.post(listing.context["rows"][0]["url"], revert_form_data(form_page))

    assert response.status_code == 302
    recovered = pm.Membership.objects.get(pk=deleted_pk)
    assert (recovered.note, recovered.state, recovered.process) == ("Deleted by mistake.", state, process)
    assert set(pm.Membership.objects.values_list("pk", flat=True)) == {kept.pk, deleted_pk}
    assert client.get(url(pm.Membership, "recover_deleted")).context["rows"] == []


def test_changelist_links_recover_deleted_for_central_editors_only(client, users):
    client.force_login(users["demo-central"])
    central = client.get(url(pm.Membership, "changelist"))
    client.force_login(users["demo-puebla"])
    editor = client.get(url(pm.Membership, "changelist"))

    assert central.context["recover_deleted_url"] == url(pm.Membership, "recover_deleted")
    assert url(pm.Membership, "recover_deleted") in central.content.decode()
    assert "recover_deleted_url" not in editor.context
    assert url(pm.Membership, "recover_deleted") not in editor.content.decode()


def test_process_editor_may_not_open_recover_deleted(client, users):
    client.force_login(users["demo-puebla"])

    response = client.get(url(pm.Membership, "recover_deleted"))

    assert response.status_code == 403


def test_recover_deleted_lists_a_record_deleted_twice_once(client, users):
    membership = f.MembershipFactory(note="Twice.")
    pk = membership.pk
    client.force_login(users["demo-central"])
    membership.delete()
    rows = client.get(url(pm.Membership, "recover_deleted")).context["rows"]
    client.post(rows[0]["url"], revert_form_data(client.get(rows[0]["url"])))
    pm.Membership.objects.get(pk=pk).delete()

    rows = client.get(url(pm.Membership, "recover_deleted")).context["rows"]

    assert len(rows) == 1
    assert pm.Membership.history.filter(history_type="-").count() == 2
    assert rows[0]["url"].endswith(
        f"/{pm.Membership.history.filter(history_type='-').latest('history_date').history_id}/"
    )
