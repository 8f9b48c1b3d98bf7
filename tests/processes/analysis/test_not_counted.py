"""Analyses say which processes they could not count (#14): overlap and compare leave out a process
without a recorded member list, and name it."""

import pytest
from django.urls import reverse

from processes import analysis, enums
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def processes():
    mx, us, tr = (f.StateFactory(code=code) for code in ("MX", "US", "TR"))
    puebla = f.ProcessFactory(short_name="Puebla Process", slug="puebla")
    lima = f.ProcessFactory(short_name="Lima Process", slug="lima")
    for state in (mx, us):
        f.MembershipFactory(process=puebla, state=state)
    f.MembershipFactory(process=lima, state=mx)
    # No member row: Budapest's list is not recorded (no completeness row); Bali's is said so.
    budapest = f.ProcessFactory(short_name="Budapest Process", slug="budapest")
    f.MembershipFactory(process=budapest, state=tr, role=enums.MembershipRole.OBSERVER)
    bali = f.ProcessFactory(short_name="Bali Process", slug="bali")
    f.ListCompletenessFactory(
        process=bali, section=enums.ListSection.MEMBERS, status=enums.Completeness.NOT_RECORDED
    )
    # Recorded as complete and empty: counted, with no member.
    empty = f.ProcessFactory(short_name="Empty Dialogue", slug="empty")
    f.ListCompletenessFactory(
        process=empty, section=enums.ListSection.MEMBERS, status=enums.Completeness.COMPLETE
    )
    return puebla, lima, budapest, bali, empty


def test_overlap_leaves_out_processes_without_a_recorded_member_list(processes):
    data = analysis.membership_overlap()

    assert [p.slug for p in data.processes] == ["empty", "lima", "puebla"]
    assert [p.slug for p in data.not_counted] == ["bali", "budapest"]
    assert [(s.state.code, s.count) for s in data.shared_states] == [("MX", 2)]


def test_overlap_of_chosen_processes_names_the_chosen_one_it_cannot_count(processes):
    data = analysis.membership_overlap(slugs=["puebla", "lima", "bali"])

    assert [p.slug for p in data.processes] == ["puebla", "lima"]
    assert [p.slug for p in data.not_counted] == ["bali"]


def test_overlap_page_says_what_it_did_not_count(client, processes):
    html = client.get(reverse("processes:overlap")).content.decode()

    assert (
        'Not counted: <a href="/en/processes/bali/">Bali Process</a>, '
        '<a href="/en/processes/budapest/">Budapest Process</a> — member list not recorded'
    ) in html
    assert '<option value="bali"' not in html


def test_compare_says_not_recorded_instead_of_zero(processes):
    matrix = analysis.comparison_matrix(slugs=["puebla", "budapest", "empty"])

    rows = {row[0]: row[1:] for row in matrix.as_table()}
    assert rows["Member states"] == ["2", "not recorded", "0"]
    assert rows["Members"] == ["Mexico; United States of America", "not recorded", ""]
    assert rows["Observer states"] == ["not recorded", "1", "not recorded"]
    assert rows["Evaluations"] == ["not recorded", "not recorded", "not recorded"]
