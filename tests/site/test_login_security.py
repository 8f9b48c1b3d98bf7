"""Hardened staff login (issue 7): lockout per username and address, the security log, the optional
second factor, password rules, and the production security headers on a secure request."""

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import path
from django_otp.admin import OTPAdminSite
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from rcpdb.core import security
from rcpdb.core.admin_site import AdminSite as RcpdbAdminSite
from tests import factories as f

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery"
HOME = "10.0.0.1"
LOCKOUT_MESSAGE = (
    "Too many failed log-ins for this account from your address. "
    "Logging in is blocked for 1 hour; try again later or ask a central editor."
)


@pytest.fixture
def staff():
    return f.UserFactory(username="secretariat", is_staff=True, password=PASSWORD)


def log_in(client, username, password, address=HOME):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def fail(client, username, times, address=HOME):
    return [log_in(client, username, "wrong password", address).status_code for _ in range(times)]


def is_logged_in(client):
    return "_auth_user_id" in client.session


# --- Lockout ---------------------------------------------------------------------------------------


def test_four_failures_do_not_lock_the_account(client, staff):
    assert fail(client, "secretariat", 4) == [200, 200, 200, 200]

    response = log_in(client, "secretariat", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert is_logged_in(client)


def test_the_fifth_failure_locks_out_even_the_right_password(client, staff):
    assert fail(client, "secretariat", 5) == [200, 200, 200, 200, 429]

    response = log_in(client, "secretariat", PASSWORD)

    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()
    assert not is_logged_in(client)


def test_lockout_is_per_username_and_address(client, staff):
    f.UserFactory(username="colleague", is_staff=True, password=PASSWORD)
    fail(client, "secretariat", 5)

    from_elsewhere = log_in(client, "secretariat", PASSWORD, address="10.0.0.2")
    client.logout()
    colleague_here = log_in(client, "colleague", PASSWORD)

    assert (from_elsewhere.status_code, colleague_here.status_code) == (302, 302)


def test_lockout_ends_after_the_cool_off(client, staff):
    fail(client, "secretariat", 5)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=61)
    )

    response = log_in(client, "secretariat", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_resets_the_failure_count(client, staff):
    fail(client, "secretariat", 4)
    log_in(client, "secretariat", PASSWORD)
    client.logout()

    assert fail(client, "secretariat", 4) == [200, 200, 200, 200]
    assert log_in(client, "secretariat", PASSWORD).status_code == 302


# --- The security log ------------------------------------------------------------------------------


def security_messages(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "rcpdb.security"]


def test_logins_and_failures_are_logged(client, staff, caplog):
    with caplog.at_level("INFO", logger="rcpdb.security"):
        fail(client, "secretariat", 1)
        log_in(client, "secretariat", PASSWORD)

    assert security_messages(caplog) == [
        "login failed: user=secretariat address=10.0.0.1",
        "login: user=secretariat address=10.0.0.1",
    ]


def test_a_lockout_is_logged(client, staff, caplog):
    fail(client, "secretariat", 5)

    with caplog.at_level("INFO", logger="rcpdb.security"):
        log_in(client, "secretariat", PASSWORD)

    assert "login locked out: user=secretariat address=10.0.0.1" in security_messages(caplog)


def test_no_password_is_ever_logged(client, staff, caplog):
    with caplog.at_level("DEBUG"):
        log_in(client, "secretariat", "my-secret-guess")

    assert not any("my-secret-guess" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        # Anything left of what the trusted proxy wrote came from the client and is ignored.
        (1, "198.51.100.66, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.66, 203.0.113.9, 192.0.2.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert security.client_ip(request) == expected


# --- Passwords -------------------------------------------------------------------------------------


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("Tr0ub4dor&3")

    assert excinfo.value.messages == ["This password is too short. It must contain at least 12 characters."]
    validate_password("Tr0ub4dor&3-horse")


# --- Second factor ---------------------------------------------------------------------------------


def test_second_factor_is_optional_by_default(settings):
    from django.contrib import admin

    assert settings.OTP_REQUIRED is False
    assert isinstance(admin.site, RcpdbAdminSite)
    assert admin.site.second_factor is False
    assert admin.site.login_form is None


otp_site = RcpdbAdminSite(name="otp", second_factor=True)
urlpatterns = [path("admin/", otp_site.urls)]


def current_token(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return str(totp.token()).zfill(device.digits)


@pytest.mark.urls(__name__)
def test_required_second_factor_refuses_a_password_alone_and_accepts_a_token(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    assert isinstance(otp_site, OTPAdminSite)

    without_token = log_in(client, "secretariat", PASSWORD)
    assert without_token.status_code == 200
    assert not is_logged_in(client)
    with_token = client.post(
        LOGIN,
        {
            "username": "secretariat",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": current_token(device),
            "next": "/admin/",
        },
        REMOTE_ADDR=HOME,
    )

    assert with_token.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.urls(__name__)
def test_required_second_factor_keeps_out_a_session_without_one(client, staff):
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


# --- Headers ---------------------------------------------------------------------------------------

PRODUCTION_REQUEST = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# Headers are the point here, not collected static files: a clean checkout has no manifest yet.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client(SERVER_NAME="rcpdb.example.org")
secure = client.get("/admin/login/", secure=True)
plain = client.get("/admin/login/")
print(json.dumps({"status": secure.status_code, "headers": dict(secure.headers),
                  "csrf_cookie_secure": secure.cookies["csrftoken"]["secure"] is True,
                  "plain": [plain.status_code, plain.get("Location")]}))
"""


def test_production_admin_login_sends_the_security_headers_on_a_secure_request():
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="rcpdb.settings",
        DEBUG="false",
        SECRET_KEY="k3y-" + "a1b2c3d4e5" * 6,
        ALLOWED_HOSTS="rcpdb.example.org",
    )

    result = subprocess.run(  # noqa: S603 - our own code with fixed arguments
        [sys.executable, "-c", PRODUCTION_REQUEST],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    headers = answer["headers"]
    assert answer["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert answer["csrf_cookie_secure"] is True
    assert answer["plain"] == [301, "https://rcpdb.example.org/admin/login/"]
