"""Issue 21, item 10: a process editor's documents always belong to one of their meetings; only central
editors keep documents that belong to no meeting."""

import pytest

from tests import factories as f
from tests.processes.test_admin import admin_form_data
from tests.site.test_permissions import url, world  # noqa: F401 - the permission tests' own world
from workshops import models as wm

pytestmark = pytest.mark.django_db


def document_data(client, **fields):
    data = admin_form_data(client.get(url(wm.Document, "add")))
    data.update(title="Background paper", kind="background", year="2005", **fields)
    return data


def errors_of(response):
    return {name: list(errors) for name, errors in response.context["adminform"].form.errors.items()}


def test_a_process_editor_must_choose_one_of_their_meetings(client, world):  # noqa: F811
    own, other, users = world
    own_meeting = f.WorkshopFactory(processes=[own])
    f.WorkshopFactory(processes=[other])
    client.force_login(users["process_editor"])

    form = client.get(url(wm.Document, "add")).context["adminform"].form

    assert form.fields["workshop"].required is True
    assert list(form.fields["workshop"].queryset) == [own_meeting]


def test_a_process_editor_cannot_create_a_document_of_no_meeting(client, world):  # noqa: F811
    _own, _other, users = world
    client.force_login(users["process_editor"])

    response = client.post(url(wm.Document, "add"), document_data(client, workshop=""))

    assert response.status_code == 200
    assert errors_of(response) == {"workshop": ["This field is required."]}
    assert not wm.Document.objects.exists()


def test_a_process_editor_cannot_create_a_document_of_another_process_meeting(client, world):  # noqa: F811
    _own, other, users = world
    other_meeting = f.WorkshopFactory(processes=[other])
    client.force_login(users["process_editor"])

    response = client.post(url(wm.Document, "add"), document_data(client, workshop=str(other_meeting.pk)))

    assert response.status_code == 200
    assert list(errors_of(response)) == ["workshop"]
    assert not wm.Document.objects.exists()


def test_a_process_editor_creates_a_document_of_their_meeting(client, world):  # noqa: F811
    own, _other, users = world
    own_meeting = f.WorkshopFactory(processes=[own])
    client.force_login(users["process_editor"])

    response = client.post(url(wm.Document, "add"), document_data(client, workshop=str(own_meeting.pk)))

    assert response.status_code == 302
    assert list(wm.Document.objects.values_list("title", "workshop")) == [
        ("Background paper", own_meeting.pk)
    ]


def test_a_process_editor_cannot_take_their_document_out_of_the_meeting(client, world):  # noqa: F811
    own, _other, users = world
    document = f.DocumentFactory(workshop=f.WorkshopFactory(processes=[own]), title="Kept")
    client.force_login(users["process_editor"])
    data = admin_form_data(client.get(url(wm.Document, "change", document.pk)))
    data["workshop"] = ""

    response = client.post(url(wm.Document, "change", document.pk), data)

    assert response.status_code == 200
    assert errors_of(response) == {"workshop": ["This field is required."]}
    document.refresh_from_db()
    assert document.workshop is not None


def test_a_central_editor_may_keep_a_document_of_no_meeting(client, world):  # noqa: F811
    _own, _other, users = world
    client.force_login(users["central_editor"])

    form = client.get(url(wm.Document, "add")).context["adminform"].form
    response = client.post(url(wm.Document, "add"), document_data(client, workshop=""))

    assert form.fields["workshop"].required is False
    assert response.status_code == 302
    assert list(wm.Document.objects.values_list("title", "workshop")) == [("Background paper", None)]
