"""Two staff editing one record (issue 21 item 6): the second save never silently overwrites the first.

Each scenario: editor A opens the change page, editor B opens it, A saves, B saves. B's save is refused
with the changes listed (what, value when B opened the page → value now, who, when), the database
holds A's change, and B's input is still in the returned form. Runs on SQLite and PostgreSQL; the
threaded test (two saves at the same moment) needs row locks, so PostgreSQL only.
"""

import re
import threading
import time

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from processes import admin_concurrency
from processes import models as pm
from processes.admin_concurrency import (
    CONFLICT_MESSAGE,
    DELETE_CONFLICT_MESSAGE,
    NO_STATE_MESSAGE,
    STATE_FIELD,
    OptimisticLockingAdminMixin,
)
from rcpdb.site.demo import create_demo_users
from tests import factories as f
from tests.processes.test_admin import admin_form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def editor(username):
    client = Client()
    client.force_login(
        get_user_model().objects.create_superuser(username, f"{username}@example.org", "x" * 16)
    )
    return client


def open_page(client, obj):
    """What the editor's browser holds after opening the change page: the form as rendered."""
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return admin_form_data(response)


def changes(response):
    return [
        (line["what"], line["before"], line["after"], line["by"])
        for line in response.context["adminform"].form.edit_conflict
    ]


def shown(response, name):
    """The value the returned form shows for field ``name``."""
    return response.context["adminform"].form[name].value()


def assert_refused(response):
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [CONFLICT_MESSAGE]
    assert "Changes made since you opened this page" in response.text


@pytest.fixture
def alice(db):
    return editor("alice")


@pytest.fixture
def bob(db):
    return editor("bob")


@pytest.fixture
def process(db):
    africa = f.RegionFactory(name="Africa", slug="africa")
    process = f.ProcessFactory(
        short_name="Puebla Process", slug="puebla", acronym="RCM", established_year=1996, regions=[africa]
    )
    return process


# The four scenarios ------------------------------------------------------------------------------


def test_same_field_second_save_is_refused_and_keeps_its_input(alice, bob, process):
    a, b = open_page(alice, process), open_page(bob, process)
    a["acronym"] = "CRM"
    b["acronym"] = "PP"

    assert alice.post(change_url(process), a).status_code == 302
    response = bob.post(change_url(process), b)

    assert_refused(response)
    assert changes(response) == [("Acronym", "RCM", "CRM", "alice")]
    assert shown(response, "acronym") == "PP"
    process.refresh_from_db()
    assert process.acronym == "CRM"


def test_different_fields_second_save_is_refused(alice, bob, process):
    a, b = open_page(alice, process), open_page(bob, process)
    a["acronym"] = "CRM"
    b["established_year"] = "1995"

    assert alice.post(change_url(process), a).status_code == 302
    response = bob.post(change_url(process), b)

    assert_refused(response)
    assert changes(response) == [("Acronym", "RCM", "CRM", "alice")]
    assert shown(response, "established_year") == "1995"
    process.refresh_from_db()
    assert (process.acronym, process.established_year) == ("CRM", 1996)


def test_link_changed_by_another_editor_refuses_the_second_save(alice, bob, process):
    americas = f.RegionFactory(name="Americas", slug="americas")
    a, b = open_page(alice, process), open_page(bob, process)
    a["regions"] = [str(americas.pk)]
    b["acronym"] = "PP"

    assert alice.post(change_url(process), a).status_code == 302
    response = bob.post(change_url(process), b)

    assert_refused(response)
    assert changes(response) == [("Regions", "Africa", "Americas", "alice")]
    assert shown(response, "acronym") == "PP"
    assert list(process.regions.values_list("slug", flat=True)) == ["americas"]
    process.refresh_from_db()
    assert process.acronym == "RCM"


def test_inline_row_changed_by_another_editor_refuses_the_second_save(alice, bob, process):
    mexico = f.StateFactory(code="MX")
    membership = f.MembershipFactory(process=process, state=mexico, role="member", since=1996)
    a, b = open_page(alice, process), open_page(bob, process)
    a["memberships-0-role"] = "observer"
    b["memberships-0-note"] = "Founding member."

    assert alice.post(change_url(process), a).status_code == 302
    response = bob.post(change_url(process), b)

    assert_refused(response)
    membership.refresh_from_db()
    assert changes(response) == [(f"Memberships: {membership} – Role", "Member", "Observer", "alice")]
    assert (membership.role, membership.note) == ("observer", "")
    (memberships,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "memberships"
    ]
    assert memberships.forms[0]["note"].value() == "Founding member."


def test_inline_row_added_and_removed_are_listed(alice, bob, process):
    mexico, guatemala = f.StateFactory(code="MX"), f.StateFactory(code="GT")
    removed = f.MembershipFactory(process=process, state=mexico, role="member", since=1996)
    removed_label = str(removed)
    a, b = open_page(alice, process), open_page(bob, process)
    a["memberships-0-DELETE"] = "on"
    a |= {
        "memberships-TOTAL_FORMS": "2",
        "memberships-1-state": str(guatemala.pk),
        "memberships-1-role": "member",
    }
    b["acronym"] = "PP"

    assert alice.post(change_url(process), a).status_code == 302
    response = bob.post(change_url(process), b)

    assert_refused(response)
    added = pm.Membership.objects.get(process=process)
    assert changes(response) == [
        (f"Memberships: {removed_label}", "row present", "row removed", "alice"),
        (f"Memberships: {added}", "-", "row added", "alice"),
    ]
    process.refresh_from_db()
    assert process.acronym == "RCM"


# Saving normally, and after a conflict -----------------------------------------------------------


def test_unchanged_record_saves_normally(alice, process):
    a = open_page(alice, process)
    a["acronym"] = "CRM"

    assert alice.post(change_url(process), a).status_code == 302
    process.refresh_from_db()
    assert process.acronym == "CRM"


def test_save_after_reloading_the_page_succeeds(alice, bob, process):
    a, b = open_page(alice, process), open_page(bob, process)
    a["acronym"] = "CRM"
    b["acronym"] = "PP"
    alice.post(change_url(process), a)
    assert_refused(bob.post(change_url(process), b))

    reloaded = open_page(bob, process)
    reloaded["established_year"] = "1995"

    assert bob.post(change_url(process), reloaded).status_code == 302
    process.refresh_from_db()
    assert (process.acronym, process.established_year) == ("CRM", 1995)


def test_saving_the_returned_form_again_is_a_deliberate_overwrite(alice, bob, process):
    a, b = open_page(alice, process), open_page(bob, process)
    a["acronym"] = "CRM"
    b["acronym"] = "PP"
    alice.post(change_url(process), a)
    refused = bob.post(change_url(process), b)
    assert_refused(refused)

    # The returned form holds B's input and the state B has now been shown.
    again = bob.post(change_url(process), admin_form_data(refused))

    assert again.status_code == 302
    process.refresh_from_db()
    assert process.acronym == "PP"


def test_a_third_change_after_the_conflict_is_caught_again(alice, bob, process):
    a, b = open_page(alice, process), open_page(bob, process)
    a["acronym"] = "CRM"
    b["acronym"] = "PP"
    alice.post(change_url(process), a)
    refused = bob.post(change_url(process), b)
    a = open_page(alice, process)
    a["established_year"] = "1990"
    alice.post(change_url(process), a)

    response = bob.post(change_url(process), admin_form_data(refused))

    assert_refused(response)
    assert changes(response) == [("Year established", "1996", "1990", "alice")]
    process.refresh_from_db()
    assert (process.acronym, process.established_year) == ("CRM", 1990)


@pytest.mark.parametrize("token", [None, "", "forged:token"], ids=["missing", "empty", "forged"])
def test_a_post_without_a_valid_record_state_is_refused(alice, process, token):
    data = open_page(alice, process)
    data["acronym"] = "PP"
    if token is None:
        del data[STATE_FIELD]
    else:
        data[STATE_FIELD] = token

    response = alice.post(change_url(process), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [NO_STATE_MESSAGE]
    assert shown(response, "acronym") == "PP"
    process.refresh_from_db()
    assert process.acronym == "RCM"


def test_process_editor_gets_the_same_protection(client, editor_groups):
    process = f.ProcessFactory(short_name="Puebla Process", slug="puebla", acronym="RCM")
    create_demo_users()
    users = {user.username: user for user in get_user_model().objects.all()}
    central, puebla = Client(), client
    central.force_login(users["demo-central"])
    puebla.force_login(users["demo-puebla"])
    a, b = open_page(central, process), open_page(puebla, process)
    a["acronym"] = "CRM"
    b["acronym"] = "PP"

    assert central.post(change_url(process), a).status_code == 302
    response = puebla.post(change_url(process), b)

    assert_refused(response)
    assert changes(response) == [("Acronym", "RCM", "CRM", "demo-central")]
    assert shown(response, "acronym") == "PP"
    process.refresh_from_db()
    assert process.acronym == "CRM"


def test_process_editor_is_not_shown_links_outside_their_scope(client, editor_groups):
    """A meeting also representing another process: that link is neither compared nor named."""
    puebla = f.ProcessFactory(short_name="Puebla Process", slug="puebla")
    other = f.ProcessFactory(short_name="Bali Process", slug="bali")
    workshop = f.WorkshopFactory(processes=[puebla, other])
    create_demo_users()
    users = {user.username: user for user in get_user_model().objects.all()}
    central = Client()
    central.force_login(users["demo-central"])
    client.force_login(users["demo-puebla"])
    b = open_page(client, workshop)
    workshop.processes.remove(other)  # by someone else: invisible to this editor
    b["city"] = "Geneva"

    assert client.post(change_url(workshop), b).status_code == 302
    workshop.refresh_from_db()
    assert workshop.city == "Geneva"


def test_meetings_and_reference_data_are_protected_too(alice, bob):
    workshop = f.WorkshopFactory(city="Geneva")
    session = f.SessionFactory(workshop=workshop, order=1, title="Opening")
    theme = f.ThemeFactory(name="Labour migration", slug="labour-migration")
    a, b = open_page(alice, workshop), open_page(bob, workshop)
    a["sessions-0-title_en"] = "Opening session"
    b["city"] = "Bangkok"
    ta, tb = open_page(alice, theme), open_page(bob, theme)
    ta["name_en"] = "Labour mobility"
    tb["slug"] = "labour"

    assert alice.post(change_url(workshop), a).status_code == 302
    assert alice.post(change_url(theme), ta).status_code == 302
    meeting = bob.post(change_url(workshop), b)
    reference = bob.post(change_url(theme), tb)

    assert_refused(meeting)
    session.refresh_from_db()
    assert changes(meeting) == [(f"Sessions: {session} – Title [en]", "Opening", "Opening session", "alice")]
    assert_refused(reference)
    assert changes(reference) == [("Name [en]", "Labour migration", "Labour mobility", "alice")]
    workshop.refresh_from_db()
    theme.refresh_from_db()
    assert (workshop.city, theme.slug) == ("Geneva", "labour-migration")


def test_who_and_when_are_not_recorded_when_the_history_has_no_entry(bob, process):
    b = open_page(bob, process)
    pm.Process.objects.filter(pk=process.pk).update(acronym="CRM")  # a script, no history entry
    b["acronym"] = "PP"

    response = bob.post(change_url(process), b)

    assert_refused(response)
    assert changes(response) == [("Acronym", "RCM", "CRM", None)]
    assert response.context["adminform"].form.edit_conflict[0]["when"] is None
    assert response.text.count("not recorded") == 2


def test_every_change_form_of_processes_and_workshops_is_protected():
    admins = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"processes", "workshops"}
    ]

    assert len(admins) >= 24  # others may register more: each must be protected too
    # The shared template, or one extending it (the Process page adds its staff tools).
    templates = {a.change_form_template for a in admins} - {"admin/rcpdb/change_form.html"}
    assert [
        name
        for name in templates
        if not get_template(name).template.source.startswith('{% extends "admin/rcpdb/change_form.html" %}')
    ] == []
    assert [type(a).__name__ for a in admins if not isinstance(a, OptimisticLockingAdminMixin)] == []
    assert {type(a).__name__ for a in admins} >= {
        "ProcessAdmin",
        "WorkshopAdmin",
        "MembershipAdmin",
        "PersonAdmin",
    }


# Two saves at the same moment -----------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: SQLite runs one writing transaction at a time"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_one_wins_and_the_other_gets_the_conflict(monkeypatch):
    process = f.ProcessFactory(short_name="Puebla Process", slug="puebla", acronym="RCM")
    clients = {name: editor(name) for name in ["alice", "bob"]}
    pages = {name: open_page(client, process) for name, client in clients.items()}
    pages["alice"]["acronym"] = "CRM"
    pages["bob"]["acronym"] = "PP"

    # Each save holds its lock a moment, so the other arrives while the first is still saving.
    unlocked = admin_concurrency.record_state

    def slow_record_state(*args, lock=False, **kwargs):
        state = unlocked(*args, lock=lock, **kwargs)
        if lock:
            time.sleep(0.5)
        return state

    monkeypatch.setattr(admin_concurrency, "record_state", slow_record_state)
    start = threading.Barrier(2)
    responses = {}

    def save(name):
        try:
            start.wait()
            responses[name] = clients[name].post(change_url(process), pages[name])
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=[name]) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    codes = sorted((response.status_code, name) for name, response in responses.items())
    assert [code for code, _ in codes] == [200, 302]
    winner, loser = codes[1][1], codes[0][1]
    assert_refused(responses[loser])
    process.refresh_from_db()
    assert process.acronym == pages[winner]["acronym"]
    expected = {"alice": ("RCM", "CRM"), "bob": ("RCM", "PP")}[winner]
    assert changes(responses[loser]) == [("Acronym", *expected, winner)]


# Deleting -------------------------------------------------------------------------------------------


def delete_page_data(client, obj):
    """What the delete confirmation page posts, as rendered."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    token = re.search(r'name="_record_state" value="([^"]+)"', response.text).group(1)
    return url, {"post": "yes", STATE_FIELD: token}


def test_deleting_a_record_changed_since_the_delete_page_opened_is_refused(alice, bob, process):
    membership = f.MembershipFactory(process=process, note="")
    url, confirm = delete_page_data(bob, membership)
    a = open_page(alice, membership)
    a["note"] = "Confirmed by the secretariat."
    assert alice.post(change_url(membership), a).status_code == 302

    response = bob.post(url, confirm, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert [str(message) for message in response.context["messages"]] == [str(DELETE_CONFLICT_MESSAGE)]
    membership.refresh_from_db()
    assert membership.note == "Confirmed by the secretariat."
    # Confirmed again on the page as it is now: deleted.
    url, confirm = delete_page_data(bob, membership)
    assert bob.post(url, confirm).status_code == 302
    assert not pm.Membership.objects.filter(pk=membership.pk).exists()


def test_deleting_an_unchanged_record_from_its_delete_page_deletes_it(bob, process):
    membership = f.MembershipFactory(process=process)
    other = f.MembershipFactory(process=process)
    url, confirm = delete_page_data(bob, membership)

    assert bob.post(url, confirm).status_code == 302
    assert list(pm.Membership.objects.values_list("pk", flat=True)) == [other.pk]
