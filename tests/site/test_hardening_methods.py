"""Issue 21, item 10: every read-only public view answers GET and HEAD only; other methods get 405."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests import responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    process = f.ProcessFactory(slug="puebla")
    return [
        reverse("home"),
        reverse("processes:process-list"),
        reverse("processes:process-detail", kwargs={"slug": process.slug}),
        reverse("processes:compare"),
        reverse("search") + "?q=migration",
        reverse("api:api-root"),
        reverse("api:docs"),
        reverse("api:datapackage"),
        reverse("api:processes-list"),
        reverse("api:processes-detail", kwargs={"key": process.slug}),
        reverse("api:dump"),
        reverse("api:openapi"),
        reverse("sitemap"),
        reverse("robots"),
        reverse("healthz"),
    ]


def status(response):
    responses.close(response)  # the bulk files are file responses
    return response.status_code


def test_get_and_head_are_answered(client, urls):
    statuses = {url: (status(client.get(url)), status(client.head(url))) for url in urls}

    assert statuses == dict.fromkeys(urls, (200, 200))


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_other_methods_get_405(client, urls, method):
    statuses = {url: getattr(client, method)(url).status_code for url in urls}

    assert statuses == dict.fromkeys(urls, 405)
