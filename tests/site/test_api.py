"""The read-only JSON API: same filters as the pages, pagination, detail, the dump, and hostile input."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from processes import enums
from tests import factories as f
from tests import responses
from workshops import enums as wenums

FORTY_DIGITS = "1" * 40
LONG = "x" * 10_000


def get_json(client, url, params=None, *, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


@pytest.fixture
def data(db):
    """Records of every collection, each filter below with a record it must exclude."""
    americas = f.RegionFactory(name="Americas", slug="americas")
    europe = f.RegionFactory(name="Europe", slug="europe")
    funding = f.ThemeFactory(name="Funding", slug="funding", description="Money.")
    f.ThemeFactory(name="Health", slug="health")
    south = f.ProcessFactory(
        name="Conferencia Suramericana sobre Migraciones",
        short_name="South American Conference",
        acronym="CSM",
        slug="csm",
        established_year=2000,
        regions=[americas],
        themes=[funding],
        website="https://csm.example.org",
    )
    budapest = f.ProcessFactory(
        name="Budapest Process",
        short_name="Budapest Process",
        acronym="BP",
        slug="budapest",
        regions=[europe],
    )
    turkiye = f.StateFactory(code="TR", region=europe)
    mexico = f.StateFactory(code="MX", region=americas)
    f.MembershipFactory(process=budapest, state=turkiye)
    f.MembershipFactory(process=south, state=mexico)
    f.MembershipFactory(process=south, state=turkiye, role=enums.MembershipRole.OBSERVER)
    unhcr = f.OrganizationFactory(
        name="UNHCR", acronym="UNHCR", slug="unhcr", kind=enums.OrganizationKind.UN_AGENCY
    )
    f.OrganizationFactory(name="ASEAN", slug="asean", kind=enums.OrganizationKind.REGIONAL_INSTITUTION)
    f.OrganizationRoleFactory(process=south, organization=unhcr)
    geneva = f.WorkshopFactory(
        title="Geneva workshop", slug="geneva", start_date=datetime.date(2005, 4, 14), processes=[south]
    )
    f.WorkshopFactory(
        title="Bangkok meeting",
        slug="bangkok",
        kind=wenums.WorkshopKind.MINISTERIAL,
        start_date=datetime.date(2009, 1, 1),
        end_date=None,
        country="TH",
    )
    finding = f.FindingFactory(
        workshop=geneva,
        number=3,
        kind=wenums.FindingKind.CONSENSUS,
        text="Funding is rare.",
        themes=[funding],
    )
    f.FindingFactory(workshop=geneva, number=4, text="Not about funding.")
    recommendation = f.RecommendationFactory(
        workshop=geneva, position=1, text="Build a knowledge base.", addressed_to="IOM", themes=[funding]
    )
    f.RecommendationFactory(workshop=geneva, position=2, text="Done.", status=wenums.FollowUpStatus.DONE)
    return {
        "south": south,
        "budapest": budapest,
        "mexico": mexico,
        "turkiye": turkiye,
        "unhcr": unhcr,
        "funding": funding,
        "geneva": geneva,
        "finding": finding,
        "recommendation": recommendation,
    }


def test_process_list_gives_complete_records(client, data):
    body = get_json(client, reverse("api:processes-list"), {"region": "americas"})

    south = data["south"]
    assert body == {
        "count": 1,
        "page": 1,
        "page_size": 25,
        "num_pages": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": south.pk,
                "slug": "csm",
                "name": "Conferencia Suramericana sobre Migraciones",
                "short_name": "South American Conference",
                "acronym": "CSM",
                "kind": "geographic",
                "status": "active",
                "established_year": 2000,
                "regions": ["Americas"],
                "themes": ["funding"],
                "member_count": 1,
                "observer_count": 1,
                "organization_count": 1,
                "members_list": "partial",
                "observers_list": "partial",
                "organizations_list": "partial",
                "chairs_list": "not_recorded",
                "funding_list": "not_recorded",
                "evaluations_list": "not_recorded",
                "outputs_list": "not_recorded",
                "achievements_list": "not_recorded",
                "website": "https://csm.example.org",
                "as_of": None,
                "url": "http://testserver/en/processes/csm/",
                "api_url": "http://testserver/api/processes/csm/",
            }
        ],
    }


# (API collection, public page, filters, the slugs/ids expected) — each filter excludes a record.
SAME_AS_PAGE = [
    ("processes", "processes:process-list", {"region": "americas"}, "processes"),
    ("processes", "processes:process-list", {"member": "tr"}, "processes"),
    ("processes", "processes:process-list", {"theme": "funding"}, "processes"),
    ("states", "processes:state-list", {"region": "europe"}, "states"),
    ("states", "processes:state-list", {"min_processes": "2"}, "states"),
    ("organizations", "processes:organization-list", {"kind": "un_agency"}, "organizations"),
    ("themes", "processes:theme-list", {"q": "fund"}, "themes"),
    ("meetings", "workshops:workshop-list", {"year": "2005"}, "object_list"),
    ("meetings", "workshops:workshop-list", {"process": "csm"}, "object_list"),
    ("findings", "workshops:finding-list", {"theme": "funding"}, "object_list"),
    ("findings", "workshops:finding-list", {"kind": "consensus"}, "object_list"),
    ("recommendations", "workshops:recommendation-list", {"status": "open"}, "object_list"),
    ("recommendations", "workshops:recommendation-list", {"addressed_to": "iom"}, "object_list"),
]


@pytest.mark.parametrize(("collection", "page_name", "params", "context_name"), SAME_AS_PAGE)
def test_api_filters_give_the_same_records_as_the_page(
    client, data, collection, page_name, params, context_name
):
    page = client.get(reverse(page_name), params)
    unfiltered = get_json(client, reverse(f"api:{collection}-list"))

    body = get_json(client, reverse(f"api:{collection}-list"), params)

    expected = [obj.pk for obj in page.context[context_name]]
    assert [record["id"] for record in body["results"]] == expected
    assert body["count"] == len(expected) == 1
    assert unfiltered["count"] == 2  # the filter excluded a record


def test_state_records_and_detail_by_code(client, data):
    body = get_json(client, reverse("api:states-detail", kwargs={"key": "tr"}))

    assert body == {
        "id": data["turkiye"].pk,
        "code": "TR",
        "name": "Türkiye",
        "region": "Europe",
        "region_slug": "europe",
        "process_count": 2,
        "url": "http://testserver/en/states/TR/",
        "api_url": "http://testserver/api/states/TR/",
    }


@pytest.mark.parametrize(
    ("collection", "key", "field", "value"),
    [
        ("processes", "budapest", "name", "Budapest Process"),
        ("organizations", "unhcr", "kind", "un_agency"),
        ("themes", "funding", "finding_count", 1),
        ("meetings", "geneva", "processes", ["csm"]),
    ],
)
def test_detail_endpoints_by_slug(client, data, collection, key, field, value):
    body = get_json(client, reverse(f"api:{collection}-detail", kwargs={"key": key}))

    assert body[field] == value
    assert body["api_url"] == f"http://testserver/api/{collection}/{key}/"


def test_finding_and_recommendation_details_by_id(client, data):
    finding = get_json(client, reverse("api:findings-detail", kwargs={"key": data["finding"].pk}))
    recommendation = get_json(
        client, reverse("api:recommendations-detail", kwargs={"key": data["recommendation"].pk})
    )

    assert finding == {
        "id": data["finding"].pk,
        "meeting": "geneva",
        "number": 3,
        "session": None,
        "kind": "consensus",
        "text": "Funding is rare.",
        "themes": ["funding"],
        "processes": [],
        "url": "http://testserver/en/workshops/geneva/#finding-3",
        "api_url": f"http://testserver/api/findings/{data['finding'].pk}/",
    }
    assert recommendation["text"] == "Build a knowledge base."
    assert recommendation["url"] == "http://testserver/en/workshops/geneva/#recommendation-1"


@pytest.mark.parametrize(
    ("collection", "key"),
    [
        ("processes", "nowhere"),
        ("states", "ZZ"),
        ("states", "T"),
        ("states", "TR1"),
        ("findings", "abc"),
        ("findings", FORTY_DIGITS),
        ("findings", "-1"),
        ("recommendations", "999999"),
    ],
)
def test_unknown_record_is_a_json_404(client, data, collection, key):
    body = get_json(client, reverse(f"api:{collection}-detail", kwargs={"key": key}), status=404)

    assert body == {"error": "There is no such record.", "fields": {}}


def test_pagination_pages_through_all_records(client, db):
    for number in range(5):
        f.ProcessFactory(short_name=f"Process {number}", slug=f"p{number}")
    url = reverse("api:processes-list")

    first = get_json(client, url, {"page_size": "2"})
    last = get_json(client, url, {"page_size": "2", "page": "3"})

    assert [record["slug"] for record in first["results"]] == ["p0", "p1"]
    assert first["count"] == 5
    assert first["num_pages"] == 3
    assert first["next"] == "http://testserver/api/processes/?page_size=2&page=2"
    assert first["previous"] is None
    assert [record["slug"] for record in last["results"]] == ["p4"]
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/processes/?page_size=2&page=2"


def test_empty_collection_has_an_empty_first_page(client, db):
    body = get_json(client, reverse("api:findings-list"))

    assert body["count"] == 0
    assert body["results"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "page must be a positive whole number."),
        ({"page": "-1"}, "page must be a positive whole number."),
        ({"page": "0"}, "page must be a positive whole number."),
        ({"page": "1.5"}, "page must be a positive whole number."),
        ({"page": FORTY_DIGITS}, "page must be a positive whole number."),
        ({"page": "١"}, "page must be a positive whole number."),
        ({"page_size": "0"}, "page_size must be a whole number from 1 to 100."),
        ({"page_size": "101"}, "page_size must be a whole number from 1 to 100."),
        ({"page_size": "NaN"}, "page_size must be a whole number from 1 to 100."),
        ({"q": "a\x00b"}, "The address contains a NUL character."),
        ({"a\x00b": "1"}, "The address contains a NUL character."),
        ({"q": LONG}, "A value in the address is longer than 500 characters."),
    ],
)
def test_invalid_paging_or_text_is_a_json_400(client, data, params, message):
    body = get_json(client, reverse("api:processes-list"), params, status=400)

    assert body == {"error": message, "fields": {}}


def test_page_past_the_end_is_a_json_404(client, data):
    body = get_json(client, reverse("api:processes-list"), {"page": "99999"}, status=404)

    assert body == {"error": "There is no page 99999 of these results.", "fields": {}}


@pytest.mark.parametrize(
    ("collection", "params", "field"),
    [
        ("processes", {"region": "nowhere"}, "region"),
        ("processes", {"established_from": FORTY_DIGITS}, "established_from"),
        ("processes", {"established_from": "NaN"}, "established_from"),
        ("processes", {"member": "ZZ"}, "member"),
        ("states", {"min_processes": FORTY_DIGITS}, "min_processes"),
        ("states", {"ordering": "name"}, "ordering"),
        ("organizations", {"kind": "spy"}, "kind"),
        ("meetings", {"year": "abc"}, "year"),
        ("meetings", {"date_after": "2005-13-45"}, "date"),
        ("findings", {"number": f"3,{FORTY_DIGITS}"}, "number"),
        ("findings", {"session": FORTY_DIGITS}, "session"),
        ("recommendations", {"status": "lost"}, "status"),
        ("recommendations", {"ordering": "text"}, "ordering"),
    ],
)
def test_invalid_filter_is_a_json_400_naming_the_field(client, data, collection, params, field):
    body = get_json(client, reverse(f"api:{collection}-list"), params, status=400)

    assert body["error"] == "Some filters are not valid."
    assert list(body["fields"]) == [field]
    assert len(body["fields"][field]) == 1


def test_more_than_1000_parameters_is_a_json_400(client, data):
    query = "&".join(f"p{number}=1" for number in range(1001))

    response = client.get(f"{reverse('api:processes-list')}?{query}")

    assert response.status_code == 400
    assert json.loads(response.content) == {"error": "The address has too many parameters.", "fields": {}}


def test_dump_holds_every_table(client, data, settings, tmp_path):
    settings.OPEN_DATA_DIR = str(tmp_path)
    response = client.get(reverse("api:dump"))

    body = json.loads(responses.body(response))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rcpdb-dump.json"'
    assert [record["slug"] for record in body["processes"]] == ["csm", "budapest"]
    assert [record["code"] for record in body["states"]] == ["TR", "MX"]
    assert [record["slug"] for record in body["organizations"]] == ["unhcr", "asean"]
    assert [record["slug"] for record in body["themes"]] == ["funding", "health"]
    assert [record["slug"] for record in body["meetings"]] == ["geneva", "bangkok"]
    assert [record["number"] for record in body["findings"]] == [3, 4]
    assert [record["position"] for record in body["recommendations"]] == [1, 2]
    assert sorted(region["slug"] for region in body["regions"]) == ["americas", "europe"]
    south, budapest = data["south"].pk, data["budapest"].pk
    turkiye, mexico = data["turkiye"].pk, data["mexico"].pk
    assert [
        (row["process_id"], row["state_id"], row["role"], row["since"], row["until"])
        for row in body["memberships"]
    ] == [
        (budapest, turkiye, "member", None, None),
        (south, mexico, "member", None, None),
        (south, turkiye, "observer", None, None),
    ]
    assert body["processes"][0]["short_name_en"] == "South American Conference"
    assert body["processes_themes"] == [{"process_id": south, "theme_id": data["funding"].pk}]


def test_api_root_links_every_collection_the_schema_the_docs_and_the_files(client, db):
    body = get_json(client, reverse("api:api-root"))

    assert list(body) == [
        "processes",
        "states",
        "regions",
        "organizations",
        "themes",
        "sources",
        "memberships",
        "organization-roles",
        "chair-terms",
        "secretariats",
        "funding",
        "evaluations",
        "outputs",
        "achievements",
        "institution-links",
        "claims",
        "meetings",
        "sessions",
        "people",
        "participation",
        "findings",
        "recommendations",
        "documents",
        "schema",
        "docs",
        "dump",
        "datapackage",
    ]
    assert body["processes"] == "http://testserver/api/processes/"
    assert body["datapackage"] == "http://testserver/api/data/datapackage.json"


def test_browsable_api_and_documentation_are_served_from_the_site(client, db):
    browsable = client.get(reverse("api:processes-list"), HTTP_ACCEPT="text/html")
    docs = client.get(reverse("api:docs"))
    docs_script = client.get(reverse("api:docs") + "?script=")

    assert browsable.status_code == 200
    assert browsable["Content-Type"] == "text/html; charset=utf-8"
    assert "Processes" in browsable.content.decode()
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI from the installed drf-spectacular-sidecar; its start-up script is a file of the site
    # (no inline script, which the Content-Security-Policy forbids), nothing from another host.
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html
    assert "<style>" not in html
    assert "https://" not in html.replace("https://swagger.io", "")
    assert docs_script.status_code == 200
    assert docs_script["Content-Type"].startswith("application/javascript")


def make_rows(count):
    theme = f.ThemeFactory()
    workshop = f.WorkshopFactory()
    for _number in range(count):
        process = f.ProcessFactory(regions=[f.RegionFactory()], themes=[theme])
        f.MembershipFactory(process=process, state=f.StateFactory(region=f.RegionFactory()))
        f.OrganizationRoleFactory(process=process)
        f.FindingFactory(
            workshop=workshop,
            themes=[theme],
            processes=[process],
            session=f.SessionFactory(workshop=workshop),
        )
        f.RecommendationFactory(workshop=workshop, themes=[theme])
        f.WorkshopFactory(processes=[process])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    "collection",
    ["processes", "states", "organizations", "themes", "meetings", "findings", "recommendations"],
)
def test_api_list_query_count_is_constant(client, db, collection):
    counts = []
    for count in (1, 5):
        make_rows(count)
        counts.append(count_queries(client, reverse(f"api:{collection}-list")))

    assert counts[0] == counts[1]


def test_openapi_schema_has_every_endpoint_and_real_types(client, db):
    response = client.get(reverse("api:openapi"))

    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    schema = json.loads(response.content)
    assert schema["openapi"] == "3.0.3"
    paths = schema["paths"]
    for name in ["processes", "states", "memberships", "chair-terms", "claims", "sessions", "documents"]:
        assert f"/api/{name}/" in paths
        assert f"/api/{name}/{{key}}/" in paths
    parameters = {p["name"]: p for p in paths["/api/processes/"]["get"]["parameters"]}
    assert parameters["kind"]["schema"] == {
        "type": "string",
        "enum": ["geographic", "interregional", "thematic"],
    }
    assert parameters["established_from"]["schema"] == {"type": "integer"}
    assert parameters["page_size"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 25,
    }
    assert parameters["lang"]["schema"] == {"type": "string", "enum": ["en", "es", "fr"]}
    meeting_parameters = {p["name"] for p in paths["/api/meetings/"]["get"]["parameters"]}
    assert {"q", "kind", "year", "date_after", "date_before", "process", "ordering"} <= meeting_parameters
    components = schema["components"]["schemas"]
    assert components["Process"]["properties"]["member_count"] == {"type": "integer", "nullable": True}
    assert components["Finding"]["properties"]["themes"]["type"] == "array"
    detail = components["ProcessDetail"]["properties"]
    assert detail["members"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Membership"},
        "readOnly": True,
    }
    assert components["Membership"]["properties"]["sources"]["items"] == {
        "$ref": "#/components/schemas/SourceRef"
    }
    assert detail["lists"]["additionalProperties"] == {"$ref": "#/components/schemas/ListState"}
