import pytest
from django.urls import resolve, reverse
from django.views import defaults

from rcpdb import urls
from rcpdb.site import search
from workshops import views


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("home", {}, "/en/"),
        ("healthz", {}, "/healthz"),
        ("search", {}, "/en/search/"),
        ("sitemap", {}, "/sitemap.xml"),
        ("robots", {}, "/robots.txt"),
        ("workshops:workshop-list", {}, "/en/workshops/"),
        ("workshops:workshop-detail", {"slug": "rcp-workshop-2005"}, "/en/workshops/rcp-workshop-2005/"),
        ("workshops:finding-list", {}, "/en/findings/"),
        ("workshops:recommendation-list", {}, "/en/recommendations/"),
        ("processes:process-list", {}, "/en/processes/"),
        ("processes:process-detail", {"slug": "puebla"}, "/en/processes/puebla/"),
        ("processes:state-list", {}, "/en/states/"),
        ("processes:state-detail", {"code": "MX"}, "/en/states/MX/"),
        ("processes:organization-list", {}, "/en/organizations/"),
        ("processes:organization-detail", {"slug": "iom"}, "/en/organizations/iom/"),
        ("processes:theme-list", {}, "/en/themes/"),
        ("processes:theme-detail", {"slug": "trafficking"}, "/en/themes/trafficking/"),
    ],
)
def test_url_names_reverse_to_their_paths(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path


def test_public_urls_resolve_to_their_views():
    assert resolve("/en/search/").func is search.search_view
    assert resolve("/en/workshops/").func.view_class is views.WorkshopListView
    assert resolve("/en/workshops/x/").func.view_class is views.WorkshopDetailView
    assert resolve("/en/findings/").func.view_class is views.FindingListView
    assert resolve("/en/recommendations/").func.view_class is views.RecommendationListView


def test_error_handlers_are_djangos_default_views():
    assert urls.handler400 == "django.views.defaults.bad_request"
    assert urls.handler404 == "django.views.defaults.page_not_found"
    assert urls.handler500 == "django.views.defaults.server_error"


def test_unknown_page_renders_the_404_template(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_too_many_parameters_on_a_page_without_its_own_handling_is_a_400(client, db):
    query = "&".join(f"k{n}=v" for n in range(1001))

    response = client.get(f"{reverse('workshops:workshop-list')}?{query}")

    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()


def test_server_error_renders_the_500_template(rf):
    response = defaults.server_error(rf.get("/"))

    assert response.status_code == 500
    assert "<h1>Server error</h1>" in response.content.decode()
