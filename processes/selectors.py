"""Reads the public pages share: each page's QuerySet with its joins chosen once, here.

Every page runs a fixed number of queries whatever the data size: rows are fetched with
``select_related`` / ``Prefetch`` (their sources too), and per-section summaries are computed in Python
from what was prefetched.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from . import enums
from .models import (
    Achievement,
    ChairTerm,
    Evaluation,
    Funding,
    InstitutionLink,
    Membership,
    Organization,
    OrganizationRole,
    Output,
    Process,
    ProcessClaim,
    Region,
    Secretariat,
    Source,
    State,
    Theme,
)


def _sources():
    return Prefetch("sources", queryset=Source.objects.order_by("title", "pk"))


def _count_of(queryset, *, outer_field, counted="pk"):
    """A correlated COUNT subquery: unlike Count(), it is not distorted by the joins of other filters."""
    totals = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(total=Count(counted, distinct=True))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))


def _related_model(model, name):
    """The model behind a reverse relation, e.g. the workshops app's Finding behind
    ``Process.findings``: pages show meetings and findings without ``processes`` importing that app."""
    return model._meta.get_field(name).related_model


def process_list_queryset():
    """Processes for the public list: regions prefetched, current member and observer counts."""
    current = Membership.objects.filter(until__isnull=True)
    return Process.objects.prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name"))
    ).annotate(
        member_count=_count_of(current.filter(role=enums.MembershipRole.MEMBER), outer_field="process"),
        observer_count=_count_of(current.filter(role=enums.MembershipRole.OBSERVER), outer_field="process"),
    )


def process_profile_queryset():
    """Processes with every section of their public profile.

    The sources of every row are not prefetched here, one query per kind of row: ``profile_sections``
    fetches them all in two queries (``attach_sources``).
    """
    workshop_model = _related_model(Process, "workshops")
    finding_model = _related_model(Process, "findings")
    return Process.objects.select_related("secretariat__host").prefetch_related(
        Prefetch("regions", queryset=Region.objects.select_related("parent").order_by("name")),
        Prefetch("themes", queryset=Theme.objects.order_by("name")),
        Prefetch(
            "claims",
            queryset=ProcessClaim.objects.select_related("source").order_by(
                "topic", "value", "source__title"
            ),
        ),
        Prefetch("memberships", queryset=Membership.objects.select_related("state")),
        Prefetch(
            "organization_roles",
            queryset=OrganizationRole.objects.select_related("organization").order_by(
                "role", "organization__name", "since"
            ),
        ),
        Prefetch(
            "chair_terms",
            queryset=ChairTerm.objects.select_related("state", "co_chair").order_by("-start_year"),
        ),
        Prefetch(
            "fundings",
            queryset=Funding.objects.select_related("state", "organization").order_by(
                F("year").desc(nulls_last=True), "kind", "pk"
            ),
        ),
        Prefetch(
            "evaluations",
            queryset=Evaluation.objects.order_by(F("start_date").desc(nulls_last=True), "pk"),
        ),
        Prefetch(
            "outputs",
            queryset=Output.objects.prefetch_related(
                Prefetch("themes", queryset=Theme.objects.order_by("name"))
            ).order_by(F("year").desc(nulls_last=True), "title"),
        ),
        Prefetch(
            "achievements",
            queryset=Achievement.objects.prefetch_related("states").order_by(
                F("year").desc(nulls_last=True), "title"
            ),
        ),
        Prefetch(
            "institution_links",
            queryset=InstitutionLink.objects.select_related("institution").order_by("institution__name"),
        ),
        Prefetch("workshops", queryset=workshop_model.objects.order_by("-start_date", "title")),
        Prefetch(
            "findings",
            queryset=finding_model.objects.select_related("workshop", "session").order_by(
                "-workshop__start_date", "workshop__title", "number"
            ),
        ),
    )


def attach_sources(rows):
    """Give each of ``rows`` (instances of several ``Sourced`` models) its ``listed_sources``, by title.

    Two queries whatever the number of rows and models: one UNION of the ``sources`` link tables,
    then the sources themselves.
    """
    by_model = {}
    for row in rows:
        by_model.setdefault(type(row), {})[row.pk] = row
    links = []
    for index, (model, by_pk) in enumerate(by_model.items()):
        through = model.sources.through
        column = model.sources.field.m2m_field_name()
        links.append(
            through.objects.filter(**{f"{column}__in": list(by_pk)})
            .order_by()
            .annotate(model_index=Value(index, output_field=IntegerField()))
            .values_list(f"{column}_id", "source_id", "model_index")
        )
    for row in rows:
        row.listed_sources = []
    if not links:
        return
    models = list(by_model)
    pairs = list(links[0].union(*links[1:], all=True)) if len(links) > 1 else list(links[0])
    sources = Source.objects.in_bulk({source_id for _row_id, source_id, _index in pairs})
    for row_id, source_id, index in pairs:
        by_model[models[index]][row_id].listed_sources.append(sources[source_id])
    for row in rows:
        row.listed_sources.sort(key=lambda source: (source.title, source.pk))


@dataclass
class Section:
    """Rows of one profile section, the union of their sources, and when they were checked."""

    key: str
    rows: list
    sources: list = field(default_factory=list)
    as_of: object = None
    as_of_earliest: object = None

    def __bool__(self):
        return bool(self.rows)

    @property
    def as_of_varies(self):
        return self.as_of_earliest is not None and self.as_of_earliest != self.as_of


def build_section(key, rows, *, fallback_as_of=None, sources_of=None):
    """Number the sources of ``rows`` once per section and give each row its ``source_refs``.

    ``sources_of(row)`` returns a row's sources (by default its prefetched ``sources``).
    """
    sources_of = sources_of or (lambda row: row.sources.all())
    numbers, sources = {}, []
    for row in rows:
        refs = []
        for source in sources_of(row):
            if source.pk not in numbers:
                sources.append(source)
                numbers[source.pk] = len(sources)
            refs.append((numbers[source.pk], source))
        row.source_refs = refs
    dates = [row.as_of for row in rows if getattr(row, "as_of", None)]
    latest = max(dates) if dates else fallback_as_of
    earliest = min(dates) if dates else fallback_as_of
    return Section(key=key, rows=list(rows), sources=sources, as_of=latest, as_of_earliest=earliest)


@dataclass
class ClaimGroup:
    """All sources' claims on one topic; ``disagree`` when they do not say the same."""

    topic: str
    label: str
    claims: list

    @property
    def disagree(self):
        return len({claim.value.strip().casefold() for claim in self.claims}) > 1


def profile_sections(process):
    """Every section of a process profile, built from what ``process_profile_queryset`` prefetched."""
    as_of = process.as_of
    memberships = sorted(
        process.memberships.all(),
        key=lambda m: (m.until is not None, str(m.state.name), m.since or 0),
    )
    members = [m for m in memberships if m.role == enums.MembershipRole.MEMBER]
    observers = [m for m in memberships if m.role == enums.MembershipRole.OBSERVER]
    secretariat = getattr(process, "secretariat", None)

    groups = {}
    for claim in process.claims.all():
        groups.setdefault(claim.topic, []).append(claim)
    claim_groups = [
        ClaimGroup(topic=topic, label=enums.ClaimTopic(topic).label, claims=claims)
        for topic, claims in groups.items()
    ]

    sourced = [
        process,
        *memberships,
        *process.organization_roles.all(),
        *process.chair_terms.all(),
        *([secretariat] if secretariat else []),
        *process.fundings.all(),
        *process.evaluations.all(),
        *process.outputs.all(),
        *process.achievements.all(),
        *process.institution_links.all(),
    ]
    attach_sources(sourced)

    def section(key, rows, **kwargs):
        kwargs.setdefault("sources_of", lambda row: row.listed_sources)
        return build_section(key, rows, fallback_as_of=as_of, **kwargs)

    sections = {
        "profile": section("profile", [process]),
        "claims": section("claims", list(process.claims.all()), sources_of=lambda claim: [claim.source]),
        "members": section("members", members),
        "observers": section("observers", observers),
        "organizations": section("organizations", list(process.organization_roles.all())),
        "chairs": section("chairs", list(process.chair_terms.all())),
        "secretariat": section("secretariat", [secretariat] if secretariat else []),
        "funding": section("funding", list(process.fundings.all())),
        "evaluations": section("evaluations", list(process.evaluations.all())),
        "outputs": section("outputs", list(process.outputs.all())),
        "achievements": section("achievements", list(process.achievements.all())),
        "institutions": section("institutions", list(process.institution_links.all())),
    }
    return {"sections": sections, "claim_groups": claim_groups}


def state_list_queryset():
    """States with their region and the number of processes they currently take part in."""
    return State.objects.select_related("region").annotate(
        process_count=Count("memberships__process", filter=Q(memberships__until__isnull=True), distinct=True),
    )


def state_memberships(state):
    """Every role of ``state`` in a process, current ones first, with the process and sources."""
    memberships = (
        state.memberships.select_related("process")
        .prefetch_related(_sources())
        .order_by("process__short_name")
    )
    return sorted(memberships, key=lambda m: (m.until is not None, m.process.short_name, -(m.since or 0)))


def state_chair_terms(state):
    """The terms in which ``state`` chaired or co-chaired a process."""
    return (
        ChairTerm.objects.filter(Q(state=state) | Q(co_chair=state))
        .select_related("process", "state", "co_chair")
        .order_by("-start_year", "process__short_name")
    )


def organization_list_queryset():
    """Organisations with the number of processes in which they have a role."""
    return Organization.objects.annotate(
        process_count=_count_of(OrganizationRole.objects.all(), outer_field="organization", counted="process")
    )


def organization_profile_queryset():
    return Organization.objects.select_related("region").prefetch_related(
        Prefetch(
            "process_roles",
            queryset=OrganizationRole.objects.select_related("process")
            .prefetch_related(_sources())
            .order_by("process__short_name", "role", "since"),
        ),
        Prefetch(
            "hosted_secretariats",
            queryset=Secretariat.objects.select_related("process").order_by("process__short_name"),
        ),
        Prefetch(
            "process_links",
            queryset=InstitutionLink.objects.select_related("process")
            .prefetch_related(_sources())
            .order_by("process__short_name"),
        ),
        Prefetch(
            "fundings",
            queryset=Funding.objects.select_related("process").order_by(
                "process__short_name", F("year").desc(nulls_last=True)
            ),
        ),
    )


def theme_list_queryset():
    """Themes with how many processes work on each, and how many findings and recommendations."""
    finding_model = _related_model(Theme, "findings")
    recommendation_model = _related_model(Theme, "recommendations")
    return Theme.objects.annotate(
        process_count=_count_of(Process.themes.through.objects.all(), outer_field="theme"),
        finding_count=_count_of(finding_model.themes.through.objects.all(), outer_field="theme"),
        recommendation_count=_count_of(
            recommendation_model.themes.through.objects.all(), outer_field="theme"
        ),
    )


def theme_profile_queryset():
    finding_model = _related_model(Theme, "findings")
    recommendation_model = _related_model(Theme, "recommendations")
    return Theme.objects.prefetch_related(
        Prefetch(
            "processes",
            queryset=Process.objects.prefetch_related(
                Prefetch("regions", queryset=Region.objects.order_by("name"))
            ).order_by("short_name"),
        ),
        Prefetch(
            "outputs",
            queryset=Output.objects.select_related("process").order_by(
                F("year").desc(nulls_last=True), "title"
            ),
        ),
        Prefetch(
            "findings",
            queryset=finding_model.objects.select_related("workshop").order_by(
                "-workshop__start_date", "workshop__title", "number"
            ),
        ),
        Prefetch(
            "recommendations",
            queryset=recommendation_model.objects.select_related("workshop").order_by(
                "-workshop__start_date", "workshop__title", "position"
            ),
        ),
    )
