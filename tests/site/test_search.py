import pytest
from django.db import connection
from django.urls import reverse

from rcpdb.core.search import RESULTS_PER_GROUP, parse_terms, python_excerpt
from tests import factories as f

URL = reverse("search")
FORTY_DIGITS = "1" * 40


def group(response, key):
    matches = [g for g in response.context["groups"] if g.key == key]
    return matches[0] if matches else None


def hit_titles(response, key):
    found = group(response, key)
    return [hit.title for hit in found.hits] if found else []


def test_search_without_a_query_shows_the_form_and_a_hint(client, db):
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert 'name="q"' in html
    assert "Type a few words: the name of a process, a country" in html


def test_search_with_a_blank_query_shows_the_hint(client, db):
    response = client.get(URL, {"q": "   "})

    assert response.status_code == 200
    assert response.context["groups"] == []
    assert "Type a few words" in response.content.decode()


def test_search_finds_a_finding_by_a_word_in_its_text(client, db):
    workshop = f.WorkshopFactory(title="Workshop 2005", slug="ws-2005")
    f.FindingFactory(workshop=workshop, number=9, text="A small secretariat keeps the process going.")
    f.FindingFactory(workshop=workshop, number=10, text="Chairs rotate every year.")

    response = client.get(URL, {"q": "secretariat"})

    findings = group(response, "findings")
    assert response.status_code == 200
    assert findings.total == 1
    assert [(hit.title, hit.url) for hit in findings.hits] == [
        ("Paragraph 9", "/en/workshops/ws-2005/#finding-9")
    ]
    assert findings.hits[0].meta == "Workshop 2005 (2005)"
    assert "<mark>secretariat</mark>" in findings.hits[0].excerpt
    assert findings.more_url == "/en/findings/?q=secretariat"
    html = response.content.decode()
    assert '<a href="/en/workshops/ws-2005/#finding-9">Paragraph 9</a>' in html
    assert "Chairs rotate" not in html


def test_search_groups_each_kind_of_record(client, db):
    process = f.ProcessFactory(short_name="Trafficking Forum", name="Forum on trafficking", slug="tf")
    f.OrganizationFactory(name="Anti-Trafficking Network", acronym="", slug="atn")
    f.ThemeFactory(name="Trafficking in persons", slug="trafficking")
    f.FindingFactory(text="Trafficking rose.")
    f.RecommendationFactory(text="Fight trafficking together.")
    f.DocumentFactory(title="Trafficking handbook", link="https://example.org/handbook.pdf")
    f.WorkshopFactory(title="Trafficking meeting")
    f.ProcessFactory(short_name="Labour dialogue", slug="labour")

    response = client.get(URL, {"q": "trafficking"})

    keys = [(g.key, g.total) for g in response.context["groups"]]
    assert keys == [
        ("processes", 1),
        ("organizations", 1),
        ("themes", 1),
        ("meetings", 1),
        ("findings", 1),
        ("recommendations", 1),
        ("documents", 1),
    ]
    assert group(response, "processes").hits[0].url == process.get_absolute_url()
    assert group(response, "documents").hits[0].url == "https://example.org/handbook.pdf"
    assert group(response, "themes").hits[0].url == "/en/themes/trafficking/"
    assert response.context["total"] == 7
    assert "7 results for “trafficking”" in response.content.decode()


def test_search_finds_a_state_by_its_country_name(client, db):
    f.StateFactory(code="MX")
    f.StateFactory(code="US")

    response = client.get(URL, {"q": "mexico"})

    states = group(response, "states")
    assert [(hit.title, hit.url) for hit in states.hits] == [("Mexico", "/en/states/MX/")]
    assert states.total == 1


def test_search_excludes_records_that_do_not_match(client, db):
    f.ProcessFactory(short_name="Bali Process", name="Bali Process on People Smuggling", slug="bali")
    f.ProcessFactory(short_name="Colombo Process", name="Colombo Process", slug="colombo", description="")

    response = client.get(URL, {"q": "bali"})

    assert hit_titles(response, "processes") == ["Bali Process — Bali Process on People Smuggling"]


def test_search_needs_every_word_and_honours_exclusions(client, db):
    workshop = f.WorkshopFactory()
    f.FindingFactory(workshop=workshop, number=1, text="Funding of the secretariat is scarce.")
    f.FindingFactory(workshop=workshop, number=2, text="The secretariat is hosted by IOM.")
    f.FindingFactory(workshop=workshop, number=3, text="Funding comes from donors.")

    both = client.get(URL, {"q": "secretariat funding"})
    without = client.get(URL, {"q": "secretariat -funding"})

    assert hit_titles(both, "findings") == ["Paragraph 1"]
    assert hit_titles(without, "findings") == ["Paragraph 2"]


def test_search_puts_a_name_match_first(client, db):
    f.ProcessFactory(
        short_name="Almaty Process",
        name="Almaty Process",
        slug="almaty",
        description="Works with the Secretariat of the Budapest Process.",
    )
    f.ProcessFactory(short_name="Budapest Process", name="Budapest Process", slug="budapest", description="")

    response = client.get(URL, {"q": "budapest"})

    assert hit_titles(response, "processes") == ["Budapest Process", "Almaty Process"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranked full-text search needs PostgreSQL")
def test_search_ranks_a_name_match_above_body_text_on_postgresql(client, db):
    f.ProcessFactory(
        short_name="Alpha Dialogue",
        name="Alpha Dialogue",
        slug="alpha",
        description="The dialogue works on trafficking, trafficking routes and trafficking victims.",
    )
    f.ProcessFactory(short_name="Trafficking Forum", name="Regional forum", slug="forum", description="")

    response = client.get(URL, {"q": "trafficking"})

    assert hit_titles(response, "processes") == ["Trafficking Forum — Regional forum", "Alpha Dialogue"]
    assert response.context["groups"][0].hits[1].excerpt.count("<mark>trafficking</mark>") == 3


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming is part of PostgreSQL full-text search"
)
def test_search_matches_word_forms_on_postgresql(client, db):
    f.FindingFactory(text="Secretariats were set up.")
    f.FindingFactory(text="Nothing relevant.")

    response = client.get(URL, {"q": "secretariat"})

    assert group(response, "findings").total == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="this is the SQLite fallback")
def test_search_fallback_on_sqlite_matches_parts_of_words(client, db):
    f.FindingFactory(text="Secretariats were set up.")
    f.FindingFactory(text="Nothing relevant.")

    response = client.get(URL, {"q": "SECRETARIAT"})

    findings = group(response, "findings")
    assert findings.total == 1
    assert findings.hits[0].excerpt == "<mark>Secretariat</mark>s were set up."


def test_search_caps_each_group_and_links_to_the_full_list(client, db):
    workshop = f.WorkshopFactory()
    for number in range(1, RESULTS_PER_GROUP + 3):
        f.FindingFactory(workshop=workshop, number=number, text=f"Migration point {number}.")

    response = client.get(URL, {"q": "migration"})

    findings = group(response, "findings")
    html = response.content.decode()
    assert findings.total == RESULTS_PER_GROUP + 2
    assert len(findings.hits) == RESULTS_PER_GROUP
    assert "Showing the first 10 of 12." in html
    assert '<a href="/en/findings/?q=migration">See all matching findings</a>' in html


def test_search_with_no_match_shows_an_empty_state(client, db):
    f.FindingFactory(text="Something else.")

    response = client.get(URL, {"q": "zeppelin"})

    assert response.status_code == 200
    assert response.context["groups"] == []
    assert "Nothing matches “zeppelin”. Try fewer or other words." in response.content.decode()


def test_search_escapes_the_records_and_the_query(client, db):
    f.FindingFactory(text="<script>alert(1)</script> secretariat")

    response = client.get(URL, {"q": "<b>secretariat"})

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>secretariat" not in html


@pytest.mark.parametrize("count", [1, 5])
def test_search_query_count_is_constant(client, db, django_assert_num_queries, count):
    workshop = f.WorkshopFactory(title="Mexico meeting")
    f.StateFactory(code="MX")
    for number in range(1, count + 1):
        f.ProcessFactory(description="Mexico takes part.")
        f.OrganizationFactory(description="Based in Mexico.")
        f.ThemeFactory(description="Mexico.")
        f.FindingFactory(workshop=workshop, number=number, text="Mexico spoke.")
        f.RecommendationFactory(workshop=workshop, position=number, text="Mexico will host.")
        f.DocumentFactory(workshop=workshop, author=f.OrganizationFactory(), description="Mexico paper.")

    # One per group (the states' included), one for the meetings of the findings, recommendations and
    # documents shown, and one for the documents' authors.
    with django_assert_num_queries(10):
        response = client.get(URL, {"q": "mexico"})

    assert [g.total for g in response.context["groups"]] == [count, 1, count, count, 1, count, count, count]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "a\x00b"}, "The address contains a NUL character."),
        ({"q": "x" * 501}, "A value in the address is longer than 500 characters."),
        ({"q": "x" * 10_000}, "A value in the address is longer than 500 characters."),
        ({"other": "\x00"}, "The address contains a NUL character."),
    ],
)
def test_search_refuses_hostile_input_with_a_message(client, db, params, message):
    response = client.get(URL, params)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_search_refuses_more_than_a_thousand_parameters(client, db):
    query = "&".join(f"q{n}=x" for n in range(1001))

    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert "The address has too many parameters." in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        "NaN",
        FORTY_DIGITS,
        f"1,{FORTY_DIGITS}",
        "2005-02-30",
        "-",
        '"',
        "or",
        "-1",
        "!:*&|()",
        "' OR 1=1 --",
        "%_",
    ],
)
def test_search_odd_queries_answer_200(client, db, q):
    f.FindingFactory(text="An ordinary finding.")

    response = client.get(URL, {"q": q})

    assert response.status_code == 200


def test_search_refuses_post(client, db):
    response = client.post(URL, {"q": "x"})

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("secretariat funding", (["secretariat", "funding"], [])),
        ('"light secretariat" -funding', (["light secretariat"], ["funding"])),
        ("asylum or return", (["asylum", "return"], [])),
        ('"unclosed phrase', (["unclosed phrase"], [])),
    ],
)
def test_parse_terms_reads_web_search_syntax(query, expected):
    assert parse_terms(query) == expected


def test_python_excerpt_cuts_around_the_first_match():
    text = " ".join(["word"] * 100) + " secretariat " + " ".join(["tail"] * 100)

    excerpt = python_excerpt(text, ["secretariat"], length=60)

    assert excerpt.startswith("… ")
    assert excerpt.endswith(" …")
    assert "<mark>secretariat</mark>" in excerpt
    assert len(excerpt) < 100


def test_search_finds_a_state_by_part_of_its_name_or_its_code(client, db):
    f.StateFactory(code="PH")
    f.StateFactory(code="PE")

    by_name = client.get(URL, {"q": "philipp"})
    by_code = client.get(URL, {"q": "pe"})

    assert hit_titles(by_name, "states") == ["Philippines"]
    assert "Peru" in hit_titles(by_code, "states")
    assert "Philippines" not in hit_titles(by_code, "states")
