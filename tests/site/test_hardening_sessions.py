"""Issue 21, item 10: a staff session ends after STAFF_SESSION_IDLE_TIMEOUT (default 8 hours) without a
request; activity keeps it alive (the clock is mocked)."""

import pytest
from django.conf import settings

from rcpdb.core import security
from tests import factories as f

pytestmark = pytest.mark.django_db

HOUR = 60 * 60
START = 1_800_000_000.0


@pytest.fixture
def clock(monkeypatch):
    state = {"now": START}
    monkeypatch.setattr(security, "_now", lambda: state["now"])
    return state


@pytest.fixture
def staff_client(client, clock):  # logged in at START
    client.force_login(f.UserFactory(username="secretariat", is_staff=True, is_superuser=True))
    return client


def admin_status(client):
    return client.get("/admin/").status_code


def test_the_default_is_eight_hours():
    assert settings.STAFF_SESSION_IDLE_TIMEOUT == 8 * HOUR


def test_a_staff_session_idle_longer_than_the_timeout_ends(staff_client, clock):
    assert admin_status(staff_client) == 200
    clock["now"] = START + 8 * HOUR + 1

    response = staff_client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert "_auth_user_id" not in staff_client.session


def test_a_staff_session_idle_just_under_the_timeout_stays(staff_client, clock):
    assert admin_status(staff_client) == 200
    clock["now"] = START + 8 * HOUR - 1

    assert admin_status(staff_client) == 200
    assert "_auth_user_id" in staff_client.session


def test_activity_keeps_the_session_alive(staff_client, clock):
    statuses = []
    for hours in (0, 5, 10, 15, 20):
        clock["now"] = START + hours * HOUR
        statuses.append(admin_status(staff_client))

    assert statuses == [200] * 5


def test_the_timeout_is_a_setting(staff_client, clock, settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 30 * 60
    assert admin_status(staff_client) == 200
    clock["now"] = START + 31 * 60

    assert admin_status(staff_client) == 302


def test_a_non_staff_session_is_left_alone(client, clock):
    user = f.UserFactory(username="reader", is_staff=False)
    client.force_login(user)
    client.get("/en/")
    clock["now"] = START + 100 * HOUR

    client.get("/en/")

    assert client.session["_auth_user_id"] == str(user.pk)
    assert security.LAST_ACTIVITY_KEY not in client.session
