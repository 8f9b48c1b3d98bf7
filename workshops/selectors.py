"""Reads of meetings that the public pages share. Each runs a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from . import enums
from .models import Document, Finding, Participation, Recommendation, Session, SessionLead, Workshop


def workshop_list_queryset():
    """Meetings with what the list shows: processes represented and how many findings and recommendations."""
    return (
        Workshop.objects.prefetch_related("processes")
        .annotate(
            finding_count=Count("findings", distinct=True),
            recommendation_count=Count("recommendations", distinct=True),
        )
        # Aggregation drops Meta.ordering, and pagination needs a total order.
        .order_by("-start_date", "title", "pk")
    )


def finding_list_queryset():
    return (
        Finding.objects.select_related("workshop", "session")
        .prefetch_related("themes", "processes")
        .order_by("-workshop__start_date", "workshop__title", "workshop_id", "number")
    )


def recommendation_list_queryset():
    return (
        Recommendation.objects.select_related("workshop")
        .prefetch_related("themes")
        .order_by("-workshop__start_date", "workshop__title", "workshop_id", "position")
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
