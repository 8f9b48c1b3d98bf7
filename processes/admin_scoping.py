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
  in forms and autocompletes, never added, changed or deleted — except that they may add sources,
  and change or delete the ones they added until a central editor saves them (SourceAdmin).

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

from django.contrib.admin.utils import unquote
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from rcpdb.core.history import RecoverDeletedAdminMixin, links_of_version, with_link_history

from .editors import editable_process_ids, is_central_editor

security_log = logging.getLogger("rcpdb.security")


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


class CentralRecoverDeletedAdminMixin(RecoverDeletedAdminMixin):
    """ "Recover deleted" for central editors only; anyone else opening the page is refused and logged."""

    def may_recover_deleted(self, request):
        return is_central_editor(request.user) and super().may_recover_deleted(request)

    def recover_deleted_refused(self, request):
        log_denied(request, "recover", model=self.model)


def _safe_pk(model, value):
    try:
        return model._meta.pk.to_python(value)
    except Exception:  # noqa: BLE001 - any malformed id is simply "no such record"
        return None
