"""Writes the admin's staff tools make: many rows of a process entered in one step (issue 16).

A bulk entry is all or nothing: every row is checked (the model's rules and constraints, against the
database and against the other new rows) before any is stored, inside one transaction. Each new row
gets one history entry holding its sources, written by whoever is making the request.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rcpdb.core.history import record_links

from . import enums
from .models import Membership, Organization, OrganizationRole, Secretariat, State
from .state_reference import fold

# One name or code per line, or separated by ";" or ",". A line naming a state with a comma in its name
# ("Korea, Republic of") is taken whole when it matches.
LINE_SEPARATOR = re.compile(r"[\n;]")

BULK_REASON = "Bulk entry"
HOSTS_REASON = "Derived from the secretariat's host organisations"


@dataclass
class Resolved:
    states: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def resolve_state(text):
    """``(state, None)`` for the state that ``text`` names (a name in any language, another name or the
    ISO code, whatever the case and accents), or ``(None, message)``."""
    folded = fold(text)
    candidates = list(State.objects.matching(text))
    exact = [
        state for state in candidates if folded in state.search_text.split("\n") or fold(state.code) == folded
    ]
    if len(exact) == 1:
        return exact[0], None
    if len(exact) > 1 or len(candidates) > 1:
        names = ", ".join(sorted(str(state.name) for state in (exact or candidates))[:5])
        return None, _("“%(text)s” could be several states (%(names)s): write its full name or ISO code.") % {
            "text": text,
            "names": names,
        }
    if len(candidates) == 1:
        return candidates[0], None
    return None, _("No state is called “%(text)s”.") % {"text": text}


def resolve_states(text):
    """The states a pasted list names, in its order, and one message for each name not understood."""
    result = Resolved()
    for line in LINE_SEPARATOR.split(text or ""):
        if not line.strip():
            continue
        state, error = resolve_state(line.strip())
        if state is not None:
            result.states.append(state)
            continue
        parts = [part.strip() for part in line.split(",") if part.strip()]
        if len(parts) < 2:
            result.errors.append(error)
            continue
        for part in parts:
            state, error = resolve_state(part)
            if state is not None:
                result.states.append(state)
            else:
                result.errors.append(error)
    return result


@dataclass
class ResolvedOrganizations:
    organizations: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def _organization_keys(organization):
    """What a pasted line may say to name ``organization``: its name in any language, its acronym or
    its slug, folded (case, accents and dashes do not matter)."""
    names = [getattr(organization, f"name_{code}", None) for code, _name in settings.LANGUAGES]
    return {fold(key) for key in [organization.name, *names, organization.acronym, organization.slug] if key}


def _organization_label(organization):
    return f"{organization.name} ({organization.acronym})" if organization.acronym else str(organization.name)


def resolve_organizations(text):
    """The organisations a pasted list names (one a line, or separated by ";"), in its order, and one
    message per line that names no organisation or several (which ones: write the full name).

    A line matches an organisation whose name (in any language), acronym or slug it is, whatever the
    case and accents; nothing is guessed from part of a name (one it is part of is suggested instead).
    Two queries whatever the list's length.
    """
    result = ResolvedOrganizations()
    entries = [
        (number, part.strip())
        for number, line in enumerate((text or "").splitlines(), start=1)
        for part in line.split(";")
        if part.strip()
    ]
    if not entries:
        return result
    everyone = list(Organization.objects.order_by("name", "pk"))
    by_key = {}
    for organization in everyone:
        for key in _organization_keys(organization):
            by_key.setdefault(key, []).append(organization)
    for number, entry in entries:
        found = by_key.get(fold(entry), [])
        if len(found) == 1:
            result.organizations.append(found[0])
            continue
        if found:
            message = _(
                "Line %(line)d: “%(text)s” could be several organisations (%(names)s): write its full name."
            ) % {"line": number, "text": entry, "names": "; ".join(_organization_label(o) for o in found[:5])}
        else:
            near = [o for o in everyone if any(fold(entry) in key for key in _organization_keys(o))]
            message = _("Line %(line)d: no organisation is called “%(text)s”.") % {
                "line": number,
                "text": entry,
            }
            if near and len(fold(entry)) >= 3:
                message += " " + _("Did you mean: %(names)s?") % {
                    "names": "; ".join(_organization_label(o) for o in near[:5])
                }
        result.errors.append(message)
    return result


def _checked_rows(rows, describe):
    """Run each row's model validation; the messages, each naming its row."""
    errors = []
    for row in rows:
        try:
            row.full_clean(exclude=["sources"])
        except ValidationError as error:
            for message in error.messages:
                errors.append(f"{describe(row)}: {message}")
    return errors


def _store(rows, sources):
    for row in rows:
        row._change_reason = BULK_REASON
        row.save()
        row.skip_history_when_saving = True
        try:
            row.sources.set(sources)
        finally:
            del row.skip_history_when_saving
        record_links([row.history.first()])


@transaction.atomic
def add_memberships(process, states, *, role, since=None, sources=(), as_of=None):
    """Adds one membership of ``process`` per state, all with the same role, since-year, sources and
    "as of". Raises ``ValidationError`` (every problem, nothing stored) when any row is refused."""
    if not states:
        raise ValidationError(_("Name at least one state."))
    rows, errors, seen = [], [], set()
    for state in states:
        if state.pk in seen:
            errors.append(_("%(state)s is named twice.") % {"state": state.name})
            continue
        seen.add(state.pk)
        rows.append(Membership(process=process, state=state, role=role, since=since, as_of=as_of))
    errors += _checked_rows(rows, lambda row: row.state.name)
    if errors:
        raise ValidationError(errors)
    _store(rows, sources)
    return rows


@transaction.atomic
def add_organization_roles(process, organizations, *, role, since=None, sources=(), as_of=None):
    """Adds one role of ``process`` per organisation, as :func:`add_memberships` does for states."""
    if not organizations:
        raise ValidationError(_("Name at least one organisation."))
    rows, errors, seen = [], [], set()
    for organization in organizations:
        if organization.pk in seen:
            errors.append(_("%(organization)s is named twice.") % {"organization": organization})
            continue
        seen.add(organization.pk)
        rows.append(
            OrganizationRole(process=process, organization=organization, role=role, since=since, as_of=as_of)
        )
    errors += _checked_rows(rows, lambda row: str(row.organization))
    if errors:
        raise ValidationError(errors)
    _store(rows, sources)
    return rows


@transaction.atomic
def sync_secretariat_host_roles(process, *, secretariat_removed=False):
    """Make the process's current "secretariat host" organisation roles say what its secretariat says.

    The roles are derived, never entered (``OrganizationRole.clean`` refuses a new one added otherwise,
    and one the secretariat does not name): one current role per host organisation of the
    secretariat, with the secretariat's since-year, "as of" and
    sources; a current role of an organisation that no longer hosts it is deleted (all of them when
    ``secretariat_removed``: the secretariat was just deleted). A process that has no secretariat
    record, and did not just lose it, keeps its roles as they are (rows older than the derivation,
    which no arrangement can be invented for). Past roles (with an end year) are left as they are.
    Returns the current roles, by organisation id.
    """
    secretariat = Secretariat.objects.filter(process=process).first()
    if secretariat is None and not secretariat_removed:
        return {}
    hosts = set(secretariat.hosts.values_list("pk", flat=True)) if secretariat else set()
    sources = set(secretariat.sources.values_list("pk", flat=True)) if secretariat else set()
    current = {
        role.organization_id: role
        for role in OrganizationRole.objects.filter(
            process=process, role=enums.OrganizationRoleKind.SECRETARIAT_HOST, until__isnull=True
        )
    }
    for organization_id, role in list(current.items()):
        if organization_id not in hosts:
            role._change_reason = HOSTS_REASON
            role.delete()
            del current[organization_id]
    for organization_id in sorted(hosts):
        role = current.get(organization_id) or OrganizationRole(
            process=process, organization_id=organization_id, role=enums.OrganizationRoleKind.SECRETARIAT_HOST
        )
        linked = set() if role.pk is None else set(role.sources.values_list("pk", flat=True))
        if role.pk and (role.since, role.as_of, linked) == (secretariat.since, secretariat.as_of, sources):
            continue
        role.since, role.as_of, role.derived = secretariat.since, secretariat.as_of, True
        role.full_clean(exclude=["sources"])
        role._change_reason = HOSTS_REASON
        role.save()
        role.skip_history_when_saving = True
        try:
            role.sources.set(sources)
        finally:
            del role.skip_history_when_saving
        record_links([role.history.first()])
        current[organization_id] = role
    return current
