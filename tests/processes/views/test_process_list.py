import re

import pytest
from django import forms
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from processes import enums
from processes.filters import ProcessFilter
from processes.models import Process
from tests import factories as f

URL = reverse("processes:process-list")


def names(response):
    return [process.short_name for process in response.context["processes"]]


def test_process_list_shows_each_process(client, bali):
    f.MembershipFactory(process=bali, state=f.StateFactory(code="PH"), until=2010)  # past: not counted

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Processes · rcpdb</title>" in html
    assert '<th scope="row"><a href="/en/processes/bali/">Bali Process</a> (BP)' in html
    assert "Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime" in html
    assert "<td>Asia-Pacific</td>\n            <td>2002</td>\n            <td>Active</td>" in html
    # Two current members, one former observer.
    assert '<td class="text-end">2</td>\n            <td class="text-end">0</td>' in html
    assert '<p class="result-count" role="status">1 result</p>' in html
    assert '<li class="breadcrumb-item active" aria-current="page">Processes</li>' in html


def test_process_list_is_sorted_by_short_name(client, db):
    for name in ["Colombo Process", "Bali Process", "Puebla Process"]:
        f.ProcessFactory(short_name=name)

    response = client.get(URL)

    assert names(response) == ["Bali Process", "Colombo Process", "Puebla Process"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Bali Process", "Colombo Process", "Puebla Process"]),
        ("-name", ["Puebla Process", "Colombo Process", "Bali Process"]),
        ("established", ["Puebla Process", "Bali Process", "Colombo Process"]),
        ("-established", ["Bali Process", "Puebla Process", "Colombo Process"]),
    ],
)
def test_process_list_ordering(client, db, ordering, expected):
    f.ProcessFactory(short_name="Colombo Process", established_year=None)  # unknown: always last
    f.ProcessFactory(short_name="Bali Process", established_year=2002)
    f.ProcessFactory(short_name="Puebla Process", established_year=1996)

    response = client.get(URL, {"ordering": ordering})

    assert names(response) == expected


def test_process_list_empty_state(client, db):
    f.ProcessFactory(short_name="Bali Process", status=enums.ProcessStatus.ACTIVE)

    response = client.get(URL, {"status": enums.ProcessStatus.DORMANT})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="empty-state">No process matches these filters.</p>' in html
    assert '<p class="result-count" role="status">0 results</p>' in html
    assert "Bali Process" not in html.split('<main id="main"')[1]


def test_process_list_filters_by_region_including_sub_regions(client, db):
    asia = f.RegionFactory(name="Asia", slug="asia")
    south_asia = f.RegionFactory(name="South Asia", slug="south-asia", parent=asia)
    south_east = f.RegionFactory(name="South-East Asia", slug="south-east-asia", parent=asia)
    europe = f.RegionFactory(name="Europe", slug="europe")
    f.ProcessFactory(short_name="Asia-wide", regions=[asia])
    f.ProcessFactory(short_name="Colombo Process", regions=[south_asia])
    f.ProcessFactory(short_name="Two Asian sub-regions", regions=[south_asia, south_east])
    f.ProcessFactory(short_name="Budapest Process", regions=[europe])
    f.ProcessFactory(short_name="No region")

    response = client.get(URL, {"region": "asia"})

    assert names(response) == ["Asia-wide", "Colombo Process", "Two Asian sub-regions"]


def test_process_list_filters_by_sub_region_only(client, db):
    asia = f.RegionFactory(slug="asia")
    south_asia = f.RegionFactory(slug="south-asia", parent=asia)
    f.ProcessFactory(short_name="Asia-wide", regions=[asia])
    f.ProcessFactory(short_name="Colombo Process", regions=[south_asia])

    response = client.get(URL, {"region": "south-asia"})

    assert names(response) == ["Colombo Process"]


def test_process_list_finds_asian_processes_on_trafficking(client, db):
    asia = f.RegionFactory(slug="asia")
    pacific = f.RegionFactory(slug="asia-pacific", parent=asia)
    americas = f.RegionFactory(slug="americas")
    trafficking = f.ThemeFactory(slug="trafficking")
    labour = f.ThemeFactory(slug="labour-migration")
    f.ProcessFactory(short_name="Bali Process", regions=[pacific], themes=[trafficking, labour])
    f.ProcessFactory(short_name="Colombo Process", regions=[asia], themes=[labour])
    f.ProcessFactory(short_name="Puebla Process", regions=[americas], themes=[trafficking])

    response = client.get(URL, {"region": "asia", "theme": "trafficking"})

    assert names(response) == ["Bali Process"]


def test_process_list_filters_by_theme(client, db):
    trafficking = f.ThemeFactory(slug="trafficking")
    f.ProcessFactory(short_name="Bali Process", themes=[trafficking, f.ThemeFactory()])
    f.ProcessFactory(short_name="Colombo Process", themes=[f.ThemeFactory()])

    response = client.get(URL, {"theme": "trafficking"})

    assert names(response) == ["Bali Process"]


def test_process_list_filters_by_kind(client, db):
    f.ProcessFactory(short_name="Puebla Process", kind=enums.ProcessKind.GEOGRAPHIC)
    f.ProcessFactory(short_name="IGC", kind=enums.ProcessKind.THEMATIC)

    response = client.get(URL, {"kind": "thematic"})

    assert names(response) == ["IGC"]


@pytest.mark.parametrize("code", ["MX", "mx"])
def test_process_list_filters_by_current_member_state(client, db, code):
    mexico = f.StateFactory(code="MX")
    puebla = f.ProcessFactory(short_name="Puebla Process")
    f.MembershipFactory(process=puebla, state=mexico, since=1996)
    former = f.ProcessFactory(short_name="Former membership")
    f.MembershipFactory(process=former, state=mexico, since=1990, until=1995)
    observed = f.ProcessFactory(short_name="Observed only")
    f.MembershipFactory(process=observed, state=mexico, role=enums.MembershipRole.OBSERVER)
    f.MembershipFactory(process=f.ProcessFactory(short_name="Other members"), state=f.StateFactory(code="US"))

    response = client.get(URL, {"member": code})

    assert names(response) == ["Puebla Process"]


def test_process_list_filters_by_observer_state(client, db):
    mexico = f.StateFactory(code="MX")
    f.MembershipFactory(
        process=f.ProcessFactory(short_name="Observed"), state=mexico, role=enums.MembershipRole.OBSERVER
    )
    f.MembershipFactory(process=f.ProcessFactory(short_name="Member"), state=mexico)

    response = client.get(URL, {"observer": "MX"})

    assert names(response) == ["Observed"]


def test_process_list_filters_by_meeting_level(client, db):
    f.ProcessFactory(short_name="Ministerial", meets_ministerial=True)
    f.ProcessFactory(short_name="Technical", meets_technical=True)

    response = client.get(URL, {"meeting_level": "ministerial"})

    assert names(response) == ["Ministerial"]


def test_process_list_filters_by_secretariat_arrangement(client, db):
    f.SecretariatFactory(
        process=f.ProcessFactory(short_name="Support unit"),
        arrangement=enums.SecretariatArrangement.TECHNICAL_SUPPORT_UNIT,
    )
    f.SecretariatFactory(
        process=f.ProcessFactory(short_name="Rotating"),
        arrangement=enums.SecretariatArrangement.ROTATING_WITH_CHAIR,
    )
    f.ProcessFactory(short_name="Unknown secretariat")

    response = client.get(URL, {"secretariat": "tsu"})

    assert names(response) == ["Support unit"]


def test_process_list_filters_by_civil_society_involvement(client, db):
    f.ProcessFactory(short_name="Regular", civil_society_involvement=enums.Involvement.REGULAR)
    f.ProcessFactory(short_name="None", civil_society_involvement=enums.Involvement.NONE)

    response = client.get(URL, {"civil_society": "regular"})

    assert names(response) == ["Regular"]


@pytest.mark.parametrize(("value", "expected"), [("yes", ["Evaluated"]), ("no", ["Never evaluated"])])
def test_process_list_filters_by_evaluation(client, db, value, expected):
    evaluated = f.ProcessFactory(short_name="Evaluated")
    f.EvaluationFactory(process=evaluated)
    f.EvaluationFactory(process=evaluated, kind=enums.EvaluationKind.EXTERNAL)  # twice: listed once
    f.ProcessFactory(short_name="Never evaluated")

    response = client.get(URL, {"evaluated": value})

    assert names(response) == expected


def test_process_list_filters_by_years_established(client, db):
    f.ProcessFactory(short_name="1985", established_year=1985)
    f.ProcessFactory(short_name="1996", established_year=1996)
    f.ProcessFactory(short_name="2002", established_year=2002)
    f.ProcessFactory(short_name="2010", established_year=2010)
    f.ProcessFactory(short_name="Unknown", established_year=None)

    response = client.get(URL, {"established_from": "1996", "established_to": "2002"})

    assert names(response) == ["1996", "2002"]


def test_process_list_filters_by_status(client, db):
    f.ProcessFactory(short_name="Dormant", status=enums.ProcessStatus.DORMANT)
    f.ProcessFactory(short_name="Active", status=enums.ProcessStatus.ACTIVE)

    response = client.get(URL, {"status": "dormant"})

    assert names(response) == ["Dormant"]


@pytest.mark.parametrize("query", ["conference on migration", "PUEBLA", "RCM", "Central America"])
def test_process_list_filters_by_text(client, db, query):
    f.ProcessFactory(
        short_name="Puebla Process",
        name="Regional Conference on Migration",
        acronym="RCM",
        description="Dialogue of North and Central America.",
    )
    f.ProcessFactory(short_name="Bali Process", name="Bali Process on People Smuggling", acronym="BP")

    response = client.get(URL, {"q": query})

    assert names(response) == ["Puebla Process"]


def test_process_list_member_and_region_filters_count_each_process_once(client, db):
    asia = f.RegionFactory(slug="asia")
    process = f.ProcessFactory(short_name="Bali Process", regions=[asia, f.RegionFactory(parent=asia)])
    for code in ["AU", "ID", "TH"]:
        f.MembershipFactory(process=process, state=f.StateFactory(code=code))

    response = client.get(URL, {"region": "asia", "member": "AU", "evaluated": "no"})

    assert names(response) == ["Bali Process"]
    assert response.context["processes"][0].member_count == 3


def test_process_list_paginates_and_keeps_the_filters(client, db):
    theme = f.ThemeFactory(slug="trafficking")
    for number in range(30):
        f.ProcessFactory(short_name=f"Process {number:02d}", themes=[theme])
    f.ProcessFactory(short_name="Off-theme")

    response = client.get(URL, {"theme": "trafficking", "page": "2"})

    html = response.content.decode()
    assert names(response) == [f"Process {number:02d}" for number in range(25, 30)]
    assert '<p class="result-count" role="status">30 results</p>' in html
    assert '<a class="page-link" href="?theme=trafficking&amp;page=1" rel="prev">Previous</a>' in html
    assert '<span class="page-link" aria-current="page">2</span>' in html
    assert '<nav class="site-pagination" aria-label="Pages of results">' in html


def test_process_list_filter_form_is_rendered_with_choices(client, db):
    asia = f.RegionFactory(name="Asia", slug="asia")
    middle_east = f.RegionFactory(name="Middle East", slug="middle-east", parent=asia)
    f.RegionFactory(name="Gulf States", slug="gulf", parent=middle_east)
    f.RegionFactory(name="Africa", slug="africa")
    f.RegionFactory(
        name="Southern Africa", slug="southern-africa", parent=f.RegionFactory(name="Africa (all)")
    )
    # Listed by name, not by code: Canada (CA) before Germany (DE) before Spain (ES), Algeria (DZ) first.
    for code in ["ES", "DE", "DZ", "CA"]:
        f.StateFactory(code=code)

    response = client.get(URL)

    html = response.content.decode()
    # Regions in tree order, each with its path.
    region_options = re.findall(
        r'<option value="([a-z0-9-]+)">([^<]+)</option>', html.split('name="theme"')[0]
    )
    # Each with the number of processes it would give (rcpdb/core/forms.py): none is recorded.
    assert [label for _, label in region_options] == [
        "Africa (0)",
        "Africa (all) (0)",
        "Africa (all) › Southern Africa (0)",
        "Asia (0)",
        "Asia › Middle East (0)",
        "Asia › Middle East › Gulf States (0)",
    ]
    positions = [html.index(f'<option value="{code}">') for code in ["DZ", "CA", "DE", "ES"]]
    assert positions == sorted(positions)
    assert '<option value="DZ">Algeria (0)</option>' in html
    assert '<option value="" selected>Any</option>' in html
    assert '<button type="submit" class="btn btn-primary">Apply filters</button>' in html
    assert '<a class="btn btn-outline-secondary" href="/en/processes/">Clear</a>' in html


@pytest.mark.parametrize("params", [{}, {"region": "asia", "member": "MX", "ordering": "-established"}])
def test_process_list_query_count_is_constant(count_queries, db, params):
    asia = f.RegionFactory(slug="asia")
    mexico = f.StateFactory(code="MX")

    observers = iter(["US", "CA", "BZ", "GT", "SV"])  # never Mexico, the member

    def add(count):
        for _ in range(count):
            process = f.ProcessFactory(
                regions=[asia, f.RegionFactory(parent=asia)], themes=[f.ThemeFactory()]
            )
            f.MembershipFactory(process=process, state=mexico)
            observer = f.StateFactory(code=next(observers))
            f.MembershipFactory(process=process, state=observer, role=enums.MembershipRole.OBSERVER)

    add(1)
    count_queries(URL, params)  # warm-up
    cache.clear()  # the filter's options, cached per content version, are built in every request counted
    response, with_one = count_queries(URL, params)
    assert len(response.context["processes"]) == 1

    add(4)
    cache.clear()
    response, with_five = count_queries(URL, params)

    assert len(response.context["processes"]) == 5
    assert with_five == with_one


def test_state_choices_are_code_and_translated_name_sorted_by_name(db):
    for code in ["ES", "DE", "MX"]:
        f.StateFactory(code=code)  # France is not in the registry: never offered
    field = ProcessFilter({}, queryset=Process.objects.all()).form.fields["member"]

    with translation.override("fr"):
        french = [(value, str(label)) for value, label in field.choices]
    english = [(value, str(label)) for value, label in field.choices]

    assert english == [("", "Any"), ("DE", "Germany"), ("MX", "Mexico"), ("ES", "Spain")]
    assert french == [("", "Tous"), ("DE", "Allemagne"), ("ES", "Espagne"), ("MX", "Mexique")]


def test_state_select_renders_the_same_html_as_django_select(db):
    for code in ["CI", "MX", "US"]:
        f.StateFactory(code=code)
    form = ProcessFilter({"member": "mx"}, queryset=Process.objects.all()).form
    widget = form.fields["member"].widget
    choices = list(form.fields["member"].choices)

    html = widget.render("member", "MX", {"id": "id_member", "class": "form-select"})

    assert html == forms.Select(choices=choices).render(
        "member", "MX", {"id": "id_member", "class": "form-select"}
    )
    assert '<option value="MX" selected>Mexico</option>' in html
    assert '<option value="CI">Côte d&#x27;Ivoire</option>' in html
