"""Odd or hostile query strings on the meetings, findings and recommendations lists: a 4xx, never a 500."""

import pytest
from django.urls import reverse

from tests import factories as f

FORTY_DIGITS = "1" * 40
LONG = "x" * 10_000

COMMON = [
    ({"q": "a\x00b"}, 400),
    ({"q": LONG}, 400),
    ({"ordering": "password"}, 400),
    ({"ordering": "-pk"}, 400),
    ({"page": "-1"}, 400),
    ({"page": "0"}, 400),
    ({"page": "abc"}, 400),
    ({"page": "NaN"}, 400),
    ({"page": FORTY_DIGITS}, 404),
    ({"page": "99999"}, 404),
    ({"unknown": "ignored"}, 200),
]

CASES = {
    "workshops:workshop-list": [
        *COMMON,
        ({"kind": "NaN"}, 400),
        ({"kind": "a\x00"}, 400),
        ({"year": "abc"}, 400),
        ({"year": "NaN"}, 400),
        ({"year": FORTY_DIGITS}, 400),
        ({"year": "1800"}, 400),
        ({"year": "2005.5"}, 400),
        ({"date_after": "2005-02-30"}, 400),
        ({"date_before": "99999-01-01"}, 400),
        ({"date_after": "NaN"}, 400),
        ({"process": "no-such-process"}, 400),
        ({"process": FORTY_DIGITS}, 400),
    ],
    "workshops:finding-list": [
        *COMMON,
        ({"meeting": "no-such-meeting"}, 400),
        ({"session": "abc"}, 400),
        ({"session": "NaN"}, 400),
        ({"session": FORTY_DIGITS}, 400),
        ({"session": "-1"}, 400),
        ({"session": "999999"}, 400),
        ({"kind": "NaN"}, 400),
        ({"theme": "no-such-theme"}, 400),
        ({"theme": FORTY_DIGITS}, 400),
        ({"process": "no-such-process"}, 400),
        ({"number": "abc"}, 400),
        ({"number": "NaN"}, 400),
        ({"number": f"1,{FORTY_DIGITS}"}, 400),
        ({"number": f"{FORTY_DIGITS},2"}, 400),
        ({"number": "1,,2"}, 200),
        ({"number": "0"}, 400),
        ({"ordering": "text"}, 400),
    ],
    "workshops:recommendation-list": [
        *COMMON,
        ({"status": "NaN"}, 400),
        ({"status": "closed"}, 400),
        ({"kind": FORTY_DIGITS}, 400),
        ({"addressed_to": LONG}, 400),
        ({"addressed_to": "\x00"}, 400),
        ({"theme": "no-such-theme"}, 400),
        ({"meeting": FORTY_DIGITS}, 400),
        ({"ordering": "addressed_to"}, 400),
    ],
}


@pytest.mark.parametrize(
    ("url_name", "params", "status"),
    [(url_name, params, status) for url_name, cases in CASES.items() for params, status in cases],
)
def test_list_answers_hostile_input_with_a_client_error(client, db, url_name, params, status):
    finding = f.FindingFactory(session=f.SessionFactory())
    f.RecommendationFactory(workshop=finding.workshop)

    response = client.get(reverse(url_name), params)

    assert response.status_code == status


@pytest.mark.parametrize("url_name", list(CASES))
def test_list_refuses_more_than_a_thousand_parameters(client, db, url_name):
    query = "&".join(f"kind={n}" for n in range(1001))

    response = client.get(f"{reverse(url_name)}?{query}")

    assert response.status_code == 400


@pytest.mark.parametrize("url_name", list(CASES))
def test_list_bad_filter_page_shows_the_form_errors(client, db, url_name):
    response = client.get(reverse(url_name), {"ordering": "password"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Some filters are not valid." in html
    assert (
        "<strong>Sort by</strong>: Select a valid choice. password is not one of the available choices."
        in html
    )


def test_finding_list_bad_number_names_the_field(client, db):
    response = client.get(reverse("workshops:finding-list"), {"number": f"1,{FORTY_DIGITS}"})

    assert response.status_code == 400
    assert "<strong>Paragraph numbers</strong>: Ensure this value is less than or equal to 32767." in (
        response.content.decode()
    )


def test_list_nul_byte_names_the_problem(client, db):
    response = client.get(reverse("workshops:finding-list"), {"q": "\x00"})

    assert response.status_code == 400
    assert "The address contains a NUL character." in response.content.decode()


@pytest.mark.parametrize("meetings", [2, 30])
def test_a_refused_filter_costs_no_more_than_the_list(client, db, django_assert_max_num_queries, meetings):
    """The form of a 400 is the list's form (fast selects, options read once per content version):
    a bad value must not make the server render and read every option again (a cheap amplification)."""
    for number in range(meetings):
        f.FindingFactory(workshop=f.WorkshopFactory(title=f"Meeting {number:02d}"))
    url = reverse("workshops:finding-list")
    client.get(url)  # the options are read once for this content version

    with django_assert_max_num_queries(0):
        response = client.get(url, {"kind": "nonsense"})

    html = response.content.decode()
    assert response.status_code == 400
    assert '<option value="" selected>Any</option>' in html  # the list's form, not Django's "---------"
    assert "---------" not in html
    assert sum(f">Meeting {number:02d}</option>" in html for number in range(meetings)) == meetings
