"""Synthetic knowledge bases for benchmarks and scale tests: ``generate_synthetic(scale=N)``.

At scale 100 it writes about a hundred times the demo knowledge base: 900 processes, every state
django-countries knows, 20,000 memberships, 300 meetings, 15,000 findings, with regions, themes,
sources, organisations, chair terms, secretariats, sessions and recommendations. Scale 1 is about a
hundredth of that, never less than a small floor. The same scale and seed always give the same data.

Every row satisfies the model constraints and ``full_clean()``: a state holds one role in a process
(each process draws distinct states), chair terms of a process follow each other without overlap,
finding numbers and session orders are unique within their meeting. Rows are written with
``bulk_create`` in batches, which sends no model signal, so the content version of the page cache is
bumped explicitly at the end (rcpdb/core/cache.py).
"""

import datetime
import random
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django_countries import countries

from processes import enums as penums
from processes import models as pm
from processes.state_reference import search_text
from rcpdb.core.cache import bump_content_version
from workshops import enums
from workshops import models as wm

BATCH_SIZE = 1000
AS_OF = datetime.date(2026, 1, 1)

# Sizes at scale 100, and the floor below which a small scale does not go.
BASE_COUNTS = {
    "regions": (20, 20),
    "themes": (20, 20),
    "sources": (500, 10),
    "organizations": (200, 10),
    "processes": (900, 5),
    "memberships": (20_000, 50),
    "workshops": (300, 2),
    "findings": (15_000, 20),
}
CHAIR_TERMS_PER_PROCESS = 3
SESSIONS_PER_WORKSHOP = 4
RECOMMENDATIONS_PER_WORKSHOP = 10
SYNTHETIC_FOLLOW_UP_STATUSES = [
    s for s in enums.FollowUpStatus.values if s != enums.FollowUpStatus.NOT_TRACKED
]

WORDS = (
    "migration",
    "dialogue",
    "cooperation",
    "border",
    "labour",
    "return",
    "protection",
    "asylum",
    "trafficking",
    "smuggling",
    "integration",
    "development",
    "data",
    "statistics",
    "health",
    "gender",
    "consular",
    "regularization",
    "trade",
    "capacity",
    "regional",
    "states",
    "ministers",
    "officials",
    "secretariat",
    "workshop",
    "agreement",
    "training",
    "exchange",
    "practice",
    "information",
    "campaign",
    "remittances",
    "diaspora",
    "readmission",
    "visas",
    "mobility",
    "rights",
    "reception",
)
CITIES = ("Geneva", "Bangkok", "San José", "Pretoria", "Dakar", "Lima", "Colombo", "Vienna", "Rabat")
CONTINENTS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


def scaled_counts(scale):
    """How many rows of each kind ``scale`` gives (memberships never exceed states per process)."""
    if scale < 1:
        raise ValueError("The scale must be at least 1.")
    counts = {name: max(floor, round(base * scale / 100)) for name, (base, floor) in BASE_COUNTS.items()}
    counts["states"] = len(countries)
    counts["memberships"] = min(counts["memberships"], counts["processes"] * counts["states"])
    counts["chair_terms"] = counts["processes"] * CHAIR_TERMS_PER_PROCESS
    counts["secretariats"] = counts["processes"]
    counts["sessions"] = counts["workshops"] * SESSIONS_PER_WORKSHOP
    counts["recommendations"] = counts["workshops"] * RECOMMENDATIONS_PER_WORKSHOP
    return counts


@dataclass
class SyntheticResult:
    scale: int
    seed: int
    tag: str
    counts: dict = field(default_factory=dict)


def _silent(stage, done, total):
    pass


def _spread(total, parts):
    """``total`` split into ``parts`` near-equal whole numbers (the first ones take the remainder)."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


class _Writer:
    def __init__(self, progress):
        self.progress = progress

    def create(self, stage, model, objects, *, total=None):
        """bulk_create ``objects`` in batches, reporting progress; returns them (with their pks)."""
        objects = list(objects)
        total = total if total is not None else len(objects)
        created = []
        self.progress(stage, 0, total)
        for start in range(0, len(objects), BATCH_SIZE):
            batch = objects[start : start + BATCH_SIZE]
            created.extend(model.objects.bulk_create(batch))
            self.progress(stage, min(start + len(batch), total), total)
        return created

    def link(self, stage, through, rows):
        return self.create(stage, through, rows)


def _text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def next_free_tag():
    """The slug prefix of a new synthetic run: syn1, syn2, ... whichever is not taken yet."""
    number = 1
    while pm.Process.objects.filter(slug__startswith=f"syn{number}-").exists():
        number += 1
    return f"syn{number}"


def analyze_tables():
    """PostgreSQL: refresh the planner's statistics of the data apps' tables. After a bulk write the
    planner may otherwise plan from statistics of nearly empty tables (taken by autovacuum before the
    write, or by none: inside a transaction autovacuum cannot see the rows), and pick nested loops
    that take minutes on the written rows. ANALYZE runs inside the transaction and sees its rows."""
    if connection.vendor != "postgresql":
        return
    tables = sorted(
        model._meta.db_table
        for app_label in ("processes", "workshops")
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


@transaction.atomic
def generate_synthetic(*, scale=1, seed=2005, progress=None):
    """Write a synthetic knowledge base of ``scale`` (see ``scaled_counts``); returns what it wrote."""
    progress = progress or _silent
    counts = scaled_counts(scale)
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    tag = next_free_tag()
    writer = _Writer(progress)

    regions = _regions(writer, tag, counts["regions"])
    states = _states(writer, rng, regions)
    themes = writer.create(
        "themes",
        pm.Theme,
        (
            pm.Theme(name=f"Theme {tag} {i:02}", slug=f"{tag}-theme-{i:02}", description=_text(rng, 12))
            for i in range(1, counts["themes"] + 1)
        ),
    )
    sources = writer.create(
        "sources",
        pm.Source,
        (
            pm.Source(
                slug=f"{tag}-source-{i:04}",
                title=f"Synthetic source {i:04}: {_text(rng, 5)}",
                publisher=rng.choice(("IOM", "UNHCR", "ICMPD", "GCIM")),
                url=f"https://example.org/{tag}/sources/{i:04}",
                published=datetime.date(rng.randint(1990, 2025), rng.randint(1, 12), rng.randint(1, 28)),
            )
            for i in range(1, counts["sources"] + 1)
        ),
    )
    organizations = writer.create(
        "organizations",
        pm.Organization,
        (
            pm.Organization(
                name=f"Synthetic organisation {i:03}",
                acronym=f"SO{i:03}",
                slug=f"{tag}-org-{i:03}",
                kind=rng.choice(penums.OrganizationKind.values),
                region=rng.choice(regions),
            )
            for i in range(1, counts["organizations"] + 1)
        ),
    )
    processes = _processes(writer, rng, tag, counts["processes"], regions, themes, sources)
    members = _memberships(writer, rng, processes, states, sources, counts["memberships"])
    _chairs_and_secretariats(writer, rng, processes, members, organizations)
    workshops = _workshops(writer, rng, tag, counts["workshops"], processes, organizations)
    _sessions_findings_recommendations(writer, rng, workshops, themes, counts["findings"])

    analyze_tables()
    bump_content_version()
    written = {
        "regions": len(regions),
        "states": len(states),
        "themes": len(themes),
        "sources": len(sources),
        "organizations": len(organizations),
        "processes": len(processes),
        **{
            name: counts[name]
            for name in (
                "memberships",
                "chair_terms",
                "secretariats",
                "workshops",
                "sessions",
                "findings",
                "recommendations",
            )
        },
    }
    return SyntheticResult(scale=scale, seed=seed, tag=tag, counts=written)


def _regions(writer, tag, total):
    continents = writer.create(
        "regions",
        pm.Region,
        (pm.Region(name=f"{name} ({tag})", slug=f"{tag}-{name.lower()}") for name in CONTINENTS),
    )
    subregions = [
        pm.Region(
            name=f"{continents[i % len(continents)].name.split(' (')[0]} sub-region {i + 1}",
            slug=f"{tag}-subregion-{i + 1:02}",
            parent=continents[i % len(continents)],
        )
        for i in range(total - len(continents))
    ]
    return continents + writer.create("sub-regions", pm.Region, subregions)


def _states(writer, rng, regions):
    """Every country django-countries knows; existing states are kept as they are (bulk_create does
    not call save(): the search text is built here)."""
    existing = {str(state.code): state for state in pm.State.objects.all()}
    subregions = [region for region in regions if region.parent_id] or regions
    new = [
        pm.State(code=code, region=rng.choice(subregions), search_text=search_text(code))
        for code, _name in sorted(countries, key=lambda item: item[0])
        if code not in existing
    ]
    writer.create("states", pm.State, new)
    return sorted(pm.State.objects.all(), key=lambda state: str(state.code))


def _processes(writer, rng, tag, total, regions, themes, sources):
    processes = writer.create(
        "processes",
        pm.Process,
        (
            pm.Process(
                name=f"Synthetic Regional Consultative Process {i:04}",
                short_name=f"Synthetic Process {tag} {i:04}",
                acronym=f"SP{i:04}",
                slug=f"{tag}-process-{i:04}",
                kind=rng.choice(penums.ProcessKind.values),
                established_year=rng.randint(1985, 2024),
                status=rng.choice(penums.ProcessStatus.values),
                description=_text(rng, 40),
                objectives=_text(rng, 25),
                working_methods=_text(rng, 20),
                meets_ministerial=rng.random() < 0.5,
                meets_vice_ministerial=rng.random() < 0.2,
                meets_senior_officials=rng.random() < 0.8,
                meets_technical=rng.random() < 0.6,
                chair_arrangement=rng.choice(penums.ChairArrangement.values),
                civil_society_involvement=rng.choice(penums.Involvement.values),
                private_sector_involvement=rng.choice(penums.Involvement.values),
                self_financing=rng.choice((True, False, None)),
                website=f"https://example.org/{tag}/processes/{i:04}",
                as_of=AS_OF,
            )
            for i in range(1, total + 1)
        ),
    )
    region_rows, theme_rows, source_rows = [], [], []
    for process in processes:
        region_rows += [
            pm.Process.regions.through(process_id=process.pk, region_id=region.pk)
            for region in rng.sample(regions, rng.randint(1, 2))
        ]
        theme_rows += [
            pm.Process.themes.through(process_id=process.pk, theme_id=theme.pk)
            for theme in rng.sample(themes, rng.randint(2, 5))
        ]
        source_rows += [
            pm.Process.sources.through(process_id=process.pk, source_id=source.pk)
            for source in rng.sample(sources, rng.randint(1, 2))
        ]
    writer.link("process regions", pm.Process.regions.through, region_rows)
    writer.link("process themes", pm.Process.themes.through, theme_rows)
    writer.link("process sources", pm.Process.sources.through, source_rows)
    return processes


def _memberships(writer, rng, processes, states, sources, total):
    """Distinct states per process, so a state never holds two roles in one process at a time."""
    members_of = {}
    rows = []
    for process, size in zip(processes, _spread(total, len(processes)), strict=True):
        chosen = rng.sample(states, size)
        members_of[process.pk] = chosen
        for state in chosen:
            since = rng.randint(max(process.established_year, 1985), 2024)
            ended = rng.random() < 0.1
            rows.append(
                pm.Membership(
                    process=process,
                    state=state,
                    role=penums.MembershipRole.OBSERVER
                    if rng.random() < 0.2
                    else penums.MembershipRole.MEMBER,
                    since=since,
                    until=rng.randint(since, 2025) if ended else None,
                    as_of=AS_OF,
                )
            )
    memberships = writer.create("memberships", pm.Membership, rows)
    links = [
        pm.Membership.sources.through(membership_id=membership.pk, source_id=rng.choice(sources).pk)
        for membership in memberships
        if rng.random() < 0.5
    ]
    writer.link("membership sources", pm.Membership.sources.through, links)
    return members_of


def _chairs_and_secretariats(writer, rng, processes, members_of, organizations):
    terms, secretariats, hosts_of = [], [], []
    for process in processes:
        chairs = rng.sample(members_of[process.pk], min(CHAIR_TERMS_PER_PROCESS, len(members_of[process.pk])))
        while len(chairs) < CHAIR_TERMS_PER_PROCESS:  # a process with fewer members than terms
            chairs.append(chairs[len(chairs) % len(chairs)])
        start = rng.randint(2000, 2018)
        for index, state in enumerate(chairs):
            last = index == CHAIR_TERMS_PER_PROCESS - 1
            # Each term begins in the year the previous one ends: a hand-over, not an overlap.
            terms.append(
                pm.ChairTerm(
                    process=process,
                    state=state,
                    start_year=start + 2 * index,
                    end_year=None if last else start + 2 * (index + 1),
                    as_of=AS_OF,
                )
            )
        arrangement = rng.choice(penums.SecretariatArrangement.values)
        has_host = arrangement != penums.SecretariatArrangement.NONE
        host = rng.choice(organizations) if has_host else None
        if host is not None and not any(hosts_of):
            host = organizations[0]  # the first organisation hosts one at every scale (its page shows it)
        # Every fifth hosted secretariat is joint: the next organisation hosts it too.
        joint = host is not None and len(hosts_of) % 5 == 4 and len(organizations) > 1
        hosts_of.append(
            [host, organizations[(organizations.index(host) + 1) % len(organizations)]]
            if joint
            else [host]
            if host
            else []
        )
        secretariats.append(
            pm.Secretariat(
                process=process,
                arrangement=arrangement,
                city=rng.choice(CITIES) if has_host else "",
                since=rng.randint(process.established_year, 2025) if has_host else None,
                staff=rng.randint(0, 12) if has_host else None,
                as_of=AS_OF,
            )
        )
    writer.create("chair terms", pm.ChairTerm, terms)
    secretariats = writer.create("secretariats", pm.Secretariat, secretariats)
    writer.link(
        "secretariat hosts",
        pm.Secretariat.hosts.through,
        (
            pm.Secretariat.hosts.through(secretariat_id=secretariat.pk, organization_id=host.pk)
            for secretariat, hosts in zip(secretariats, hosts_of, strict=True)
            for host in hosts
        ),
    )
    # The "secretariat host" roles follow from the hosts (as services.sync_secretariat_host_roles
    # writes them; the secretariats cite no source here).
    writer.create(
        "organisation roles",
        pm.OrganizationRole,
        (
            pm.OrganizationRole(
                process_id=secretariat.process_id,
                organization=host,
                role=penums.OrganizationRoleKind.SECRETARIAT_HOST,
                since=secretariat.since,
                as_of=secretariat.as_of,
            )
            for secretariat, hosts in zip(secretariats, hosts_of, strict=True)
            for host in hosts
        ),
    )


def _workshops(writer, rng, tag, total, processes, organizations):
    rows = []
    country_codes = sorted(code for code, _name in countries)
    for i in range(1, total + 1):
        start = datetime.date(rng.randint(1995, 2025), rng.randint(1, 12), rng.randint(1, 28))
        rows.append(
            wm.Workshop(
                title=f"Synthetic meeting {tag} {i:03}: {_text(rng, 4)[:-1]}",
                slug=f"{tag}-meeting-{i:03}",
                kind=rng.choice(enums.WorkshopKind.values),
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.randint(0, 3)),
                city=rng.choice(CITIES),
                country=rng.choice(country_codes),
                summary=_text(rng, 60),
                report_url=f"https://example.org/{tag}/meetings/{i:03}.pdf",
            )
        )
    workshops = writer.create("meetings", wm.Workshop, rows)
    process_rows, organizer_rows = [], []
    for workshop in workshops:
        represented = rng.sample(processes, min(len(processes), rng.randint(2, 6)))
        workshop.represented = represented
        process_rows += [
            wm.Workshop.processes.through(workshop_id=workshop.pk, process_id=process.pk)
            for process in represented
        ]
        organizer_rows += [
            wm.Workshop.organizers.through(workshop_id=workshop.pk, organization_id=organization.pk)
            for organization in rng.sample(organizations, rng.randint(1, 2))
        ]
    writer.link("meeting processes", wm.Workshop.processes.through, process_rows)
    writer.link("meeting organisers", wm.Workshop.organizers.through, organizer_rows)
    return workshops


def _sessions_findings_recommendations(writer, rng, workshops, themes, total_findings):
    sessions = writer.create(
        "sessions",
        wm.Session,
        (
            wm.Session(
                workshop=workshop,
                order=order,
                title=f"Session {order}: {_text(rng, 4)[:-1]}",
                guiding_questions="\n".join(_text(rng, 8)[:-1] + "?" for _ in range(2)),
            )
            for workshop in workshops
            for order in range(1, SESSIONS_PER_WORKSHOP + 1)
        ),
    )
    sessions_of = {}
    for session in sessions:
        sessions_of.setdefault(session.workshop_id, []).append(session)

    findings = []
    for workshop, size in zip(workshops, _spread(total_findings, len(workshops)), strict=True):
        for number in range(1, size + 1):
            findings.append(
                wm.Finding(
                    workshop=workshop,
                    number=number,
                    session=rng.choice(sessions_of[workshop.pk]) if rng.random() < 0.8 else None,
                    kind=rng.choice(enums.FindingKind.values),
                    text=_text(rng, rng.randint(15, 45)),
                )
            )
    findings = writer.create("findings", wm.Finding, findings)
    workshop_of = {workshop.pk: workshop for workshop in workshops}
    theme_rows, process_rows = [], []
    for finding in findings:
        theme_rows += [
            wm.Finding.themes.through(finding_id=finding.pk, theme_id=theme.pk)
            for theme in rng.sample(themes, rng.randint(1, 2))
        ]
        represented = workshop_of[finding.workshop_id].represented
        process_rows += [
            wm.Finding.processes.through(finding_id=finding.pk, process_id=process.pk)
            for process in rng.sample(represented, rng.randint(0, 2))
        ]
    writer.link("finding themes", wm.Finding.themes.through, theme_rows)
    writer.link("finding processes", wm.Finding.processes.through, process_rows)

    recommendation_rows = [
        wm.Recommendation(
            workshop=workshop,
            position=position,
            paragraph=rng.randint(1, 60) if rng.random() < 0.7 else None,
            kind=rng.choice(enums.RecommendationKind.values),
            text=_text(rng, rng.randint(12, 30)),
            addressed_to=rng.choice(("States", "RCP secretariats", "IOM", "Donors", "")),
            # the statuses of before "not tracked" existed: the same draws, the same data
            status=rng.choice(SYNTHETIC_FOLLOW_UP_STATUSES),
        )
        for workshop in workshops
        for position in range(1, RECOMMENDATIONS_PER_WORKSHOP + 1)
    ]
    # Numbered within their kind per meeting, in position order (bulk creation skips save()).
    next_number = {}
    for row in recommendation_rows:
        key = (row.workshop.pk, row.kind)
        next_number[key] = row.number = next_number.get(key, 0) + 1
    recommendations = writer.create("recommendations", wm.Recommendation, recommendation_rows)
    writer.link(
        "recommendation themes",
        wm.Recommendation.themes.through,
        [
            wm.Recommendation.themes.through(
                recommendation_id=recommendation.pk, theme_id=rng.choice(themes).pk
            )
            for recommendation in recommendations
        ],
    )
