"""?format=csv and ?format=json on every public list: exactly the rows of the current filters."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from processes import enums
from tests import factories as f
from workshops import enums as wenums


def parse_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def registry(db):
    """Two regions, three processes (one to exclude), Türkiye and Mexico with memberships."""
    americas = f.RegionFactory(name="Americas", slug="americas")
    europe = f.RegionFactory(name="Europe", slug="europe")
    south = f.ProcessFactory(
        name="Conferencia Suramericana sobre Migraciones",
        short_name="South American Conference",
        acronym="CSM",
        slug="csm",
        established_year=2000,
        regions=[americas],
    )
    formula = f.ProcessFactory(
        name='=HYPERLINK("http://evil")',
        short_name="Alpha Process",
        acronym="",
        slug="alpha",
        established_year=1996,
        regions=[americas],
    )
    budapest = f.ProcessFactory(
        name="Budapest Process", short_name="Budapest Process", slug="budapest", regions=[europe]
    )
    turkiye = f.StateFactory(code="TR", region=europe)
    mexico = f.StateFactory(code="MX", region=americas)
    f.MembershipFactory(process=budapest, state=turkiye)
    f.MembershipFactory(process=south, state=mexico)
    f.MembershipFactory(process=formula, state=mexico)
    # Alpha's observer list is recorded as complete (and empty); the South American Conference's is not.
    f.ListCompletenessFactory(
        process=formula, section=enums.ListSection.OBSERVERS, status=enums.Completeness.COMPLETE
    )
    return {"south": south, "formula": formula, "budapest": budapest}


def test_process_csv_has_the_filtered_rows_with_accents_and_escaped_formulas(client, registry):
    url = reverse("processes:process-list")
    params = {"region": "americas"}

    page = client.get(url, params)
    response = client.get(url, {**params, "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rcpdb-processes.csv"'
    rows = parse_csv(response)
    assert [row["slug"] for row in rows] == [p.slug for p in page.context["processes"]]
    assert rows == [
        {
            "id": str(registry["formula"].pk),
            "slug": "alpha",
            "name": '\'=HYPERLINK("http://evil")',
            "short_name": "Alpha Process",
            "acronym": "",
            "kind": "geographic",
            "status": "active",
            "established_year": "1996",
            "regions": "Americas",
            "themes": "",
            "member_count": "1",
            "observer_count": "0",
            "organization_count": "",
            "members_list": "partial",
            "observers_list": "complete",
            "organizations_list": "not_recorded",
            "chairs_list": "not_recorded",
            "funding_list": "not_recorded",
            "evaluations_list": "not_recorded",
            "outputs_list": "not_recorded",
            "achievements_list": "not_recorded",
            "website": "",
            "as_of": "",
            "url": "http://testserver/en/processes/alpha/",
        },
        {
            "id": str(registry["south"].pk),
            "slug": "csm",
            "name": "Conferencia Suramericana sobre Migraciones",
            "short_name": "South American Conference",
            "acronym": "CSM",
            "kind": "geographic",
            "status": "active",
            "established_year": "2000",
            "regions": "Americas",
            "themes": "",
            "member_count": "1",
            "observer_count": "",
            "organization_count": "",
            "members_list": "partial",
            "observers_list": "not_recorded",
            "organizations_list": "not_recorded",
            "chairs_list": "not_recorded",
            "funding_list": "not_recorded",
            "evaluations_list": "not_recorded",
            "outputs_list": "not_recorded",
            "achievements_list": "not_recorded",
            "website": "",
            "as_of": "",
            "url": "http://testserver/en/processes/csm/",
        },
    ]
    assert "budapest" not in response.content.decode()


def test_process_csv_holds_every_page_not_only_the_first(client, db):
    for number in range(30):
        f.ProcessFactory(short_name=f"Process {number:02}", slug=f"p{number:02}")

    page = client.get(reverse("processes:process-list"), {"page": "2"})
    response = client.get(reverse("processes:process-list"), {"page": "2", "format": "csv"})

    assert len(page.context["processes"]) == 5
    assert [row["slug"] for row in parse_csv(response)] == [f"p{number:02}" for number in range(30)]


def test_process_json_has_the_same_rows_as_the_page(client, registry):
    url = reverse("processes:process-list")

    response = client.get(url, {"region": "americas", "format": "json"})

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rcpdb-processes.json"'
    assert data["count"] == 2
    assert [(row["slug"], row["name"]) for row in data["results"]] == [
        ("alpha", '=HYPERLINK("http://evil")'),
        ("csm", "Conferencia Suramericana sobre Migraciones"),
    ]
    assert data["results"][1]["regions"] == ["Americas"]
    assert data["results"][1]["api_url"] == "http://testserver/api/processes/csm/"


def test_state_csv_keeps_accents_and_the_filter(client, registry):
    response = client.get(reverse("processes:state-list"), {"region": "europe", "format": "csv"})

    assert parse_csv(response) == [
        {
            "id": str(registry["budapest"].memberships.get().state.pk),
            "code": "TR",
            "name": "Türkiye",
            "region": "Europe",
            "region_slug": "europe",
            "process_count": "1",
            "url": "http://testserver/en/states/TR/",
        }
    ]


def test_state_json_follows_the_chosen_ordering(client, registry):
    f.MembershipFactory(process=registry["budapest"], state=f.StateFactory(code="AR"))
    f.MembershipFactory(process=registry["south"], state=f.StateFactory(code="AR"))

    response = client.get(reverse("processes:state-list"), {"ordering": "processes", "format": "json"})

    assert [(row["code"], row["process_count"]) for row in json.loads(response.content)["results"]] == [
        ("AR", 2),
        ("MX", 2),
        ("TR", 1),
    ]


def test_organization_and_theme_downloads_are_filtered(client, db):
    f.OrganizationFactory(name="UNHCR", slug="unhcr", kind=enums.OrganizationKind.UN_AGENCY)
    f.OrganizationFactory(name="ASEAN", slug="asean", kind=enums.OrganizationKind.REGIONAL_INSTITUTION)
    f.ThemeFactory(name="Trafficking", slug="trafficking")
    f.ThemeFactory(name="Health", slug="health")

    organizations = client.get(reverse("processes:organization-list"), {"kind": "un_agency", "format": "csv"})
    themes = client.get(reverse("processes:theme-list"), {"q": "traff", "format": "json"})

    assert [row["slug"] for row in parse_csv(organizations)] == ["unhcr"]
    assert [row["slug"] for row in json.loads(themes.content)["results"]] == ["trafficking"]


@pytest.fixture
def meetings(db):
    theme = f.ThemeFactory(name="Funding", slug="funding")
    geneva = f.WorkshopFactory(title="Geneva workshop", slug="geneva", start_date=datetime.date(2005, 4, 14))
    bangkok = f.WorkshopFactory(
        title="Bangkok meeting",
        slug="bangkok",
        kind=wenums.WorkshopKind.MINISTERIAL,
        start_date=datetime.date(2009, 1, 1),
        end_date=None,
    )
    f.FindingFactory(workshop=geneva, number=3, text="=1+1 is not a formula here.", themes=[theme])
    f.FindingFactory(workshop=geneva, number=4, text="Not about funding.")
    f.FindingFactory(workshop=bangkok, number=3, text="Elsewhere.", themes=[theme])
    f.RecommendationFactory(workshop=geneva, position=1, text="Build a knowledge base.")
    f.RecommendationFactory(workshop=geneva, position=2, text="Done.", status=wenums.FollowUpStatus.DONE)
    return {"geneva": geneva, "bangkok": bangkok}


def test_meeting_csv_is_filtered(client, meetings):
    response = client.get(reverse("workshops:workshop-list"), {"year": "2005", "format": "csv"})

    rows = parse_csv(response)
    assert [(row["slug"], row["start_date"], row["country"]) for row in rows] == [
        ("geneva", "2005-04-14", "CH")
    ]


def test_finding_csv_is_filtered_and_escapes_formulas(client, meetings):
    response = client.get(
        reverse("workshops:finding-list"), {"meeting": "geneva", "theme": "funding", "format": "csv"}
    )

    rows = parse_csv(response)
    assert [(row["meeting"], row["number"], row["text"], row["themes"]) for row in rows] == [
        ("geneva", "3", "'=1+1 is not a formula here.", "funding")
    ]
    assert rows[0]["url"] == "http://testserver/en/workshops/geneva/#finding-3"


def test_recommendation_json_is_filtered(client, meetings):
    response = client.get(reverse("workshops:recommendation-list"), {"status": "open", "format": "json"})

    assert [(row["position"], row["text"]) for row in json.loads(response.content)["results"]] == [
        (1, "Build a knowledge base.")
    ]


def test_invalid_filter_on_json_download_is_a_json_400(client, db):
    response = client.get(reverse("processes:process-list"), {"region": "nowhere", "format": "json"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == {
        "error": "Some filters are not valid.",
        "fields": {"region": ["Select a valid choice. That choice is not one of the available choices."]},
    }


def test_invalid_filter_on_csv_download_is_the_400_page(client, db):
    response = client.get(reverse("workshops:finding-list"), {"number": "x", "format": "csv"})

    assert response.status_code == 400
    assert "These filters cannot be applied" in response.content.decode()


@pytest.mark.parametrize("value", ["xml", "CSV", "\x00", "x" * 10_000])
def test_unknown_format_is_a_400(client, db, value):
    response = client.get(reverse("processes:theme-list"), {"format": value})

    assert response.status_code == 400


def test_list_pages_link_to_their_downloads_keeping_the_filters(client, registry):
    response = client.get(reverse("processes:process-list"), {"region": "americas", "page": "1"})

    html = response.content.decode()
    assert '<a href="?region=americas&amp;format=csv" download>CSV</a>' in html
    assert '<a href="?region=americas&amp;format=json" download>JSON</a>' in html


@pytest.mark.parametrize(
    "url_name",
    [
        "processes:process-list",
        "processes:state-list",
        "processes:organization-list",
        "processes:theme-list",
        "workshops:workshop-list",
        "workshops:finding-list",
        "workshops:recommendation-list",
    ],
)
def test_every_list_page_has_download_links(client, db, url_name):
    response = client.get(reverse(url_name))

    assert '<a href="?format=csv" download>CSV</a>' in response.content.decode()


def make_rows(count):
    theme = f.ThemeFactory()
    workshop = f.WorkshopFactory()
    for _number in range(count):
        process = f.ProcessFactory(regions=[f.RegionFactory()], themes=[theme])
        state = f.StateFactory(region=f.RegionFactory())
        f.MembershipFactory(process=process, state=state)
        f.OrganizationRoleFactory(process=process)
        f.FindingFactory(workshop=workshop, themes=[theme], processes=[process])
        f.RecommendationFactory(workshop=workshop, themes=[theme])
        f.WorkshopFactory(processes=[process])


DOWNLOADS = [
    "processes:process-list",
    "processes:state-list",
    "processes:organization-list",
    "processes:theme-list",
    "workshops:workshop-list",
    "workshops:finding-list",
    "workshops:recommendation-list",
]


@pytest.mark.parametrize("url_name", DOWNLOADS)
@pytest.mark.parametrize("download_format", ["csv", "json"])
def test_download_query_count_is_constant(client, db, url_name, download_format):
    counts = []
    for count in (1, 5):
        make_rows(count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name), {"format": download_format})
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


def test_download_past_the_row_limit_asks_to_narrow_the_filters(client, registry, monkeypatch):
    monkeypatch.setattr("rcpdb.core.downloads.MAX_DOWNLOAD_ROWS", 2)

    too_many = client.get(reverse("processes:process-list"), {"format": "json"})
    narrowed = client.get(reverse("processes:process-list"), {"region": "americas", "format": "json"})

    assert too_many.status_code == 400
    assert json.loads(too_many.content) == {
        "error": "More than 2 rows match these filters: narrow them, or use the paginated API.",
        "fields": {},
    }
    assert json.loads(narrowed.content)["count"] == 2
