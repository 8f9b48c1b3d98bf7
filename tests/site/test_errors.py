"""The site's own error pages."""

from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults


def test_unknown_address_gets_the_404_page(client, db):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · rcpdb</title>" in html
    assert "<h1>Page not found</h1>" in html
    assert '<a href="/en/search/">Search rcpdb</a>' in html
    assert '<li class="breadcrumb-item active" aria-current="page">Page not found</li>' in html


def test_unknown_record_gets_the_404_page(client, db):
    response = client.get(reverse("processes:process-detail", kwargs={"slug": "atlantis"}))

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_too_many_parameters_get_the_400_page(client, db):
    query = "&".join(f"p{number}=1" for number in range(1001))

    response = client.get(f"{reverse('processes:process-list')}?{query}")

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Bad request · rcpdb</title>" in html
    assert "rcpdb could not understand this request." in html


def test_500_page_renders_without_request_context_or_database():
    # No ``db`` fixture: any query would fail the test.
    response = defaults.server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<title>Server error · rcpdb</title>" in html
    assert "Something went wrong on our side." in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
