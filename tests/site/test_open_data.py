"""The open data holds every fact: the process detail nests its profile, every response validates
against the OpenAPI schema, names follow the language, CORS, ETag/304, throttling, and the bulk files."""

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models.signals import pre_migrate
from django.urls import reverse
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from processes import enums
from rcpdb.core import cache as page_cache
from rcpdb.site import bulk
from rcpdb.site.api import conditional
from tests import factories as f
from tests import responses
from workshops import enums as wenums


@pytest.fixture(autouse=True)
def own_content_version(settings, tmp_path):
    """A content version of this test's own (with REDIS_URL set, parallel test workers would share
    one, and another worker's saves would change the ETags and the bulk files under this test)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"od-{tmp_path}"},
        "content_version": {
            "BACKEND": "rcpdb.core.cache.TokenFileCache",
            "LOCATION": str(tmp_path / "version"),
        },
    }


@pytest.fixture
def world(db, settings, tmp_path):
    """One process with a fact of every kind, each with a source, and a meeting with all its parts."""
    settings.OPEN_DATA_DIR = str(tmp_path / "open-data")
    europe = f.RegionFactory(name="Europe", slug="europe")
    report = f.SourceFactory(title="Annual report 2020", slug="report-2020", url="https://example.org/r")
    website = f.SourceFactory(title="Website", slug="website", url="https://example.org/w")
    theme = f.ThemeFactory(name="Labour migration", slug="labour", name_fr="Migration de travail")
    process = f.ProcessFactory(
        name="Budapest Process",
        name_fr="Processus de Budapest",
        short_name="Budapest Process",
        short_name_fr="Processus de Budapest",
        slug="budapest",
        regions=[europe],
        themes=[theme],
        as_of=datetime.date(2024, 5, 1),
    )
    process.sources.set([website])
    turkiye = f.StateFactory(code="TR", region=europe)
    hungary = f.StateFactory(code="HU", region=europe)
    member = f.MembershipFactory(process=process, state=turkiye, since=2003, as_of=datetime.date(2024, 1, 2))
    member.sources.set([report])
    f.MembershipFactory(process=process, state=hungary, role=enums.MembershipRole.OBSERVER)
    f.ListCompletenessFactory(process=process, section=enums.ListSection.MEMBERS, sources=[report])
    icmpd = f.OrganizationFactory(name="ICMPD", slug="icmpd", kind=enums.OrganizationKind.INTERNATIONAL)
    f.OrganizationRoleFactory(
        process=process, organization=icmpd, role=enums.OrganizationRoleKind.SECRETARIAT_HOST
    )
    f.SecretariatFactory(process=process, hosts=[icmpd], city="Vienna", country="AT", staff=4)
    chair = f.ChairTermFactory(
        process=process, state=turkiye, co_chair=hungary, start_year=2020, end_year=2021
    )
    chair.sources.set([report])
    f.FundingFactory(process=process, state=hungary, amount=Decimal("15000.50"), currency="EUR")
    f.EvaluationFactory(process=process, conducted_by="An evaluator")
    output = f.OutputFactory(process=process, title="Istanbul Declaration", year=2013)
    output.themes.set([theme])
    achievement = f.AchievementFactory(process=process, title="A new law", year=2015)
    achievement.states.set([turkiye])
    f.InstitutionLinkFactory(process=process, institution=f.OrganizationFactory(slug="eu", name="EU"))
    f.ProcessClaimFactory(process=process, topic=enums.ClaimTopic.ESTABLISHED, value="1991", source=report)
    # Nothing recorded. (Not named "Other": a stop word in PostgreSQL's English search.)
    other = f.ProcessFactory(slug="other", short_name="Caspian Dialogue")
    meeting = f.WorkshopFactory(
        title="Geneva workshop", slug="geneva", start_date=datetime.date(2005, 4, 14), processes=[process]
    )
    session = f.SessionFactory(workshop=meeting, order=1, title="Opening")
    person = f.PersonFactory(name="Dr. A. Speaker", slug="speaker", organization=icmpd)
    f.SessionLeadFactory(session=session, person=person, role=wenums.LeadRole.CHAIR)
    f.ParticipationFactory(workshop=meeting, person=person)
    f.FindingFactory(workshop=meeting, session=session, number=1, text="Labour is key.", themes=[theme])
    f.RecommendationFactory(workshop=meeting, position=1, text="Cooperate.")
    f.DocumentFactory(workshop=meeting, title="Background paper", author=icmpd)
    return {"process": process, "other": other, "report": report, "turkiye": turkiye, "meeting": meeting}


def test_process_detail_nests_every_fact_with_its_sources_and_as_of(client, world):
    body = client.get(reverse("api:processes-detail", kwargs={"key": "budapest"})).json()

    report = {
        "id": world["report"].pk,
        "slug": "report-2020",
        "title": "Annual report 2020",
        "publisher": world["report"].publisher,
        "url": "https://example.org/r",
        "published": None,
    }
    assert body["member_count"] == 1
    assert body["observer_count"] == 1
    assert body["organization_count"] == 1
    assert body["members_list"] == "complete"
    assert body["funding_list"] == "partial"
    assert body["lists"]["members"]["status"] == "complete"
    assert body["lists"]["members"]["sources"] == [report]
    assert body["members"] == [
        {
            "id": body["members"][0]["id"],
            "process": "budapest",
            "state": "TR",
            "role": "member",
            "since": 2003,
            "until": None,
            "note": "",
            "as_of": "2024-01-02",
            "sources": [report],
            "api_url": f"http://testserver/api/memberships/{body['members'][0]['id']}/",
        }
    ]
    assert [m["state"] for m in body["observers"]] == ["HU"]
    assert [(c["state"], c["co_chair"], c["start_year"], c["sources"]) for c in body["chairs"]] == [
        ("TR", "HU", 2020, [report])
    ]
    assert body["secretariat"]["hosts"] == ["icmpd"]
    assert body["secretariat"]["country"] == "AT"
    assert body["secretariat"]["staff"] == 4
    assert [(row["state"], row["amount"], row["currency"]) for row in body["funding"]] == [
        ("HU", "15000.50", "EUR")
    ]
    assert [e["conducted_by"] for e in body["evaluations"]] == ["An evaluator"]
    assert [(o["title"], o["themes"]) for o in body["outputs"]] == [("Istanbul Declaration", ["labour"])]
    assert [(a["title"], a["states"]) for a in body["achievements"]] == [("A new law", ["TR"])]
    assert [i["institution"] for i in body["institutions"]] == ["eu"]
    assert [(c["topic"], c["value"], c["source"]["slug"]) for c in body["claims"]] == [
        ("established", "1991", "report-2020")
    ]
    assert body["meetings"] == ["geneva"]
    assert body["regions"] == ["Europe"]
    assert body["themes"] == ["labour"]
    assert [source["slug"] for source in body["sources"]] == ["website"]
    assert body["as_of"] == "2024-05-01"


def test_lists_not_recorded_have_null_counts_not_zero(client, world):
    detail = client.get(reverse("api:processes-detail", kwargs={"key": "other"})).json()
    listed = client.get(reverse("api:processes-list"), {"q": "caspian"}).json()["results"]

    assert (detail["member_count"], detail["observer_count"], detail["organization_count"]) == (
        None,
        None,
        None,
    )
    assert detail["lists"]["members"] == {
        "status": "not_recorded",
        "count": None,
        "as_of": None,
        "note": "",
        "sources": [],
        "stated": [],
    }
    assert detail["members"] == []
    assert detail["secretariat"] is None
    assert [(p["slug"], p["member_count"], p["members_list"]) for p in listed] == [
        ("other", None, "not_recorded")
    ]


@pytest.mark.parametrize(
    ("params", "headers", "expected"),
    [
        ({"lang": "fr"}, {}, ["Autre", "Processus de Budapest"]),
        ({}, {"HTTP_ACCEPT_LANGUAGE": "fr"}, ["Autre", "Processus de Budapest"]),
        ({}, {}, ["Budapest Process", "Caspian Dialogue"]),
    ],
)
def test_names_follow_the_language_and_sort_as_the_page_does(client, world, params, headers, expected):
    world["other"].short_name_fr = "Autre"
    world["other"].save()

    body = client.get(reverse("api:processes-list"), params, **headers).json()

    assert [p["short_name"] for p in body["results"]] == expected


def test_unknown_language_is_a_json_400(client, world):
    response = client.get(reverse("api:processes-list"), {"lang": "de"})

    assert response.status_code == 400
    assert response.json() == {"error": "lang must be one of: en, fr, es.", "fields": {}}


def test_french_states_sort_as_the_page_in_the_api_and_the_downloads(client, db):
    for code in ["ZW", "AE", "EC", "US", "ES", "FI"]:
        f.StateFactory(code=code)

    page = client.get("/fr/states/")
    api = client.get(reverse("api:states-list"), {"lang": "fr"}).json()
    download = client.get("/fr/states/", {"format": "csv"}).content.decode("utf-8-sig").splitlines()

    names = ["Émirats arabes unis", "Équateur", "Espagne", "États-Unis d'Amérique", "Finlande", "Zimbabwe"]
    assert [str(state.name) for state in page.context["states"]] == names
    assert [state["name"] for state in api["results"]] == names
    assert [row.split(",")[2] for row in download[1:]] == names


# --- every endpoint validates against the schema ---------------------------------------------------


def endpoints(world):
    """(path, query) of every list, detail and filter of the API on the ``world`` data."""
    meeting = world["meeting"]
    finding = meeting.findings.get()
    detail_keys = {
        "processes": "budapest",
        "states": "TR",
        "regions": "europe",
        "organizations": "icmpd",
        "themes": "labour",
        "sources": world["report"].pk,
        "meetings": "geneva",
        "people": "speaker",
        "findings": finding.pk,
        "recommendations": meeting.recommendations.get().pk,
        "sessions": meeting.sessions.get().pk,
        "participation": meeting.participations.get().pk,
        "documents": meeting.documents.get().pk,
    }
    from rcpdb.site.api.views import COLLECTIONS

    found = []
    for prefix, viewset in COLLECTIONS:
        model = viewset.serializer_class.Meta.model
        found.append((reverse(f"api:{prefix}-list"), {}))
        found.append((reverse(f"api:{prefix}-list"), {"lang": "fr", "page_size": "1"}))
        key = detail_keys.get(prefix) or model.objects.order_by("pk").first().pk
        found.append((reverse(f"api:{prefix}-detail", kwargs={"key": key}), {}))
    filter_values = {
        "processes": {
            "q": "budapest",
            "region": "europe",
            "theme": "labour",
            "kind": "geographic",
            "member": "TR",
            "observer": "HU",
            "meeting_level": "ministerial",
            "secretariat": "fixed",
            "civil_society": "none",
            "evaluated": "yes",
            "established_from": "1990",
            "established_to": "2020",
            "status": "active",
            "ordering": "-established",
        },
        "states": {
            "q": "turk",
            "region": "europe",
            "min_processes": "1",
            "max_processes": "3",
            "ordering": "processes",
        },
        "organizations": {"q": "icmpd", "kind": "international"},
        "themes": {"q": "labour"},
        "meetings": {
            "q": "geneva",
            "kind": "inter_process",
            "year": "2005",
            "date_after": "2005-01-01",
            "date_before": "2005-12-31",
            "process": "budapest",
            "ordering": "date",
        },
        "findings": {
            "q": "labour",
            "meeting": "geneva",
            "kind": finding.kind,
            "theme": "labour",
            "process": "budapest",
            "session": str(finding.session_id),
            "number": "1,2",
        },
        "recommendations": {
            "status": "open",
            "kind": "recommendation",
            "addressed_to": "iom",
            "meeting": "geneva",
        },
    }
    for prefix, viewset in COLLECTIONS:
        if viewset.filterset_class is None:
            continue
        values = filter_values.get(prefix, {"process": "budapest"})
        for name in viewset.filterset_class.base_filters:
            if name in values:
                found.append((reverse(f"api:{prefix}-list"), {name: values[name]}))
    return found


def test_every_endpoint_list_detail_and_filter_validates_against_the_schema(client, world):
    schema = client.get(reverse("api:openapi")).json()
    openapi = OpenAPI.from_dict(schema)
    checked = set()

    for path, query in endpoints(world):
        response = client.get(path, query)
        assert response.status_code == 200, (path, query, response.content[:300])
        request = response.wsgi_request
        openapi.validate_response(DjangoOpenAPIRequest(request), DjangoOpenAPIResponse(response))
        checked.add(path)

    # Every filter of every FilterSet was requested (each collection with a filter has all of them).
    assert len(checked) >= 23 * 2


def test_the_dated_process_detail_and_its_errors_validate_against_the_schema(client, world):
    schema = client.get(reverse("api:openapi")).json()
    openapi = OpenAPI.from_dict(schema)
    path = reverse("api:processes-detail", kwargs={"key": "budapest"})
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    answers = {}
    for value, status in [(today.isoformat(), 200), ("2026-13-45", 400), (yesterday.isoformat(), 404)]:
        response = client.get(path, {"as_of": value})
        assert response.status_code == status, response.content[:300]
        openapi.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
        answers[status] = response.json()
    dated = answers[200]
    assert (dated["short_name"], [m["state"] for m in dated["members"]]) == ("Budapest Process", ["TR"])
    assert dated["url"] == f"http://testserver/en/processes/budapest/?as_of={today.isoformat()}"
    assert answers[400] == {
        "error": "The date must be written YYYY-MM-DD, for example 2026-03-03.",
        "fields": {},
    }
    assert answers[404] == {"error": "This record did not exist yet on that date.", "fields": {}}


def test_a_filter_excludes_a_record_in_a_fact_collection(client, world):
    everything = client.get(reverse("api:memberships-list")).json()
    other = world["other"]
    f.MembershipFactory(process=other, state=world["turkiye"])

    filtered = client.get(reverse("api:memberships-list"), {"process": "budapest"}).json()

    assert everything["count"] == 2
    assert [(m["process"], m["state"]) for m in filtered["results"]] == [
        ("budapest", "HU"),
        ("budapest", "TR"),
    ]


# --- friendly to other programs ---------------------------------------------------------------------


def test_cors_allows_read_only_requests_from_any_origin(client, world):
    response = client.get(reverse("api:processes-list"), HTTP_ORIGIN="https://other.example")
    preflight = client.options(
        reverse("api:processes-list"),
        HTTP_ORIGIN="https://other.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    page = client.get("/en/processes/", HTTP_ORIGIN="https://other.example")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Origin" not in page  # only the API


def test_etag_and_last_modified_give_304_until_the_content_changes(client, transactional_db, world):
    url = reverse("api:processes-detail", kwargs={"key": "budapest"})
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    french = client.get(url, {"lang": "fr"}, HTTP_IF_NONE_MATCH=first["ETag"])
    world["process"].website = "https://budapest.example"
    world["process"].save()  # committed (transactional_db): the version moves after commit
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert (again.status_code, again.content) == (304, b"")
    assert since.status_code == 304
    assert french.status_code == 200
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed.json()["website"] == "https://budapest.example"


def test_anonymous_clients_over_the_rate_get_429_with_retry_after(client, world, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    from django.core.cache import cache

    cache.clear()
    statuses = [
        client.get(reverse("api:themes-list"), REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)
    ]
    other_client = client.get(reverse("api:themes-list"), REMOTE_ADDR="203.0.113.10")
    limited = client.get(reverse("api:themes-list"), REMOTE_ADDR="203.0.113.9")

    assert statuses == [200, 200, 200, 429]
    assert other_client.status_code == 200
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["error"].startswith("Too many requests: please wait ")


# --- bulk files -------------------------------------------------------------------------------------


def read(response):
    """The body of a file response (and the file closed)."""
    return responses.body(response)


def test_data_package_validates_with_frictionless_and_its_csvs_round_trip(client, world):
    from frictionless import Package, validate

    call_command("build_open_data", verbosity=0)
    folder = bulk.ensure_built()

    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = Package(str(folder / "datapackage.json"))
    names = {resource.name for resource in package.resources}
    assert {
        "processes",
        "states",
        "regions",
        "organizations",
        "themes",
        "sources",
        "memberships",
        "organization_roles",
        "chair_terms",
        "secretariats",
        "funding",
        "evaluations",
        "outputs",
        "achievements",
        "institution_links",
        "claims",
        "list_completeness",
        "meetings",
        "sessions",
        "session_leads",
        "people",
        "participation",
        "findings",
        "recommendations",
        "documents",
        "memberships_sources",
        "processes_themes",
        "achievements_states",
    } <= names
    memberships = package.get_resource("memberships").read_rows()
    assert [(row["state_id"], row["role"], row["since"], row["as_of"]) for row in memberships] == [
        (world["turkiye"].pk, "member", 2003, datetime.date(2024, 1, 2)),
        (world["turkiye"].pk + 1, "observer", None, None),
    ]
    funding = package.get_resource("funding").read_rows()
    assert funding[0]["amount"] == Decimal("15000.50")
    processes = {row["slug"]: row for row in package.get_resource("processes").read_rows()}
    assert processes["budapest"]["short_name_fr"] == "Processus de Budapest"
    assert processes["other"]["short_name_fr"] is None
    # Read back with the csv module: the same rows as the database, every table.
    dump = json.loads((folder / "dump.json").read_text(encoding="utf-8"))
    for resource in package.resources:
        with open(folder / resource.path, encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        assert len(rows) == len(dump[resource.name]), resource.name
        for row, record in zip(rows, dump[resource.name], strict=True):
            assert row == {key: bulk._csv_value(value) for key, value in record.items()}


def test_bulk_files_are_served_as_files_with_etag_and_length(client, world):
    response = client.get(reverse("api:datapackage"))
    body = read(response)
    table = client.get(reverse("api:table", kwargs={"name": "memberships"}))
    gzipped = client.get(reverse("api:dump"), HTTP_ACCEPT_ENCODING="gzip")
    again = client.get(reverse("api:datapackage"), HTTP_IF_NONE_MATCH=response["ETag"])
    missing = client.get(reverse("api:table", kwargs={"name": "nothing"}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert int(response["Content-Length"]) == len(body)
    assert json.loads(body)["profile"] == "tabular-data-package"
    assert table["Content-Type"] == "text/csv; charset=utf-8"
    assert read(table).decode().splitlines()[0] == "id,as_of,process_id,state_id,role,since,until,note"
    assert gzipped["Content-Encoding"] == "gzip"
    assert int(gzipped["Content-Length"]) == len(read(gzipped))
    assert again.status_code == 304
    assert missing.status_code == 404


def set_version_time(seconds):
    """Say the current content version was first served at ``seconds`` (since the epoch)."""
    version = page_cache.content_version()
    page_cache.version_store().set(conditional.VERSION_TIME_KEY, f"{version}_{seconds}", timeout=None)
    return version


def test_the_package_and_the_dump_say_the_time_of_the_data_they_hold(client, world):
    version = set_version_time(1772539200)  # 3 March 2026, 12:00 UTC
    package = json.loads(read(client.get(reverse("api:datapackage"))))
    dump = json.loads(read(client.get(reverse("api:dump"))))
    api = client.get(reverse("api:processes-list"))

    assert list(dump)[:3] == ["generated", "as_of", "version"]
    assert (dump["as_of"], dump["version"]) == ("2026-03-03T12:00:00+00:00", version)
    assert (package["as_of"], package["version"]) == ("2026-03-03T12:00:00+00:00", version)
    assert package["created"] == dump["generated"] != dump["as_of"]
    assert api["Last-Modified"] == "Tue, 03 Mar 2026 12:00:00 GMT"  # the same time


def test_a_change_gives_files_with_the_time_of_the_change(client, transactional_db, world):
    set_version_time(1772539200)
    assert json.loads(read(client.get(reverse("api:dump"))))["as_of"] == "2026-03-03T12:00:00+00:00"
    world["process"].website = "https://changed.example"
    world["process"].save()  # committed: a new content version, first served now (mocked)
    with mock.patch("rcpdb.site.api.conditional.time") as clock:
        clock.time.return_value = 1772616600  # 4 March 2026, 9:30 UTC
        dump = json.loads(read(client.get(reverse("api:dump"))))
    package = json.loads(read(client.get(reverse("api:datapackage"))))
    assert dump["as_of"] == package["as_of"] == "2026-03-04T09:30:00+00:00"
    assert dump["processes"][0]["website"] == "https://changed.example"


def test_bulk_files_are_built_once_per_content_version(client, transactional_db, world, settings):
    read(client.get(reverse("api:dump")))
    first = bulk.ensure_built()
    built = (first / "dump.json").stat().st_mtime_ns

    read(client.get(reverse("api:dump")))
    assert (first / "dump.json").stat().st_mtime_ns == built
    world["process"].website = "https://changed.example"
    world["process"].save()  # committed (transactional_db): the version moves after commit
    second = client.get(reverse("api:dump"))

    assert json.loads(read(second))["processes"][0]["website"] == "https://changed.example"
    assert not first.exists()  # the earlier version's files are removed
    assert sorted(
        path.name for path in Path(settings.OPEN_DATA_DIR).iterdir() if not path.name.startswith(".")
    ) == [bulk.ensure_built().name]


def test_bulk_files_are_built_after_a_change_commits_before_any_request(
    client, transactional_db, world, settings, monkeypatch
):
    settings.OPEN_DATA_BUILD_AFTER_CHANGE = True
    world["process"].website = "https://built-after-commit.example"
    world["process"].save()  # committed: the new version's files are built in the background
    bulk.wait_for_builds()
    folder = Path(settings.OPEN_DATA_DIR) / page_cache.content_version()

    assert (folder / "datapackage.json").is_file()
    dump = json.loads((folder / "dump.json").read_text(encoding="utf-8"))
    assert dump["processes"][0]["website"] == "https://built-after-commit.example"

    def no_build(*args, **kwargs):
        raise AssertionError("a request built the files")

    monkeypatch.setattr(bulk, "build", no_build)
    served = json.loads(read(client.get(reverse("api:dump"))))
    assert served["processes"][0]["website"] == "https://built-after-commit.example"


def test_a_background_build_of_a_version_no_longer_current_builds_nothing(world, settings):
    assert bulk.ensure_built("0" * 32, only_if_current=True) is None
    assert not (Path(settings.OPEN_DATA_DIR) / ("0" * 32)).exists()


def test_no_background_build_when_turned_off(transactional_db, world, settings):
    settings.OPEN_DATA_BUILD_AFTER_CHANGE = False
    world["process"].save()
    bulk.wait_for_builds()

    assert not (Path(settings.OPEN_DATA_DIR) / page_cache.content_version()).exists()


def test_no_background_build_while_a_migration_runs(transactional_db, world, settings):
    # Data migrations change content on tables that do not yet match the models: no build then.
    settings.OPEN_DATA_BUILD_AFTER_CHANGE = True
    pre_migrate.send(sender=apps.get_app_config("site"), app_config=apps.get_app_config("site"))
    try:
        world["process"].save()
        bulk.wait_for_builds()
        assert not (Path(settings.OPEN_DATA_DIR) / page_cache.content_version()).exists()
    finally:
        bulk.migration_ended()
    world["process"].save()  # after the migration: built again
    bulk.wait_for_builds()

    assert (Path(settings.OPEN_DATA_DIR) / page_cache.content_version() / "dump.json").is_file()


def test_the_page_cache_never_hands_the_browsable_html_to_a_program(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 60
    url = reverse("api:themes-list")

    html = client.get(url, HTTP_ACCEPT="text/html")
    program = client.get(url)
    again = client.get(url)

    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert "private" in html["Cache-Control"]
    assert '<pre class="border rounded p-3" tabindex="0">' in html.content.decode()
    assert program["Content-Type"] == "application/json; charset=utf-8"
    assert again["Content-Type"] == "application/json; charset=utf-8"
    assert again.json()["count"] == 1


def test_finished_background_builds_are_not_kept(transactional_db, settings):
    # A long-running worker starts a build after every change: the finished threads are let go.
    settings.OPEN_DATA_BUILD_AFTER_CHANGE = True
    for number in range(5):
        bulk.build_soon(version=f"{number:032}")  # versions that are not current: nothing is built
        bulk._builders[-1].join(10)
    bulk.build_soon(version="9" * 32)

    assert len(bulk._builders) == 1
    bulk.wait_for_builds()
    assert bulk._builders == []
