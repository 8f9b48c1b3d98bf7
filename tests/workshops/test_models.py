import ast
import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from tests import factories
from workshops import enums
from workshops.models import Finding, Participation, Recommendation, Session, SessionLead, Workshop

pytestmark = pytest.mark.django_db

ENDS_BEFORE_START = "The meeting ends before it starts."
SESSION_ORDER_TAKEN = "Another session of this meeting already has this order number."
PARAGRAPH_TAKEN = "This meeting already has a finding with this paragraph number."
PARAGRAPH_NOT_POSITIVE = "Paragraph numbers start at 1."
SESSION_OF_OTHER_MEETING = "This session belongs to another meeting. Choose a session of this meeting."
NO_PARTICIPANT = "Name who took part: a person, an organisation or a process."
LEAD_TAKEN = "This person already has this role in this session."
POSITION_TAKEN = "Another recommendation of this meeting has this position."


def build_workshop(**kwargs):
    return factories.WorkshopFactory.build(
        title="Workshop", slug="workshop", kind=enums.WorkshopKind.INTER_PROCESS, **kwargs
    )


# --- A meeting does not end before it starts ---------------------------------------------------


@pytest.mark.parametrize(
    "end_date",
    [datetime.date(2005, 4, 14), datetime.date(2005, 4, 15), None],
    ids=["same-day", "next-day", "no-end-date"],
)
def test_workshop_end_date_not_before_start_is_valid(end_date):
    workshop = build_workshop(start_date=datetime.date(2005, 4, 14), end_date=end_date)

    workshop.full_clean()


def test_workshop_end_date_before_start_is_invalid():
    workshop = build_workshop(start_date=datetime.date(2005, 4, 15), end_date=datetime.date(2005, 4, 14))

    with pytest.raises(ValidationError) as error:
        workshop.full_clean()

    assert error.value.message_dict == {"end_date": [ENDS_BEFORE_START]}


def test_workshop_end_date_before_start_is_refused_by_the_database():
    workshop = build_workshop(start_date=datetime.date(2005, 4, 15), end_date=datetime.date(2005, 4, 14))

    with pytest.raises(IntegrityError), transaction.atomic():
        workshop.save()

    assert Workshop.objects.count() == 0


# --- Session order is unique within a meeting --------------------------------------------------


def test_session_order_taken_in_another_meeting_is_valid():
    factories.SessionFactory(order=1)
    session = Session(workshop=factories.WorkshopFactory(), order=1, title="Opening")

    session.full_clean()


def test_session_order_taken_in_the_same_meeting_is_invalid():
    existing = factories.SessionFactory(order=1)
    session = Session(workshop=existing.workshop, order=1, title="Opening")

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert error.value.message_dict == {"__all__": [SESSION_ORDER_TAKEN]}


def test_session_keeping_its_own_order_is_valid():
    session = factories.SessionFactory(order=1)

    session.full_clean()


def test_session_order_taken_is_refused_by_the_database():
    existing = factories.SessionFactory(order=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(workshop=existing.workshop, order=1, title="Opening")

    assert Session.objects.count() == 1


def test_session_guiding_question_list_skips_blank_lines():
    session = factories.SessionFactory.build(guiding_questions="Why?\n\n  How?  \n")

    assert session.guiding_question_list == ["Why?", "How?"]


def test_session_lead_repeating_person_and_role_is_invalid():
    lead = factories.SessionLeadFactory(role=enums.LeadRole.CHAIR)
    repeat = SessionLead(session=lead.session, person=lead.person, role=enums.LeadRole.CHAIR)

    with pytest.raises(ValidationError) as error:
        repeat.full_clean()

    assert error.value.message_dict == {"__all__": [LEAD_TAKEN]}


# --- Paragraph numbers are unique within a meeting and start at 1 -------------------------------


def test_finding_number_taken_in_another_meeting_is_valid():
    factories.FindingFactory(number=7)
    finding = Finding(
        workshop=factories.WorkshopFactory(), number=7, kind=enums.FindingKind.OBSERVATION, text="Said."
    )

    finding.full_clean()


def test_finding_number_taken_in_the_same_meeting_is_invalid():
    existing = factories.FindingFactory(number=7)
    finding = Finding(workshop=existing.workshop, number=7, kind=enums.FindingKind.OBSERVATION, text="Said.")

    with pytest.raises(ValidationError) as error:
        finding.full_clean()

    assert error.value.message_dict == {"__all__": [PARAGRAPH_TAKEN]}


def test_finding_number_taken_is_refused_by_the_database():
    existing = factories.FindingFactory(number=7)

    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(
            workshop=existing.workshop, number=7, kind=enums.FindingKind.OBSERVATION, text="Said."
        )

    assert Finding.objects.count() == 1


def test_finding_number_zero_is_invalid():
    finding = Finding(
        workshop=factories.WorkshopFactory(), number=0, kind=enums.FindingKind.OBSERVATION, text="Said."
    )

    with pytest.raises(ValidationError) as error:
        finding.full_clean()

    assert error.value.message_dict == {"__all__": [PARAGRAPH_NOT_POSITIVE]}


def test_finding_number_zero_is_refused_by_the_database():
    workshop = factories.WorkshopFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(workshop=workshop, number=0, kind=enums.FindingKind.OBSERVATION, text="Said.")

    assert Finding.objects.count() == 0


# --- A finding's session belongs to the finding's meeting (clean() only) ------------------------


@pytest.mark.parametrize("with_session", [True, False], ids=["own-session", "no-session"])
def test_finding_with_a_session_of_its_meeting_or_none_is_valid(with_session):
    session = factories.SessionFactory()
    finding = Finding(
        workshop=session.workshop,
        session=session if with_session else None,
        number=1,
        kind=enums.FindingKind.OBSERVATION,
        text="Said.",
    )

    finding.full_clean()


def test_finding_with_a_session_of_another_meeting_is_invalid():
    other_session = factories.SessionFactory()
    finding = Finding(
        workshop=factories.WorkshopFactory(),
        session=other_session,
        number=1,
        kind=enums.FindingKind.OBSERVATION,
        text="Said.",
    )

    with pytest.raises(ValidationError) as error:
        finding.full_clean()

    assert error.value.message_dict == {"session": [SESSION_OF_OTHER_MEETING]}


# --- A participation names at least one participant ---------------------------------------------


@pytest.mark.parametrize("participant", ["person", "organization", "process"])
def test_participation_naming_one_participant_is_valid(participant):
    make = {
        "person": factories.PersonFactory,
        "organization": factories.OrganizationFactory,
        "process": factories.ProcessFactory,
    }[participant]
    participation = Participation(
        workshop=factories.WorkshopFactory(),
        role=enums.ParticipationRole.PARTICIPANT,
        **{participant: make()},
    )

    participation.full_clean()


def test_participation_naming_nobody_is_invalid():
    participation = Participation(
        workshop=factories.WorkshopFactory(), role=enums.ParticipationRole.PARTICIPANT
    )

    with pytest.raises(ValidationError) as error:
        participation.full_clean()

    assert error.value.message_dict == {"__all__": [NO_PARTICIPANT]}
    assert [e.code for e in error.value.error_dict["__all__"]] == ["participation_empty"]


def test_participation_naming_nobody_is_refused_by_the_database():
    workshop = factories.WorkshopFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(workshop=workshop, role=enums.ParticipationRole.PARTICIPANT)

    assert Participation.objects.count() == 0


def test_participation_participant_is_the_first_named():
    organization = factories.OrganizationFactory(name="International Organization for Migration", acronym="")
    participation = factories.ParticipationFactory(
        person=None, organization=organization, role=enums.ParticipationRole.ORGANISER
    )

    assert participation.participant == organization
    assert str(participation) == "International Organization for Migration – Organiser"


# --- Recommendations ----------------------------------------------------------------------------


def test_recommendation_position_taken_in_the_same_meeting_is_invalid():
    existing = factories.RecommendationFactory(position=3)
    recommendation = Recommendation(
        workshop=existing.workshop, position=3, kind=enums.RecommendationKind.LESSON, text="Learned."
    )

    with pytest.raises(ValidationError) as error:
        recommendation.full_clean()

    assert error.value.message_dict == {"__all__": [POSITION_TAKEN]}


# --- Deleting ------------------------------------------------------------------------------------


def test_deleting_a_meeting_deletes_its_sessions_and_their_findings():
    session = factories.SessionFactory()
    factories.FindingFactory(workshop=session.workshop, session=session)
    kept = factories.FindingFactory(session=factories.SessionFactory())

    session.workshop.delete()

    assert list(Finding.objects.all()) == [kept]
    assert list(Session.objects.all()) == [kept.session]


def test_deleting_a_session_that_has_findings_is_refused():
    session = factories.SessionFactory()
    factories.FindingFactory(workshop=session.workshop, session=session)

    with pytest.raises(RestrictedError):
        session.delete()

    assert Session.objects.count() == 1


# --- Dependencies run one way -------------------------------------------------------------------


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module or ""
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_processes_never_imports_from_workshops():
    processes_dir = Path(__file__).resolve().parents[2] / "processes"
    sources = sorted(processes_dir.rglob("*.py"))

    offenders = [
        f"{path.relative_to(processes_dir.parent)}: {module}"
        for path in sources
        for module in imported_modules(path)
        if module == "workshops" or module.startswith("workshops.") or ".workshops" in module
    ]

    assert len(sources) >= 5
    assert offenders == []


def test_workshops_imports_from_processes():
    source = (Path(__file__).resolve().parents[2] / "workshops" / "models.py").read_text()

    assert "from processes.models import" in source
