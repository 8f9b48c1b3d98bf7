"""A small but realistic registry for the browser tests, built with the factories.

``live_server`` runs in another thread, so the data must be committed (``transactional_db``): each test
builds it afresh and the database is flushed after it.
"""

import datetime
from dataclasses import dataclass

from processes import enums
from tests import factories as f
from workshops import enums as wenums


@dataclass
class Site:
    colombo: object
    bali: object
    puebla: object
    sri_lanka: object
    iom: object
    theme: object
    workshop: object


def build_site():
    asia = f.RegionFactory(name="Asia", slug="asia")
    asia_pacific = f.RegionFactory(name="Asia-Pacific", slug="asia-pacific")
    americas = f.RegionFactory(name="Americas", slug="americas")
    labour = f.ThemeFactory(name="Labour migration", slug="labour-migration", description="Work abroad.")
    trafficking = f.ThemeFactory(name="Trafficking in persons", slug="trafficking")
    iom = f.OrganizationFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    unhcr = f.OrganizationFactory(
        name="UN Refugee Agency", acronym="UNHCR", slug="unhcr", kind=enums.OrganizationKind.UN_AGENCY
    )
    source = f.SourceFactory(title="IOM RCP profiles", url="https://www.iom.int/rcps")

    states = {
        code: f.StateFactory(code=code, region=region)
        for code, region in [
            ("LK", asia),
            ("IN", asia),
            ("PH", asia),
            ("ID", asia_pacific),
            ("AU", asia_pacific),
            ("NZ", asia_pacific),
            ("MX", americas),
            ("US", americas),
            ("CA", americas),
        ]
    }

    colombo = f.ProcessFactory(
        name="Regional Consultative Process on Overseas Employment and Contractual Labour for "
        "Countries of Origin in Asia",
        short_name="Colombo Process",
        acronym="CP",
        slug="colombo-process",
        established_year=2003,
        description="A dialogue of countries of origin in Asia on labour migration.",
        meets_ministerial=True,
        meets_senior_officials=True,
        regions=[asia],
        themes=[labour],
    )
    bali = f.ProcessFactory(
        name="Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime",
        short_name="Bali Process",
        acronym="BP",
        slug="bali-process",
        established_year=2002,
        meets_ministerial=True,
        regions=[asia_pacific],
        themes=[trafficking],
    )
    puebla = f.ProcessFactory(
        name="Regional Conference on Migration",
        short_name="Puebla Process",
        acronym="RCM",
        slug="puebla-process",
        established_year=1996,
        meets_vice_ministerial=True,
        regions=[americas],
        themes=[labour, trafficking],
    )
    for process, members, observers in [
        (colombo, ["LK", "IN", "PH"], ["AU"]),
        (bali, ["ID", "AU", "NZ", "PH", "IN"], ["CA"]),
        (puebla, ["MX", "US", "CA"], ["PH"]),
    ]:
        for code in members:
            f.MembershipFactory(process=process, state=states[code], since=process.established_year)
        for code in observers:
            f.MembershipFactory(process=process, state=states[code], role=enums.MembershipRole.OBSERVER)
        f.OrganizationRoleFactory(process=process, organization=unhcr)
    f.OrganizationRoleFactory(
        process=colombo, organization=iom, role=enums.OrganizationRoleKind.SECRETARIAT_HOST
    )
    f.SecretariatFactory(
        process=colombo, arrangement=enums.SecretariatArrangement.FIXED, hosts=[iom], city="Colombo"
    )
    f.SecretariatFactory(process=bali, arrangement=enums.SecretariatArrangement.TECHNICAL_SUPPORT_UNIT)
    f.ChairTermFactory(process=colombo, state=states["LK"], start_year=2021, end_year=2023)
    f.ChairTermFactory(
        process=bali, state=states["ID"], co_chair=states["AU"], start_year=2002, end_year=None
    )
    f.ChairTermFactory(process=puebla, state=states["MX"], start_year=2022, end_year=2022)
    f.ProcessClaimFactory(process=colombo, topic=enums.ClaimTopic.ESTABLISHED, value="2003", source=source)
    f.ProcessClaimFactory(
        process=colombo, topic=enums.ClaimTopic.ESTABLISHED, value="2002", source=f.SourceFactory()
    )
    f.OutputFactory(process=colombo, title="Colombo Declaration", year=2011)
    f.EvaluationFactory(process=bali)

    workshop = f.WorkshopFactory(
        title="Workshop on Regional Consultative Processes",
        slug="rcp-workshop-2005",
        start_date=datetime.date(2005, 4, 14),
        end_date=datetime.date(2005, 4, 15),
        processes=[colombo, bali, puebla],
    )
    workshop.organizers.set([iom])
    opening = f.SessionFactory(workshop=workshop, order=1, title="Opening session")
    f.SessionLeadFactory(session=opening, person=f.PersonFactory(name="Brunson McKinley"))
    f.ParticipationFactory(workshop=workshop, person=None, organization=iom)
    f.FindingFactory(
        workshop=workshop,
        session=opening,
        number=12,
        kind=wenums.FindingKind.CONSENSUS,
        text="Informality lets states discuss sensitive questions.",
        themes=[labour],
        processes=[colombo],
    )
    f.FindingFactory(
        workshop=workshop,
        number=13,
        kind=wenums.FindingKind.DIVERGENCE,
        text="Views differ on how far processes should involve civil society.",
    )
    f.RecommendationFactory(
        workshop=workshop,
        position=1,
        text="Processes should share information on their work.",
        status=wenums.FollowUpStatus.IN_PROGRESS,
        themes=[trafficking],
    )
    f.RecommendationFactory(workshop=workshop, position=2, status=wenums.FollowUpStatus.OPEN)
    f.DocumentFactory(workshop=workshop, title="Final report", kind=wenums.DocumentKind.REPORT, author=iom)
    return Site(
        colombo=colombo,
        bali=bali,
        puebla=puebla,
        sri_lanka=states["LK"],
        iom=iom,
        theme=labour,
        workshop=workshop,
    )
