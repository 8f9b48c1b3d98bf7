import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from processes import enums
from tests import factories as f


@pytest.fixture
def count_queries(client):
    """Request ``url`` and return the response and how many SQL queries it ran."""

    def run(url, params=None):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, params or {})
        assert response.status_code == 200, response.status_code
        return response, len(context.captured_queries)

    return run


@pytest.fixture
def bali(db):
    """A process with a row in every section of its profile, each row with its own source."""
    asia = f.RegionFactory(name="Asia", slug="asia")
    pacific = f.RegionFactory(name="Asia-Pacific", slug="asia-pacific", parent=asia)
    trafficking = f.ThemeFactory(name="Trafficking", slug="trafficking")
    smuggling = f.ThemeFactory(name="Smuggling", slug="smuggling")
    australia = f.StateFactory(code="AU")
    indonesia = f.StateFactory(code="ID")
    thailand = f.StateFactory(code="TH")
    new_zealand = f.StateFactory(code="NZ")
    iom = f.OrganizationFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    asean = f.OrganizationFactory(
        name="Association of Southeast Asian Nations",
        acronym="ASEAN",
        slug="asean",
        kind=enums.OrganizationKind.REGIONAL_INSTITUTION,
    )
    matrix = f.SourceFactory(title="IOM RCP matrix", url="https://example.org/matrix", slug="matrix")
    website = f.SourceFactory(title="Bali Process website", url="https://example.org/bali", slug="bali-site")
    report = f.SourceFactory(title="GCIM-IOM workshop report", url="", slug="report")

    process = f.ProcessFactory(
        name="Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime",
        short_name="Bali Process",
        acronym="BP",
        slug="bali",
        established_year=2002,
        established_note="First ministerial conference in Bali.",
        description="A forum for policy dialogue on smuggling and trafficking.",
        objectives="Combat people smuggling.",
        working_methods="Ad hoc groups.",
        meets_ministerial=True,
        meets_senior_officials=True,
        chair_arrangement=enums.ChairArrangement.PERMANENT_CO_CHAIRS,
        chair_note="Co-chaired by Indonesia and Australia.",
        civil_society_involvement=enums.Involvement.SELECTIVE,
        private_sector_involvement=enums.Involvement.REGULAR,
        self_financing=False,
        funding_note="Mostly Australian funding.",
        website="https://www.baliprocess.net/",
        as_of=datetime.date(2024, 3, 1),
        regions=[pacific],
        themes=[trafficking, smuggling],
    )
    process.sources.set([website])
    f.ProcessClaimFactory(process=process, topic=enums.ClaimTopic.ESTABLISHED, value="2002", source=website)
    f.ProcessClaimFactory(process=process, topic=enums.ClaimTopic.ESTABLISHED, value="2001", source=report)

    def sourced(row, *sources, as_of=None):
        row.sources.set(sources)
        if as_of:
            row.as_of = as_of
            row.save()
        return row

    sourced(
        f.MembershipFactory(process=process, state=indonesia, since=2002, note="Founding member"),
        matrix,
        as_of=datetime.date(2023, 1, 15),
    )
    sourced(
        f.MembershipFactory(process=process, state=australia, since=2002),
        matrix,
        website,
        as_of=datetime.date(2024, 2, 1),
    )
    sourced(
        f.MembershipFactory(
            process=process, state=thailand, role=enums.MembershipRole.OBSERVER, since=2003, until=2005
        ),
        report,
    )
    sourced(
        f.OrganizationRoleFactory(
            process=process, organization=iom, role=enums.OrganizationRoleKind.TECHNICAL_SUPPORT, since=2002
        ),
        matrix,
    )
    sourced(
        f.ChairTermFactory(
            process=process, state=indonesia, co_chair=australia, start_year=2002, end_year=None
        ),
        website,
    )
    sourced(
        f.SecretariatFactory(
            process=process,
            arrangement=enums.SecretariatArrangement.TECHNICAL_SUPPORT_UNIT,
            hosts=[iom],
            city="Bangkok",
            country="TH",
            since=2012,
            staff=6,
            notes="Regional Support Office.",
        ),
        website,
    )
    sourced(
        f.FundingFactory(
            process=process, state=new_zealand, year=2010, amount="250000.00", currency="USD", note="Pledge"
        ),
        matrix,
    )
    sourced(
        f.EvaluationFactory(
            process=process,
            kind=enums.EvaluationKind.EXTERNAL,
            conducted_by="Independent consultant",
            endorsed_by=enums.EndorsedBy.MINISTERS,
            findings="Useful but underfunded.",
            recommendations="Create a support office.",
        ),
        report,
    )
    output = sourced(
        f.OutputFactory(
            process=process, title="Bali Declaration", year=2016, link="https://example.org/decl"
        ),
        website,
    )
    output.themes.set([trafficking])
    achievement = sourced(
        f.AchievementFactory(
            process=process,
            title="Anti-trafficking laws",
            description="New laws in several member states.",
            kind=enums.AchievementKind.LEGISLATION,
            level=enums.AchievementLevel.NATIONAL,
            year=2009,
            attribution=enums.Attribution.PARTLY,
        ),
        matrix,
    )
    achievement.states.set([thailand])
    sourced(
        f.InstitutionLinkFactory(
            process=process,
            institution=asean,
            nature=enums.InstitutionLinkNature.OBSERVER,
            note="Observer seat",
        ),
        matrix,
    )
    workshop = f.WorkshopFactory(
        title="RCP workshop 2005",
        slug="rcp-2005",
        processes=[process],
        report_url="https://example.org/report.pdf",
    )
    f.FindingFactory(
        workshop=workshop, number=12, text="The Bali Process has a light structure.", processes=[process]
    )
    return process
