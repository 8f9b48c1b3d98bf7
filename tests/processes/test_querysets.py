"""Chainable reads of the registry; every test holds a record that must be left out."""

import pytest

from processes import enums
from processes.models import Membership, Process, Region
from tests import factories as f

pytestmark = pytest.mark.django_db


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True))


@pytest.fixture
def africa_tree():
    africa = f.RegionFactory(name="Africa", slug="africa")
    southern = f.RegionFactory(name="Southern Africa", slug="southern-africa", parent=africa)
    sadc_core = f.RegionFactory(name="SADC core", slug="sadc-core", parent=southern)
    asia = f.RegionFactory(name="Asia", slug="asia")
    return {"africa": africa, "southern": southern, "core": sadc_core, "asia": asia}


def test_active_leaves_out_dormant_and_concluded_processes():
    f.ProcessFactory(slug="puebla", status=enums.ProcessStatus.ACTIVE)
    f.ProcessFactory(slug="iscm", status=enums.ProcessStatus.DORMANT)
    f.ProcessFactory(slug="apc", status=enums.ProcessStatus.CONCLUDED)

    assert slugs(Process.objects.active()) == ["puebla"]


def test_descendant_ids_holds_the_region_and_every_region_below_it(africa_tree):
    ids = Region.objects.descendant_ids(africa_tree["africa"])

    assert ids == {africa_tree["africa"].pk, africa_tree["southern"].pk, africa_tree["core"].pk}


def test_descendant_ids_of_a_sub_region_leaves_out_its_parent(africa_tree):
    ids = Region.objects.descendant_ids(africa_tree["southern"])

    assert ids == {africa_tree["southern"].pk, africa_tree["core"].pk}


def test_with_descendants_lists_the_regions_below(africa_tree):
    assert slugs(Region.objects.with_descendants(africa_tree["southern"])) == ["sadc-core", "southern-africa"]


def test_in_region_includes_processes_of_sub_regions_and_excludes_others(africa_tree):
    f.ProcessFactory(slug="midsa", regions=[africa_tree["southern"]])
    f.ProcessFactory(slug="core", regions=[africa_tree["core"]])
    f.ProcessFactory(slug="africa-wide", regions=[africa_tree["africa"]])
    f.ProcessFactory(slug="bali", regions=[africa_tree["asia"]])
    f.ProcessFactory(slug="nowhere")

    assert slugs(Process.objects.in_region(africa_tree["africa"])) == ["africa-wide", "core", "midsa"]
    assert slugs(Process.objects.in_region(africa_tree["southern"])) == ["core", "midsa"]


def test_in_region_lists_a_process_in_two_matching_regions_once(africa_tree):
    f.ProcessFactory(slug="midsa", regions=[africa_tree["southern"], africa_tree["core"]])

    assert slugs(Process.objects.in_region(africa_tree["africa"])) == ["midsa"]


def test_with_theme_excludes_processes_without_it():
    trafficking, health = f.ThemeFactory(), f.ThemeFactory()
    f.ProcessFactory(slug="puebla", themes=[trafficking, health])
    f.ProcessFactory(slug="bali", themes=[health])

    assert slugs(Process.objects.with_theme(trafficking)) == ["puebla"]


def test_with_member_lists_current_members_only(mexico, united_states):
    current = f.ProcessFactory(slug="current")
    ended = f.ProcessFactory(slug="ended")
    observed = f.ProcessFactory(slug="observed")
    other_state = f.ProcessFactory(slug="other-state")
    f.MembershipFactory(process=current, state=mexico, role="member", since=1996)
    f.MembershipFactory(process=ended, state=mexico, role="member", since=1996, until=2001)
    f.MembershipFactory(process=observed, state=mexico, role="observer")
    f.MembershipFactory(process=other_state, state=united_states, role="member")

    assert slugs(Process.objects.with_member(mexico)) == ["current"]


def test_with_observer_lists_current_observers_only(mexico, united_states):
    observed = f.ProcessFactory(slug="observed")
    ended = f.ProcessFactory(slug="ended")
    member = f.ProcessFactory(slug="member")
    f.MembershipFactory(process=observed, state=mexico, role="observer")
    f.MembershipFactory(process=ended, state=mexico, role="observer", since=1996, until=2001)
    f.MembershipFactory(process=member, state=mexico, role="member")
    f.MembershipFactory(process=member, state=united_states, role="observer")

    assert slugs(Process.objects.with_observer(mexico)) == ["observed"]


def test_with_meeting_level_excludes_processes_without_that_level():
    f.ProcessFactory(slug="ministerial", meets_ministerial=True)
    f.ProcessFactory(slug="technical", meets_technical=True)

    assert slugs(Process.objects.with_meeting_level(enums.MeetingLevel.MINISTERIAL)) == ["ministerial"]
    assert slugs(Process.objects.with_meeting_level("technical")) == ["technical"]


def test_evaluated_separates_evaluated_from_never_evaluated_processes():
    twice = f.ProcessFactory(slug="twice")
    f.EvaluationFactory(process=twice)
    f.EvaluationFactory(process=twice)
    f.ProcessFactory(slug="never")

    assert slugs(Process.objects.evaluated()) == ["twice"]
    assert slugs(Process.objects.evaluated(True)) == ["twice"]
    assert slugs(Process.objects.evaluated(False)) == ["never"]


def test_established_between_is_inclusive_and_excludes_years_outside():
    for year in (1985, 1991, 1996, 2002, 2003):
        f.ProcessFactory(slug=f"from-{year}", established_year=year)
    f.ProcessFactory(slug="unknown", established_year=None)

    assert slugs(Process.objects.established_between(1991, 2002)) == ["from-1991", "from-1996", "from-2002"]


def test_established_between_with_one_bound():
    for year in (1985, 1996, 2003):
        f.ProcessFactory(slug=f"from-{year}", established_year=year)

    assert slugs(Process.objects.established_between(start=1996)) == ["from-1996", "from-2003"]
    assert slugs(Process.objects.established_between(end=1996)) == ["from-1985", "from-1996"]


def test_chained_querysets_combine(mexico, africa_tree):
    wanted = f.ProcessFactory(slug="wanted", regions=[africa_tree["southern"]])
    dormant = f.ProcessFactory(slug="dormant", regions=[africa_tree["southern"]], status="dormant")
    elsewhere = f.ProcessFactory(slug="elsewhere", regions=[africa_tree["asia"]])
    for process in (wanted, dormant, elsewhere):
        f.MembershipFactory(process=process, state=mexico)

    result = Process.objects.active().in_region(africa_tree["africa"]).with_member(mexico)

    assert slugs(result) == ["wanted"]


@pytest.fixture
def memberships(process, mexico, united_states, guatemala):
    return {
        "current_member": f.MembershipFactory(process=process, state=mexico, role="member", since=1996),
        "ended_member": f.MembershipFactory(
            process=process, state=united_states, role="member", since=1996, until=2000
        ),
        "current_observer": f.MembershipFactory(process=process, state=guatemala, role="observer"),
    }


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_membership_current_leaves_out_ended_memberships(memberships):
    assert pks(Membership.objects.current()) == {
        memberships["current_member"].pk,
        memberships["current_observer"].pk,
    }


def test_membership_members_leaves_out_observers(memberships):
    assert pks(Membership.objects.members()) == {
        memberships["current_member"].pk,
        memberships["ended_member"].pk,
    }


def test_membership_observers_leaves_out_members(memberships):
    assert pks(Membership.objects.observers()) == {memberships["current_observer"].pk}


def test_membership_current_members_chain(memberships):
    assert pks(Membership.objects.current().members()) == {memberships["current_member"].pk}
