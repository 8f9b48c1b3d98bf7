"""Coverage: the map, the gaps (states and regions no process covers) and the accessible table."""

import gzip
import re

import pytest
from django.urls import reverse
from django_countries import countries

from processes import analysis, charts, enums
from processes.models import State
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def covered_world():
    americas = f.RegionFactory(name="Americas", slug="americas")
    central = f.RegionFactory(name="Central America", slug="central-america", parent=americas)
    africa = f.RegionFactory(name="Africa", slug="africa")
    southern = f.RegionFactory(
        name="Southern Africa",
        slug="southern-africa",
        parent=africa,
        description="No process covered Southern Africa before MIDSA (para. 6).",
    )
    europe = f.RegionFactory(name="Europe", slug="europe")
    puebla = f.ProcessFactory(short_name="Puebla Process", slug="puebla", regions=[central])
    lima = f.ProcessFactory(short_name="Lima Process", slug="lima", regions=[americas])
    mexico = f.StateFactory(code="MX", region=central)
    guatemala = f.StateFactory(code="GT", region=central)
    costa_rica = f.StateFactory(code="CR", region=central)
    f.StateFactory(code="FR", region=europe)
    f.StateFactory(code="ZA", region=southern)
    f.MembershipFactory(process=puebla, state=mexico)
    f.MembershipFactory(process=lima, state=mexico)
    f.MembershipFactory(process=puebla, state=guatemala, role=enums.MembershipRole.OBSERVER)
    f.MembershipFactory(process=puebla, state=costa_rica, since=1996, until=2001)  # ended
    # Lima's observer list is recorded (complete, empty): every list of both processes can be counted.
    f.ListCompletenessFactory(
        process=lima, section=enums.ListSection.OBSERVERS, status=enums.Completeness.COMPLETE
    )
    return puebla, lima


def test_coverage_counts_memberships_and_observer_roles_per_state(covered_world):
    data = analysis.coverage()

    assert [(e.code, e.member_of, e.observer_of) for e in data.states] == [
        ("CR", (), ()),
        ("FR", (), ()),
        ("GT", (), ("Puebla Process",)),
        ("MX", ("Lima Process", "Puebla Process"), ()),
        ("ZA", (), ()),
    ]


def test_coverage_gaps_list_states_in_no_process_and_regions_without_any(covered_world):
    data = analysis.coverage()

    assert data.not_counted == ()
    assert [entry.code for entry in data.gap_states] == ["CR", "FR", "ZA"]
    # Americas has a member state through Central America; Africa has a state (in Southern Africa) that
    # is in no process; regions without any state are no gap at all.
    assert [region.slug for region in data.gap_regions] == ["africa", "europe", "southern-africa"]


def test_coverage_region_gaps_come_from_where_member_states_are():
    asia = f.RegionFactory(name="Asia", slug="asia")
    south = f.RegionFactory(name="South Asia", slug="south-asia", parent=asia)
    oceania = f.RegionFactory(name="Oceania", slug="oceania")
    africa = f.RegionFactory(name="Africa", slug="africa")
    north = f.RegionFactory(name="Northern Africa", slug="northern-africa", parent=africa)
    f.RegionFactory(name="Asia-Pacific", slug="asia-pacific")  # a grouping with no state: never a gap
    # Tagged with Oceania but with no member there: Oceania stays a gap.
    colombo = f.ProcessFactory(short_name="Colombo Process", regions=[oceania])
    f.MembershipFactory(process=colombo, state=f.StateFactory(code="LK", region=south))
    f.StateFactory(code="FJ", region=oceania)
    # Tagged with no African region, but a member in Northern Africa: Africa is no gap.
    five_plus_five = f.ProcessFactory(short_name="5+5 Dialogue", regions=[])
    f.MembershipFactory(process=five_plus_five, state=f.StateFactory(code="MA", region=north))
    # An observer is not a member: Northern Africa would be a gap with Egypt observing only.
    f.MembershipFactory(
        process=colombo, state=f.StateFactory(code="EG", region=north), role=enums.MembershipRole.OBSERVER
    )

    data = analysis.coverage()

    assert [region.slug for region in data.gap_regions] == ["oceania"]


def test_coverage_leaves_out_processes_whose_lists_are_not_recorded(client):
    europe = f.RegionFactory(name="Europe", slug="europe")
    f.ProcessFactory(short_name="Budapest Process", slug="budapest", regions=[europe])  # no list recorded
    bali = f.ProcessFactory(short_name="Bali Process", slug="bali")
    f.ListCompletenessFactory(
        process=bali, section=enums.ListSection.MEMBERS, status=enums.Completeness.NOT_RECORDED
    )
    lima = f.ProcessFactory(short_name="Lima Process", slug="lima")
    f.MembershipFactory(process=lima, state=f.StateFactory(code="PE"))
    f.ListCompletenessFactory(
        process=lima, section=enums.ListSection.OBSERVERS, status=enums.Completeness.COMPLETE
    )
    f.StateFactory(code="HU", region=europe)

    data = analysis.coverage()

    assert [process.short_name for process in data.not_counted] == ["Bali Process", "Budapest Process"]
    # Hungary is in no recorded list, but may be in Budapest's or Bali's: it is no "state in no process".
    assert data.gap_states == ()
    assert [(entry.code, entry.unknown) for entry in data.states] == [("HU", True), ("PE", False)]
    assert [region.slug for region in data.gap_regions] == ["europe"]
    content = client.get(reverse("processes:coverage")).content.decode()
    assert (
        'Not counted: <a href="/en/processes/bali/">Bali Process</a>, '
        '<a href="/en/processes/budapest/">Budapest Process</a> — member or observer list not recorded'
        in content
    )
    assert '<ul class="gap-states' not in content
    assert "Every listed state takes part in at least one process." not in content
    assert "This list cannot be given: the lists of some processes are not recorded" in content
    assert re.search(
        r'<path class="cov-unknown" d="[^"]+"><title>Hungary: in no recorded list</title>', content
    )
    assert "In no recorded list (some lists are not recorded)" in content
    assert "Listed, in no process" not in content
    # Europe is a gap of the recorded lists only: Bali's and Budapest's members may be there.
    assert [process.slug for process in data.gap_regions_unsure_because] == ["bali", "budapest"]
    assert (
        '<p class="not-recorded" id="gap-regions-unsure">These regions may still have members in the '
        "processes whose member lists are not recorded: Bali Process, Budapest Process.</p>" in content
    )


def test_coverage_page_shows_map_gaps_and_table(client, covered_world):
    response = client.get(reverse("processes:coverage"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="img" aria-labelledby="coverage-map-title coverage-map-desc"' in content
    assert re.search(
        r'<path class="cov-m2" d="[^"]+"><title>Mexico: member of 2, observer of 0</title>', content
    )
    assert re.search(
        r'<path class="cov-obs" d="[^"]+"><title>Guatemala: member of 0, observer of 1</title>', content
    )
    assert re.search(
        r'<path class="cov-none" d="[^"]+"><title>France: member of 0, observer of 0</title>', content
    )
    assert re.search(r'<path class="cov-unlisted" d="[^"]+"></path>', content)
    gap_states = re.search(r'<ul class="gap-states.*?</ul>', content, re.S).group()
    assert re.findall(r"<li[^>]*>([^<]*)</li>", gap_states) == ["Costa Rica", "France", "South Africa"]
    gap_regions = re.search(r'<ul class="gap-regions.*?</ul>', content, re.S).group()
    assert re.findall(r"<li><strong>([^<]*)</strong>", gap_regions) == ["Africa", "Europe", "Southern Africa"]
    assert 'id="gap-regions-unsure"' not in content  # every member list is recorded here
    assert (
        "Southern Africa</strong> — No process covered Southern Africa before MIDSA (para. 6).</li>"
        in content
    )
    table = re.search(r'<table class="table table-sm coverage-table".*?</table>', content, re.S).group()
    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    ]
    assert rows == [
        "Costa Rica Central America 0 0",
        "France Europe 0 0",
        "Guatemala Central America 0 1: Puebla Process",
        "Mexico Central America 2: Lima Process, Puebla Process 0",
        "South Africa Southern Africa 0 0",
    ]


def test_coverage_class_distinguishes_observers_and_caps_members():
    assert [
        charts.coverage_class(member_count=members, observer_count=observers)
        for members, observers in [(0, 0), (0, 2), (1, 5), (2, 0), (3, 0), (4, 0), (9, 0)]
    ] == ["cov-none", "cov-obs", "cov-m1", "cov-m2", "cov-m3", "cov-m4", "cov-m4"]


def test_coverage_map_is_drawn_once_per_data_version(covered_world, monkeypatch):
    states = analysis.coverage().states
    first = charts.coverage_map_svg(states=states)
    monkeypatch.setattr(charts, "_draw_coverage_map", lambda **kwargs: pytest.fail("drawn twice"))

    assert charts.coverage_map_svg(states=states) == first


def test_coverage_page_weighs_under_150_kb_compressed_with_200_states(client):
    processes = [f.ProcessFactory() for _ in range(9)]
    codes = [code for code, _name in countries][:200]
    State.objects.bulk_create(State(code=code) for code in codes)
    for n, state in enumerate(State.objects.order_by("code")):
        if n % 3:
            f.MembershipFactory(process=processes[n % 9], state=state)
            f.MembershipFactory(
                process=processes[(n + 1) % 9], state=state, role=enums.MembershipRole.OBSERVER
            )

    response = client.get(reverse("processes:coverage"), HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert html.count("<tr>") == 201  # the table: a header and one row per state
    assert "<img" not in html and "<object" not in html  # the map is inline: nothing else to load
    assert len(response.content) < 150 * 1024
    assert len(gzip.compress(html.encode())) < 150 * 1024


@pytest.mark.parametrize("count", [1, 6])
def test_coverage_query_count_is_constant(client, django_assert_num_queries, count):
    region = f.RegionFactory()
    for n in range(count):
        process = f.ProcessFactory(regions=[region, f.RegionFactory(parent=region)])
        f.MembershipFactory(process=process, state=f.StateFactory(code=f.STATE_CODES[n], region=region))

    # Memberships, states with their regions, regions, and the regions of the processes.
    with django_assert_num_queries(4):
        response = client.get(reverse("processes:coverage"))

    assert response.status_code == 200
