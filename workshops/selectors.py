"""Reads of meetings that the public pages share. Each runs a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from processes.as_of import Version
from processes.models import Organization, Process
from processes.selectors import Link, count_of
from rcpdb.core import history

from . import enums
from .models import (
    Document,
    Finding,
    Participation,
    Person,
    Recommendation,
    Session,
    SessionLead,
    Workshop,
)


def workshop_list_queryset():
    """Meetings with what the list shows: processes represented and how many findings and recommendations.

    Each count is a subquery of its own table by the meeting's key (``count_of``): two ``Count()`` over
    joins would multiply a meeting's findings by its recommendations before counting (50 findings and
    30 recommendations: 1,500 joined rows a meeting, 130 ms a page at 100x data).
    """
    return (
        Workshop.objects.prefetch_related("processes")
        .annotate(
            finding_count=count_of(Finding.objects.all(), outer_field="workshop"),
            recommendation_count=count_of(Recommendation.objects.all(), outer_field="workshop"),
        )
        # Pagination needs a total order.
        .order_by("-start_date", "title", "pk")
    )


# The order of the findings and recommendations lists (newest meeting first), which the theme page's
# newest ones follow too.
FINDING_ORDER = ("-workshop__start_date", "workshop__title", "workshop_id", "number")
RECOMMENDATION_ORDER = ("-workshop__start_date", "workshop__title", "workshop_id", "position")


def finding_list_queryset():
    return (
        Finding.objects.select_related("workshop", "session")
        .prefetch_related("themes", "processes")
        .order_by(*FINDING_ORDER)
    )


def recommendation_list_queryset():
    return (
        Recommendation.objects.select_related("workshop")
        .prefetch_related("themes")
        .order_by(*RECOMMENDATION_ORDER)
    )


@dataclass
class SessionBlock:
    session: Session
    leads: list
    findings: list = field(default_factory=list)


@dataclass
class ParticipantGroup:
    role: str
    label: str
    participations: list


@dataclass
class WorkshopPage:
    workshop: Workshop
    sessions: list
    findings_without_session: list
    recommendations: list
    participant_groups: list
    documents: list
    finding_count: int


def workshop_page(*, slug):
    """Everything the meeting page shows: 12 queries whatever the size of the meeting."""
    workshop = get_object_or_404(
        Workshop.objects.prefetch_related(
            "organizers",
            "processes",
            Prefetch(
                "sessions",
                queryset=Session.objects.order_by("order").prefetch_related(
                    Prefetch(
                        "session_leads",
                        queryset=SessionLead.objects.select_related(
                            "person__organization", "on_behalf_of"
                        ).order_by("role", "person__name", "pk"),
                    )
                ),
                to_attr="ordered_sessions",
            ),
            Prefetch(
                "findings",
                queryset=Finding.objects.order_by("number").prefetch_related("themes", "processes"),
                to_attr="ordered_findings",
            ),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.order_by("position").prefetch_related("themes"),
                to_attr="ordered_recommendations",
            ),
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related(
                    "person__organization", "organization", "process"
                ).order_by("pk"),
                to_attr="ordered_participations",
            ),
            Prefetch(
                "documents",
                queryset=Document.objects.select_related("author"),
                to_attr="ordered_documents",
            ),
        ),
        slug=slug,
    )
    blocks = {
        s.pk: SessionBlock(session=s, leads=list(s.session_leads.all())) for s in workshop.ordered_sessions
    }
    without_session = []
    for finding in workshop.ordered_findings:
        block = blocks.get(finding.session_id)
        (block.findings if block else without_session).append(finding)
    return WorkshopPage(
        workshop=workshop,
        sessions=list(blocks.values()),
        findings_without_session=without_session,
        recommendations=workshop.ordered_recommendations,
        participant_groups=group_participations(workshop.ordered_participations),
        documents=workshop.ordered_documents,
        finding_count=len(workshop.ordered_findings),
    )


def group_participations(participations):
    """Participations grouped by role, in the order of the roles' choices."""
    by_role = {}
    for participation in participations:
        by_role.setdefault(participation.role, []).append(participation)
    return [
        ParticipantGroup(role=role.value, label=role.label, participations=by_role[role.value])
        for role in enums.ParticipationRole
        if role.value in by_role
    ]


def workshop_page_as_of(slug, day):
    """The meeting ``slug`` as it stood on ``day``, rebuilt from the history: a ``Version`` whose
    ``record`` is the meeting and whose ``context`` has ``page`` (a ``WorkshopPage`` like
    ``workshop_page``'s), or None if it did not exist yet then. A fixed number of queries."""
    workshop, deleted = history.record_as_of(Workshop, day, slug=slug)
    if workshop is None:
        return None
    history.attach_m2m_as_of(Workshop, "organizers", [workshop], day, order=str)
    history.attach_m2m_as_of(Workshop, "processes", [workshop], day, order=lambda p: p.short_name)
    sessions = history.rows_as_of(Session, day, workshop_id=workshop.pk, order=lambda s: s.order)
    leads = history.rows_as_of(SessionLead, day, session_id__in=[s.pk for s in sessions])
    findings = history.rows_as_of(Finding, day, workshop_id=workshop.pk, order=lambda f: f.number)
    recommendations = history.rows_as_of(
        Recommendation, day, workshop_id=workshop.pk, order=lambda r: r.position
    )
    participations = history.rows_as_of(Participation, day, workshop_id=workshop.pk, order=lambda p: p.pk)
    documents = history.rows_as_of(Document, day, workshop_id=workshop.pk)
    people_ids = {row.person_id for row in [*leads, *participations]}
    people = history.targets_as_of(Person, people_ids, day)
    organizations = history.targets_as_of(
        Organization,
        {p.organization_id for p in people.values()}
        | {lead.on_behalf_of_id for lead in leads}
        | {p.organization_id for p in participations}
        | {d.author_id for d in documents},
        day,
    )
    processes = history.targets_as_of(Process, {p.process_id for p in participations}, day)
    for person in people.values():
        history.set_related(person, "organization", organizations)
    for lead in leads:
        history.set_related(lead, "person", people)
        history.set_related(lead, "on_behalf_of", organizations)
    for participation in participations:
        history.set_related(participation, "person", people)
        history.set_related(participation, "organization", organizations)
        history.set_related(participation, "process", processes)
    for document in documents:
        history.set_related(document, "author", organizations)
    history.attach_m2m_as_of(Finding, "themes", findings, day, order=lambda t: t.name)
    history.attach_m2m_as_of(Finding, "processes", findings, day, order=lambda p: p.short_name)
    history.attach_m2m_as_of(Recommendation, "themes", recommendations, day, order=lambda t: t.name)
    leads_of = {}
    for lead in sorted(leads, key=lambda lead: (lead.role, lead.person.name if lead.person else "", lead.pk)):
        leads_of.setdefault(lead.session_id, []).append(lead)
    blocks = {s.pk: SessionBlock(session=s, leads=leads_of.get(s.pk, [])) for s in sessions}
    without_session = []
    for finding in findings:
        block = blocks.get(finding.session_id)
        (block.findings if block else without_session).append(finding)
    page = WorkshopPage(
        workshop=workshop,
        sessions=list(blocks.values()),
        findings_without_session=without_session,
        recommendations=recommendations,
        participant_groups=group_participations(participations),
        documents=documents,
        finding_count=len(findings),
    )
    return Version(record=workshop, day=day, deleted=deleted, context={"page": page, "workshop": workshop})


# --- what the meetings add to the registry's pages (composed by the site layer, rcpdb/site/profiles.py)


def _by_newest(meeting):
    return (-meeting.start_date.toordinal(), meeting.title)


def meetings_link(process):
    """The meetings ``process`` took part in, as a ``Link`` that ``profile_sections`` loads (now, or
    from the history for a dated version) into ``process.meeting_list``, newest first."""
    return Link([process], "workshops", "meeting_list", _by_newest, defer=("summary",))


def process_findings_prefetch():
    """The findings that concern a process (``process.findings.all()``), newest meeting first."""
    return Prefetch(
        "findings",
        queryset=Finding.objects.select_related("workshop", "session").order_by(
            "-workshop__start_date", "workshop__title", "number"
        ),
    )


def process_findings_as_of(process, day):
    """The findings that concerned ``process`` on ``day``, with their meeting and session as of then,
    in the order of ``process_findings_prefetch``. A fixed number of queries."""
    findings = history.reverse_m2m_rows_as_of(Finding, "processes", process.pk, day)
    workshops = history.targets_as_of(Workshop, {f.workshop_id for f in findings}, day)
    sessions = history.targets_as_of(Session, {f.session_id for f in findings}, day)
    for finding in findings:
        history.set_related(finding, "workshop", workshops)
        history.set_related(finding, "session", sessions)
    findings.sort(
        key=lambda f: (
            -(f.workshop.start_date.toordinal() if f.workshop else 0),
            f.workshop.title if f.workshop else "",
            f.number,
        )
    )
    return findings


def theme_counts():
    """Annotations for themes: how many findings and recommendations of the meetings concern each."""
    return {
        "finding_count": count_of(Finding.themes.through.objects.all(), outer_field="theme"),
        "recommendation_count": count_of(Recommendation.themes.through.objects.all(), outer_field="theme"),
    }


# A theme page shows the newest of its findings and of its recommendations (a theme of the 100x data
# has over a thousand findings), with their numbers and links to the whole lists, filtered by theme.
THEME_PAGE_ITEMS = 20


def attach_theme_items(theme):
    """Sets ``theme.recent_findings`` and ``theme.recent_recommendations``: its THEME_PAGE_ITEMS newest
    findings and recommendations, in the order of their lists (``FINDING_ORDER``,
    ``RECOMMENDATION_ORDER``), so that the page's "see all" link continues them. Two queries;
    ``theme_counts`` says how many there are.

    A plain ``LIMIT`` of one theme's rows: the database keeps the first rows only while it sorts, where
    a sliced prefetch numbers every row of the theme (with its text) in a window first.
    """
    theme.recent_findings = list(
        Finding.objects.filter(themes=theme)
        .select_related("workshop")
        .defer("workshop__summary")
        .order_by(*FINDING_ORDER)[:THEME_PAGE_ITEMS]
    )
    theme.recent_recommendations = list(
        Recommendation.objects.filter(themes=theme)
        .select_related("workshop")
        .defer("workshop__summary")
        .order_by(*RECOMMENDATION_ORDER)[:THEME_PAGE_ITEMS]
    )
    return theme
