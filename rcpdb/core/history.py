"""simple-history helpers for the admin: many-to-many links in the history, "Recover deleted",
readable diffs (labels, whole values, names of linked records) and revert/recover messages.

Generic: imports no rcpdb app. The processes app narrows who may recover (processes/admin_scoping.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ManyToManyField, Model
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
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
