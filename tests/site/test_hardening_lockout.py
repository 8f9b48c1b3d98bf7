"""Issue 21, item 8: behind the proxy the lockout is keyed on the real client address and the username, so
a stranger's wrong passwords for a central editor do not lock that editor out from other addresses."""

import pytest
from axes.models import AccessAttempt

from tests import factories as f

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.1"  # every request reaches the site from the TLS proxy
STRANGER = "203.0.113.9"
EDITOR = "198.51.100.7"


@pytest.fixture
def editor(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return f.UserFactory(username="central", is_staff=True, is_superuser=True, password=PASSWORD)


def log_in(client, password, forwarded_for):
    return client.post(
        LOGIN,
        {"username": "central", "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        # A client-written entry left of the proxy's own is not trusted.
        HTTP_X_FORWARDED_FOR=f"192.0.2.1, {forwarded_for}",
    )


def test_a_stranger_behind_the_proxy_does_not_lock_the_editor_out(client, editor):
    stranger = [log_in(client, "wrong password", STRANGER).status_code for _ in range(5)]

    from_editor = log_in(client, PASSWORD, EDITOR)
    client.logout()
    stranger_with_the_password = log_in(client, PASSWORD, STRANGER)

    assert stranger == [200, 200, 200, 200, 429]
    assert from_editor.status_code == 302
    assert from_editor["Location"] == "/admin/"
    assert stranger_with_the_password.status_code == 429
    assert list(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")) == [
        ("central", STRANGER, 6)
    ]


def test_without_a_trusted_proxy_the_forwarded_address_is_ignored(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    [log_in(client, "wrong password", STRANGER) for _ in range(5)]

    assert log_in(client, PASSWORD, EDITOR).status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]
