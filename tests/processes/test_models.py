"""Integrity rules of the registry: each rule's clean() message, and the database constraint behind it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from processes import enums
from processes import models as pm
from processes.forms import SecretariatForm
from tests import factories as f

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date.today().year + 1
YEAR_MESSAGE = f"Enter a year between 1945 and {NEXT_YEAR}."


def errors_of(obj):
    """The message dict full_clean() raises, or {} when the object is valid."""
    try:
        obj.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def assert_database_rejects(obj):
    """The row is refused by the database itself (save() runs no clean())."""
    with transaction.atomic(), pytest.raises(IntegrityError):
        obj.save()


# End not before start ------------------------------------------------------------------------------


def test_membership_ending_before_it_starts_is_rejected(process, mexico):
    membership = pm.Membership(process=process, state=mexico, role="member", since=2005, until=2004)

    assert errors_of(membership) == {"until": ["The membership ends before it starts."]}
    assert_database_rejects(membership)


def test_membership_ending_in_its_start_year_is_valid(process, mexico):
    membership = pm.Membership(process=process, state=mexico, role="member", since=2005, until=2005)

    assert errors_of(membership) == {}


def test_chair_term_ending_before_it_starts_is_rejected(process, mexico):
    term = pm.ChairTerm(process=process, state=mexico, start_year=2010, end_year=2009)

    assert errors_of(term) == {"end_year": ["The chair term ends before it starts."]}
    assert_database_rejects(term)


def test_chair_term_ending_after_it_starts_is_valid(process, mexico):
    term = pm.ChairTerm(process=process, state=mexico, start_year=2010, end_year=2011)

    assert errors_of(term) == {}


def test_evaluation_ending_before_it_starts_is_rejected(process):
    evaluation = pm.Evaluation(
        process=process,
        kind=enums.EvaluationKind.EXTERNAL,
        start_date=datetime.date(2005, 3, 1),
        end_date=datetime.date(2005, 2, 28),
    )

    assert errors_of(evaluation) == {"end_date": ["The evaluation ends before it starts."]}
    assert_database_rejects(evaluation)


def test_evaluation_ending_on_its_start_date_is_valid(process):
    evaluation = pm.Evaluation(
        process=process,
        kind=enums.EvaluationKind.EXTERNAL,
        start_date=datetime.date(2005, 3, 1),
        end_date=datetime.date(2005, 3, 1),
    )

    assert errors_of(evaluation) == {}


def test_organization_role_ending_before_it_starts_is_rejected(process):
    role = pm.OrganizationRole(
        process=process, organization=f.OrganizationFactory(), role="partner", since=2003, until=2001
    )

    assert errors_of(role) == {"until": ["The role ends before it starts."]}
    assert_database_rejects(role)


def test_organization_role_with_ordered_years_is_valid(process):
    role = pm.OrganizationRole(
        process=process, organization=f.OrganizationFactory(), role="partner", since=2001, until=2003
    )

    assert errors_of(role) == {}


# Chair terms of one process do not overlap ----------------------------------------------------------

OVERLAP_2010_2012 = (
    "This term overlaps the chair term of Mexico (2010–2012). Terms of one process must not overlap; "
    "a term may begin in the year the previous one ends."
)


def test_chair_term_overlapping_the_previous_one_is_rejected(process, mexico, united_states):
    f.ChairTermFactory(process=process, state=mexico, start_year=2010, end_year=2012)
    term = pm.ChairTerm(process=process, state=united_states, start_year=2011, end_year=2013)

    assert errors_of(term) == {"start_year": [OVERLAP_2010_2012]}


def test_chair_term_may_begin_in_the_year_the_previous_one_ends(process, mexico, united_states):
    f.ChairTermFactory(process=process, state=mexico, start_year=2010, end_year=2012)
    term = pm.ChairTerm(process=process, state=united_states, start_year=2012, end_year=2014)

    assert errors_of(term) == {}


def test_chair_term_with_the_same_start_year_overlaps(process, mexico, united_states):
    f.ChairTermFactory(process=process, state=mexico, start_year=2010, end_year=2012)
    term = pm.ChairTerm(process=process, state=united_states, start_year=2010, end_year=2010)

    assert errors_of(term) == {"start_year": [OVERLAP_2010_2012]}
    assert_database_rejects(term)


def test_chair_term_inside_an_open_ended_term_is_rejected(process, mexico, united_states):
    f.ChairTermFactory(process=process, state=mexico, start_year=2015, end_year=None)
    term = pm.ChairTerm(process=process, state=united_states, start_year=2018, end_year=2019)

    assert errors_of(term) == {
        "start_year": [
            "This term overlaps the chair term of Mexico (since 2015). Terms of one process must not "
            "overlap; a term may begin in the year the previous one ends."
        ]
    }


def test_second_open_ended_chair_term_is_rejected_by_the_database(process, mexico, united_states):
    f.ChairTermFactory(process=process, state=mexico, start_year=2015, end_year=None)
    term = pm.ChairTerm(process=process, state=united_states, start_year=2018, end_year=None)

    assert errors_of(term) == {
        "start_year": [
            "This term overlaps the chair term of Mexico (since 2015). Terms of one process must not "
            "overlap; a term may begin in the year the previous one ends."
        ],
        "__all__": ["This process already has a current chair. Enter the year its term ended first."],
    }
    assert_database_rejects(term)


def test_chair_terms_of_different_processes_may_overlap(process, mexico, united_states):
    f.ChairTermFactory(process=process, state=mexico, start_year=2010, end_year=2012)
    term = pm.ChairTerm(process=f.ProcessFactory(), state=united_states, start_year=2010, end_year=2012)

    assert errors_of(term) == {}


def test_co_chair_must_differ_from_the_chair(process, mexico):
    term = pm.ChairTerm(process=process, state=mexico, co_chair=mexico, start_year=2010)

    assert errors_of(term) == {"co_chair": ["The co-chair must be a different state from the chair."]}
    assert_database_rejects(term)


def test_co_chair_from_another_state_is_valid(process, mexico, united_states):
    term = pm.ChairTerm(process=process, state=mexico, co_chair=united_states, start_year=2010)

    assert errors_of(term) == {}


def test_chair_term_without_co_chair_is_valid(process, mexico):
    term = pm.ChairTerm(process=process, state=mexico, start_year=2010)

    assert errors_of(term) == {}


# A state holds one role in a process at a time -----------------------------------------------------


def test_state_with_a_current_membership_cannot_also_observe(process, mexico):
    f.MembershipFactory(process=process, state=mexico, role="member", since=2001)
    observer = pm.Membership(process=process, state=mexico, role="observer", since=2010)

    assert errors_of(observer) == {
        "state": [
            "Mexico already holds a role in this process (Member, since 2001). A state holds one role "
            "in a process at a time: end the other membership first."
        ]
    }
    assert_database_rejects(observer)


def test_state_whose_membership_ended_in_the_start_year_overlaps(process, mexico):
    f.MembershipFactory(process=process, state=mexico, role="observer", since=1996, until=2001)
    member = pm.Membership(process=process, state=mexico, role="member", since=2001)

    assert errors_of(member) == {
        "state": [
            "Mexico already holds a role in this process (Observer, 1996–2001). A state holds one role "
            "in a process at a time: end the other membership first."
        ]
    }


def test_state_may_take_a_new_role_after_the_old_one_ended(process, mexico):
    f.MembershipFactory(process=process, state=mexico, role="observer", since=1996, until=2000)
    member = pm.Membership(process=process, state=mexico, role="member", since=2001)

    assert errors_of(member) == {}


def test_state_may_be_member_of_two_processes(process, mexico):
    f.MembershipFactory(process=process, state=mexico, since=2001)
    other = pm.Membership(process=f.ProcessFactory(), state=mexico, role="member", since=2001)

    assert errors_of(other) == {}


def test_organization_cannot_hold_the_same_current_role_twice(process):
    iom = f.OrganizationFactory()
    f.OrganizationRoleFactory(process=process, organization=iom, role="partner")
    again = pm.OrganizationRole(process=process, organization=iom, role="partner", since=2005)

    assert errors_of(again) == {"__all__": ["This organisation already has this role in this process."]}
    assert_database_rejects(again)


def test_organization_may_take_the_role_again_after_it_ended(process):
    iom = f.OrganizationFactory()
    f.OrganizationRoleFactory(process=process, organization=iom, role="partner", since=1999, until=2001)
    again = pm.OrganizationRole(process=process, organization=iom, role="partner", since=2005)

    assert errors_of(again) == {}


# Funding ------------------------------------------------------------------------------------------

ONE_CONTRIBUTOR = "Name exactly one contributor: either a state or an organisation."


def test_funding_without_contributor_is_rejected(process):
    funding = pm.Funding(process=process, kind=enums.FundingKind.DONOR_GRANT, year=2004)

    assert errors_of(funding) == {"__all__": [ONE_CONTRIBUTOR]}
    assert_database_rejects(funding)


def test_funding_with_two_contributors_is_rejected(process, mexico):
    funding = pm.Funding(
        process=process,
        state=mexico,
        organization=f.OrganizationFactory(),
        kind=enums.FundingKind.DONOR_GRANT,
        year=2004,
    )

    assert errors_of(funding) == {"__all__": [ONE_CONTRIBUTOR]}
    assert_database_rejects(funding)


def test_funding_from_one_state_is_valid(process, mexico):
    funding = pm.Funding(process=process, state=mexico, kind=enums.FundingKind.VOLUNTARY_STATE, year=2004)

    assert errors_of(funding) == {}


def test_funding_from_one_organization_is_valid(process):
    funding = pm.Funding(
        process=process, organization=f.OrganizationFactory(), kind=enums.FundingKind.DONOR_GRANT
    )

    assert errors_of(funding) == {}


def test_funding_amount_cannot_be_negative(process, mexico):
    funding = pm.Funding(
        process=process, state=mexico, kind="voluntary_state", amount=Decimal("-1.00"), currency="USD"
    )

    assert errors_of(funding) == {"amount": ["The amount cannot be negative."]}
    assert_database_rejects(funding)


def test_funding_amount_of_zero_with_currency_is_valid(process, mexico):
    funding = pm.Funding(
        process=process, state=mexico, kind="voluntary_state", amount=Decimal("0.00"), currency="USD"
    )

    assert errors_of(funding) == {}


def test_funding_amount_needs_a_currency(process, mexico):
    funding = pm.Funding(process=process, state=mexico, kind="voluntary_state", amount=Decimal("5000.00"))

    assert errors_of(funding) == {"currency": ["Give the currency of the amount."]}
    assert_database_rejects(funding)


# Plausible years ------------------------------------------------------------------------------------

YEAR_FIELDS = [
    (f.ProcessFactory, "established_year"),
    (f.MembershipFactory, "since"),
    (f.MembershipFactory, "until"),
    (f.OrganizationRoleFactory, "since"),
    (f.OrganizationRoleFactory, "until"),
    (f.SecretariatFactory, "since"),
    (f.ChairTermFactory, "start_year"),
    (f.ChairTermFactory, "end_year"),
    (f.FundingFactory, "year"),
    (f.OutputFactory, "year"),
    (f.AchievementFactory, "year"),
]


# Keeps the other end of a period out of the way, so only the year under test can be wrong.
OTHER_END = {"start_year": {"end_year": None}, "end_year": {"start_year": 1945}}


def year_cases(years):
    return [
        pytest.param(factory, field, year, id=f"{factory._meta.model.__name__}.{field}-{year}")
        for factory, field in YEAR_FIELDS
        for year in years
        # An end year of 1944 also ends before any plausible start: tested on its own below.
        if (field, year) != ("end_year", 1944)
    ]


@pytest.mark.parametrize(("factory", "field", "year"), year_cases([1944, NEXT_YEAR + 1]))
def test_implausible_year_is_rejected(factory, field, year):
    obj = factory(**OTHER_END.get(field, {}))
    setattr(obj, field, year)

    assert errors_of(obj) == {field: [YEAR_MESSAGE]}


@pytest.mark.parametrize(("factory", "field", "year"), year_cases([1945, NEXT_YEAR]))
def test_plausible_year_is_valid(factory, field, year):
    obj = factory(**OTHER_END.get(field, {}))
    setattr(obj, field, year)

    assert errors_of(obj) == {}


@pytest.mark.parametrize(("factory", "field", "year"), year_cases([1944, 2101]))
def test_database_rejects_a_year_outside_1945_to_2100(factory, field, year):
    obj = factory(**OTHER_END.get(field, {}))
    setattr(obj, field, year)

    assert_database_rejects(obj)


def test_chair_term_ending_in_1944_is_rejected_twice_over(process, mexico):
    term = pm.ChairTerm(process=process, state=mexico, start_year=1945, end_year=1944)

    assert errors_of(term) == {"end_year": [YEAR_MESSAGE, "The chair term ends before it starts."]}
    assert_database_rejects(term)


def test_evaluation_before_1945_is_rejected(process):
    evaluation = pm.Evaluation(process=process, kind="internal", start_date=datetime.date(1944, 12, 31))

    assert errors_of(evaluation) == {"start_date": [YEAR_MESSAGE]}
    assert_database_rejects(evaluation)


def test_evaluation_completed_after_next_year_is_rejected(process):
    evaluation = pm.Evaluation(process=process, kind="internal", end_date=datetime.date(NEXT_YEAR + 1, 1, 1))

    assert errors_of(evaluation) == {"end_date": [YEAR_MESSAGE]}


# One secretariat per process ---------------------------------------------------------------------


def test_second_secretariat_of_a_process_is_rejected(process):
    f.SecretariatFactory(process=process)
    second = pm.Secretariat(process=process, arrangement=enums.SecretariatArrangement.ROTATING_WITH_CHAIR)

    assert errors_of(second) == {
        "process": ["This process already has a secretariat; edit that one instead."]
    }
    assert_database_rejects(second)


def test_secretariat_of_another_process_is_valid(process):
    f.SecretariatFactory(process=process)
    other = pm.Secretariat(process=f.ProcessFactory(), arrangement=enums.SecretariatArrangement.FIXED)

    assert errors_of(other) == {}


def test_process_without_secretariat_has_no_host(process):
    form_class = modelform_factory(
        pm.Secretariat, form=SecretariatForm, fields=["process", "arrangement", "hosts"]
    )
    form = form_class(
        data={
            "process": process.pk,
            "arrangement": enums.SecretariatArrangement.NONE,
            "hosts": [f.OrganizationFactory().pk],
        }
    )

    assert form.errors == {
        "hosts": ["A process without a secretariat has no host organisation; clear the hosts."]
    }


# Unique slugs and keys -----------------------------------------------------------------------------

SLUGGED = [
    (f.RegionFactory, "Region with this Slug already exists."),
    (f.OrganizationFactory, "Organisation with this Slug already exists."),
    (f.ThemeFactory, "Theme with this Slug already exists."),
    (f.SourceFactory, "Source with this Key already exists."),
    (f.ProcessFactory, "Process with this Slug already exists."),
]


@pytest.mark.parametrize(("factory", "message"), SLUGGED, ids=[s[0]._meta.model.__name__ for s in SLUGGED])
def test_duplicate_slug_is_rejected(factory, message):
    factory(slug="taken")
    duplicate = factory.build(slug="taken")

    assert errors_of(duplicate) == {"slug": [message]}
    assert_database_rejects(duplicate)


@pytest.mark.parametrize("factory", [s[0] for s in SLUGGED], ids=[s[0]._meta.model.__name__ for s in SLUGGED])
def test_distinct_slug_is_valid(factory):
    factory(slug="taken")
    other = factory.build(slug="free")

    assert errors_of(other) == {}


def test_duplicate_state_is_rejected(mexico):
    duplicate = pm.State(code="MX")

    assert errors_of(duplicate) == {"code": ["State with this Country already exists."]}
    assert_database_rejects(duplicate)


def test_duplicate_claim_of_one_source_on_one_topic_is_rejected(process):
    claim = f.ProcessClaimFactory(process=process, topic=enums.ClaimTopic.ESTABLISHED, value="1996")
    duplicate = pm.ProcessClaim(process=process, topic=claim.topic, source=claim.source, value="1997")

    assert errors_of(duplicate) == {"__all__": ["This source already has a claim on this topic."]}
    assert_database_rejects(duplicate)


def test_claims_of_two_sources_on_one_topic_are_valid(process):
    f.ProcessClaimFactory(process=process, topic=enums.ClaimTopic.ESTABLISHED, value="1996")
    other = pm.ProcessClaim(
        process=process, topic=enums.ClaimTopic.ESTABLISHED, source=f.SourceFactory(), value="1997"
    )

    assert errors_of(other) == {}


def test_duplicate_institution_link_is_rejected(process):
    link = f.InstitutionLinkFactory(process=process)
    duplicate = pm.InstitutionLink(process=process, institution=link.institution, nature="formal")

    assert errors_of(duplicate) == {"__all__": ["This process is already linked to this institution."]}
    assert_database_rejects(duplicate)


# Regions ------------------------------------------------------------------------------------------

ANCESTOR_MESSAGE = "A region cannot lie inside itself or one of its sub-regions."


def test_region_cannot_be_its_own_parent():
    africa = f.RegionFactory(name="Africa")
    africa.parent = africa

    assert errors_of(africa) == {"parent": [ANCESTOR_MESSAGE]}


def test_region_cannot_lie_inside_its_own_sub_region():
    africa = f.RegionFactory(name="Africa")
    southern = f.RegionFactory(name="Southern Africa", parent=africa)
    africa.parent = southern

    assert errors_of(africa) == {"parent": [ANCESTOR_MESSAGE]}


def test_region_inside_another_region_is_valid():
    africa = f.RegionFactory(name="Africa")
    southern = f.RegionFactory(name="Southern Africa")
    southern.parent = africa

    assert errors_of(southern) == {}
