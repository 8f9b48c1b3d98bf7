"""Suggest a correction (issue 19): the visitor's form, its defences, the scoped queue and decisions."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from processes import models as pm
from rcpdb.site import corrections
from rcpdb.site.demo import create_demo_users
from rcpdb.site.models import Correction, CorrectionStatus
from tests import factories as f
from tests.processes.test_admin import admin_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editor_groups")]


@pytest.fixture
def processes():
    puebla = f.ProcessFactory(slug="puebla", short_name="Puebla Process", description="Old text.")
    bali = f.ProcessFactory(slug="bali", short_name="Bali Process")
    return {"puebla": puebla, "bali": bali}


@pytest.fixture
def users(processes):
    """demo-central (central editor), demo-puebla (editor of Puebla only), and a Bali editor."""
    create_demo_users()
    users = {user.username: user for user in get_user_model().objects.all()}
    bali_editor = f.UserFactory(username="bali-editor", is_staff=True)
    bali_editor.groups.set(users["demo-puebla"].groups.all())
    processes["bali"].editors.add(bali_editor)
    users["bali-editor"] = bali_editor
    return users


def form_url(slug="puebla", section="members"):
    return reverse("site:suggest-correction", kwargs={"slug": slug}) + f"?section={section}"


def started(seconds_ago=10):
    shown = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    with mock.patch("django.utils.timezone.now", return_value=shown):
        return corrections.started_token()


def suggestion(**changes):
    data = {
        "section": "members",
        "wrong": "Belize is listed as an observer.",
        "should_say": "Belize has been a member since 1996.",
        "source": "https://example.org/rcm-members",
        "email": "visitor@example.org",
        "started": started(),
        "website": "",
    }
    data.update(changes)
    return data


def send(client, data, slug="puebla", address="203.0.113.5"):
    return client.post(form_url(slug), data, REMOTE_ADDR=address)


def test_visitor_form_opens_on_the_section_and_is_linked_from_every_section(client, processes):
    html = client.get("/en/processes/puebla/").content.decode()
    # every section but "What the sources say", shown only when sources disagree
    assert html.count('href="/en/processes/puebla/correct/?section=') == 14
    page = client.get(form_url(section="funding"))
    assert page.status_code == 200
    assert '<option value="funding" selected>' in page.content.decode()


def test_suggestion_is_queued_and_the_email_never_shown(client, processes):
    response = send(client, suggestion())
    assert response.status_code == 200
    assert "Your suggestion has been sent to the editors of Puebla Process." in response.content.decode()
    correction = Correction.objects.get()
    assert (correction.process, correction.section, correction.status) == (
        processes["puebla"],
        "members",
        CorrectionStatus.PENDING,
    )
    assert correction.address_key != "203.0.113.5" and len(correction.address_key) == 64
    assert "visitor@example.org" not in client.get("/en/processes/puebla/").content.decode()


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"website": "http://spam.example"}, 400, "a field meant to stay empty was filled in"),
        ({"started": "forged"}, 400, "This form was not sent from rcpdb"),
        (
            {"started": lambda: started(seconds_ago=0)},
            400,
            "This form was sent too quickly after it was opened",
        ),
        ({"started": lambda: started(seconds_ago=2 * 24 * 3600)}, 400, "This form is too old"),
        ({"wrong": "x" * 2001}, 400, "Ensure this value has at most 2000 characters (it has 2001)."),
        ({"source": ""}, 400, "This field is required."),
        ({"email": "not-an-email"}, 400, "Enter a valid email address."),
        ({"section": "secret"}, 400, "Select a valid choice."),
    ],
)
def test_refusals_are_4xx_with_a_clear_message(client, processes, changes, status, message):
    changes = {name: value() if callable(value) else value for name, value in changes.items()}
    response = send(client, suggestion(**changes))
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Correction.objects.exists()


def test_rate_limit_per_address(client, processes, settings):
    settings.CORRECTIONS_PER_ADDRESS_PER_DAY = 2
    assert [send(client, suggestion()).status_code for _ in range(3)] == [200, 200, 429]
    assert "the most rcpdb accepts" in send(client, suggestion()).content.decode()
    assert send(client, suggestion(), address="198.51.100.7").status_code == 200
    assert Correction.objects.count() == 3


def test_unknown_process_is_a_404(client, processes):
    assert client.get(form_url(slug="nowhere")).status_code == 404


def queue(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:site_correction_changelist"))
    return response


@pytest.fixture
def queued(client, processes):
    send(client, suggestion())
    send(client, suggestion(email=""), slug="bali", address="198.51.100.9")
    return {c.process.slug: c for c in Correction.objects.select_related("process")}


def test_queue_is_seen_by_the_processs_editors_and_central_editors_only(client, users, queued):
    puebla, bali = queued["puebla"], queued["bali"]
    central = queue(client, users["demo-central"])
    assert set(central.context["cl"].result_list) == {puebla, bali}
    own = queue(client, users["demo-puebla"])
    assert list(own.context["cl"].result_list) == [puebla]
    other = queue(client, users["bali-editor"])
    assert list(other.context["cl"].result_list) == [bali]
    # another process's suggestion does not exist for them
    client.force_login(users["bali-editor"])
    unknown = client.get(reverse("admin:site_correction_change", args=[9999]))
    hidden = client.get(reverse("admin:site_correction_change", args=[puebla.pk]))
    assert (hidden.status_code, unknown.status_code) == (404, 404)
    assert client.get(reverse("admin:site_correction_accept", args=[puebla.pk])).status_code == 404
    assert (
        client.post(reverse("admin:site_correction_decline", args=[puebla.pk]), {"reason": "x"}).status_code
        == 404
    )
    puebla.refresh_from_db()
    assert puebla.status == CorrectionStatus.PENDING


def test_anonymous_visitors_and_non_staff_have_no_queue(client, users, queued):
    assert client.get(reverse("admin:site_correction_changelist")).status_code == 302
    visitor = f.UserFactory(username="visitor")
    client.force_login(visitor)
    assert client.get(reverse("admin:site_correction_changelist")).status_code == 302


def test_accept_opens_the_form_and_the_history_entry_is_credited(
    client, users, queued, django_capture_on_commit_callbacks
):
    correction = queued["puebla"]
    client.force_login(users["demo-puebla"])
    response = client.get(reverse("admin:site_correction_accept", args=[correction.pk]))
    change_url = reverse("admin:processes_process_change", args=[correction.process_id])
    assert response.status_code == 302
    assert response["Location"] == f"{change_url}?_correction={correction.pk}"
    page = client.get(response["Location"])
    assert "Belize has been a member since 1996." in page.content.decode()
    data = admin_form_data(page)
    data["description_en"] = "Corrected text."
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(response["Location"], data)
    assert saved.status_code == 302
    entry = pm.Process.history.filter(id=correction.process_id).first()
    assert entry.history_change_reason == f"Suggested correction #{correction.pk}"
    assert entry.history_user == users["demo-puebla"]
    correction.refresh_from_db()
    assert (correction.status, correction.decided_by) == (CorrectionStatus.ACCEPTED, users["demo-puebla"])
    assert [message.to for message in mail.outbox] == [["visitor@example.org"]]
    assert mail.outbox[0].subject == "Your correction of Puebla Process was accepted"


def test_decline_with_a_reason_mails_the_visitor(client, users, queued):
    correction = queued["puebla"]
    client.force_login(users["demo-central"])
    url = reverse("admin:site_correction_decline", args=[correction.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    mail.outbox.clear()
    response = client.post(url, {"reason": "The 1996 report lists Belize as an observer."})
    assert response.status_code == 302
    correction.refresh_from_db()
    assert (correction.status, correction.decline_reason) == (
        CorrectionStatus.DECLINED,
        "The 1996 report lists Belize as an observer.",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["visitor@example.org"]
    assert mail.outbox[0].subject == "Your correction of Puebla Process was declined"
    assert "The 1996 report lists Belize as an observer." in mail.outbox[0].body


def test_decline_without_an_email_sends_nothing(client, users, queued):
    client.force_login(users["demo-central"])
    mail.outbox.clear()
    client.post(reverse("admin:site_correction_decline", args=[queued["bali"].pk]), {"reason": "No source."})
    assert mail.outbox == []


def test_emails_are_erased_after_the_retention_period(queued, settings):
    settings.CORRECTION_EMAIL_RETENTION_DAYS = 30
    old = queued["puebla"]
    Correction.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=31))
    recent = Correction.objects.create(
        process=old.process,
        section="profile",
        wrong="a",
        should_say="b",
        source="c",
        email="keep@example.org",
    )
    call_command("erase_correction_emails")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.email, old.email_erased is not None) == ("", True)
    assert recent.email == "keep@example.org"
