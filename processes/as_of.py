"""Selectors of dated versions: a process, state or organisation as it stood on a date.

Rebuilt from the history (``rcpdb.core.history``): each record, each row of its sections, the
many-to-many links each row had (sources, regions, themes, states concerned) and what the rows point
to (states, organisations, sources), every one as it stood at the end of that day. The rebuilt objects
are unsaved instances with their relations filled in, so that the public templates render them exactly
like the current ones. Each selector runs a fixed number of queries whatever the data size.
"""

from dataclasses import dataclass, field

from rcpdb.core import history

from . import enums, selectors
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
)


@dataclass
class Version:
    """A record as it stood on ``day``; ``deleted`` when it had been deleted by then (then ``record``
    is its last version). ``context`` holds what the page shows besides the record."""

    record: object
    day: object
    deleted: bool = False
    context: dict = field(default_factory=dict)


def _attach_as_of(day, completeness_history):
    """An ``attach`` for ``selectors.profile_sections``: loads each ``Link`` from the history.
    ``completeness_history``: {ListCompleteness pk: history id} (its rows are rebuilt by the selector)."""

    def attach(links):
        targets_wanted = {}
        for link in links:
            for row in link.rows:
                if isinstance(row, ListCompleteness):
                    row.history_id = completeness_history.get(row.pk)
        plans = []
        for link in links:
            for row in link.rows:
                setattr(row, link.to_attr, [])
            if not link.rows:
                continue
            model = type(link.rows[0])
            field_ = model._meta.get_field(link.relation)
            if field_.many_to_many and not field_.concrete:  # reverse: another app's rows, e.g. meetings
                owner = link.rows[0]
                forward_model = field_.related_model
                meetings = history.reverse_m2m_rows_as_of(
                    forward_model, field_.remote_field.name, owner.pk, day
                )
                getattr(owner, link.to_attr).extend(meetings)
                continue
            ids = history.linked_ids(model, link.relation, link.rows)
            target_model = field_.related_model
            plans.append((link, ids, target_model))
            wanted = targets_wanted.setdefault(target_model, set())
            for targets in ids.values():
                wanted.update(targets)
        loaded = {model: history.targets_as_of(model, ids, day) for model, ids in targets_wanted.items()}
        for link, ids, target_model in plans:
            for row in link.rows:
                for target_id in ids.get(getattr(row, "history_id", None), []):
                    target = loaded[target_model].get(target_id)
                    if target is not None:
                        getattr(row, link.to_attr).append(target)
        for link in links:
            for row in link.rows:
                getattr(row, link.to_attr).sort(key=link.order)

    return attach


PROCESS_SECTIONS = {
    # related name on Process: (model, its foreign keys to fill, order as on the current profile)
    "claims": (ProcessClaim, {"source": Source}, lambda c: (c.topic, c.value)),
    # Membership's own ordering (role, state code): the profile's sort by name keeps it for equal names.
    "memberships": (Membership, {"state": State}, lambda m: (m.role, str(m.state.code) if m.state else "")),
    "organization_roles": (
        OrganizationRole,
        {"organization": Organization},
        lambda r: (r.role, r.organization.name if r.organization else "", r.since or 0),
    ),
    "chair_terms": (ChairTerm, {"state": State, "co_chair": State}, lambda t: -t.start_year),
    "fundings": (
        Funding,
        {"state": State, "organization": Organization},
        lambda f: (f.year is None, -(f.year or 0), f.kind, f.pk),
    ),
    "evaluations": (
        Evaluation,
        {},
        lambda e: (e.start_date is None, -(e.start_date.toordinal() if e.start_date else 0), e.pk),
    ),
    "outputs": (Output, {}, lambda o: (o.year is None, -(o.year or 0), o.title)),
    "achievements": (Achievement, {}, lambda a: (a.year is None, -(a.year or 0), a.title)),
    "institution_links": (
        InstitutionLink,
        {"institution": Organization},
        lambda link: link.institution.name if link.institution else "",
    ),
}


def process_as_of(slug, day, *, links=None):
    """The process ``slug`` as it stood on ``day``: a ``Version`` whose ``record`` is the process with
    its sections' rows attached and whose ``context`` has ``sections`` and ``claim_groups`` as
    ``selectors.profile_sections`` builds them; None if the process did not exist yet on ``day``.
    ``links(process)``: more ``Link``s to load as of ``day`` (what the site layer adds to a profile).

    A fixed number of queries (about 30) whatever the process holds. For the API too (``?as_of=``).
    """
    process, deleted = history.record_as_of(Process, day, slug=slug)
    if process is None:
        return None
    rows = {
        name: history.rows_as_of(model, day, process_id=process.pk)
        for name, (model, _fks, _o) in PROCESS_SECTIONS.items()
    }
    secretariats = history.rows_as_of(Secretariat, day, process_id=process.pk)
    completeness = history.rows_as_of(ListCompleteness, day, process_id=process.pk)

    wanted = {}
    for name, (_model, fks, _order) in PROCESS_SECTIONS.items():
        for fk, target in fks.items():
            attname = f"{fk}_id"
            wanted.setdefault(target, set()).update(getattr(row, attname) for row in rows[name])
    targets = {model: history.targets_as_of(model, ids, day) for model, ids in wanted.items()}
    for name, (_model, fks, order) in PROCESS_SECTIONS.items():
        for row in rows[name]:
            history.set_related(row, "process", {process.pk: process})
            for fk, target in fks.items():
                history.set_related(row, fk, targets[target])
        if order is not None:
            rows[name].sort(key=order)
        history.set_prefetched(process, name, rows[name])
    secretariat = secretariats[0] if secretariats else None
    if secretariat is not None:
        _attach_hosts([secretariat], day)
    Process.secretariat.related.set_cached_value(process, secretariat)
    for row in completeness:
        packed = selectors.COMPLETENESS_SEPARATOR.join(
            [str(row.pk), row.status, row.as_of.isoformat() if row.as_of else "", row.note]
        )
        setattr(process, f"completeness_{row.section}", packed)
    completeness_history = {row.pk: row.history_id for row in completeness}
    context = selectors.profile_sections(
        process,
        attach=_attach_as_of(day, completeness_history),
        links=links(process) if links else (),
    )
    return Version(record=process, day=day, deleted=deleted, context=context)


def state_as_of(code, day):
    """The state ``code`` as it stood on ``day``, with its memberships and chair terms then (each with
    its process and sources as of then); None if not recorded yet. A fixed number of queries."""
    state, deleted = history.record_as_of(State, day, code=code)
    if state is None:
        return None
    if state.region_id:
        history.set_related(state, "region", history.targets_as_of(Region, {state.region_id}, day))
    memberships = history.rows_as_of(Membership, day, state_id=state.pk)
    chair_terms = [
        *history.rows_as_of(ChairTerm, day, state_id=state.pk),
        *history.rows_as_of(ChairTerm, day, co_chair_id=state.pk),
    ]
    chair_terms = list(history.by_pk(chair_terms).values())
    process_ids = {row.process_id for row in [*memberships, *chair_terms]}
    processes = history.targets_as_of(Process, process_ids, day)
    states = history.targets_as_of(
        State, {t.state_id for t in chair_terms} | {t.co_chair_id for t in chair_terms}, day
    )
    states[state.pk] = state
    for row in memberships:
        history.set_related(row, "process", processes)
        history.set_related(row, "state", states)
    for term in chair_terms:
        for name, targets in (("process", processes), ("state", states), ("co_chair", states)):
            history.set_related(term, name, targets)
    _attach_sources(Membership, memberships, day)
    memberships = [m for m in memberships if m.process is not None]
    memberships.sort(key=lambda m: (m.until is not None, m.process.short_name, -(m.since or 0)))
    chair_terms = [t for t in chair_terms if t.process is not None]
    chair_terms.sort(key=lambda t: (-t.start_year, t.process.short_name))
    context = {
        "memberships": memberships,
        "member_of": [m for m in memberships if m.role == enums.MembershipRole.MEMBER],
        "observer_of": [m for m in memberships if m.role == enums.MembershipRole.OBSERVER],
        "chair_terms": chair_terms,
    }
    return Version(record=state, day=day, deleted=deleted, context=context)


def _attach_sources(model, rows, day):
    """``row.sources.all()`` of each row: its sources as of ``day`` (two queries)."""
    history.attach_m2m_as_of(model, "sources", rows, day, order=lambda source: (source.title, source.pk))


def _attach_hosts(secretariats, day):
    """``secretariat.hosts.all()`` of each: its host organisations as of ``day`` (two queries)."""
    history.attach_m2m_as_of(
        Secretariat, "hosts", secretariats, day, order=lambda host: (str(host.name).casefold(), host.pk)
    )


def organization_as_of(slug, day):
    """The organisation ``slug`` as it stood on ``day`` with its roles, hosted secretariats, links and
    funding then; None if not recorded yet. A fixed number of queries."""
    organization, deleted = history.record_as_of(Organization, day, slug=slug)
    if organization is None:
        return None
    if organization.region_id:
        history.set_related(
            organization, "region", history.targets_as_of(Region, {organization.region_id}, day)
        )
    roles = history.rows_as_of(OrganizationRole, day, organization_id=organization.pk)
    hosted = history.reverse_m2m_rows_as_of(Secretariat, "hosts", organization.pk, day)
    links = history.rows_as_of(InstitutionLink, day, institution_id=organization.pk)
    fundings = history.rows_as_of(Funding, day, organization_id=organization.pk)
    everything = [*roles, *hosted, *links, *fundings]
    processes = history.targets_as_of(Process, {row.process_id for row in everything}, day)
    for row in everything:
        history.set_related(row, "process", processes)
    for row in roles:
        history.set_related(row, "organization", {organization.pk: organization})
    _attach_sources(OrganizationRole, roles, day)
    _attach_sources(InstitutionLink, links, day)

    def shown(rows, key):
        return sorted((row for row in rows if row.process is not None), key=key)

    history.set_prefetched(
        organization, "process_roles", shown(roles, lambda r: (r.process.short_name, r.role, r.since or 0))
    )
    history.set_prefetched(organization, "hosted_secretariats", shown(hosted, lambda s: s.process.short_name))
    history.set_prefetched(organization, "process_links", shown(links, lambda link: link.process.short_name))
    history.set_prefetched(
        organization,
        "fundings",
        shown(fundings, lambda f: (f.process.short_name, f.year is None, -(f.year or 0))),
    )
    return Version(record=organization, day=day, deleted=deleted)
