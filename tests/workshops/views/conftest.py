import datetime

import pytest

from tests import factories as f
from workshops import enums


@pytest.fixture
def meeting(db):
    """The 2005 workshop in miniature: two sessions, their findings, recommendations, people, documents."""
    iom = f.OrganizationFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    gcim = f.OrganizationFactory(
        name="Global Commission on International Migration", acronym="GCIM", slug="gcim"
    )
    puebla = f.ProcessFactory(
        short_name="Puebla Process", name="Regional Conference on Migration", slug="puebla"
    )
    funding = f.ThemeFactory(name="Funding", slug="funding")
    workshop = f.WorkshopFactory(
        title="Workshop of the Regional Consultative Processes",
        slug="rcp-workshop-2005",
        kind=enums.WorkshopKind.INTER_PROCESS,
        start_date=datetime.date(2005, 4, 14),
        end_date=datetime.date(2005, 4, 15),
        city="Geneva",
        country="CH",
        summary="The first meeting of all the processes.",
        processes=[puebla],
    )
    workshop.organizers.set([iom, gcim])
    # Created out of order on purpose: the page must follow ``order`` and ``number``.
    second = f.SessionFactory(workshop=workshop, order=2, title="Funding the processes")
    first = f.SessionFactory(
        workshop=workshop,
        order=1,
        title="Organisation and working methods",
        guiding_questions="How are the processes organised?\n\nWho chairs them?",
    )
    chair = f.PersonFactory(name="Dr. R.K. Jenny", position="Project Director", organization=gcim)
    presenter = f.PersonFactory(name="Ms. Ana Lopez", position="Coordinator")
    f.SessionLeadFactory(session=first, person=chair, role=enums.LeadRole.CHAIR)
    f.SessionLeadFactory(session=first, person=presenter, role=enums.LeadRole.PRESENTER, on_behalf_of=iom)
    f.FindingFactory(
        workshop=workshop, session=second, number=7, text="Funding is rarely predictable.", themes=[funding]
    )
    f.FindingFactory(workshop=workshop, session=first, number=4, text="Most processes meet once a year.")
    f.FindingFactory(workshop=workshop, session=first, number=3, text="A light secretariat serves them well.")
    f.FindingFactory(workshop=workshop, session=None, number=12, text="Closing remarks were made.")
    f.RecommendationFactory(
        workshop=workshop,
        position=1,
        kind=enums.RecommendationKind.RECOMMENDATION,
        text="Build a shared knowledge base.",
        addressed_to="IOM",
        status=enums.FollowUpStatus.IN_PROGRESS,
    )
    f.ParticipationFactory(workshop=workshop, role=enums.ParticipationRole.PRESIDING, person=chair)
    f.ParticipationFactory(
        workshop=workshop, role=enums.ParticipationRole.REPRESENTED, person=None, process=puebla
    )
    f.DocumentFactory(
        workshop=workshop,
        title="Matrix of the processes",
        author=iom,
        year=2005,
        link="https://example.org/matrix.pdf",
        kind="matrix",
    )
    return workshop
