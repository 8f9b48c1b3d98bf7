"""Recent changes, read from the history of every public record: for the feeds and the public page.

A change is one history entry: what was created, changed (which fields) or deleted, when, the page of
the record it belongs to (a membership belongs to its process's profile) and the dated version of that
page just before the change (``?as_of=`` the day before). Bounded: at most ``MAX_CHANGES`` newest
changes are ever read, two queries per kind of record plus one per kind of page linked, whatever the
size of the history.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries.fields import Country

from processes import models as pm
from rcpdb.core.history import history_model, m2m_history_model
from workshops import models as wm

MAX_CHANGES = 500
IGNORED_FIELDS = {"search_text"}

# model: (the foreign key naming the page it belongs to, or None: its own page)
TRACKED = {
    pm.Process: None,
    pm.ProcessClaim: "process",
    pm.Membership: "process",
    pm.OrganizationRole: "process",
    pm.Secretariat: "process",
    pm.ChairTerm: "process",
    pm.Funding: "process",
    pm.Evaluation: "process",
    pm.Output: "process",
    pm.Achievement: "process",
    pm.InstitutionLink: "process",
    pm.ListCompleteness: "process",
    pm.State: None,
    pm.Organization: None,
    pm.Theme: None,
    wm.Workshop: None,
    wm.Finding: "workshop",
    wm.Recommendation: "workshop",
}
PAGE_KEY = {
    pm.Process: "slug",
    pm.State: "code",
    pm.Organization: "slug",
    pm.Theme: "slug",
    wm.Workshop: "slug",
}
PAGE_URL = {
    pm.Process: ("processes:process-detail", "slug"),
    pm.State: ("processes:state-detail", "code"),
    pm.Organization: ("processes:organization-detail", "slug"),
    pm.Theme: ("processes:theme-detail", "slug"),
    wm.Workshop: ("workshops:workshop-detail", "slug"),
}
PAGE_TITLE = {
    pm.Process: "short_name",
    pm.State: "code",
    pm.Organization: "name",
    pm.Theme: "name",
    wm.Workshop: "title",
}
DATED = {pm.Process, pm.State, pm.Organization, wm.Workshop}


def _title(page_model, row):
    value = getattr(row, PAGE_TITLE[page_model])
    return str(Country(value).name) if page_model is pm.State else str(value)


@dataclass
class Change:
    model: type
    label: str
    record: str
    kind: str  # "+", "~" or "-"
    date: datetime.datetime
    fields: list
    page_url: str | None
    before_url: str | None
    reason: str = ""
    history_id: int = 0

    @property
    def summary(self):
        if self.kind == "+":
            return _("%(kind)s %(record)s added") % {"kind": self.label, "record": self.record}
        if self.kind == "-":
            return _("%(kind)s %(record)s deleted") % {"kind": self.label, "record": self.record}
        if self.fields:
            return _("%(kind)s %(record)s changed: %(fields)s") % {
                "kind": self.label,
                "record": self.record,
                "fields": ", ".join(self.fields),
            }
        return _("%(kind)s %(record)s changed") % {"kind": self.label, "record": self.record}


@dataclass(frozen=True)
class Scope:
    """Which changes: all, or those of one process, state or theme (``kind``, record id)."""

    kind: str = ""
    pk: object = None


def _filter_for(model, scope):
    """The filter of ``model``'s history entries within ``scope``, or None if none can be."""
    if not scope.kind:
        return Q()
    if scope.kind == "process":
        if model is pm.Process:
            return Q(id=scope.pk)
        if TRACKED[model] == "process":
            return Q(process_id=scope.pk)
        if model is wm.Finding:
            return Q(
                history_id__in=m2m_history_model(wm.Finding, "processes")
                .objects.filter(process_id=scope.pk)
                .values("history_id")
            )
        return None
    if scope.kind == "state":
        if model is pm.State:
            return Q(id=scope.pk)
        if model is pm.Membership or model is pm.Funding:
            return Q(state_id=scope.pk)
        if model is pm.ChairTerm:
            return Q(state_id=scope.pk) | Q(co_chair_id=scope.pk)
        return None
    if scope.kind == "theme":
        if model is pm.Theme:
            return Q(id=scope.pk)
        if model in (pm.Process, pm.Output, wm.Finding, wm.Recommendation):
            linked = m2m_history_model(model, "themes").objects.filter(theme_id=scope.pk)
            return Q(history_id__in=linked.values("history_id"))
        return None
    return None


def _changed_fields(model, entry, previous):
    """The verbose names of the fields ``entry`` changed since ``previous`` (a translation in the
    default language is the field itself; the others are named with their language)."""
    if previous is None:
        return []
    names = []
    columns = {field.attname for field in model.history.model._meta.fields}
    for field in model.history.model._meta.fields:
        name = field.attname
        if name.startswith("history_") or name in IGNORED_FIELDS or field.name == "id":
            continue
        if name.endswith(f"_{settings.LANGUAGE_CODE[:2]}") and name[:-3] in columns:
            continue
        if getattr(entry, name) != getattr(previous, name):
            names.append(
                str(model._meta.get_field(field.name).verbose_name)
                if _is_model_field(model, field.name)
                else field.name
            )
    return names


def _is_model_field(model, name):
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def recent_changes(scope=Scope(), limit=MAX_CHANGES):
    """The ``limit`` (at most ``MAX_CHANGES``) newest ``Change``s within ``scope``, newest first."""
    limit = min(limit, MAX_CHANGES)
    picked = []
    for model in TRACKED:
        condition = _filter_for(model, scope)
        if condition is None:
            continue
        historical = history_model(model)
        previous = (
            historical.objects.filter(id=OuterRef("id"), history_date__lte=OuterRef("history_date"))
            .exclude(history_id=OuterRef("history_id"))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        entries = list(
            historical.objects.filter(condition)
            .annotate(previous_id=Subquery(previous))
            .order_by("-history_date", "-history_id")[:limit]
        )
        picked.extend((model, entry) for entry in entries)
    picked.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    picked = picked[:limit]

    previous_ids = {}
    for model, entry in picked:
        if entry.previous_id:
            previous_ids.setdefault(model, set()).add(entry.previous_id)
    previous = {
        model: {e.history_id: e for e in history_model(model).objects.filter(history_id__in=ids)}
        for model, ids in previous_ids.items()
    }
    page_ids = {}
    for model, entry in picked:
        owner = TRACKED[model]
        page_model = model if owner is None else model._meta.get_field(owner).related_model
        page_ids.setdefault(page_model, set()).add(getattr(entry, "id" if owner is None else f"{owner}_id"))
    keys = {}
    for page_model, ids in page_ids.items():
        field, title = PAGE_KEY[page_model], PAGE_TITLE[page_model]
        # the key and title as last recorded: a deleted record's page still has its dated versions
        rows = history_model(page_model).objects.filter(id__in=ids).order_by("history_date", "history_id")
        keys[page_model] = {
            row.id: (str(getattr(row, field)), _title(page_model, row))
            for row in rows.only("id", field, title, "history_date")
        }

    changes = []
    for model, entry in picked:
        owner = TRACKED[model]
        page_model = model if owner is None else model._meta.get_field(owner).related_model
        key, page_title = keys[page_model].get(
            getattr(entry, "id" if owner is None else f"{owner}_id"), ("", "")
        )
        page_url = before_url = None
        if key:
            name, kwarg = PAGE_URL[page_model]
            page_url = reverse(name, kwargs={kwarg: key})
            if page_model in DATED and not (owner is None and entry.history_type == "+"):
                before = (entry.history_date.date() - datetime.timedelta(days=1)).isoformat()
                before_url = f"{page_url}?as_of={before}"
        record = page_title if owner is None else _("of %(page)s") % {"page": page_title}
        fields = (
            _changed_fields(model, entry, previous.get(model, {}).get(entry.previous_id))
            if entry.history_type == "~"
            else []
        )
        changes.append(
            Change(
                model=model,
                label=str(model._meta.verbose_name).capitalize(),
                record=record,
                kind=entry.history_type,
                date=entry.history_date,
                fields=fields,
                page_url=page_url,
                before_url=before_url,
                reason=entry.history_change_reason or "",
                history_id=entry.history_id,
            )
        )
    return changes
