"""Shared member states: the process × process matrix and the ranking of multi-process states."""

import pytest
from django.urls import reverse
from django_countries import countries

from processes import analysis, enums
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_overlaps():
    """A and B share Mexico and the United States; C shares nothing; D shares with B and C.

    Guatemala only observes B and Costa Rica left B: neither counts as shared.
    """
    mx, us, gt, cr, ca, pa = (f.StateFactory(code=code) for code in ("MX", "US", "GT", "CR", "CA", "PA"))
    a = f.ProcessFactory(short_name="A Process", acronym="AP", slug="a")
    b = f.ProcessFactory(short_name="B Process", acronym="BP", slug="b")
    c = f.ProcessFactory(short_name="C Process", acronym="CP", slug="c")
    d = f.ProcessFactory(short_name="D Process", acronym="DP", slug="d")
    for state in (mx, us, gt, cr):
        f.MembershipFactory(process=a, state=state)
    for state in (mx, us):
        f.MembershipFactory(process=b, state=state)
    f.MembershipFactory(process=b, state=gt, role=enums.MembershipRole.OBSERVER)
    f.MembershipFactory(process=b, state=cr, since=1999, until=2010)
    f.MembershipFactory(process=c, state=pa)
    for state in (us, ca):
        f.MembershipFactory(process=d, state=state)
    f.MembershipFactory(process=c, state=ca)
    return a, b, c, d


def counts(overlap):
    return {
        (cell.row.slug, cell.column.slug): cell.count for _process, cells in overlap.rows for cell in cells
    }


def test_overlap_counts_shared_current_members_of_each_pair(known_overlaps):
    overlap = analysis.membership_overlap()

    assert [p.slug for p in overlap.processes] == ["a", "b", "c", "d"]
    assert counts(overlap) == {
        ("a", "a"): 4, ("a", "b"): 2, ("a", "c"): 0, ("a", "d"): 1,
        ("b", "a"): 2, ("b", "b"): 2, ("b", "c"): 0, ("b", "d"): 1,
        ("c", "a"): 0, ("c", "b"): 0, ("c", "c"): 2, ("c", "d"): 1,
        ("d", "a"): 1, ("d", "b"): 1, ("d", "c"): 1, ("d", "d"): 2,
    }  # fmt: skip


def test_overlap_pairs_list_the_states_behind_each_non_zero_cell(known_overlaps):
    overlap = analysis.membership_overlap()

    pairs = {cell.anchor: [str(state.name) for state in cell.states] for cell in overlap.pairs}
    assert pairs == {
        "shared-a-b": ["Mexico", "United States of America"],
        "shared-a-d": ["United States of America"],
        "shared-b-d": ["United States of America"],
        "shared-c-d": ["Canada"],
    }


def test_overlap_ranks_states_in_two_or_more_processes_by_count_then_name(known_overlaps):
    overlap = analysis.membership_overlap()

    ranked = [
        (str(entry.state.name), entry.count, [p.slug for p in entry.processes])
        for entry in overlap.shared_states
    ]
    assert ranked == [
        ("United States of America", 3, ["a", "b", "d"]),
        ("Canada", 2, ["c", "d"]),
        ("Mexico", 2, ["a", "b"]),
    ]


def test_overlap_page_links_each_non_zero_cell_to_its_states(client, known_overlaps):
    response = client.get(reverse("processes:overlap"))

    assert response.status_code == 200
    content = response.content.decode()
    assert (
        content.count('<td class="overlap-shared"><a href="#shared-a-b">2<span class="visually-hidden">') == 2
    )
    assert content.count('<td class="overlap-none">0</td>') == 4
    assert '<section id="shared-a-b" class="overlap-pair" aria-labelledby="shared-a-b-heading">' in content
    assert "A Process and B Process: 2 shared states" in content
    assert "C Process and D Process: 1 shared state</h3>" in content
    assert 'id="shared-a-c"' not in content
    assert [entry.state.code for entry in response.context["overlap"].shared_states] == ["US", "CA", "MX"]


def test_overlap_page_without_processes_says_so(client):
    response = client.get(reverse("processes:overlap"))

    assert response.status_code == 200
    assert "No process has been recorded yet." in response.content.decode()


def test_overlap_page_refuses_a_nul_byte(client):
    response = client.get(reverse("processes:overlap") + "?x=a%00b")

    assert response.status_code == 400
    assert "The address contains a NUL character." in response.content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_overlap_query_count_is_constant(client, django_assert_num_queries, count):
    states = [f.StateFactory() for _ in range(3)]
    for _ in range(count):
        process = f.ProcessFactory()
        for state in states:
            f.MembershipFactory(process=process, state=state)

    with django_assert_num_queries(2):
        response = client.get(reverse("processes:overlap"))

    assert response.status_code == 200


def test_overlap_matrix_shows_the_processes_chosen_in_the_address_in_that_order(client, known_overlaps):
    response = client.get(reverse("processes:overlap"), {"p": ["d", "a"]})

    overlap = response.context["overlap"]
    assert response.status_code == 200
    assert [p.slug for p in overlap.processes] == ["d", "a"]
    assert counts(overlap) == {("d", "d"): 2, ("d", "a"): 1, ("a", "d"): 1, ("a", "a"): 4}
    assert [cell.anchor for cell in overlap.pairs] == ["shared-a-d"]
    assert [entry.state.code for entry in overlap.shared_states] == ["US", "CA", "MX"]
    assert "The table shows the 2 processes you chose." in response.content.decode()


def test_overlap_page_refuses_an_unknown_process(client, known_overlaps):
    response = client.get(reverse("processes:overlap"), {"p": ["a", "nowhere"]})

    assert response.status_code == 400
    assert "There is no process “nowhere”. Choose processes from the list." in response.content.decode()


def test_overlap_page_refuses_more_processes_than_the_table_holds(client, db):
    slugs = [f.ProcessFactory(slug=f"p{number:02}").slug for number in range(analysis.MATRIX_LIMIT + 1)]

    response = client.get(reverse("processes:overlap"), {"p": slugs})

    assert response.status_code == 400
    assert "Choose at most 25 processes for the table." in response.content.decode()


@pytest.fixture
def forty_processes():
    """40 processes; the 26 named "Shared …" share their three members, the others share none."""
    common = [f.StateFactory() for _ in range(3)]
    for number in range(26):
        process = f.ProcessFactory(short_name=f"Shared {number:02}", slug=f"shared-{number:02}")
        for state in common:
            f.MembershipFactory(process=process, state=state)
    for number in range(14):
        process = f.ProcessFactory(short_name=f"Alone {number:02}", slug=f"alone-{number:02}")
        f.MembershipFactory(process=process, state=f.StateFactory())
    return common


def test_overlap_matrix_defaults_to_the_processes_sharing_the_most_members(forty_processes):
    overlap = analysis.membership_overlap()

    assert [p.slug for p in overlap.processes] == [f"shared-{number:02}" for number in range(25)]
    assert overlap.process_count == 40
    assert overlap.is_partial
    assert len(overlap.pairs) == 300
    assert len(overlap.available) == 40
    assert [entry.count for entry in overlap.shared_states] == [26, 26, 26]


def test_overlap_page_stays_small_with_forty_processes(client, django_assert_num_queries, forty_processes):
    with django_assert_num_queries(2):
        response = client.get(reverse("processes:overlap"))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('<th scope="row">') == 25 + 3  # matrix rows, then the ranked states
    assert content.count('<section id="shared-') == 300
    assert (
        "The table shows the 25 processes that share the most member states with other processes, of 40 "
        "processes." in content
    )
    assert content.count('<option value="') == 40
    assert len(response.content) < 400_000


def test_overlap_page_caps_the_ranked_states(client, db):
    codes = sorted(code for code, _name in countries)[: analysis.SHARED_STATES_SHOWN + 2]
    states = [f.StateFactory(code=code) for code in codes]
    for slug in ("first", "second"):
        process = f.ProcessFactory(slug=slug)
        for state in states:
            f.MembershipFactory(process=process, state=state)

    response = client.get(reverse("processes:overlap"))

    content = response.content.decode()
    assert len(response.context["overlap"].shared_states) == 52
    assert "The 50 states in the most processes, of 52 states in two or more processes." in content
    assert content.count("<td>2</td>") == 50
