import pytest
from django.urls import reverse

from tests import factories as f


@pytest.fixture
def records(db):
    return {
        "process": f.ProcessFactory(slug="puebla"),
        "state": f.StateFactory(code="MX"),
        "organization": f.OrganizationFactory(slug="iom"),
        "theme": f.ThemeFactory(slug="trafficking"),
        "workshop": f.WorkshopFactory(slug="rcp-workshop-2005"),
    }


def locations(response):
    content = response.content.decode()
    return [part.split("</loc>")[0] for part in content.split("<loc>")[1:]]


def test_sitemap_lists_every_public_page(client, records):
    response = client.get(reverse("sitemap"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    paths = [
        "/",
        "/processes/",
        "/states/",
        "/organizations/",
        "/themes/",
        "/workshops/",
        "/findings/",
        "/recommendations/",
        "/processes/puebla/",
        "/states/MX/",
        "/organizations/iom/",
        "/themes/trafficking/",
        "/workshops/rcp-workshop-2005/",
    ]
    # Each page in each language, one after the other.
    assert locations(response) == [
        f"http://testserver/{language}{path}" for path in paths for language in ["en", "fr", "es"]
    ]


def test_sitemap_names_the_alternates_of_each_page(client, records):
    response = client.get(reverse("sitemap"))

    content = response.content.decode()
    entry = content.split("<url>")[1 + 3 * 8 + 2].split("</url>")[
        0
    ]  # /es/processes/puebla/ with its alternates
    assert "<loc>http://testserver/es/processes/puebla/</loc>" in entry
    assert (
        '<xhtml:link rel="alternate" hreflang="en" href="http://testserver/en/processes/puebla/"/>' in entry
    )
    assert (
        '<xhtml:link rel="alternate" hreflang="fr" href="http://testserver/fr/processes/puebla/"/>' in entry
    )
    assert (
        '<xhtml:link rel="alternate" hreflang="es" href="http://testserver/es/processes/puebla/"/>' in entry
    )
    assert (
        '<xhtml:link rel="alternate" hreflang="x-default" href="http://testserver/processes/puebla/"/>'
        in entry
    )


def test_sitemap_leaves_out_the_admin(client, records):
    response = client.get(reverse("sitemap"))

    assert "/admin/" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_sitemap_query_count_is_constant(client, db, django_assert_num_queries, count):
    for _ in range(count):
        f.ProcessFactory()
        f.StateFactory()
        f.OrganizationFactory()
        f.ThemeFactory()
        f.WorkshopFactory()

    with django_assert_num_queries(5):
        response = client.get(reverse("sitemap"))

    assert len(locations(response)) == 3 * (8 + 5 * count)


def test_robots_txt_allows_everything_but_the_admin(client, db):
    response = client.get(reverse("robots"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\nDisallow: /admin/\nAllow: /\n\nSitemap: http://testserver/sitemap.xml\n"
    )
