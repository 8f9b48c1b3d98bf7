"""simple-history helpers for the admin: many-to-many links in the history, "Recover deleted",
readable diffs (labels, whole values, names of linked records) and revert/recover messages.

Generic: imports no rcpdb app. The processes app narrows who may recover (processes/admin_scoping.py).

Records as they stood on a date (the dated versions of the public pages) are rebuilt here too:

Records as they stood on a date, rebuilt from django-simple-history (generic: knows no app).

Every model of the data apps has a ``HistoricalRecords`` table; those with ``m2m_fields`` also keep, for
each history entry, the many-to-many links the record had at that moment. A record "as of" a date is
its last history entry made before the end of that day (in the site's time zone); it did not exist
then if it had no entry yet or its last one is a deletion (``history_type == "-"``).

Each helper runs ONE query, whatever the number of rows: pages built on them run a fixed number.
The rows returned are unsaved model instances (``HistoricalRecord.instance``) that also carry
``history_id``, ``history_date`` and ``history_type`` of the entry they were rebuilt from.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ManyToManyField, Model, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_manager_for_model

# Readable history ----------------------------------------------------------------------------------


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    """Diffs as staff read them: a choice's label, not its code ("Active → Dormant"); linked records by
    name; whole values, never shortened ("Traff[13 chars]sons")."""

    def __init__(self, model, historical_record, **kwargs):
        kwargs.setdefault("max_displayed_delta_change_chars", 100_000)
        super().__init__(model, historical_record, **kwargs)

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, ManyToManyField):
            items = super().prepare_delta_change_value(change, value)
            pks = [item for item in items if not isinstance(item, Model)]
            names = field.related_model._default_manager.in_bulk(pks)
            return sorted(
                str(item) if isinstance(item, Model) else str(names.get(item, item)) for item in items
            )
        if field.choices and value not in (None, ""):
            return str(dict(field.flatchoices).get(value, value))
        if value in (None, ""):
            return "–"
        return value


def describe_changes(entry, model=None):
    """``[{"field", "old", "new"}]``: what ``entry`` changed since the entry before it (readable)."""
    previous = entry.prev_record
    if previous is None or entry.history_type != "~":
        return []
    delta = entry.diff_against(previous)
    return ReadableHistoryContextHelper(model or entry.instance_type, entry).context_for_delta_changes(delta)


class ReadableHistoryAdminMixin:
    """History pages with readable diffs, and a revert or a recovery that says what it did and lands
    back on the record."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContextHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            try:
                pk = self.model._meta.pk.to_python(object_id)
                existed = self.model._default_manager.filter(pk=pk).exists()
            except Exception:  # noqa: BLE001 - a malformed id: simple-history answers 404
                existed = True
            request._rcpdb_history_restore = ("revert" if existed else "recover", version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def response_change(self, request, obj):
        restore = getattr(request, "_rcpdb_history_restore", None)
        if restore is None:
            return super().response_change(request, obj)
        kind, version_id = restore
        version = self.model.history.filter(history_id=version_id).first()
        when = formats.date_format(version.history_date, "DATETIME_FORMAT") if version else ""
        params = {"name": self.opts.verbose_name, "obj": obj, "when": when}
        if kind == "recover":
            message = _("The %(name)s “%(obj)s” was recovered as it was on %(when)s.") % params
        else:
            message = _("The %(name)s “%(obj)s” was reverted to its version of %(when)s.") % params
        self.message_user(request, message, messages.SUCCESS)
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(
            reverse("admin:{}_{}_change".format(*info), args=[obj.pk], current_app=self.admin_site.name)
        )


class RecoverDeletedAdminMixin(ReadableHistoryAdminMixin):
    """A "Recover deleted" page: deleted records, each with a link to recover it.

    The link opens the record's last version in simple-history's revert form; saving that form
    recreates the record as it was just before its deletion.
    """

    recover_deleted_template = "admin/recover_deleted.html"
    change_list_template = "admin/rcpdb/change_list.html"

    def may_recover_deleted(self, request):
        """Who sees the page and its link: those who may change the model (narrowed by subclasses)."""
        return self.has_change_permission(request)

    def recover_deleted_refused(self, request):
        """Called when someone who may not recover opens the page (e.g. to log it)."""

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if self.may_recover_deleted(request):
            info = self.opts.app_label, self.opts.model_name
            extra_context["recover_deleted_url"] = reverse(
                "admin:{}_{}_recover_deleted".format(*info), current_app=self.admin_site.name
            )
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "recover-deleted/",
                self.admin_site.admin_view(self.recover_deleted_view),
                name="{}_{}_recover_deleted".format(*info),
            )
        ]
        return urls + super().get_urls()

    def deleted_records(self):
        history = self.model.history
        deletions = history.filter(history_type="-").exclude(
            **{f"{self.opts.pk.attname}__in": self.model._default_manager.values("pk")}
        )
        return deletions.order_by("-history_date")

    def recover_deleted_view(self, request):
        if not self.may_recover_deleted(request):
            self.recover_deleted_refused(request)
            raise PermissionDenied
        info = self.opts.app_label, self.opts.model_name
        latest = {}
        for deletion in self.deleted_records().select_related("history_user"):
            # Deleted, recovered and deleted again: the last deletion is the one to recover.
            latest.setdefault(deletion.instance.pk, deletion)
        rows = [
            {
                # A deletion's history row holds the record as it was when deleted.
                "label": str(deletion.instance),
                "deleted_at": deletion.history_date,
                "deleted_by": deletion.history_user,
                "url": reverse(
                    "admin:{}_{}_simple_history".format(*info),
                    args=[deletion.instance.pk, deletion.history_id],
                    current_app=self.admin_site.name,
                ),
            }
            for deletion in latest.values()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Recover deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "opts": self.opts,
            "rows": rows,
        }
        return TemplateResponse(request, self.recover_deleted_template, context)


# Many-to-many links in the history ----------------------------------------------------------------
#
# Models name their many-to-many fields in ``HistoricalRecords(m2m_fields=[...])``, so each history
# entry holds the record's links as they were and the admin's History lists their changes. Left to
# itself, simple-history 3.13 writes an entry for every link added or removed (one admin save of a
# process gave up to seven entries, most of them half-saved states), writes no links with
# bulk-created entries, and its revert form shows the record's current links, not the version's.


def record_links(entries):
    """Make each history entry (of one model, at most one per record) hold its record's current links."""
    if not entries:
        return
    history_model = type(entries[0])
    pk_name = history_model.instance_type._meta.pk.attname
    entry_of = {getattr(entry, pk_name): entry for entry in entries}
    for field in history_model._history_m2m_fields:
        link_model = getattr(history_model, field.name).model
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        link_model.objects.filter(history__in=entries).delete()
        links = through.objects.filter(**{f"{source}__in": list(entry_of)}).values_list("pk", source, target)
        link_model.objects.bulk_create(
            link_model(id=pk, history=entry_of[record], **{source: record, target: linked})
            for pk, record, linked in links
        )


def links_of_version(version):
    """``{field name: [linked pks]}`` as a history entry holds them.

    A deletion's entry holds no links (the database drops them before the record), so the entry
    before it says what the record was linked to when it was deleted.
    """
    if version.history_type == "-":
        version = version.prev_record or version
    links = {}
    for field in version._history_m2m_fields:
        link_model = getattr(type(version), field.name).model
        target = link_model._meta.get_field(field.m2m_reverse_field_name()).attname
        links[field.name] = list(getattr(version, field.name).values_list(target, flat=True))
    return links


def with_link_history(form_class, keep=None):
    """``form_class`` whose save leaves one history entry, holding the links as saved.

    The record's save writes the entry, before the form saves the links; the links are then saved
    without an entry per change and written into that entry. ``keep`` (``{field name: pks}``): links
    the editor cannot see, kept as they are.
    """
    keep = keep or {}

    class LinkHistoryForm(form_class):
        def _save_m2m(self):
            instance = self.instance
            instance.skip_history_when_saving = True
            try:
                super()._save_m2m()
                for name, pks in keep.items():
                    getattr(instance, name).add(*pks)
            finally:
                del instance.skip_history_when_saving
            history = get_history_manager_for_model(instance)
            latest = history.first() if history.model._history_m2m_fields else None
            if latest is not None:  # the entry this save wrote
                record_links([latest])

    return LinkHistoryForm


# Records as they stood on a date ---------------------------------------------------------------


class BadDate(ValueError):
    """An ``as_of`` parameter that is not a date YYYY-MM-DD the site can show."""


EARLIEST = datetime.date(2000, 1, 1)


def parse_as_of(value):
    """The date of an ``?as_of=`` parameter (None when absent or empty); ``BadDate`` when malformed,
    before ``EARLIEST`` or after today."""
    if value is None or value == "":
        return None
    try:
        day = datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise BadDate("not-a-date")
    if day < EARLIEST:
        raise BadDate("too-early")
    if day > timezone.localdate():
        raise BadDate("future")
    return day


def end_of(day):
    """The first moment after ``day`` in the site's time zone: entries before it count for ``day``."""
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start, timezone.get_default_timezone())


def history_model(model):
    return model.history.model


def latest_entries(model, day, *, include_deleted=False, **filters):
    """A QuerySet of ``model``'s history: each record's last entry before the end of ``day``, among
    the entries matching ``filters``; deletions left out unless ``include_deleted``."""
    historical = history_model(model)
    cutoff = end_of(day)
    pk = model._meta.pk.attname
    last = (
        historical.objects.filter(**{pk: OuterRef(pk)}, history_date__lt=cutoff)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    entries = historical.objects.filter(history_date__lt=cutoff, **filters).filter(history_id=Subquery(last))
    if not include_deleted:
        entries = entries.exclude(history_type="-")
    return entries


def as_instance(entry):
    """The model instance an entry records, carrying the entry's id, date and type."""
    instance = entry.instance
    instance.history_id = entry.history_id
    instance.history_date = entry.history_date
    instance.history_type = entry.history_type
    instance.history_change_reason = entry.history_change_reason
    return instance


def rows_as_of(model, day, *, order=None, **filters):
    """The records of ``model`` matching ``filters`` as they stood on ``day`` (one query)."""
    rows = [as_instance(entry) for entry in latest_entries(model, day, **filters)]
    if order is not None:
        rows.sort(key=order)
    return rows


def record_as_of(model, day, **lookup):
    """(the record matching ``lookup`` as it stood on ``day`` or, if it was deleted by then, its last
    version; whether it was deleted) — (None, False) if it did not exist yet. One query; two when the
    key (a slug) was another on ``day``: the address of today still opens the record's past."""
    entries = list(latest_entries(model, day, include_deleted=True, **lookup)[:1])
    if not entries:  # the key may have changed since: the record that has (or had) it, on that day
        pk = model._meta.pk.attname
        ids = history_model(model).objects.filter(**lookup).values(pk)
        entries = list(latest_entries(model, day, include_deleted=True, **{f"{pk}__in": ids})[:1])
    if not entries:
        return None, False
    entry = entries[0]
    # A deletion entry repeats the record's last values.
    return as_instance(entry), entry.history_type == "-"


def ever_recorded(model, **lookup):
    """Whether the history holds any entry of a ``model`` record matching ``lookup`` (one query)."""
    return history_model(model).objects.filter(**lookup).exists()


def m2m_history_model(model, field_name):
    """The table in which ``model``'s history keeps ``field_name``'s links of each entry."""
    historical = history_model(model)
    for related in historical._meta.related_objects:
        through = related.related_model
        if through.__name__ == f"{historical.__name__}_{field_name}":
            return through
    raise LookupError(f"{model.__name__}.{field_name} has no many-to-many history")


def m2m_field_columns(model, field_name):
    """(owner column, target column) of ``field_name`` in its history table."""
    field = model._meta.get_field(field_name)
    return f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"


def linked_ids(model, field_name, rows):
    """{history id: [target ids]} for ``rows`` (rebuilt by ``rows_as_of``): one query."""
    rows = [row for row in rows if getattr(row, "history_id", None) is not None]
    result = {row.history_id: [] for row in rows}
    if not rows:
        return result
    through = m2m_history_model(model, field_name)
    _owner, target = m2m_field_columns(model, field_name)
    for history_id, target_id in (
        through.objects.filter(history_id__in=list(result)).order_by("pk").values_list("history_id", target)
    ):
        result[history_id].append(target_id)
    return result


def reverse_m2m_rows_as_of(model, field_name, target_id, day, *, order=None):
    """The records of ``model`` whose ``field_name`` linked to ``target_id`` on ``day`` (one query):
    e.g. the meetings that a process took part in, from the meetings' own history."""
    through = m2m_history_model(model, field_name)
    _owner, target = m2m_field_columns(model, field_name)
    holding = through.objects.filter(**{target: target_id}).values("history_id")
    entries = latest_entries(model, day).filter(history_id__in=holding)
    rows = [as_instance(entry) for entry in entries]
    if order is not None:
        rows.sort(key=order)
    return rows


def by_pk(rows):
    return {row.pk: row for row in rows}


def targets_as_of(model, ids, day):
    """{pk: ``model`` record as it stood on ``day``} for ``ids`` (one query; none if ``ids`` is empty).
    A record with no history entry yet by then is taken as it is now, so that a link is never lost."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    found = by_pk(rows_as_of(model, day, **{f"{model._meta.pk.attname}__in": ids}))
    missing = ids - set(found)
    if missing:
        found.update(by_pk(model.objects.filter(pk__in=missing)))
    return found


def set_related(row, name, targets):
    """Fill the foreign key ``name`` of ``row`` from ``targets`` (or leave it None)."""
    field_ = row._meta.get_field(name)
    target = targets.get(getattr(row, field_.attname))
    field_.set_cached_value(row, target)


def set_prefetched(owner, name, rows):
    """Make ``owner.<name>.all()`` return ``rows`` without a query, as a prefetch would."""
    manager = getattr(owner, name)
    queryset = manager.none()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    owner.__dict__.setdefault("_prefetched_objects_cache", {})[
        manager.prefetch_cache_name if hasattr(manager, "prefetch_cache_name") else name
    ] = queryset


def attach_m2m_as_of(model, field_name, rows, day, *, order=None):
    """``row.<field_name>.all()`` of each of ``rows`` (rebuilt by ``rows_as_of``): its links as they
    stood on ``day``, to the targets as they stood then (two queries)."""
    ids = linked_ids(model, field_name, rows)
    target_model = model._meta.get_field(field_name).related_model
    targets = targets_as_of(target_model, {pk for listed in ids.values() for pk in listed}, day)
    for row in rows:
        listed = [targets[pk] for pk in ids.get(getattr(row, "history_id", None), []) if pk in targets]
        if order is not None:
            listed.sort(key=order)
        set_prefetched(row, field_name, listed)


def changes_queryset(model):
    """Every history entry of ``model``, newest first (for feeds and the recent-changes page)."""
    return history_model(model).objects.order_by("-history_date", "-history_id")
