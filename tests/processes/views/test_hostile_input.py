"""Odd or hostile query strings on the registry's lists: the exact 4xx, never a 500."""

import pytest
from django.urls import reverse

from processes import enums
from tests import factories as f

FORTY_DIGITS = "1" * 40
LONG = "x" * 10_000

COMMON = [
    ({"page": "-1"}, 400),
    ({"page": "0"}, 400),
    ({"page": "abc"}, 400),
    ({"page": "NaN"}, 400),
    ({"page": "1.5"}, 400),
    ({"page": f"1,{FORTY_DIGITS}"}, 400),
    ({"page": FORTY_DIGITS}, 404),
    ({"page": "99999"}, 404),
    ({"page": "1"}, 200),
    ({"page": "\x00"}, 400),
    ({"unknown": "a\x00b"}, 400),
    ({"a\x00b": "1"}, 400),
    ({"unknown": LONG}, 400),
    ({"unknown": "ignored"}, 200),
]

TEXT = [
    ({"q": "a\x00b"}, 400),
    ({"q": LONG}, 400),
    ({"q": "x" * 201}, 400),
    ({"q": "NaN"}, 200),
    ({"q": FORTY_DIGITS}, 200),
    ({"q": "%_\\'\""}, 200),
]


def choice_cases(name, good):
    return [
        ({name: "no-such-value"}, 400),
        ({name: "NaN"}, 400),
        ({name: FORTY_DIGITS}, 400),
        ({name: f"{good},{FORTY_DIGITS}"}, 400),
        ({name: f"{FORTY_DIGITS},{good}"}, 400),
        ({name: f"{good},{good}"}, 400),
        ({name: "-1"}, 400),
        ({name: f"{good}\x00"}, 400),
        ({name: good * 2000}, 400),
        ({name: good}, 200),
    ]


def year_cases(name):
    return [
        ({name: "abc"}, 400),
        ({name: "NaN"}, 400),
        ({name: "Infinity"}, 400),
        ({name: FORTY_DIGITS}, 400),
        ({name: f"2000,{FORTY_DIGITS}"}, 400),
        ({name: "1800"}, 400),
        ({name: "2101"}, 400),
        ({name: "-2000"}, 400),
        ({name: "2005.5"}, 400),
        ({name: "1e3"}, 400),
        ({name: "2005-02-30"}, 400),
        ({name: "2005"}, 200),
    ]


def count_cases(name):
    return [
        ({name: "abc"}, 400),
        ({name: "NaN"}, 400),
        ({name: FORTY_DIGITS}, 400),
        ({name: f"1,{FORTY_DIGITS}"}, 400),
        ({name: "-1"}, 400),
        ({name: "1.5"}, 400),
        ({name: "1e3"}, 400),
        ({name: "2"}, 200),
    ]


CASES = {
    "processes:process-list": [
        *COMMON,
        *TEXT,
        *choice_cases("region", "asia"),
        *choice_cases("theme", "trafficking"),
        *choice_cases("kind", "geographic"),
        *choice_cases("member", "MX"),
        *choice_cases("observer", "MX"),
        *choice_cases("meeting_level", "ministerial"),
        *choice_cases("secretariat", "tsu"),
        *choice_cases("civil_society", "regular"),
        *choice_cases("evaluated", "yes"),
        *choice_cases("status", "active"),
        ({"evaluated": "true"}, 400),
        ({"evaluated": "1"}, 400),
        ({"member": "XX"}, 400),
        ({"member": "MEX"}, 400),
        ({"member": "mx"}, 200),
        *year_cases("established_from"),
        *year_cases("established_to"),
        ({"established_from": "2010", "established_to": "2000"}, 200),
        ({"ordering": "password"}, 400),
        ({"ordering": "-pk"}, 400),
        ({"ordering": "established_year"}, 400),
        ({"ordering": "name,password"}, 400),
        ({"ordering": f"name,{FORTY_DIGITS}"}, 400),
        ({"ordering": "NaN"}, 400),
        ({"ordering": "name,-established"}, 200),
        ({"ordering": "name,,"}, 200),
    ],
    "processes:state-list": [
        *COMMON,
        *choice_cases("region", "asia"),
        *count_cases("min_processes"),
        *count_cases("max_processes"),
        ({"min_processes": "1001"}, 400),
        ({"ordering": "name"}, 400),
        ({"ordering": "-processes"}, 400),
        ({"ordering": "processes"}, 200),
    ],
    "processes:organization-list": [
        *COMMON,
        *TEXT,
        *choice_cases("kind", "ngo"),
    ],
    "processes:theme-list": [*COMMON, *TEXT],
}

PARAMS = [
    pytest.param(url_name, query, status, id=f"{url_name}-{index}")
    for url_name, cases in CASES.items()
    for index, (query, status) in enumerate(cases)
]


@pytest.fixture
def registry(db):
    asia = f.RegionFactory(slug="asia")
    mexico = f.StateFactory(code="MX", region=asia)
    theme = f.ThemeFactory(slug="trafficking")
    process = f.ProcessFactory(regions=[asia], themes=[theme], established_year=2005)
    f.MembershipFactory(process=process, state=mexico)
    f.MembershipFactory(process=f.ProcessFactory(), state=mexico)
    f.OrganizationFactory(kind=enums.OrganizationKind.NGO)
    return process


@pytest.mark.parametrize(("url_name", "query", "status"), PARAMS)
def test_list_answers_hostile_input_with_the_right_status(client, registry, url_name, query, status):
    response = client.get(reverse(url_name), query)

    assert response.status_code == status


@pytest.mark.parametrize("url_name", list(CASES))
def test_list_refuses_more_than_a_thousand_parameters(client, registry, url_name):
    query = "&".join(f"p{number}=1" for number in range(1001))

    response = client.get(f"{reverse(url_name)}?{query}")

    assert response.status_code == 400


def test_bad_filter_shows_the_form_errors_and_the_form(client, registry):
    response = client.get(
        reverse("processes:process-list"), {"region": "atlantis", "established_from": "NaN"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>These filters cannot be applied · rcpdb</title>" in html
    assert '<p class="mb-0">Some filters are not valid.</p>' in html
    assert (
        "<li><strong>Region (with its sub-regions)</strong>: "
        "Select a valid choice. That choice is not one of the available choices.</li>"
    ) in html
    assert "<li><strong>Established from (year)</strong>: Enter a whole number.</li>" in html
    assert '<button type="submit" class="btn btn-primary">Apply filters</button>' in html
    # The list is not shown: never a silently unfiltered list.
    assert "result-count" not in html


def test_bad_page_shows_the_message(client, registry):
    response = client.get(reverse("processes:process-list"), {"page": "abc"})

    html = response.content.decode()
    assert response.status_code == 400
    assert '<p class="mb-0">The page number must be a positive whole number.</p>' in html


def test_nul_byte_shows_the_message_without_a_form(client, registry):
    response = client.get(reverse("processes:state-list"), {"region": "as\x00ia"})

    html = response.content.decode()
    assert response.status_code == 400
    assert '<p class="mb-0">The address contains a NUL character.</p>' in html
    assert '<a href="/en/states/">Show the list without filters</a>' in html
    assert "Apply filters" not in html
