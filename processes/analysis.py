"""Cross-process reads: the comparison matrix, membership overlap, coverage and the timeline.

Selectors with keyword-only arguments (HackSoft style). Each runs a fixed number of queries whatever
the number of processes, states or regions: the related rows are fetched in one query each and
combined in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rcpdb.core.formatting import join_names
from rcpdb.core.localized import sort_key

from . import enums
from .models import (
    Achievement,
    ChairTerm,
    Evaluation,
    InstitutionLink,
    Membership,
    Output,
    Process,
    ProcessClaim,
    Region,
    Source,
    State,
)
from .querysets import recorded_count

LIST_SEPARATOR = "; "


class ComparisonError(ValueError):
    """The processes asked for cannot be compared; ``message`` says why, for the visitor."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- comparison ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One entry of a list in a cell: a state, a claim, a source, an institution..."""

    label: str
    note: str = ""
    url: str = ""

    @property
    def text(self):
        return f"{self.label} ({self.note})" if self.note else self.label


@dataclass(frozen=True)
class Cell:
    """One process's value in a row. ``text`` is the plain form used by the CSV download."""

    value: str = ""
    items: tuple = ()
    check: bool | None = None  # set for the theme grid: does the process work on the theme?

    @property
    def text(self):
        if self.check is not None:
            return _("yes") if self.check else _("no")
        listed = LIST_SEPARATOR.join(item.text for item in self.items)
        if self.value and listed:
            return f"{self.value} — {listed}"
        return self.value or listed


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    section: str
    cells: tuple


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    rows: tuple


@dataclass(frozen=True)
class ComparisonMatrix:
    processes: tuple
    sections: tuple

    @property
    def rows(self):
        return [row for section in self.sections for row in section.rows]

    def as_table(self):
        """Header and rows as plain text: exactly what the CSV download holds."""
        header = [_("Field"), *(process.short_name for process in self.processes)]
        return [header] + [[row.label, *(cell.text for cell in row.cells)] for row in self.rows]


def comparison_queryset():
    """Processes with everything the comparison shows, in a fixed number of queries."""
    return (
        Process.objects.select_related("secretariat")
        .prefetch_related("secretariat__hosts")
        .with_list_counts()
        .annotate(  # NULL where the list is not recorded
            evaluation_count=recorded_count(enums.ListSection.EVALUATIONS, Evaluation.objects.all()),
            output_count=recorded_count(enums.ListSection.OUTPUTS, Output.objects.all()),
            achievement_count=recorded_count(enums.ListSection.ACHIEVEMENTS, Achievement.objects.all()),
        )
        .prefetch_related(
            "regions",
            "themes",
            Prefetch("sources", queryset=Source.objects.order_by("title"), to_attr="listed_sources"),
            Prefetch(
                "claims",
                queryset=ProcessClaim.objects.filter(topic=enums.ClaimTopic.ESTABLISHED)
                .select_related("source")
                .order_by("value", "source__title"),
                to_attr="established_claims",
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.current().select_related("state"),
                to_attr="current_memberships",
            ),
            Prefetch(
                "chair_terms",
                queryset=ChairTerm.objects.select_related("state", "co_chair").order_by("-start_year"),
                to_attr="listed_chair_terms",
            ),
            Prefetch(
                "institution_links",
                queryset=InstitutionLink.objects.select_related("institution").order_by("institution__name"),
                to_attr="listed_institution_links",
            ),
        )
    )


def choose_processes(*, slugs, available, limit):
    """The processes named by ``slugs``, in that order, duplicates ignored (none: an empty choice).

    ``available`` is every process (slug and name only). Raises ``ComparisonError`` for an unknown
    slug or for more than ``limit`` processes; one process is a valid choice (the page asks for
    another), the comparison itself needs two.
    """
    by_slug = {process.slug: process for process in available}
    chosen = list(dict.fromkeys(slugs))
    unknown = [slug for slug in chosen if slug not in by_slug]
    if unknown:
        raise ComparisonError(
            _("There is no process %(slugs)s. Choose processes from the list.")
            % {"slugs": ", ".join(f"“{slug}”" for slug in unknown)}
        )
    if len(chosen) > limit:
        raise ComparisonError(
            _("Choose at most %(limit)d processes to compare side by side (%(count)d were chosen).")
            % {"limit": limit, "count": len(chosen)}
        )
    return chosen


def comparison_matrix(*, slugs):
    """The side-by-side matrix of the processes with these slugs, columns in the order given."""
    found = {process.slug: process for process in comparison_queryset().filter(slug__in=slugs)}
    processes = tuple(found[slug] for slug in slugs if slug in found)
    return ComparisonMatrix(processes=processes, sections=tuple(_sections(processes)))


def _names(objects):
    return tuple(Item(label=str(obj)) for obj in objects)


def _by_name(objects):
    return sorted(objects, key=sort_key)


def _established(process):
    year = str(process.established_year) if process.established_year else ""
    claims = tuple(
        Item(label=claim.value, note=claim.source.title, url=claim.source.url)
        for claim in process.established_claims
    )
    return Cell(value=year, items=claims)


def _states_in_role(process, role):
    return _by_name(m.state for m in process.current_memberships if m.role == role)


def _chair(process):
    terms = process.listed_chair_terms
    current = next((term for term in terms if term.end_year is None), None)
    if current is not None:
        return Cell(value=str(current))
    if terms:
        return Cell(value=_("latest: %(term)s") % {"term": terms[0]})
    return Cell()


def _secretariat(process):
    secretariat = getattr(process, "secretariat", None)
    if secretariat is None:
        return Cell()
    value = secretariat.get_arrangement_display()
    hosts = secretariat.host_list()
    if hosts:
        value = _("%(arrangement)s, hosted by %(host)s") % {
            "arrangement": value,
            "host": join_names(str(host) for host in hosts),
        }
    return Cell(value=value)


def _funding(process):
    if process.self_financing is None:
        value = _("Self-financing unknown")
    elif process.self_financing:
        value = _("Predictable self-financing mechanism")
    else:
        value = _("No predictable self-financing mechanism")
    if process.funding_note:
        value = f"{value}. {process.funding_note}"
    return Cell(value=value)


def _sections(processes):
    def row(key, label, section, make):
        return Row(key=key, label=str(label), section=section, cells=tuple(make(p) for p in processes))

    def count(n):
        return Cell(value=_("not recorded") if n is None else str(n))

    def listed(process, role, recorded_count):
        if recorded_count is None:
            return Cell(value=_("not recorded"))
        return Cell(items=_names(_states_in_role(process, role)))

    member, observer = enums.MembershipRole.MEMBER, enums.MembershipRole.OBSERVER
    profile = (
        row("name", gettext_lazy("Official name"), "profile", lambda p: Cell(value=p.name)),
        row(
            "regions",
            gettext_lazy("Regions"),
            "profile",
            lambda p: Cell(items=_names(_by_name(p.regions.all()))),
        ),
        row("kind", gettext_lazy("Kind"), "profile", lambda p: Cell(value=p.get_kind_display())),
        row("established", gettext_lazy("Year established (sourced claims)"), "profile", _established),
        row("status", gettext_lazy("Status"), "profile", lambda p: Cell(value=p.get_status_display())),
    )
    membership = (
        row("member_count", gettext_lazy("Member states"), "membership", lambda p: count(p.member_count)),
        row("members", gettext_lazy("Members"), "membership",
            lambda p: listed(p, member, p.member_count)),
        row("observer_count", gettext_lazy("Observer states"), "membership",
            lambda p: count(p.observer_count)),
        row("observers", gettext_lazy("Observers"), "membership",
            lambda p: listed(p, observer, p.observer_count)),
    )  # fmt: skip
    organisation = (
        row("chair_arrangement", gettext_lazy("Chair arrangement"), "organisation",
            lambda p: Cell(value=p.get_chair_arrangement_display())),
        row("chair", gettext_lazy("Current chair"), "organisation", _chair),
        row("secretariat", gettext_lazy("Secretariat"), "organisation", _secretariat),
        row("meeting_levels", gettext_lazy("Meeting levels"), "organisation",
            lambda p: Cell(items=tuple(Item(label=str(level.label)) for level in p.meeting_levels))),
        row("civil_society", gettext_lazy("Civil-society involvement"), "organisation",
            lambda p: Cell(value=p.get_civil_society_involvement_display())),
        row("private_sector", gettext_lazy("Private-sector involvement"), "organisation",
            lambda p: Cell(value=p.get_private_sector_involvement_display())),
        row("funding", gettext_lazy("Funding model"), "organisation", _funding),
    )  # fmt: skip
    themes = {}
    for process in processes:
        for theme in process.themes.all():
            themes[theme.pk] = theme
    theme_rows = tuple(
        Row(
            key=f"theme:{theme.slug}",
            label=theme.name,
            section="themes",
            cells=tuple(Cell(check=any(t.pk == theme.pk for t in p.themes.all())) for p in processes),
        )
        for theme in _by_name(themes.values())
    )
    results = (
        row("evaluations", gettext_lazy("Evaluations"), "results", lambda p: count(p.evaluation_count)),
        row("outputs", gettext_lazy("Outputs"), "results", lambda p: count(p.output_count)),
        row("achievements", gettext_lazy("Achievements"), "results", lambda p: count(p.achievement_count)),
        row("institution_links", gettext_lazy("Links with regional institutions"), "results",
            lambda p: Cell(items=tuple(
                Item(label=str(link.institution), note=link.get_nature_display())
                for link in p.listed_institution_links
            ))),
    )  # fmt: skip
    references = (
        row("website", gettext_lazy("Website"), "references", lambda p: Cell(value=p.website)),
        row("sources", gettext_lazy("Sources"), "references",
            lambda p: Cell(items=tuple(Item(label=s.title, url=s.url) for s in p.listed_sources))),
        row("as_of", gettext_lazy("As of"), "references",
            lambda p: Cell(value=p.as_of.isoformat() if p.as_of else "")),
    )  # fmt: skip
    return [
        Section("profile", _("Profile"), profile),
        Section("membership", _("Members and observers"), membership),
        Section("organisation", _("Organisation and funding"), organisation),
        Section("themes", _("Themes"), theme_rows),
        Section("results", _("Evaluations, outputs and achievements"), results),
        Section("references", _("Website and sources"), references),
    ]


# --- overlap -------------------------------------------------------------------------------------

MATRIX_LIMIT = 25  # at most this many processes in the matrix: 25 × 25 cells, 300 pairs
SHARED_STATES_SHOWN = 50  # the ranked list of states in two or more processes stops here


@dataclass
class OverlapCell:
    row: Process
    column: Process
    states: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.states)

    @property
    def is_diagonal(self):
        return self.row.pk == self.column.pk

    @property
    def anchor(self):
        """The id of the list of shared states on the overlap page (one per pair of processes)."""
        first, second = sorted((self.row.slug, self.column.slug))
        return f"shared-{first}-{second}"


@dataclass(frozen=True)
class SharedState:
    state: State
    processes: tuple

    @property
    def count(self):
        return len(self.processes)


@dataclass(frozen=True)
class Overlap:
    processes: tuple  # the processes of the matrix (at most MATRIX_LIMIT)
    rows: tuple  # (process, [OverlapCell per process]) for each process of the matrix
    pairs: tuple  # the cells above the diagonal that share at least one state
    shared_states: tuple  # states that are current members of two or more processes, ranked (all)
    available: tuple = ()  # every process, by name: what a visitor can choose from
    chosen: tuple = ()  # the slugs the visitor chose; empty: the matrix shows the default selection
    process_count: int = 0  # how many processes there are in all
    not_counted: tuple = ()  # processes left out: their member list is not recorded

    @property
    def is_partial(self):
        """True when the matrix leaves some processes out."""
        return len(self.processes) < self.process_count

    @property
    def shown_shared_states(self):
        return self.shared_states[:SHARED_STATES_SHOWN]


def _matrix_processes(*, slugs, processes, shared_count):
    """The processes of the matrix: those named by ``slugs`` (in that order), else the default ones.

    By default: the ``MATRIX_LIMIT`` processes with the most current members shared with another
    process (ties by name), shown in name order.
    """
    if slugs:
        by_slug = {process.slug: process for process in processes}
        chosen = list(dict.fromkeys(slugs))
        unknown = [slug for slug in chosen if slug not in by_slug]
        if unknown:
            raise ComparisonError(
                _("There is no process %(slugs)s. Choose processes from the list.")
                % {"slugs": ", ".join(f"“{slug}”" for slug in unknown)}
            )
        if len(chosen) > MATRIX_LIMIT:
            raise ComparisonError(
                _("Choose at most %(limit)d processes for the table.") % {"limit": MATRIX_LIMIT}
            )
        return tuple(by_slug[slug] for slug in chosen)
    if len(processes) <= MATRIX_LIMIT:
        return processes
    position = {process.pk: index for index, process in enumerate(processes)}
    ranked = sorted(processes, key=lambda p: (-shared_count[p.pk], position[p.pk]))[:MATRIX_LIMIT]
    return tuple(sorted(ranked, key=lambda p: position[p.pk]))


def membership_overlap(*, slugs=()):
    """Current member states shared by pairs of processes (two queries whatever the data size).

    The matrix covers the processes named by ``slugs`` or, by default, at most ``MATRIX_LIMIT`` of
    them (see ``_matrix_processes``); the ranking of states covers every process. Raises
    ``ComparisonError`` for an unknown slug or too many of them.
    """
    everything = tuple(Process.objects.only("slug", "short_name", "acronym").with_recorded_flags())
    # A process whose member list is not recorded is left out (and named), not counted as empty.
    processes = tuple(process for process in everything if process.members_recorded)
    not_counted = tuple(process for process in everything if not process.members_recorded)
    if slugs:
        # Unknown slugs and too many of them are refused as before, whether counted or not.
        _matrix_processes(slugs=slugs, processes=everything, shared_count=defaultdict(int))
        uncounted_slugs = {process.slug for process in not_counted}
        not_counted = tuple(process for process in not_counted if process.slug in slugs)
        slugs = [slug for slug in slugs if slug not in uncounted_slugs]
        if not slugs:
            processes = ()
    members = defaultdict(set)  # process id -> state ids
    belongs = defaultdict(list)  # state id -> process ids
    states = {}  # state id -> State (built from its code: no model row per membership)
    for process_id, state_id, code in (
        Membership.objects.current().members().order_by().values_list("process_id", "state_id", "state__code")
    ):
        if state_id not in members[process_id]:
            members[process_id].add(state_id)
            belongs[state_id].append(process_id)
        if state_id not in states:
            states[state_id] = State(pk=state_id, code=code)
    names = {state_id: str(state.name).casefold() for state_id, state in states.items()}
    shared_ids = {state_id for state_id, in_processes in belongs.items() if len(in_processes) >= 2}
    shared_count = {process.pk: len(members[process.pk] & shared_ids) for process in processes}

    matrix = (
        _matrix_processes(slugs=slugs, processes=processes, shared_count=shared_count) if processes else ()
    )
    rows, pairs = [], []
    for i, row_process in enumerate(matrix):
        cells = []
        for j, column_process in enumerate(matrix):
            common = members[row_process.pk] & members[column_process.pk]
            shared = [states[state_id] for state_id in sorted(common, key=names.__getitem__)]
            cell = OverlapCell(row=row_process, column=column_process, states=shared)
            cells.append(cell)
            if j > i and cell.count:
                pairs.append(cell)
        rows.append((row_process, cells))

    by_id = {process.pk: process for process in processes}
    order = {process.pk: index for index, process in enumerate(processes)}
    shared_states = sorted(
        (
            SharedState(
                state=states[state_id],
                processes=tuple(by_id[pk] for pk in sorted(belongs[state_id], key=order.__getitem__)),
            )
            for state_id in shared_ids
        ),
        key=lambda entry: (-entry.count, names[entry.state.pk]),
    )
    return Overlap(
        processes=matrix,
        rows=tuple(rows),
        pairs=tuple(pairs),
        shared_states=tuple(shared_states),
        available=processes,
        chosen=tuple(dict.fromkeys(slugs)),
        process_count=len(processes),
        not_counted=not_counted,
    )


# --- coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateCoverage:
    state: State
    member_of: tuple  # process short names
    observer_of: tuple
    unknown: bool = False  # in no recorded list, while some processes' lists are not recorded

    @property
    def code(self):
        return str(self.state.code)

    @property
    def name(self):
        return str(self.state.name)

    @property
    def member_count(self):
        return len(self.member_of)

    @property
    def observer_count(self):
        return len(self.observer_of)

    @property
    def is_gap(self):
        return not self.member_of and not self.observer_of and not self.unknown


@dataclass(frozen=True)
class Coverage:
    states: tuple  # every listed state, by name
    gap_states: tuple  # states in no process (neither member nor observer); empty while lists are missing
    gap_regions: tuple  # regions with states, none of them a member of any process whose list is recorded
    not_counted: tuple = ()  # processes whose member or observer list is not recorded: left out

    @property
    def gap_states_known(self):
        """False while some process's list is not recorded: any state might be in it."""
        return not self.not_counted

    @property
    def gap_regions_unsure_because(self):
        """The processes whose member list is not recorded: a gap region may have members in them."""
        return tuple(process for process in self.not_counted if not process.members_recorded)


def coverage():
    """How many processes each listed state takes part in, and the gaps (four queries).

    Only recorded lists are counted; the processes whose member or observer list is not recorded are
    named in ``not_counted``. Region gaps come from where the member states are: a region with states
    (directly or through sub-regions) is a gap when none of them is a member of a process.
    """
    roles = defaultdict(lambda: {enums.MembershipRole.MEMBER: [], enums.MembershipRole.OBSERVER: []})
    for state_id, role, name in (
        Membership.objects.current()
        .order_by("process__short_name")
        .values_list("state_id", "role", "process__short_name")
    ):
        roles[state_id][role].append(name)
    not_counted = tuple(
        Process.objects.unrecorded(enums.ListSection.MEMBERS, enums.ListSection.OBSERVERS)
        .only("slug", "short_name", "acronym")
        .order_by("short_name")
    )
    states = []
    for state in State.objects.select_related("region"):
        held = roles.get(state.pk, {})
        member_of = tuple(held.get(enums.MembershipRole.MEMBER, ()))
        observer_of = tuple(held.get(enums.MembershipRole.OBSERVER, ()))
        states.append(
            StateCoverage(
                state=state,
                member_of=member_of,
                observer_of=observer_of,
                unknown=bool(not_counted) and not member_of and not observer_of,
            )
        )
    states.sort(key=lambda entry: entry.name.casefold())

    regions = list(Region.objects.all())
    children = defaultdict(list)
    for region in regions:
        children[region.parent_id].append(region.pk)
    with_states, with_members = set(), set()
    for entry in states:
        if entry.state.region_id is not None:
            with_states.add(entry.state.region_id)
            if entry.member_of:
                with_members.add(entry.state.region_id)

    def reaches(region_id, found, seen=()):
        """Whether ``region_id`` or one of its sub-regions is in ``found``."""
        if region_id in found:
            return True
        return any(
            reaches(child, found, (*seen, region_id)) for child in children[region_id] if child not in seen
        )

    gap_regions = tuple(
        region
        for region in regions
        if reaches(region.pk, with_states) and not reaches(region.pk, with_members)
    )
    return Coverage(
        states=tuple(states),
        gap_states=tuple(entry for entry in states if entry.is_gap),
        gap_regions=gap_regions,
        not_counted=not_counted,
    )


# --- timeline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineYear:
    year: int | None  # None: the year is not known
    processes: tuple


def processes_by_year():
    """Processes grouped by year established, oldest first; those with no year come last (one query)."""
    grouped = defaultdict(list)
    for process in Process.objects.only(
        "slug", "name", "short_name", "acronym", "established_year", "status"
    ).order_by("established_year", "short_name"):
        grouped[process.established_year].append(process)
    years = [
        TimelineYear(year=year, processes=tuple(grouped[year])) for year in sorted(y for y in grouped if y)
    ]
    if None in grouped:
        years.append(TimelineYear(year=None, processes=tuple(grouped[None])))
    return years
