"""Who may see and change what in the admin: central editors everything, process editors their own.

A **central editor** is a superuser or a member of the "Central editors" group: the admin applies only
Django's model permissions to them. Every other staff user is a **process editor**: the editor of the
processes whose ``editors`` name them (``Process.editors``), and of nothing else. For a process editor:

- a *process record* (the process itself and every row with a ``process`` key: claims, memberships,
  organisation roles, secretariat, chair terms, funding, evaluations, outputs, achievements,
  institution links) is theirs when its process is one of theirs;
- a *meeting* (``Workshop``) is theirs when one of the processes represented at it is theirs, and so
  are its sessions, session leads, participation, documents, findings and recommendations — these
  belong to their meeting, whatever processes a finding concerns;
- *reference data* (regions, states, organisations, themes, sources, people) may be viewed and picked
  in forms and autocompletes, never added, changed or deleted.

What is not theirs does not exist for them: lists, autocompletes, exports and history show none of
it, its URLs answer 404 exactly like an unknown id (so nothing leaks whether a record exists), and
choices of processes and meetings offer only theirs. Relations to processes that they may not see
(a meeting also representing another process) are kept when they save. Each refusal is logged to
the ``rcpdb.security`` logger. History follows the same rules: a revert (or "Recover deleted") restores
the version's many-to-many links, but only those the editor may choose, and keeps the ones they cannot
see.

Each admin says how its model reaches a process with ``process_path`` (``"process"``,
``"workshop__processes"`` ...); ``"pk"`` means the model is ``Process`` itself.
"""

import logging

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.utils import get_history_manager_for_model

from .imports import (
    BoundedCSV,
    BoundedXLSX,
    ImportBusy,
    ImportRefused,
    PreviewExpired,
    PreviewStorage,
    read_upload,
)

CENTRAL_EDITORS_GROUP = "Central editors"

security_log = logging.getLogger("rcpdb.security")


def is_central_editor(user):
    """Superusers and members of the "Central editors" group: no per-process restriction."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_rcpdb_is_central", None)
    if cached is None:
        cached = user.groups.filter(name=CENTRAL_EDITORS_GROUP).exists()
        user._rcpdb_is_central = cached
    return cached


def editable_process_ids(user):
    """Primary keys of the processes ``user`` edits (cached on the user for the request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_rcpdb_process_ids", None)
    if cached is None:
        cached = frozenset(user.edited_processes.values_list("pk", flat=True))
        user._rcpdb_process_ids = cached
    return cached


def log_denied(request, action, obj=None, model=None):
    model = model or type(obj)
    security_log.warning(
        "permission denied: user=%s action=%s model=%s object=%s path=%s",
        getattr(request.user, "username", "") or "anonymous",
        action,
        model._meta.label,
        getattr(obj, "pk", None),
        request.path,
    )


class ScopedChoicesMixin:
    """Choices of scoped models (processes, meetings, sessions) limited to the editor's own.

    Works for ModelAdmins and inlines alike: the related model's registered admin, when scoped,
    provides the queryset. Fields named in ``unscoped_choice_fields`` keep every choice (a
    participant process names who took part, it does not make the row that process's).
    """

    unscoped_choice_fields = ()
    # A field the editor must fill with one of their own (Workshop.processes, Document.workshop):
    # otherwise the record they create would at once be out of their reach (and, for a document with
    # no meeting, public without any process's editor).
    scope_required_field = None

    def _scoped_choices(self, db_field, request):
        if db_field.name in self.unscoped_choice_fields or is_central_editor(request.user):
            return None
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related_admin, ProcessScopedAdminMixin):
            return related_admin.scoped_queryset(request)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = self._scoped_choices(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
            if db_field.name == self.scope_required_field:
                kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset = self._scoped_choices(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
            if db_field.name == self.scope_required_field:
                kwargs["required"] = True
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ProcessScopedAdminMixin(ScopedChoicesMixin):
    """Restricts a process editor to the records of their processes (see the module docstring)."""

    process_path = "process"
    # Only central editors create or delete whole processes; set on ProcessAdmin.
    central_only_add = False
    central_only_delete = False

    # Scope ----------------------------------------------------------------------------------------

    def scope_filter(self, request):
        ids = editable_process_ids(request.user)
        if self.process_path == "pk":
            return models.Q(pk__in=ids)
        return models.Q(**{f"{self.process_path}__in": ids})

    def scoped_queryset(self, request):
        """Every row the user may see, without the changelist's annotations."""
        queryset = self.model._default_manager.all()
        if is_central_editor(request.user):
            return queryset
        # A subquery, not a join, so a record linked to two of the editor's processes appears once.
        return queryset.filter(
            pk__in=self.model._default_manager.filter(self.scope_filter(request)).values("pk")
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_central_editor(request.user):
            return queryset
        return queryset.filter(pk__in=self.scoped_queryset(request).values("pk"))

    def in_scope(self, request, obj):
        if obj is None or is_central_editor(request.user):
            return True
        if obj.pk is None:  # a new object: the form's limited choices decide where it goes
            return True
        return self.scoped_queryset(request).filter(pk=obj.pk).exists()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not is_central_editor(request.user):
            # Same answer for an unknown id and for another process's record: nothing leaks.
            if self.model._default_manager.filter(pk=_safe_pk(self.model, object_id)).exists():
                log_denied(request, "open", model=self.model)
            raise Http404(_("No such record."))
        return obj

    # Permissions ----------------------------------------------------------------------------------

    def _checked(self, request, obj, action, allowed):
        if not allowed:
            return False
        if not self.in_scope(request, obj):
            log_denied(request, action, obj)
            return False
        return True

    def has_view_permission(self, request, obj=None):
        return self._checked(request, obj, "view", super().has_view_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        return self._checked(request, obj, "change", super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        if self.central_only_delete and not is_central_editor(request.user):
            return False
        if not self._checked(request, obj, "delete", super().has_delete_permission(request, obj)):
            return False
        if obj is not None and any(self.hidden_relations(request, obj).values()):
            # A meeting shared with processes the editor does not edit is not theirs alone to delete.
            log_denied(request, "delete shared", obj)
            return False
        return True

    def has_add_permission(self, request, *args):
        if self.central_only_add and not is_central_editor(request.user):
            return False
        return super().has_add_permission(request, *args)

    # Keeping what the editor cannot see -----------------------------------------------------------

    def hidden_relations(self, request, obj):
        """Many-to-many links to records outside the editor's scope: kept as they are on save."""
        if obj is None or obj.pk is None or is_central_editor(request.user):
            return {}
        hidden = {}
        for field in obj._meta.many_to_many:
            related_admin = self.admin_site._registry.get(field.related_model)
            if isinstance(related_admin, ProcessScopedAdminMixin):
                visible = related_admin.scoped_queryset(request).values("pk")
                hidden[field.name] = list(
                    getattr(obj, field.name).exclude(pk__in=visible).values_list("pk", flat=True)
                )
        return hidden

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        hidden = {name: set(pks) for name, pks in self.hidden_relations(request, obj).items() if pks}
        # simple-history's revert form (and so "Recover deleted") passes a version's record as ``obj``.
        version = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        version_links = links_of_version(version) if version is not None else {}

        class ScopedForm(with_link_history(form_class, keep=hidden)):
            """Shows (and so submits) only the links the editor may see — in a revert form, the
            version's; saving keeps the links they cannot see."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, pks in version_links.items():
                    if name in self.fields:  # not read-only for this user
                        # Only what the editor may choose: a revert brings back no other process's record.
                        choices = self.fields[name].queryset.filter(pk__in=pks)
                        self.initial[name] = list(choices.values_list("pk", flat=True))
                for name, pks in hidden.items():
                    if name in self.initial:
                        self.initial[name] = [v for v in self.initial[name] if getattr(v, "pk", v) not in pks]

        return ScopedForm

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.form = with_link_history(formset.form)
            yield formset, inline

    # History --------------------------------------------------------------------------------------

    def _require_in_scope(self, request, object_id):
        if is_central_editor(request.user):
            return
        pk = _safe_pk(self.model, unquote(object_id))
        if pk is None or not self.scoped_queryset(request).filter(pk=pk).exists():
            if pk is not None and self.model._default_manager.filter(pk=pk).exists():
                log_denied(request, "history", model=self.model)
            raise Http404(_("No such record."))

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReferenceDataAdminMixin:
    """Shared reference data: process editors view and pick it, only central editors change it."""

    def has_add_permission(self, request, *args):
        return is_central_editor(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_central_editor(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_central_editor(request.user) and super().has_delete_permission(request, obj)


class RecoverDeletedAdminMixin:
    """A "Recover deleted" page for central editors: deleted records, each with a link to recover it.

    The link opens the record's last version in simple-history's revert form; saving that form
    recreates the record as it was just before its deletion.
    """

    recover_deleted_template = "admin/recover_deleted.html"
    change_list_template = "admin/rcpdb/change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if is_central_editor(request.user) and self.has_change_permission(request):
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
        if not (is_central_editor(request.user) and self.has_change_permission(request)):
            log_denied(request, "recover", model=self.model)
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


def _safe_pk(model, value):
    try:
        return model._meta.pk.to_python(value)
    except Exception:  # noqa: BLE001 - any malformed id is simply "no such record"
        return None


class ScopedImportExportMixin(ImportExportMixin):
    """CSV/XLSX import and export (resources in <app>/resources.py) limited to the editor's records.

    Exports start from the changelist's queryset, so they hold only what the list shows; the resource
    gets ``scope_ids`` (the editor's processes or meetings) and rejects import rows outside them.
    """

    import_formats = [BoundedCSV, BoundedXLSX]
    export_formats = [CSV, XLSX]
    tmp_storage_class = PreviewStorage

    # Preview and confirmation (processes/imports.py): limits before parsing, a refused file never
    # stored, the preview kept where every worker finds it, and every refusal a message, never a 500.

    def import_action(self, request, **kwargs):
        """The preview: file checked and read within the limits, then a dry run; the file is stored
        for confirmation only when every row is fine."""
        if request.method != "POST":
            return super().import_action(request, **kwargs)
        if not self.has_import_permission(request):
            raise PermissionDenied
        import_form = self.create_import_form(request)
        if not import_form.is_valid():
            return super().import_action(request, **kwargs)
        context = self.get_import_context_data()
        import_file = import_form.cleaned_data["import_file"]
        input_format = self.get_import_formats()[int(import_form.cleaned_data["format"])]()
        resource = self.choose_import_resource_class(import_form, request)(
            **self.get_import_resource_kwargs(request, form=import_form, **kwargs)
        )
        try:
            data = read_upload(import_file)
            dataset = input_format.create_dataset(data)
            if not dataset:
                raise ImportRefused(_("The file has no rows to import."))
            result = resource.import_data(
                dataset,
                dry_run=True,
                raise_errors=False,
                file_name=import_file.name,
                user=request.user,
                **self.get_import_data_kwargs(request=request, form=import_form, **kwargs),
            )
        except ImportRefused as refused:
            import_form.add_error("import_file", refused.message)
        else:
            context["result"] = result
            if not result.has_errors() and not result.has_validation_errors():
                storage_class = self.get_tmp_storage_class()
                tmp_storage = storage_class(read_mode="rb", **self.get_tmp_storage_class_kwargs())
                tmp_storage.save(data)
                import_file.tmp_storage_name = tmp_storage.name
                context["confirm_form"] = self.create_confirm_form(request, import_form=import_form)
        return self._import_page(request, context, import_form, [resource])

    def _import_page(self, request, context, import_form, resources):
        """The import page as django-import-export's import_action renders it."""
        context.update(self.admin_site.each_context(request))
        context["title"] = _("Import")
        context["form"] = import_form
        context["opts"] = self.model._meta
        context["media"] = self.media + import_form.media
        context["fields_list"] = [
            (resource.get_display_name(), [f.column_name for f in resource.get_user_visible_fields()])
            for resource in resources
        ]
        context["import_error_display"] = self.import_error_display
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirmation: the stored preview imported for real. A missing or expired preview is an
        error on a fresh upload form; another import running keeps the preview for another try."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return super().process_import(request, **kwargs)
        storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            read_mode="rb",
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            data = storage.read()
            input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])]()
            result = self.process_dataset(input_format.create_dataset(data), confirm_form, request, **kwargs)
        except PreviewExpired as expired:
            import_form = self.create_import_form(request)
            import_form.errors.clear()
            import_form.add_error("import_file", expired.message)
            resources = [
                resource_class(**self.get_import_resource_kwargs(request=request, form=import_form, **kwargs))
                for resource_class in self.get_import_resource_classes(request)
            ]
            return self._import_page(request, self.get_import_context_data(), import_form, resources)
        except ImportBusy as busy:
            messages.error(request, busy.message)
            context = {**self.admin_site.each_context(request), "title": _("Import")}
            context.update(opts=self.model._meta, confirm_form=confirm_form)
            return TemplateResponse(request, [self.import_template_name], context)
        except ImportRefused as refused:
            storage.remove()
            messages.error(request, _("Nothing was imported: %(problems)s") % {"problems": refused.message})
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
        storage.remove()
        return self.process_result(result, request)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # All or nothing at confirmation too: a row the database no longer accepts (it changed since
        # the preview) undoes the whole import instead of being skipped.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            problems = [
                _("line %(number)s: %(error)s") % {"number": number, "error": error.error}
                for number, errors in result.row_errors()
                for error in errors
            ] + [
                _("line %(number)s: %(error)s")
                % {"number": row.number, "error": " ".join(" ".join(m) for m in row.error_dict.values())}
                for row in result.invalid_rows
            ]
            messages.error(
                request, _("Nothing was imported: %(problems)s") % {"problems": "; ".join(problems)}
            )
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
        return super().process_result(result, request)

    def get_resource_kwargs(self, request, *args, **kwargs):
        kwargs = super().get_resource_kwargs(request, *args, **kwargs)
        if not is_central_editor(request.user):
            scope_field = self.get_resource_classes(request)[0].scope_field
            scope_model = self.model._meta.get_field(scope_field).related_model
            scoped = self.admin_site._registry[scope_model].scoped_queryset(request)
            kwargs["scope_ids"] = list(scoped.values_list("pk", flat=True))
            kwargs["process_ids"] = list(editable_process_ids(request.user))
        return kwargs
