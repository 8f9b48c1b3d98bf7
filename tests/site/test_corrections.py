"""Suggest a correction (issue 19): the visitor's form, its defences, the scoped queue and decisions."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

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


def suggested(process, **changes):
    """A pending suggestion on ``process``, made directly (the visitor's form is tested above)."""
    data = {
        "section": "profile",
        "wrong": "Old text.",
        "should_say": "Corrected text.",
        "source": "https://example.org/rcm-members",
        "email": "visitor@example.org",
    }
    data.update(changes)
    return Correction.objects.create(process=process, **data)


def accept_url(correction):
    return reverse("admin:site_correction_accept", args=[correction.pk])


def test_accept_opens_the_processs_form_pre_filled_with_the_suggestion(client, users, processes):
    source = f.SourceFactory(title="RCM members list", url="https://example.org/rcm-members")
    correction = suggested(processes["puebla"])
    client.force_login(users["demo-puebla"])
    page = client.get(accept_url(correction))
    assert page.status_code == 200
    assert page.context["original"] == processes["puebla"]
    form = page.context["adminform"].form
    assert form.initial["description_en"] == "Corrected text."
    assert form.initial["sources"] == [source.pk]
    html = page.content.decode()
    assert f"Suggested correction #{correction.pk} (Profile section)" in html
    assert "<dd>Old text.</dd>" in html
    assert "<dd>Corrected text.</dd>" in html
    assert '<a href="https://example.org/rcm-members" rel="noopener noreferrer">' in html
    assert "Pre-filled from the suggestion (check before saving): Description [en], Sources." in html
    back = reverse("admin:site_correction_change", args=[correction.pk])
    assert f'<a href="{back}">Back to suggested correction #{correction.pk}</a>' in html
    reason = f"Correction #{correction.pk} accepted: Corrected text."
    assert f"the history records the change as “{reason}”" in html
    # opening the form changes nothing
    processes["puebla"].refresh_from_db()
    assert processes["puebla"].description == "Old text."
    assert Correction.objects.get().status == CorrectionStatus.PENDING


def test_nothing_is_pre_filled_when_the_suggestion_does_not_map_onto_a_field(client, users, processes):
    correction = suggested(processes["puebla"], wrong="Belize is listed as an observer.", source="A report")
    client.force_login(users["demo-central"])
    page = client.get(accept_url(correction))
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["description_en"] == "Old text."
    html = page.content.decode()
    assert "Nothing could be pre-filled from the suggestion: make the change yourself." in html
    assert "<dd>A report</dd>" in html


def test_saving_the_form_accepts_the_suggestion_credits_the_history_and_mails_the_visitor(
    client, users, processes, django_capture_on_commit_callbacks
):
    puebla = processes["puebla"]
    membership = f.MembershipFactory(process=puebla, state=f.StateFactory(code="BZ"), note="")
    correction = suggested(puebla)
    client.force_login(users["demo-puebla"])
    page = client.get(accept_url(correction))
    data = admin_form_data(page)
    assert data["description_en"] == "Corrected text."
    data["memberships-0-note"] = "Member since 1996."
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(accept_url(correction), data)
    assert saved.status_code == 302
    assert saved["Location"] == reverse("admin:site_correction_changelist")
    puebla.refresh_from_db()
    membership.refresh_from_db()
    assert (puebla.description, membership.note) == ("Corrected text.", "Member since 1996.")
    reason = f"Correction #{correction.pk} accepted: Corrected text."
    entry = pm.Process.history.filter(id=puebla.pk).first()
    assert (entry.history_change_reason, entry.history_user) == (reason, users["demo-puebla"])
    row_entry = pm.Membership.history.filter(id=membership.pk).first()
    assert (row_entry.history_type, row_entry.history_change_reason) == ("~", reason)
    correction.refresh_from_db()
    assert (correction.status, correction.decided_by) == (CorrectionStatus.ACCEPTED, users["demo-puebla"])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["visitor@example.org"]
    assert mail.outbox[0].subject == "Your correction of Puebla Process was accepted"
    assert mail.outbox[0].body == (
        "Thank you. Your suggested correction of the Profile section of Puebla Process was accepted "
        "and the record has been corrected."
    )
    # accepted once: the form is no longer open for it; its page says who decided it and when
    again = client.get(accept_url(correction), follow=True)
    assert again.redirect_chain == [(reverse("admin:site_correction_change", args=[correction.pk]), 302)]
    assert [str(m) for m in again.context["messages"]][-1] == (
        f"Suggestion #{correction.pk} had already been accepted on "
        f"{date_format(timezone.localtime(correction.decided), 'DATETIME_FORMAT')} by demo-puebla."
    )


def test_a_refused_save_accepts_nothing(client, users, processes, django_capture_on_commit_callbacks):
    correction = suggested(processes["puebla"], email="")
    client.force_login(users["demo-central"])
    data = admin_form_data(client.get(accept_url(correction)))
    data["short_name_en"] = ""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(accept_url(correction), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["short_name_en"] == ["This field is required."]
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.PENDING
    assert not pm.Process.history.filter(history_change_reason__startswith="Correction #").exists()


def test_only_the_processs_own_editors_and_central_editors_may_accept(
    client, users, processes, django_capture_on_commit_callbacks
):
    correction = suggested(processes["puebla"])
    client.force_login(users["demo-central"])
    data = admin_form_data(client.get(accept_url(correction)))
    # the editor of another process: 404 to open it and to save it, nothing changed or sent
    client.force_login(users["bali-editor"])
    assert client.get(accept_url(correction)).status_code == 404
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(accept_url(correction), data).status_code == 404
    processes["puebla"].refresh_from_db()
    correction.refresh_from_db()
    assert (processes["puebla"].description, correction.status) == ("Old text.", CorrectionStatus.PENDING)
    assert mail.outbox == []
    # staff who edit no process, and visitors: no queue at all
    client.force_login(f.UserFactory(username="other-staff", is_staff=True))
    assert client.get(accept_url(correction)).status_code == 404
    client.logout()
    assert client.get(accept_url(correction)).status_code == 302
    # the central editor may
    client.force_login(users["demo-central"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(accept_url(correction), data).status_code == 302
    correction.refresh_from_db()
    assert (correction.status, correction.decided_by) == (CorrectionStatus.ACCEPTED, users["demo-central"])


def test_the_change_reason_fits_the_historys_column(processes):
    correction = suggested(processes["puebla"], should_say="Belize,   a member\nsince 1996. " + "x" * 200)
    reason = correction.change_reason
    assert len(reason) == 100
    assert reason.startswith(f"Correction #{correction.pk} accepted: Belize, a member since 1996. xxx")
    assert reason.endswith("x…")


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


# --- two reviewers at once (two app workers) and hostile suggestions ---------------------------------


def test_two_reviewers_accept_at_once_the_second_keeps_what_they_typed(
    client, users, processes, django_capture_on_commit_callbacks
):
    from django.test import Client

    correction = suggested(processes["puebla"])
    central = Client()
    central.force_login(users["demo-central"])
    client.force_login(users["demo-puebla"])
    first = admin_form_data(client.get(accept_url(correction)))
    second = admin_form_data(central.get(accept_url(correction)))  # both forms open at once
    first["description_en"] = "Corrected by the Puebla editor."
    second["description_en"] = "Corrected by the central editor."
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(accept_url(correction), first).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        late = central.post(accept_url(correction), second)

    # The second save is refused by the record's own check, with what was typed kept in the form.
    assert late.status_code == 200
    assert late.context["adminform"].form.data["description_en"] == "Corrected by the central editor."
    assert "Someone else saved this record after you opened this page" in late.content.decode()
    processes["puebla"].refresh_from_db()
    correction.refresh_from_db()
    assert processes["puebla"].description == "Corrected by the Puebla editor."
    assert (correction.status, correction.decided_by) == (CorrectionStatus.ACCEPTED, users["demo-puebla"])
    assert len(mail.outbox) == 1  # one decision, one message to the visitor


def test_a_save_sent_after_another_reviewer_declined_is_kept_and_says_so(
    client, users, processes, django_capture_on_commit_callbacks
):
    correction = suggested(processes["puebla"])
    client.force_login(users["demo-puebla"])
    data = admin_form_data(client.get(accept_url(correction)))
    corrections.decline(correction, users["demo-central"], "Not in the cited source.")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(accept_url(correction), data, follow=True)

    processes["puebla"].refresh_from_db()
    correction.refresh_from_db()
    assert processes["puebla"].description == "Corrected text."  # the reviewer's change is not lost
    assert correction.status == CorrectionStatus.DECLINED  # the first decision stands
    assert [str(m) for m in saved.context["messages"]][-1] == (
        "Your change to Puebla Process was saved. "
        f"Suggestion #{correction.pk} had already been declined on "
        f"{date_format(timezone.localtime(correction.decided), 'DATETIME_FORMAT')} by demo-central."
    )
    assert mail.outbox == []


def test_a_decline_sent_after_another_reviewer_accepted_changes_nothing(client, users, processes):
    correction = suggested(processes["puebla"])
    decline_url = reverse("admin:site_correction_decline", args=[correction.pk])
    client.force_login(users["demo-puebla"])
    assert client.get(decline_url).status_code == 200
    assert corrections.accept(correction, users["demo-central"]) is True
    mail.outbox.clear()

    response = client.post(decline_url, {"reason": "Too late."}, follow=True)

    correction.refresh_from_db()
    assert (correction.status, correction.decline_reason) == (CorrectionStatus.ACCEPTED, "")
    assert response.redirect_chain == [(reverse("admin:site_correction_change", args=[correction.pk]), 302)]
    assert str(list(response.context["messages"])[-1]).startswith(
        f"Suggestion #{correction.pk} had already been accepted on "
    )
    assert str(list(response.context["messages"])[-1]).endswith(" by demo-central.")
    assert mail.outbox == []


def test_deciding_twice_decides_once(users, processes, django_capture_on_commit_callbacks):
    correction = suggested(processes["puebla"])
    stale = Correction.objects.get(pk=correction.pk)  # what a second app worker read
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert corrections.accept(correction, users["demo-puebla"]) is True
        assert corrections.decline(stale, users["demo-central"], "No.") is False
        assert corrections.accept(stale, users["demo-central"]) is False

    correction.refresh_from_db()
    assert (correction.status, correction.decided_by) == (CorrectionStatus.ACCEPTED, users["demo-puebla"])
    assert (stale.status, stale.decided_by) == (CorrectionStatus.ACCEPTED, users["demo-puebla"])
    assert len(mail.outbox) == 1


HOSTILE = '<script>alert("x")</script>{{ request.user }}{% debug %}\u202e'


def test_a_hostile_suggestion_is_shown_as_text_on_the_accept_form(client, users, processes):
    correction = suggested(
        processes["puebla"], wrong=HOSTILE, should_say=HOSTILE, source='javascript:alert("x")'
    )
    client.force_login(users["demo-central"])

    page = client.get(accept_url(correction))

    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;{{ request.user }}{% debug %}" in html
    assert 'href="javascript:' not in html  # a source that is no web address is shown as text
    # Nothing of it reaches a field: it is not the record's text (the wrong text is not in it).
    assert page.context["adminform"].form.initial["description_en"] == "Old text."
