"""States found by other names and accent-free forms: public search, the /states/ list and the admin's
state pickers (#14, item 3). Run on SQLite and PostgreSQL alike."""

import pytest
from django.urls import reverse

from processes.models import State
from tests import factories as f
from tests.admin_forms import record_state

SEARCH = reverse("search")
STATES = reverse("processes:state-list")


def group(response, key):
    matches = [g for g in response.context["groups"] if g.key == key]
    return matches[0] if matches else None


def titles(response, key):
    found = group(response, key)
    return [hit.title for hit in found.hits] if found else []


@pytest.fixture
def processes(shipped_states):
    """Côte d'Ivoire in one process, the Emirates in another, Laos an observer of a third; a fourth
    process has none of them."""
    ecowas = f.ProcessFactory(short_name="MIDWA", name="Migration Dialogue for West Africa")
    abu_dhabi = f.ProcessFactory(short_name="ADD", name="Abu Dhabi Dialogue")
    colombo = f.ProcessFactory(short_name="Colombo Process", name="Colombo Process")
    puebla = f.ProcessFactory(short_name="Puebla Process", name="Regional Conference on Migration")
    f.MembershipFactory(process=ecowas, state=State.objects.get(code="CI"))
    f.MembershipFactory(process=abu_dhabi, state=State.objects.get(code="AE"))
    f.MembershipFactory(process=colombo, state=State.objects.get(code="LA"), role="observer")
    f.MembershipFactory(process=colombo, state=State.objects.get(code="TR"), until=2010)
    return {"midwa": ecowas, "add": abu_dhabi, "colombo": colombo, "puebla": puebla}


@pytest.mark.parametrize(
    ("query", "state", "code"),
    [
        ("Cote d'Ivoire", "Côte d'Ivoire", "CI"),
        ("ivory coast", "Côte d'Ivoire", "CI"),
        ("CÔTE D’IVOIRE", "Côte d'Ivoire", "CI"),
        ("UAE", "United Arab Emirates", "AE"),
        ("Lao", "Laos", "LA"),
        ("Turkey", "Türkiye", "TR"),
    ],
)
def test_public_search_finds_the_state_by_another_name_and_links_its_processes(
    client, processes, query, state, code
):
    response = client.get(SEARCH, {"q": query})
    hit = group(response, "states").hits[0]
    profile = client.get(hit.url)

    assert response.status_code == 200
    assert (hit.title, hit.url) == (state, f"/en/states/{code}/")
    # The state's page lists the processes it takes part in; the other processes are not there.
    shown = {p.short_name for p in processes.values() if p.get_absolute_url() in profile.content.decode()}
    expected = {"CI": {"MIDWA"}, "AE": {"ADD"}, "LA": {"Colombo Process"}, "TR": {"Colombo Process"}}
    assert shown == expected[code]


def test_public_search_finds_states_in_french_and_spanish_names(client, shipped_states):
    assert titles(client.get(SEARCH, {"q": "costa de marfil"}), "states") == ["Côte d'Ivoire"]
    assert titles(client.get(SEARCH, {"q": "emirats arabes"}), "states") == ["United Arab Emirates"]


def test_public_search_for_no_country_finds_no_state_and_no_process(client, processes):
    response = client.get(SEARCH, {"q": "Atlantis"})

    assert titles(response, "states") == []
    assert titles(response, "processes") == []


def test_a_word_left_out_is_not_read_as_a_country(client, processes):
    response = client.get(SEARCH, {"q": "dialogue -uae"})

    # "-uae" leaves out the records that say "uae", it names no state: no state is shown.
    assert titles(response, "states") == []
    assert sorted(titles(response, "processes")) == [
        "ADD — Abu Dhabi Dialogue",
        "MIDWA — Migration Dialogue for West Africa",
    ]


def test_state_list_filter_finds_aliases_and_accent_free_names(client, processes):
    def listed(query):
        response = client.get(STATES, {"q": query})
        assert response.status_code == 200
        return [str(state.code) for state in response.context["states"]]

    assert listed("cote d'ivoire") == ["CI"]
    assert listed("Ivory Coast") == ["CI"]
    assert listed("Cape Verde") == ["CV"]
    assert listed("the gambia") == ["GM"]
    assert listed("czech republic") == ["CZ"]
    assert listed("Atlantis") == []


def autocomplete(admin_client, term):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "processes", "model_name": "membership", "field_name": "state", "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("ivory", ["Côte d'Ivoire"]),
        ("cote d'ivoire", ["Côte d'Ivoire"]),
        ("Cape Verde", ["Cabo Verde"]),
        ("The Gambia", ["Gambia"]),
        ("UAE", ["United Arab Emirates"]),
        ("swaziland", ["Eswatini"]),
        ("burma", ["Myanmar"]),
        ("Atlantis", []),
    ],
)
def test_admin_state_picker_finds_aliases_and_accent_free_names(admin_client, shipped_states, term, expected):
    assert autocomplete(admin_client, term) == expected


def test_an_alias_added_in_the_admin_is_found(admin_client, shipped_states):
    eswatini = State.objects.get(code="SZ")
    url = reverse("admin:processes_state_change", args=[eswatini.pk])
    response = admin_client.post(
        url,
        {"code": "SZ", "region": eswatini.region_id, "aliases": "Swaziland\nNgwane"}
        | record_state(admin_client, url),
    )

    assert response.status_code == 302
    assert autocomplete(admin_client, "ngwane") == ["Eswatini"]
