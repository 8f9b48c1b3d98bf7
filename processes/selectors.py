"""Reads the public pages share: each page's QuerySet with its joins chosen once, here.

Every page runs a fixed number of queries whatever the data size: rows are fetched with
``select_related`` / ``Prefetch`` (their sources too), and per-section summaries are computed in Python
from what was prefetched.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf

from rcpdb.core.localized import localized, sort_key
from rcpdb.core.reuse import built_once

from . import enums
from .models import (
    Achievement,
    ChairTerm,
    Evaluation,
    Funding,
    InstitutionLink,
    ListCompleteness,
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
from .querysets import effective_status


def _sources():
    return Prefetch("sources", queryset=Source.objects.order_by("title", "pk"))


def count_of(queryset, *, outer_field, counted="pk"):
    """A correlated COUNT subquery: unlike Count(), it is not distorted by the joins of other filters."""
    totals = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(total=Count(counted, distinct=True))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))


@built_once
def process_list_queryset():
    """Processes for the public list: regions prefetched, current member and observer counts and the
    number of organisations, each NULL ("not recorded") when that list is not recorded."""
    return (
        Process.objects.prefetch_related(
            Prefetch("regions", queryset=Region.objects.order_by(localized(Region, "name"), "pk"))
        )
        .with_list_counts()
        .order_by(localized(Process, "short_name"), "pk")
    )  # as shown: in the visitor's language, else English


@built_once
def process_profile_queryset():
    """Processes with every section of their public profile, one query per kind of row.

    What the rows link to through many-to-many tables (sources, regions, themes, the states of an
    achievement, the meetings) is prefetched by ``profile_sections``, once the rows are known: one query
    per relation and kind of row, so that a profile runs a fixed number of queries whatever it holds.
    What other apps add to a profile (the meetings and findings) the site layer prefetches itself
    (``rcpdb/site/profiles.py``).
    """
    return (
        Process.objects.select_related("secretariat")
        .annotate(**_completeness_columns())
        .prefetch_related(
            "secretariat__hosts",
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
            Prefetch("outputs", queryset=Output.objects.order_by(F("year").desc(nulls_last=True), "title")),
            Prefetch(
                "achievements",
                queryset=Achievement.objects.order_by(F("year").desc(nulls_last=True), "title"),
            ),
            Prefetch(
                "institution_links",
                queryset=InstitutionLink.objects.select_related("institution").order_by("institution__name"),
            ),
        )
    )


COMPLETENESS_SEPARATOR = "|"


def _completeness_columns():
    """One column per list section, ``completeness_<section>``: its ListCompleteness row as the text
    "id|status|as_of|note" (or NULL). Subqueries of the process's own query, so that a profile runs no
    further query (and plain text, not JSON: SQLite's JSON check would cost queries of its own)."""
    sep = Value(COMPLETENESS_SEPARATOR)
    return {
        f"completeness_{section.value}": Subquery(
            ListCompleteness.objects.filter(process=OuterRef("pk"), section=section)
            .order_by()
            .annotate(
                packed=Concat(
                    Cast("pk", output_field=models.CharField()),
                    sep,
                    "status",
                    sep,
                    Coalesce(Cast("as_of", output_field=models.CharField()), Value("")),
                    sep,
                    "note",
                    output_field=models.TextField(),
                )
            )
            .values("packed")[:1],
            output_field=models.TextField(),
        )
        for section in enums.ListSection
    }


def _completeness_rows(process):
    """The ListCompleteness rows read by ``_completeness_columns``, by section (unsaved copies)."""
    rows = {}
    for section in enums.ListSection:
        packed = getattr(process, f"completeness_{section.value}", None)
        if not packed:
            continue
        pk, status, as_of, note = packed.split(COMPLETENESS_SEPARATOR, 3)
        row = ListCompleteness(
            pk=int(pk),
            process=process,
            section=section,
            status=status,
            note=note,
            as_of=datetime.date.fromisoformat(as_of[:10]) if as_of else None,
        )
        row._state.adding = False
        rows[section] = row
    return rows


def _deferring(model, *names):
    """``model``'s rows without the fields ``names`` (long texts a page does not show) and their
    translations (``description_fr``...)."""
    deferred = [
        field.attname
        for field in model._meta.concrete_fields
        if any(field.attname == name or field.attname.startswith(f"{name}_") for name in names)
    ]
    return model.objects.defer(*deferred)


def _prefetch_sorted(rows, relation, to_attr, order, queryset):
    """``rows``' many-to-many ``relation`` into ``row.<to_attr>`` (one query for all the rows), as a
    list sorted by ``order`` in Python (so by the names shown, in the visitor's language)."""
    if not rows:
        return
    prefetch_related_objects(rows, Prefetch(relation, queryset=queryset, to_attr=to_attr))
    for row in rows:
        getattr(row, to_attr).sort(key=order)


@dataclass
class Link:
    """``rows``' many-to-many ``relation`` to load into ``row.<to_attr>``: a list sorted by ``order``,
    without the target's fields in ``defer`` (long texts the page does not show) and their translations.
    ``relation`` may be a reverse one (another app's many-to-many to ``Process``)."""

    rows: list
    relation: str
    to_attr: str
    order: Callable
    defer: tuple = ()


def attach_links(links):
    """Load every ``Link`` with ``prefetch_related``: one query per relation and kind of row, whatever
    the number of rows (dated versions load them from the history instead, processes/as_of.py)."""
    for link in links:
        if not link.rows:
            continue
        target = type(link.rows[0])._meta.get_field(link.relation).related_model
        queryset = _deferring(target, *link.defer) if link.defer else target.objects.all()
        _prefetch_sorted(link.rows, link.relation, link.to_attr, link.order, queryset)


def _by_name(target):
    return target.name


def _by_code(state):
    return str(state.code)


def _by_title(source):
    return (source.title, source.pk)


@dataclass
class Section:
    """Rows of one profile section, the union of their sources, and when they were checked."""

    key: str
    rows: list
    sources: list = field(default_factory=list)
    as_of: object = None
    as_of_earliest: object = None
    completeness: object = None  # a ListState for the list sections, else None

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
class ListState:
    """How complete a list of the profile is, how many rows it records and what sources state.

    ``status`` is an ``enums.Completeness``; ``row`` the ListCompleteness row, if any (with its
    ``listed_sources``); ``count`` the rows recorded here (current ones for states), ``None`` when the
    list is not recorded; ``stated`` the sourced claims of how many there are.
    """

    status: str
    row: object = None
    count: int | None = None
    stated: list = field(default_factory=list)

    @property
    def label(self):
        return enums.Completeness(self.status).label

    @property
    def is_complete(self):
        return self.status == enums.Completeness.COMPLETE

    @property
    def is_recorded(self):
        return self.status != enums.Completeness.NOT_RECORDED

    @property
    def sources(self):
        return getattr(self.row, "listed_sources", []) if self.row is not None else []


def list_state(*, row, rows, counted=None, stated=()):
    """The ``ListState`` of a list: its completeness row (or None), its rows, the rows it counts."""
    status = effective_status(row.status if row is not None else "", bool(rows))
    counted = rows if counted is None else counted
    recorded = bool(rows) or status != enums.Completeness.NOT_RECORDED
    return ListState(status=status, row=row, count=len(counted) if recorded else None, stated=list(stated))


@dataclass
class ClaimGroup:
    """All sources' claims on one topic; ``disagree`` when they do not say the same."""

    topic: str
    label: str
    claims: list

    @property
    def disagree(self):
        return len({claim.value.strip().casefold() for claim in self.claims}) > 1


def profile_sections(process, *, attach=None, links=()):
    """Every section of a process profile, built from what ``process_profile_queryset`` prefetched.

    ``attach`` loads the many-to-many ``Link``s (default ``attach_links``; dated versions pass one that
    reads them from the history, ``processes/as_of.py``). ``links``: more ``Link``s to load with them,
    what another app adds to the profile (the site layer's meetings, ``rcpdb/site/profiles.py``)."""
    as_of = process.as_of
    memberships = sorted(
        process.memberships.all(),
        key=lambda m: (m.until is not None, sort_key(m.state.name), m.since or 0),
    )
    members = [m for m in memberships if m.role == enums.MembershipRole.MEMBER]
    observers = [m for m in memberships if m.role == enums.MembershipRole.OBSERVER]
    secretariat = getattr(process, "secretariat", None)

    groups, stated = {}, {}
    for claim in process.claims.all():
        if claim.topic in enums.STATED_COUNT_TOPICS:  # shown beside the list it counts
            stated.setdefault(claim.topic, []).append(claim)
        else:
            groups.setdefault(claim.topic, []).append(claim)
    claim_groups = [
        ClaimGroup(topic=topic, label=enums.ClaimTopic(topic).label, claims=claims)
        for topic, claims in groups.items()
    ]
    completeness = _completeness_rows(process)

    outputs = list(process.outputs.all())
    achievements = list(process.achievements.all())
    sourced = [
        process,
        *memberships,
        *process.organization_roles.all(),
        *process.chair_terms.all(),
        *([secretariat] if secretariat else []),
        *process.fundings.all(),
        *process.evaluations.all(),
        *outputs,
        *achievements,
        *process.institution_links.all(),
        *completeness.values(),
    ]
    by_model = {}
    for row in sourced:
        by_model.setdefault(type(row), []).append(row)
    (attach or attach_links)(
        [
            *(Link(rows, "sources", "listed_sources", _by_title) for rows in by_model.values()),
            Link([process], "regions", "region_list", _by_name, defer=("description",)),
            Link([process], "themes", "theme_list", _by_name, defer=("description",)),
            Link(outputs, "themes", "theme_list", _by_name, defer=("description",)),
            Link(achievements, "states", "state_list", _by_code),
            *links,
        ]
    )

    def section(key, rows, **kwargs):
        kwargs.setdefault("sources_of", lambda row: row.listed_sources)
        return build_section(key, rows, fallback_as_of=as_of, **kwargs)

    sections = {
        "profile": section("profile", [process]),
        "claims": section(
            "claims",
            [claim for claim in process.claims.all() if claim.topic not in enums.STATED_COUNT_TOPICS],
            sources_of=lambda claim: [claim.source],
        ),
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
    topic = enums.ClaimTopic
    stated_of = {
        enums.ListSection.MEMBERS: stated.get(topic.MEMBER_COUNT, []),
        enums.ListSection.OBSERVERS: stated.get(topic.OBSERVER_COUNT, []),
        enums.ListSection.ORGANIZATIONS: [
            *stated.get(topic.MEMBER_ORGANIZATION_COUNT, []),
            *stated.get(topic.OBSERVER_ORGANIZATION_COUNT, []),
        ],
    }
    counted_of = {
        enums.ListSection.MEMBERS: [m for m in members if m.until is None],
        enums.ListSection.OBSERVERS: [m for m in observers if m.until is None],
        enums.ListSection.ORGANIZATIONS: list(
            {role.organization_id for role in sections["organizations"].rows}
        ),
    }
    for list_section in enums.ListSection:
        shown = sections[list_section.value]
        shown.completeness = list_state(
            row=completeness.get(list_section),
            rows=shown.rows,
            counted=counted_of.get(list_section),
            stated=stated_of.get(list_section, ()),
        )
    return {"sections": sections, "claim_groups": claim_groups}


def _unless_unknown(count, *sections):
    """``count``, or NULL ("not recorded") when it is 0 while some process's list ``sections`` is not
    recorded: the record might be in that list, so "in no process" is not known."""
    # ``count`` appears once in each branch, so the database counts once a row (a subquery named twice
    # is run twice: three times a state, with the number also selected, cost ~60 ms a list on PostgreSQL).
    unrecorded = Exists(Process.objects.unrecorded(*sections))
    return Case(
        When(unrecorded, then=NullIf(F(count), Value(0))),
        default=F(count),
        output_field=IntegerField(),
    )


def state_list_queryset():
    """States with their region and the number of processes they currently take part in (NULL when
    none is recorded while some process's member or observer list is not recorded).

    The number is a subquery of each state's memberships (by the state's index): grouping the join of
    every state with every membership (20,000 at 100x data) cost ~50 ms a list.
    """
    return (
        State.objects.select_related("region")
        .alias(
            recorded_process_count=count_of(
                Membership.objects.filter(until__isnull=True), outer_field="state", counted="process"
            ),
        )
        .annotate(
            process_count=_unless_unknown(
                "recorded_process_count", enums.ListSection.MEMBERS, enums.ListSection.OBSERVERS
            )
        )
    )


def sorted_states(states, ordering=None):
    """States in the order their list shows them: by name as read in the visitor's language
    (``localized.sort_key``: "Émirats" among the E's in French), or by number of processes
    (``ordering="processes"``, most first, a number not recorded after every recorded one).

    Country names are translated in Python (django-countries), so this sorts in Python; the list page,
    its downloads, the API and the data package all sort states here.
    """
    states = sorted(states, key=lambda state: sort_key(state.name))
    if ordering == "processes":
        states.sort(
            key=lambda state: -1 if state.process_count is None else state.process_count, reverse=True
        )
    return states


def state_memberships(state):
    """Every role of ``state`` in a process, current ones first, with the process and sources."""
    memberships = (
        state.memberships.select_related("process")
        .prefetch_related(_sources())
        .order_by("process__short_name")
    )
    return sorted(
        memberships, key=lambda m: (m.until is not None, sort_key(m.process.short_name), -(m.since or 0))
    )


def state_chair_terms(state):
    """The terms in which ``state`` chaired or co-chaired a process."""
    return (
        ChairTerm.objects.filter(Q(state=state) | Q(co_chair=state))
        .select_related("process", "state", "co_chair")
        .order_by("-start_year", "process__short_name")
    )


def organization_list_queryset():
    """Organisations with the number of processes in which they have a role (NULL when none is
    recorded while some process's list of organisations is not recorded)."""
    return (
        Organization.objects.alias(
            recorded_process_count=count_of(
                OrganizationRole.objects.all(), outer_field="organization", counted="process"
            )
        )
        .annotate(process_count=_unless_unknown("recorded_process_count", enums.ListSection.ORGANIZATIONS))
        .order_by(localized(Organization, "name"), "pk")
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


def theme_process_count():
    """How many processes work on each theme (an annotation)."""
    return count_of(Process.themes.through.objects.all(), outer_field="theme")


def theme_list_queryset():
    """Themes with how many processes work on each (the site layer adds the meetings' findings and
    recommendations, ``rcpdb/site/profiles.py``)."""
    return Theme.objects.annotate(process_count=theme_process_count()).order_by(
        localized(Theme, "name"), "pk"
    )


# A theme page names the first of the processes working on it (a theme of the 100x data has 160) and
# links to all of them in the process list, filtered by the theme.
THEME_PAGE_PROCESSES = 25


def theme_profile_queryset():
    """Themes with how many processes work on each (``process_count``), the first THEME_PAGE_PROCESSES of
    them by name (``shown_processes``) and their outputs (the site layer adds the meetings' findings and
    recommendations, ``rcpdb/site/profiles.py``)."""
    return Theme.objects.annotate(process_count=theme_process_count()).prefetch_related(
        Prefetch(
            "processes",
            queryset=Process.objects.prefetch_related(
                Prefetch("regions", queryset=Region.objects.order_by("name"))
            ).order_by("short_name", "pk")[:THEME_PAGE_PROCESSES],
            to_attr="shown_processes",
        ),
        Prefetch(
            "outputs",
            queryset=Output.objects.select_related("process").order_by(
                F("year").desc(nulls_last=True), "title"
            ),
        ),
    )
