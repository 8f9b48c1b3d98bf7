"""The comparison matrix: its content, its page, its CSV download and its refusals."""

import csv
import datetime
import io
from html.parser import HTMLParser

import pytest
from django.test import override_settings
from django.urls import reverse

from processes import analysis, enums
from tests import factories as f

pytestmark = pytest.mark.django_db

FORMULA_NAME = "=1+1 Dialogue"


@pytest.fixture
def two_processes():
    """A fully described South American Conference, a sparse thematic process, and one left out."""
    south_america = f.RegionFactory(name="South America", slug="south-america")
    labour = f.ThemeFactory(name="Labour migration", slug="labour")
    trafficking = f.ThemeFactory(name="Trafficking", slug="trafficking")
    f.ThemeFactory(name="Asylum", slug="asylum")  # no chosen process works on it: no row
    csm = f.ProcessFactory(
        name="Conferencia Suramericana sobre Migraciones",
        short_name="South American Conference",
        acronym="CSM",
        slug="csm",
        kind=enums.ProcessKind.GEOGRAPHIC,
        established_year=2000,
        status=enums.ProcessStatus.ACTIVE,
        regions=[south_america],
        themes=[labour, trafficking],
        chair_arrangement=enums.ChairArrangement.ROTATING,
        meets_ministerial=True,
        meets_technical=True,
        civil_society_involvement=enums.Involvement.REGULAR,
        private_sector_involvement=enums.Involvement.NONE,
        self_financing=False,
        funding_note="Hosted by IOM.",
        website="https://csm.example.org",
        as_of=datetime.date(2015, 3, 1),
    )
    website_source = f.SourceFactory(title="CSM website", url="https://csm.example.org/about")
    matrix_source = f.SourceFactory(title="IOM matrix", url="https://iom.example.org/matrix")
    csm.sources.set([matrix_source, website_source])
    f.ProcessClaimFactory(process=csm, value="2000", source=website_source)
    f.ProcessClaimFactory(process=csm, value="1999", source=matrix_source)
    f.ProcessClaimFactory(  # another topic: not an "established" claim
        process=csm, topic=enums.ClaimTopic.MEMBER_COUNT, value="12", source=matrix_source
    )
    argentina, brazil, chile = (f.StateFactory(code=code) for code in ("AR", "BR", "CL"))
    f.MembershipFactory(process=csm, state=brazil)
    f.MembershipFactory(process=csm, state=argentina)
    f.MembershipFactory(process=csm, state=chile, since=1999, until=2010)  # ended: left out
    f.MembershipFactory(process=csm, state=f.StateFactory(code="ES"), role=enums.MembershipRole.OBSERVER)
    f.ChairTermFactory(process=csm, state=argentina, start_year=2018, end_year=2019)
    f.ChairTermFactory(process=csm, state=brazil, start_year=2019, end_year=None)
    iom = f.OrganizationFactory(name="International Organization for Migration", acronym="IOM")
    f.SecretariatFactory(process=csm, arrangement=enums.SecretariatArrangement.FIXED, hosts=[iom])
    f.EvaluationFactory(process=csm)
    f.OutputFactory(process=csm)
    f.OutputFactory(process=csm)
    mercosur = f.OrganizationFactory(
        name="Southern Common Market", acronym="MERCOSUR", kind=enums.OrganizationKind.REGIONAL_INSTITUTION
    )
    f.InstitutionLinkFactory(process=csm, institution=mercosur, nature=enums.InstitutionLinkNature.FORMAL)

    formula = f.ProcessFactory(
        name=FORMULA_NAME,
        short_name="Türkiye Dialogue",
        acronym="",
        slug="turkiye",
        kind=enums.ProcessKind.THEMATIC,
        established_year=None,
        status=enums.ProcessStatus.DORMANT,
        themes=[trafficking],
    )
    f.MembershipFactory(process=formula, state=f.StateFactory(code="TR"))
    f.MembershipFactory(process=formula, state=f.StateFactory(code="DE"))
    f.AchievementFactory(process=formula)
    # Its output list is recorded as complete (none); its observer and evaluation lists are not recorded.
    f.ListCompletenessFactory(
        process=formula, section=enums.ListSection.OUTPUTS, status=enums.Completeness.COMPLETE
    )

    left_out = f.ProcessFactory(
        short_name="Bali Process", slug="bali", themes=[f.ThemeFactory(name="Smuggling")]
    )
    f.EvaluationFactory(process=left_out)
    return csm, formula


EXPECTED_TABLE = [
    ["Field", "South American Conference", "Türkiye Dialogue"],
    ["Official name", "Conferencia Suramericana sobre Migraciones", FORMULA_NAME],
    ["Regions", "South America", ""],
    ["Kind", "Geographic", "Thematic"],
    ["Year established (sourced claims)", "2000 — 1999 (IOM matrix); 2000 (CSM website)", ""],
    ["Status", "Active", "Dormant"],
    ["Member states", "2", "2"],
    ["Members", "Argentina; Brazil", "Germany; Türkiye"],
    ["Observer states", "1", "not recorded"],
    ["Observers", "Spain", "not recorded"],
    ["Chair arrangement", "Rotating chair", ""],
    ["Current chair", "Brazil, since 2019", ""],
    ["Secretariat", "Fixed secretariat, hosted by International Organization for Migration (IOM)", ""],
    ["Meeting levels", "Ministerial; Technical / expert", ""],
    ["Civil-society involvement", "Regular", "Unknown"],
    ["Private-sector involvement", "None", "Unknown"],
    ["Funding model", "No predictable self-financing mechanism. Hosted by IOM.", "Self-financing unknown"],
    ["Labour migration", "yes", "no"],
    ["Trafficking", "yes", "yes"],
    ["Evaluations", "1", "not recorded"],
    ["Outputs", "2", "0"],
    ["Achievements", "not recorded", "1"],
    ["Links with regional institutions", "Southern Common Market (MERCOSUR) (Formal cooperation)", ""],
    ["Website", "https://csm.example.org", ""],
    ["Sources", "CSM website; IOM matrix", ""],
    ["As of", "2015-03-01", ""],
]


class TableText(HTMLParser):
    """The text of each row of the table with id ``comparison``, cell by cell, whitespace collapsed."""

    def __init__(self):
        super().__init__()
        self.rows, self.in_table, self.cell = [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "comparison") in attrs:
            self.in_table = True
        elif self.in_table and tag == "tr":
            self.rows.append([])
        elif self.in_table and tag in ("td", "th"):
            self.cell = []
        elif self.cell is not None and tag == "li":
            self.cell.append(" | ")

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        elif self.in_table and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()).lstrip("| "))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response):
    parser = TableText()
    parser.feed(response.content.decode())
    return parser.rows


def compare_url(*slugs, name="processes:compare"):
    return reverse(name) + ("?" + "&".join(f"p={slug}" for slug in slugs) if slugs else "")


def test_comparison_matrix_holds_exactly_the_chosen_processes_row_by_row(two_processes):
    matrix = analysis.comparison_matrix(slugs=["csm", "turkiye"])

    assert [p.slug for p in matrix.processes] == ["csm", "turkiye"]
    assert matrix.as_table() == EXPECTED_TABLE


def test_comparison_columns_follow_the_order_in_the_address(two_processes):
    matrix = analysis.comparison_matrix(slugs=["turkiye", "csm"])

    assert matrix.as_table()[0] == ["Field", "Türkiye Dialogue", "South American Conference"]


def test_comparison_latest_chair_is_shown_when_no_term_is_current():
    process = f.ProcessFactory(slug="one")
    f.ProcessFactory(slug="two")
    f.ChairTermFactory(process=process, state=f.StateFactory(code="MX"), start_year=2010, end_year=2011)
    f.ChairTermFactory(process=process, state=f.StateFactory(code="US"), start_year=2012, end_year=2013)

    matrix = analysis.comparison_matrix(slugs=["one", "two"])

    chair = next(row for row in matrix.rows if row.key == "chair")
    assert [cell.text for cell in chair.cells] == ["latest: United States of America, 2012–2013", ""]


def test_compare_page_shows_the_matrix_side_by_side(client, two_processes):
    response = client.get(compare_url("csm", "turkiye"))

    assert response.status_code == 200
    rows = table_rows(response)
    assert rows[0] == ["Field", "South American Conference", "Türkiye Dialogue"]
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label["Members"] == ["Argentina | Brazil", "Germany | Türkiye"]
    assert by_label["Year established (sourced claims)"] == [
        "2000 | 1999 (IOM matrix) | 2000 (CSM website)",
        "—not recorded",
    ]
    assert by_label["Trafficking"] == ["✓yes", "✓yes"]
    assert by_label["Labour migration"] == ["✓yes", "no"]
    assert by_label["Chair arrangement"] == ["Rotating chair", "—not recorded"]
    assert by_label["Official name"] == ["Conferencia Suramericana sobre Migraciones", FORMULA_NAME]
    assert "Bali Process" not in by_label and "Smuggling" not in by_label
    section_headers = [row[0] for row in rows if len(row) == 1]
    assert section_headers == [
        "Profile",
        "Members and observers",
        "Organisation and funding",
        "Themes",
        "Evaluations, outputs and achievements",
        "Website and sources",
    ]


def test_compare_page_form_ticks_the_chosen_processes(client, two_processes):
    response = client.get(compare_url("csm", "turkiye"))

    content = response.content.decode()
    assert 'value="csm" id="choose-csm" checked>' in content
    assert 'value="turkiye" id="choose-turkiye" checked>' in content
    assert 'value="bali" id="choose-bali">' in content
    assert f'href="{reverse("processes:compare-csv")}?p=csm&amp;p=turkiye"' in content


def test_compare_page_without_choice_is_a_chooser_with_nothing_ticked(client, two_processes):
    response = client.get(compare_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["matrix"] is None
    assert 'id="comparison"' not in content
    assert "No process is chosen yet: tick the ones to compare." in content
    assert 'value="bali" id="choose-bali">' in content
    assert '" checked>' not in content


def test_compare_page_with_one_process_asks_for_another(client, two_processes):
    response = client.get(compare_url("csm"))

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["matrix"] is None
    prompt = "South American Conference is chosen. Add at least one more process below to compare them."
    assert prompt in content
    assert 'value="csm" id="choose-csm" checked>' in content
    assert 'value="bali" id="choose-bali">' in content


@override_settings(COMPARE_MAX_PROCESSES=2)
def test_compare_refuses_more_processes_than_the_limit_with_a_message(client, two_processes):
    response = client.get(compare_url("csm", "turkiye", "bali"))

    assert response.status_code == 400
    message = "Choose at most 2 processes to compare side by side (3 were chosen)."
    assert f'<p class="mb-0" id="bad-request-message">{message}</p>' in response.content.decode()
    assert client.get(compare_url("csm", "turkiye")).status_code == 200


def test_compare_page_with_fewer_than_two_recorded_processes_says_so(client):
    f.ProcessFactory(slug="alone")

    response = client.get(compare_url())

    assert response.status_code == 200
    assert "At least two processes must be recorded before they can be compared." in response.content.decode()


def test_compare_csv_parses_back_to_the_same_rows_with_accents_and_escaped_formulas(client, two_processes):
    response = client.get(compare_url("csm", "turkiye", name="processes:compare-csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rcpdb-comparison.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    expected = [list(row) for row in EXPECTED_TABLE]
    expected[1][2] = "'" + FORMULA_NAME
    assert rows == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?p=csm&p=nowhere", "There is no process “nowhere”. Choose processes from the list."),
        ("?p=csm&p=turk%00iye", "The address contains a NUL character."),
        ("?p=" + "x" * 501 + "&p=csm", "A value in the address is longer than 500 characters."),
        ("?" + "&".join(f"p{i}=1" for i in range(1001)), "The address has too many parameters."),
    ],
)
@pytest.mark.parametrize("name", ["processes:compare", "processes:compare-csv"])
def test_compare_refuses_bad_choices_with_400_and_a_message(client, two_processes, query, message, name):
    response = client.get(reverse(name) + query)

    assert response.status_code == 400
    assert f'<p class="mb-0" id="bad-request-message">{message}</p>' in response.content.decode()


@pytest.mark.parametrize("query", ["", "?p=csm", "?p=csm&p=csm"])
def test_compare_csv_needs_two_processes(client, two_processes, query):
    response = client.get(reverse("processes:compare-csv") + query)

    assert response.status_code == 400
    assert (
        '<p class="mb-0" id="bad-request-message">Choose at least two processes to compare.</p>'
        in response.content.decode()
    )


def _describe(process, n):
    """Give a process one of each related record the comparison reads."""
    state = f.StateFactory(code=f.STATE_CODES[n])
    source = f.SourceFactory()
    process.themes.add(f.ThemeFactory())
    process.regions.add(f.RegionFactory())
    process.sources.add(source)
    f.ProcessClaimFactory(process=process, source=source)
    f.MembershipFactory(process=process, state=state)
    f.ChairTermFactory(process=process, state=state, end_year=None)
    f.SecretariatFactory(process=process, hosts=[f.OrganizationFactory()])
    f.InstitutionLinkFactory(process=process)
    f.EvaluationFactory(process=process)
    f.OutputFactory(process=process)
    f.AchievementFactory(process=process)


@pytest.mark.parametrize("chosen", [2, 6])
@pytest.mark.parametrize("name", ["processes:compare", "processes:compare-csv"])
def test_compare_query_count_is_constant(client, django_assert_num_queries, chosen, name):
    processes = [f.ProcessFactory() for _ in range(chosen + 1)]
    for n, process in enumerate(processes):
        _describe(process, n)

    # The list of processes, the chosen ones, and one query per kind of related record (8, the
    # secretariats' hosts one).
    with django_assert_num_queries(10):
        response = client.get(compare_url(*(p.slug for p in processes[:chosen]), name=name))

    assert response.status_code == 200


def test_the_chooser_is_the_markup_of_a_checkbox_per_process_escaped(client, db):
    f.ProcessFactory(short_name='Dialogue "5+5" <West> & Co', slug="five-plus-five")
    f.ProcessFactory(short_name="Bali Process", slug="bali")

    content = client.get(compare_url("bali")).content.decode()

    assert (
        '<div class="form-check">\n'
        '  <input class="form-check-input" type="checkbox" name="p" value="bali" id="choose-bali" checked>\n'
        '  <label class="form-check-label" for="choose-bali">Bali Process</label>\n'
        "</div>\n"
        '<div class="form-check">\n'
        '  <input class="form-check-input" type="checkbox" name="p" value="five-plus-five" '
        'id="choose-five-plus-five">\n'
        '  <label class="form-check-label" for="choose-five-plus-five">'
        "Dialogue &quot;5+5&quot; &lt;West&gt; &amp; Co</label>\n"
        "</div>"
    ) in content


@pytest.mark.django_db(transaction=True)  # each save commits, and moves the content version
def test_the_unticked_chooser_is_kept_per_content_version_and_language(client):
    f.ProcessFactory(short_name="Bali Process", short_name_fr="Processus de Bali", slug="bali")
    f.ProcessFactory(short_name="Colombo Process", slug="colombo")
    kept = client.get(compare_url()).content.decode()
    f.ProcessFactory(short_name="Puebla Process", slug="puebla")

    assert "Puebla" not in kept
    english = client.get(compare_url()).content.decode()
    french = client.get(compare_url().replace("/en/", "/fr/")).content.decode()

    assert 'for="choose-puebla">Puebla Process</label>' in english
    assert 'for="choose-bali">Bali Process</label>' in english
    assert 'for="choose-bali">Processus de Bali</label>' in french
    assert '" checked>' not in english + french
