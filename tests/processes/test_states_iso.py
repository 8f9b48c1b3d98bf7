"""Every ISO 3166-1 country and territory ships as a State in its UN M49 region (#14, item 3)."""

from collections import Counter

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from django_countries import countries

from processes.models import Membership, Region, State
from processes.state_reference import ensure_states, fold, search_text

BEFORE = [("processes", "0007_drop_unused_trigram_indexes")]

# The contract of #14: the M49 tree, by slug, with each region's parent.
M49_TREE = {
    "africa": None,
    "northern-africa": "africa",
    "sub-saharan-africa": "africa",
    "eastern-africa": "sub-saharan-africa",
    "middle-africa": "sub-saharan-africa",
    "southern-africa": "sub-saharan-africa",
    "western-africa": "sub-saharan-africa",
    "americas": None,
    "latin-america-and-the-caribbean": "americas",
    "caribbean": "latin-america-and-the-caribbean",
    "central-america": "latin-america-and-the-caribbean",
    "south-america": "latin-america-and-the-caribbean",
    "northern-america": "americas",
    "asia": None,
    "central-asia": "asia",
    "eastern-asia": "asia",
    "south-eastern-asia": "asia",
    "southern-asia": "asia",
    "western-asia": "asia",
    "europe": None,
    "eastern-europe": "europe",
    "northern-europe": "europe",
    "channel-islands": "northern-europe",
    "southern-europe": "europe",
    "western-europe": "europe",
    "oceania": None,
    "australia-and-new-zealand": "oceania",
    "melanesia": "oceania",
    "micronesia": "oceania",
    "polynesia": "oceania",
}


def region_of(code):
    state = State.objects.select_related("region").get(code=code)
    return state.region.slug if state.region else None


def test_every_iso_3166_entry_is_a_state(shipped_states):
    assert State.objects.count() == len(countries) == 249
    assert set(State.objects.values_list("code", flat=True)) == {code for code, _name in countries}


def test_each_state_is_in_its_most_specific_m49_region(shipped_states):
    expected = {
        **dict.fromkeys(["MA", "DZ", "TN", "LY", "EG", "SD", "EH"], "northern-africa"),
        "MX": "central-america",
        "US": "northern-america",
        "CA": "northern-america",
        "TR": "western-asia",
        "HU": "eastern-europe",
        "AU": "australia-and-new-zealand",
        "CI": "western-africa",
        "ZA": "southern-africa",
        "TZ": "eastern-africa",
        "BR": "south-america",
        "JM": "caribbean",
        "GG": "channel-islands",
        "NR": "micronesia",
        "AQ": None,  # Antarctica: in no M49 region
    }

    assert {code: region_of(code) for code in expected} == expected
    assert list(State.objects.filter(region=None).values_list("code", flat=True)) == ["AQ"]


def test_count_of_states_per_m49_region(shipped_states):
    counts = Counter(State.objects.values_list("region__slug", flat=True))

    assert counts["northern-africa"] == 7
    assert counts["central-america"] == 8
    assert counts["northern-america"] == 5
    assert counts["australia-and-new-zealand"] == 6
    assert counts["southern-africa"] == 5
    assert counts["western-asia"] == 18
    assert counts["caribbean"] == 28
    assert counts["africa"] == 0  # every state sits in the most specific region, not the continent
    assert sorted(State.objects.filter(region__slug="southern-africa").values_list("code", flat=True)) == [
        "BW",
        "LS",
        "NA",
        "SZ",
        "ZA",
    ]


def test_m49_regions_form_the_contract_tree_with_codes_and_three_languages(shipped_states):
    tree = {region.slug: region.parent.slug if region.parent else None for region in Region.objects.all()}
    northern_africa = Region.objects.get(slug="northern-africa")

    assert tree == M49_TREE
    assert dict(
        Region.objects.filter(slug__in=["africa", "northern-africa", "central-america"]).values_list(
            "slug", "m49_code"
        )
    ) == {"africa": "002", "northern-africa": "015", "central-america": "013"}
    assert (northern_africa.name_en, northern_africa.name_fr, northern_africa.name_es) == (
        "Northern Africa",
        "Afrique septentrionale",
        "África septentrional",
    )
    assert Region.objects.filter(name_fr=None).count() == 0
    assert Region.objects.filter(name_es=None).count() == 0


def test_state_names_come_in_the_page_language(shipped_states):
    ivory_coast = State.objects.get(code="CI")
    names = {}
    for language in ("en", "fr", "es"):
        with translation.override(language):
            names[language] = str(ivory_coast.name)

    assert names == {"en": "Côte d'Ivoire", "fr": "Côte d'Ivoire", "es": "Costa de Marfil"}


def test_aliases_and_search_text(shipped_states):
    ivory_coast = State.objects.get(code="CI")
    gambia = State.objects.get(code="GM")

    assert ivory_coast.aliases.splitlines() == ["Ivory Coast", "Cote d'Ivoire", "Côte d’Ivoire"]
    assert "ivory coast" in ivory_coast.search_text.splitlines()
    assert "costa de marfil" in ivory_coast.search_text.splitlines()
    assert "the gambia" in gambia.search_text.splitlines()
    assert fold("Côte d’Ivoire") == "cote d'ivoire"
    assert fold("TIMOR-LESTE") == "timor leste"


def test_saving_a_state_rebuilds_its_search_text(shipped_states):
    mexico = State.objects.get(code="MX")
    mexico.aliases = "Estados Unidos Mexicanos"
    mexico.save(update_fields=["aliases"])
    mexico.refresh_from_db()

    assert "estados unidos mexicanos" in mexico.search_text.splitlines()
    assert mexico.search_text == search_text("MX", "Estados Unidos Mexicanos")
    assert list(State.objects.matching("unidos mexicanos")) == [mexico]


def test_matching_ignores_case_and_accents_and_finds_aliases(shipped_states):
    def codes(text):
        return sorted(State.objects.matching(text).values_list("code", flat=True))

    assert codes("COTE D'IVOIRE") == ["CI"]
    assert codes("côte d’ivoire") == ["CI"]
    assert codes("ivory coast") == ["CI"]
    assert codes("UAE") == ["AE"]
    assert codes("cape verde") == ["CV"]
    assert codes("turkey") == ["TR"]
    assert codes("turkiye") == ["TR"]
    assert codes("czech republic") == ["CZ"]
    assert codes("swaziland") == ["SZ"]
    assert codes("holland") == ["NL"]
    assert codes("east timor") == ["TL"]
    assert codes("Atlantis") == []
    assert codes("   ") == []


def test_ensuring_the_states_again_changes_nothing(shipped_states):
    before = list(
        State.objects.order_by("pk").values_list("pk", "code", "region_id", "aliases", "search_text")
    )
    regions = Region.objects.count()

    created, updated = ensure_states(State, Region)

    assert (created, updated) == (0, 249)
    assert list(
        State.objects.order_by("pk").values_list("pk", "code", "region_id", "aliases", "search_text")
    ) == (before)
    assert Region.objects.count() == regions


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_states_their_ids_and_memberships():
    """On a database that already has states (production, the demo): they keep their ids and
    memberships, their own aliases stay, missing states are created and all go to their M49 region."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldRegion, OldState = old.get_model("processes", "Region"), old.get_model("processes", "State")
    OldProcess, OldMembership = (
        old.get_model("processes", "Process"),
        old.get_model("processes", "Membership"),
    )
    africa = OldRegion.objects.create(slug="africa", name="Africa", name_en="Africa", name_fr="L'Afrique")
    north_africa = OldRegion.objects.create(slug="north-africa", name="North Africa", name_en="North Africa")
    morocco = OldState.objects.create(code="MA", region=north_africa)
    mexico = OldState.objects.create(code="MX")
    names = {"name": "5+5 Dialogue", "name_en": "5+5 Dialogue", "short_name": "5+5", "short_name_en": "5+5"}
    process = OldProcess.objects.create(
        **names, slug="five-plus-five", kind="geographic", status="active", established_year=2002
    )
    membership = OldMembership.objects.create(process=process, state=morocco, role="member")

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    assert State.objects.count() == 249
    assert State.objects.get(code="MA").pk == morocco.pk
    assert State.objects.get(code="MX").pk == mexico.pk
    assert Membership.objects.get(pk=membership.pk).state.code == "MA"
    assert region_of("MA") == "northern-africa"
    assert region_of("MX") == "central-america"
    reused = Region.objects.get(slug="africa")
    assert (reused.pk, reused.m49_code, reused.name_fr) == (africa.pk, "002", "L'Afrique")
    # The old grouping is left alone, without its states.
    assert Region.objects.get(slug="north-africa").states.count() == 0
    assert Region.objects.filter(m49_code__gt="").count() == 30


@pytest.mark.skipif(connection.vendor != "postgresql", reason="unaccent is PostgreSQL's")
def test_on_postgresql_aliases_changed_without_save_are_found_through_unaccent(shipped_states):
    State.objects.filter(code="SZ").update(aliases="Ngwané")  # no save(): the search text is stale

    assert list(State.objects.matching("ngwane").values_list("code", flat=True)) == ["SZ"]
    assert list(State.objects.matching("swaziland").values_list("code", flat=True)) == ["SZ"]
