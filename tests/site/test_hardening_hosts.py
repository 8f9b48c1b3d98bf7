"""Issue 21, item 3: a bad Host header answers 400 with a page that needs no host, on every URL, and every
error page (400, 403, 404, 500, CSRF failure) carries the security headers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

import rcpdb.urls

PROJECT = Path(__file__).resolve().parents[2]
HOST = "rcpdb.example.org"
BAD_HOSTS = [
    "evil.com",
    "",
    "localhost:abc",
    "a b",
    "rcpdb.example.org.evil.com",
    "a" * 3000 + ".org",
    "évil.例え.jp",
    "rcpdb.example.org:80:80",
]
# The 400 page speaks the language of the address, like every page.
PAGE_TEXT = {
    "en": ("<title>Bad request · rcpdb</title>", "<h1>Bad request</h1>"),
    "fr": ("<title>Requête incorrecte · rcpdb</title>", "<h1>Requête incorrecte</h1>"),
}
URLS = [
    "/",
    "/en/",
    "/fr/processes/",
    "/en/processes/atlantis/",
    "/en/search/?q=migration",
    "/api/",
    "/api/processes/",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/admin/login/",
    "/no-such-page/",
]


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("test-500/", boom),
    path("test-403/", forbidden),
    *rcpdb.urls.urlpatterns,
]
handler400 = rcpdb.urls.handler400
handler404 = rcpdb.urls.handler404
handler500 = rcpdb.urls.handler500


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.fixture
def site(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [HOST]
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.django_db
def test_a_bad_host_gets_the_400_page_on_every_url(site, host):
    answers = {}
    for url in URLS:
        response = site.get(url, HTTP_HOST=host)
        html = response.content.decode()
        title, text = PAGE_TEXT["fr" if url.startswith("/fr/") else "en"]
        answers[url] = (response.status_code, title in html, text in html)
        assert_security_headers(response)
        assert host not in html or not host
    assert answers == dict.fromkeys(URLS, (400, True, True))


@pytest.mark.django_db
def test_a_bad_host_is_refused_for_every_method(site):
    statuses = [
        getattr(site, method)("/en/processes/", HTTP_HOST="evil.com").status_code
        for method in ("get", "head", "post", "put", "delete", "options")
    ]

    assert statuses == [400] * 6


@pytest.mark.django_db
def test_the_allowed_host_still_gets_the_page(site):
    response = site.get("/en/processes/", HTTP_HOST=HOST)

    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_every_error_page_carries_the_security_headers(site, settings):
    csrf_client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    answers = {
        "400 bad host": site.get("/en/", HTTP_HOST="evil.com"),
        "400 too many parameters": site.get(
            "/en/processes/?" + "&".join(f"p{n}=1" for n in range(1001)), HTTP_HOST=HOST
        ),
        "403": site.get("/test-403/", HTTP_HOST=HOST),
        "404": site.get("/en/processes/atlantis/", HTTP_HOST=HOST),
        "500": site.get("/test-500/", HTTP_HOST=HOST),
        "403 CSRF failure": csrf_client.post("/admin/login/", {"username": "x"}, HTTP_HOST=HOST),
    }

    assert {name: response.status_code for name, response in answers.items()} == {
        "400 bad host": 400,
        "400 too many parameters": 400,
        "403": 403,
        "404": 404,
        "500": 500,
        "403 CSRF failure": 403,
    }
    assert "CSRF" in answers["403 CSRF failure"].content.decode()
    for response in answers.values():
        assert_security_headers(response)


PRODUCTION_REQUESTS = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# Headers and status are the point here, not collected static files: a clean checkout has no manifest.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client(raise_request_exception=False)
answers = []
for host in HOSTS:
    for url in ["/", "/en/processes/", "/api/", "/sitemap.xml", "/healthz", "/admin/login/"]:
        for secure in (False, True):
            response = client.get(url, HTTP_HOST=host, secure=secure)
            answers.append({
                "host": host, "url": url, "secure": secure, "status": response.status_code,
                "page": "<title>Bad request · rcpdb</title>" in response.content.decode(),
                "headers": {k: v for k, v in response.headers.items()},
            })
print(json.dumps(answers))
"""


def test_production_mode_answers_400_to_bad_hosts_with_the_security_headers():
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="rcpdb.settings",
        DEBUG="false",
        SECRET_KEY="k3y-" + "a1b2c3d4e5" * 6,
        ALLOWED_HOSTS=HOST,
    )
    hosts = ["evil.com", "", "localhost:abc", "a b", "a" * 3000, "évil.例え.jp"]
    code = PRODUCTION_REQUESTS.replace("HOSTS", json.dumps(hosts))

    result = subprocess.run(  # noqa: S603 - our own code with fixed arguments
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(answers) == 6 * 6 * 2
    assert {(a["status"], a["page"]) for a in answers} == {(400, True)}
    for answer in answers:
        headers = answer["headers"]
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "camera=()" in headers["Permissions-Policy"]
        if answer["secure"]:
            assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        else:
            assert "Strict-Transport-Security" not in headers
