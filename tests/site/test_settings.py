"""Settings read from the environment: production by default, hard failures when it is incomplete."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

PROJECT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="false", ALLOWED_HOSTS="rcpdb.example.org")

    assert result.returncode != 0
    assert "SECRET_KEY is not set." in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = run_manage("check", DEBUG="false", SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set." in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k3y-" + "a1b2c3d4e5" * 6,
        ALLOWED_HOSTS="rcpdb.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_mode_needs_nothing_else():
    result = run_manage("check", DEBUG="true")

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_responses_carry_the_security_headers(client):
    response = client.get(reverse("healthz"))

    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
