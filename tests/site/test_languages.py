"""English, French and Spanish: addresses, the switcher, the first visit and the translated interface."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories as f

NAVIGATION = {
    "en": ["Processes", "States", "Organisations", "Themes", "Meetings", "Findings", "Recommendations"],
    "fr": ["Processus", "États", "Organisations", "Thèmes", "Réunions", "Constats", "Recommandations"],
    "es": ["Procesos", "Estados", "Organizaciones", "Temas", "Reuniones", "Conclusiones", "Recomendaciones"],
}
GERMANY = {"en": "Germany", "fr": "Allemagne", "es": "Alemania"}
MOROCCO = {"en": "Morocco", "fr": "Maroc", "es": "Marruecos"}


@pytest.fixture
def records(db):
    europe = f.RegionFactory(name="Europe", slug="europe")
    process = f.ProcessFactory(slug="budapest", short_name="Budapest Process")
    process.regions.add(europe)
    germany = f.StateFactory(code="DE", region=europe)
    morocco = f.StateFactory(code="MA")
    f.MembershipFactory(process=process, state=germany)
    f.MembershipFactory(process=process, state=morocco, role="observer")
    f.MembershipFactory(process=f.ProcessFactory(slug="rabat", short_name="Rabat Process"), state=germany)
    organization = f.OrganizationFactory(slug="iom")
    f.OrganizationRoleFactory(process=process, organization=organization)
    theme = f.ThemeFactory(slug="trafficking")
    process.themes.add(theme)
    workshop = f.WorkshopFactory(slug="geneva-2005", country="DE")
    workshop.processes.add(process)
    f.FindingFactory(workshop=workshop)
    f.RecommendationFactory(workshop=workshop)
    return process


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# Every kind of public page, and whether it names Germany (a member State of the process).
PAGES = [
    ("home", {}, False),
    ("processes:process-list", {}, False),
    ("processes:process-detail", {"slug": "budapest"}, True),
    ("processes:state-list", {}, True),
    ("processes:state-detail", {"code": "DE"}, True),
    ("processes:organization-list", {}, False),
    ("processes:organization-detail", {"slug": "iom"}, False),
    ("processes:theme-list", {}, False),
    ("processes:theme-detail", {"slug": "trafficking"}, False),
    ("processes:compare", {}, False),
    ("processes:overlap", {}, True),
    ("processes:coverage", {}, True),
    ("processes:timeline", {}, False),
    ("workshops:workshop-list", {}, False),
    ("workshops:workshop-detail", {"slug": "geneva-2005"}, True),
    ("workshops:finding-list", {}, False),
    ("workshops:recommendation-list", {}, False),
    ("search", {}, False),
]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize(("name", "kwargs", "names_germany"), PAGES)
def test_each_page_speaks_the_language_of_its_address(client, records, language, name, kwargs, names_germany):
    url = url_in(language, name, **kwargs)

    response = client.get(url)

    html = response.content.decode()
    assert url.startswith(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    nav = html.split('<ul class="navbar-nav me-auto">')[1].split("</ul>")[0]
    assert re.findall(r">([^<]+)</a></li>", nav)[:7] == NAVIGATION[language]
    if names_germany:
        assert GERMANY[language] in html
        assert {other for code, other in GERMANY.items() if code != language} & set(
            re.findall(r"\w+", html)
        ) == set()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_state_list_sorts_country_names_in_the_language(client, db, language):
    for code in ["DE", "MA", "ES", "AT", "ET"]:
        f.StateFactory(code=code)

    response = client.get(url_in(language, "processes:state-list"), {"page_size": 100})

    html = response.content.decode()
    names = {
        "en": ["Austria", "Ethiopia", "Germany", "Morocco", "Spain"],
        "fr": ["Allemagne", "Autriche", "Espagne", "Éthiopie", "Maroc"],
        "es": ["Alemania", "Austria", "España", "Etiopía", "Marruecos"],
    }[language]
    positions = [html.index(f">{name}<") for name in names]
    assert positions == sorted(positions)


def test_first_visit_to_the_root_follows_the_browsers_language(client, db):
    french = client.get("/", headers={"accept-language": "fr-CH,fr;q=0.9,en;q=0.8"})
    spanish = client.get("/", headers={"accept-language": "es-MX,es;q=0.9"})
    german = client.get("/", headers={"accept-language": "de-DE,de;q=0.9"})
    none = client.get("/")

    assert [r.status_code for r in (french, spanish, german, none)] == [302, 302, 302, 302]
    assert [r["Location"] for r in (french, spanish, german, none)] == ["/fr/", "/es/", "/en/", "/en/"]


def test_an_address_without_language_keeps_its_path_and_query(client, db):
    response = client.get("/processes/?region=europe&q=budapest", headers={"accept-language": "es"})

    assert response.status_code == 302
    assert response["Location"] == "/es/processes/?region=europe&q=budapest"


def test_switcher_keeps_the_page_and_its_filters(client, records):
    response = client.get("/fr/processes/?region=europe&ordering=-established")

    html = response.content.decode()
    switcher = html.split('<ul class="navbar-nav site-languages"')[1].split("</ul>")[0]
    assert re.findall(r'href="([^"]+)" lang="(\w+)"', switcher) == [
        ("/en/processes/?region=europe&amp;ordering=-established", "en"),
        ("/fr/processes/?region=europe&amp;ordering=-established", "fr"),
        ("/es/processes/?region=europe&amp;ordering=-established", "es"),
    ]
    assert re.findall(r">(English|Français|Español)</a>", switcher) == ["English", "Français", "Español"]
    assert 'lang="fr" hreflang="fr" aria-current="true">Français</a>' in switcher


def test_switcher_on_a_record_page_and_a_missing_page(client, records):
    profile = client.get("/es/processes/budapest/").content.decode()
    missing = client.get("/es/processes/no-such-process/")

    assert 'href="/fr/processes/budapest/" lang="fr"' in profile
    assert missing.status_code == 404
    assert 'href="/fr/processes/no-such-process/" lang="fr"' in missing.content.decode()
    assert '<html lang="es">' in missing.content.decode()


def test_pages_name_their_alternates_for_search_engines(client, records):
    html = client.get("/en/states/DE/").content.decode()

    assert re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', html) == [
        ("en", "http://testserver/en/states/DE/"),
        ("fr", "http://testserver/fr/states/DE/"),
        ("es", "http://testserver/es/states/DE/"),
    ]


def test_dates_are_in_the_language(client, records):
    pages = {
        language: client.get(url_in(language, "home")).content.decode() for language in ["en", "fr", "es"]
    }

    assert "14 April 2005" in pages["en"]
    assert "14 avril 2005" in pages["fr"]
    assert "14 de abril de 2005" in pages["es"]


def test_bad_filter_message_is_translated(client, records):
    response = client.get("/fr/processes/", {"established_from": "abc"})

    assert response.status_code == 400
    assert "Saisissez un nombre entier." in response.content.decode()


def test_admin_and_api_have_no_language_prefix(client, db):
    assert reverse("admin:index") == "/admin/"
    assert reverse("api:processes-list") == "/api/processes/"
    assert reverse("healthz") == "/healthz"
    assert client.get("/fr/admin/").status_code == 404


def test_amounts_use_the_languages_separators(client, records):
    f.FundingFactory(
        process=records, state=None, organization=f.OrganizationFactory(), amount="25000.50", currency="USD"
    )

    pages = {
        language: client.get(url_in(language, "processes:process-detail", slug="budapest")).content.decode()
        for language in ["en", "fr", "es"]
    }

    assert "25,000.50 USD" in pages["en"]
    # Django's French and Spanish formats group thousands with a no-break space and use a decimal comma.
    assert "25\xa0000,50 USD" in pages["fr"]
    assert "25\xa0000,50 USD" in pages["es"]


@pytest.mark.parametrize("path", ["/de/processes/", "/xx/", "/fr-fr/processes/", "/FR/processes/"])
def test_an_unknown_language_prefix_is_a_404(client, db, path):
    response = client.get(path)

    # A 404 page (in French for /fr-fr/ and /FR/, which Django reads as French), never a 500.
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
