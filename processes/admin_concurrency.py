"""Optimistic locking of admin change forms: a second editor's save never silently overwrites a first's.

When a change form is rendered, it carries a hidden field, the *record state*: a signed, compressed
snapshot of the record as the page shows it — its editable fields, its many-to-many links (only those
the editor may see), and every row of every inline with its fields and links — and the time the page
was opened. Long texts are kept as an excerpt and a hash, so the field stays small.

When the form is saved, the same snapshot is taken again from the database inside the save's
transaction, with the record and its inline rows locked (``select_for_update``; PostgreSQL waits for
a concurrent save to finish, SQLite writes one transaction at a time anyway). If it differs from the
snapshot the page was opened with, nothing is saved: the form comes back with the editor's input as
they typed it, an error, and a table of what changed (field labels, value when the page was opened →
value now, and who changed it and when, from django-simple-history's entries written since). The
returned form carries the current state, so saving it again — after checking the changes listed —
is a deliberate choice, never a silent overwrite. A form posted without a valid record state (a page
opened before this check existed, a hand-made request) is refused the same way.

No migration: nothing is stored. ``OptimisticLockingAdminMixin`` goes first in every ModelAdmin's
bases. Simple-history's revert form ("Revert", "Recover deleted") is not checked. The delete
confirmation page carries the state too: confirming a deletion of a record changed since the page was
opened is refused and the page shown again as the record is now (a POST without the state — the
list's "delete selected" action, a script — deletes as before).
"""

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.db import models, router, transaction
from django.forms.models import _get_foreign_key
from django.http import HttpResponseRedirect
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from .admin_scoping import ProcessScopedAdminMixin
from .editors import is_central_editor

# The hidden field's name: no model field starts with an underscore.
STATE_FIELD = "_record_state"
SALT = "rcpdb.admin_concurrency.record_state"
# Texts longer than this are kept as an excerpt and a hash.
EXCERPT_LENGTH = 120

CONFLICT_MESSAGE = _(
    "Someone else saved this record after you opened this page, so nothing you entered has been "
    "saved. Your input is still in the form below. The changes made since you opened the page are "
    "listed here: saving the form again replaces them with what the form holds, so check each one "
    "first, or reload the page to start from the current version."
)
NO_STATE_MESSAGE = _(
    "This form does not say which version of the record it was opened on, so it could not be checked "
    "for changes made by someone else, and nothing has been saved. Your input is still in the form "
    "below. Check the record's history for recent changes: saving the form again replaces them with "
    "what the form holds."
)
DELETED_MESSAGE = _("This record was deleted after you opened this page; nothing has been saved.")
DELETE_CONFLICT_MESSAGE = _(
    "Someone else changed this record after you opened the delete page, so it has not been deleted. "
    "Check it as it is now below, then confirm again."
)


# Snapshots ---------------------------------------------------------------------------------------


def _pack(value):
    """A value as compared and shown: ``None``, its text, or ``[excerpt, hash]`` for a long text."""
    if value is None:
        return None
    text = str(value)
    if len(text) <= EXCERPT_LENGTH:
        return text
    return [text[:EXCERPT_LENGTH], hashlib.sha256(text.encode()).hexdigest()[:24]]


def _translated(model):
    """Names of the fields of ``model`` with a column per language: the admin edits ``name_en``,
    ``name_fr``, ``name_es``, and ``name`` only mirrors the English one."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def _field_columns(model, skip=None):
    """The editable columns of ``model`` (not its primary key, not the key named ``skip``, not the
    mirrored original of a translated field)."""
    translated = _translated(model)
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name != skip and field.name not in translated
    ]


def _link_fields(model):
    """Many-to-many fields a form edits (an explicit ``through`` model is edited as its own rows)."""
    return [field for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created]


def _rows(model_admin, request, model, pks_queryset, skip=None, lock=False):
    """``{pk: {"fields": {name: packed}, "links": {name: [pks]}}}`` of the rows of ``pks_queryset``."""
    queryset = model._base_manager.filter(pk__in=pks_queryset)
    if lock:
        queryset = queryset.select_for_update()
    columns = _field_columns(model, skip)
    rows = {}
    for pk, *values in queryset.order_by("pk").values_list("pk", *[field.attname for field in columns]):
        rows[str(pk)] = {
            "fields": {field.name: _pack(value) for field, value in zip(columns, values, strict=True)},
            "links": {},
        }
    if not rows:
        return rows
    for field in _link_fields(model):
        for row in rows.values():
            row["links"][field.name] = []
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        links = through.objects.filter(**{f"{source}__in": list(rows)})
        visible = _visible(model_admin, request, field.related_model)
        if visible is not None:  # links to records the editor cannot see are neither shown nor compared
            links = links.filter(**{f"{target}__in": visible.values("pk")})
        for record, linked in links.order_by(source, target).values_list(source, target):
            rows[str(record)]["links"][field.name].append(str(linked))
    return rows


def _visible(model_admin, request, model):
    """The records of ``model`` the editor may see, or ``None`` when they may see every one."""
    if is_central_editor(request.user):
        return None
    related_admin = model_admin.admin_site._registry.get(model)
    if isinstance(related_admin, ProcessScopedAdminMixin):
        return related_admin.scoped_queryset(request)
    return None


def _inlines(model_admin, request, obj):
    """``[(key, inline, foreign key name)]`` of the inlines the change page shows."""
    shown = []
    for inline in model_admin.get_inline_instances(request, obj):
        fk = _get_foreign_key(model_admin.model, inline.model, fk_name=inline.fk_name)
        shown.append((f"{inline.model._meta.label_lower}:{fk.name}", inline, fk.name))
    return shown


def record_state(model_admin, request, obj, lock=False):
    """The state of ``obj`` as its change page shows it (see the module docstring), read from the
    database; ``None`` when the record no longer exists. ``lock`` locks the record and its inline rows
    until the end of the transaction."""
    model = model_admin.model
    main = _rows(model_admin, request, model, [obj.pk], lock=lock).get(str(obj.pk))
    if main is None:
        return None
    inline_rows = {}
    for key, inline, fk_name in _inlines(model_admin, request, obj):
        shown = inline.get_queryset(request).filter(**{fk_name: obj.pk}).values("pk")
        inline_rows[key] = _rows(model_admin, request, inline.model, shown, skip=fk_name, lock=lock)
    return {"fields": main["fields"], "links": main["links"], "rows": inline_rows}


def make_token(state):
    """The hidden field's value: ``state`` and the time it was read, signed and compressed."""
    return signing.dumps({"state": state, "read": timezone.now().isoformat()}, salt=SALT, compress=True)


def read_token(token):
    """``(state, time read)`` of a token this site made, or ``None`` for anything else."""
    try:
        payload = signing.loads(token or "", salt=SALT)
        return payload["state"], parse_datetime(payload["read"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


# Describing a conflict ---------------------------------------------------------------------------


def _text(packed):
    if isinstance(packed, list):
        return f"{packed[0]}…"
    return packed


def _show(field, packed, empty):
    """A packed value of ``field`` as the editor knows it: its choice label, yes/no, the linked
    record's name."""
    if packed is None or packed == "":
        return empty
    if field.choices:
        for value, label in field.flatchoices:
            if str(value) == packed:
                return str(label)
    if isinstance(field, models.BooleanField):
        return yesno(packed == "True")
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=packed).first()
        return str(related) if related is not None else f"#{packed}"
    return _text(packed)


def _show_links(field, pks, empty):
    if not pks:
        return empty
    names = {str(obj.pk): str(obj) for obj in field.related_model._base_manager.filter(pk__in=pks)}
    return ", ".join(sorted(names.get(pk, f"#{pk}") for pk in pks))


def _latest_entries(model, pks, since):
    """``{pk: latest history entry written at or after since}`` for rows of ``model``."""
    history = getattr(model, "history", None)
    if history is None or since is None or not pks:
        return {}
    pk_name = model._meta.pk.attname
    entries = (
        history.filter(**{f"{pk_name}__in": list(pks)}, history_date__gte=since)
        .select_related("history_user")
        .order_by("-history_date")
    )
    latest = {}
    for entry in entries:
        latest.setdefault(str(getattr(entry, pk_name)), entry)
    return latest


def _row_label(model, pk, entry):
    """What the editor calls a row: the row as it is now, or (removed) as its history last held it."""
    row = model._base_manager.filter(pk=pk).first()
    if row is None and entry is not None:
        row = entry.instance
    return str(row) if row is not None else f"#{pk}"


def _differences(model, opened, current, empty, skip=None):
    """``[(field label, before, after)]`` between two packed rows of ``model``."""
    changes = []
    for field in _field_columns(model, skip):
        before, after = opened["fields"].get(field.name), current["fields"].get(field.name)
        if before != after:
            changes.append(
                (capfirst(field.verbose_name), _show(field, before, empty), _show(field, after, empty))
            )
    for field in _link_fields(model):
        before, after = opened["links"].get(field.name, []), current["links"].get(field.name, [])
        if sorted(before) != sorted(after):
            changes.append(
                (
                    capfirst(field.verbose_name),
                    _show_links(field, before, empty),
                    _show_links(field, after, empty),
                )
            )
    return changes


def describe_changes(model_admin, request, obj, opened, current, since):
    """One line per change between the ``opened`` and ``current`` states: ``{"what", "before",
    "after", "by", "when"}``; ``by`` and ``when`` come from the newest history entry of the changed
    record (or row) written since the page was opened, ``None`` when the history has none."""
    empty = model_admin.get_empty_value_display()
    model = model_admin.model
    lines = []

    def line(what, before, after, entry):
        user = getattr(entry, "history_user", None) if entry is not None else None
        lines.append(
            {
                "what": what,
                "before": before,
                "after": after,
                "by": user.get_username() if user is not None else None,
                "when": entry.history_date if entry is not None else None,
            }
        )

    main_entry = _latest_entries(model, [obj.pk], since).get(str(obj.pk))
    for label, before, after in _differences(model, opened, current, empty):
        line(label, before, after, main_entry)

    for key, inline, fk_name in _inlines(model_admin, request, obj):
        opened_rows, current_rows = opened["rows"].get(key, {}), current["rows"].get(key, {})
        changed = [
            pk for pk in sorted({*opened_rows, *current_rows}) if opened_rows.get(pk) != current_rows.get(pk)
        ]
        if not changed:
            continue
        entries = _latest_entries(inline.model, changed, since)
        plural = capfirst(inline.verbose_name_plural)
        for pk in changed:
            entry = entries.get(pk)
            row = f"{plural}: {_row_label(inline.model, pk, entry)}"
            if pk not in opened_rows:
                line(row, empty, _("row added"), entry)
            elif pk not in current_rows:
                line(row, _("row present"), _("row removed"), entry)
            else:
                for label, before, after in _differences(
                    inline.model, opened_rows[pk], current_rows[pk], empty, skip=fk_name
                ):
                    line(f"{row} – {label}", before, after, entry)
    return lines


# The admin ---------------------------------------------------------------------------------------


class OptimisticLockingAdminMixin:
    """Change forms that refuse to overwrite changes made since they were opened (module docstring).

    Put it first in a ModelAdmin's bases, so it wraps the form every other mixin builds.
    """

    change_form_template = "admin/rcpdb/change_form.html"
    delete_confirmation_template = "admin/rcpdb/delete_confirmation.html"

    def render_delete_form(self, request, context):
        obj = context.get("object")
        state = record_state(self, request, obj) if obj is not None else None
        context["record_state"] = make_token(state) if state is not None else ""
        return super().render_delete_form(request, context)

    def delete_view(self, request, object_id, extra_context=None):
        if request.method != "POST" or STATE_FIELD not in request.POST:
            return super().delete_view(request, object_id, extra_context)
        with transaction.atomic(using=router.db_for_write(self.model)):
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_delete_permission(request, obj):
                opened = read_token(request.POST[STATE_FIELD])
                if opened is None or opened[0] != record_state(self, request, obj, lock=True):
                    messages.error(request, DELETE_CONFLICT_MESSAGE)
                    return HttpResponseRedirect(request.get_full_path())
            return super().delete_view(request, object_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        # A new record has nothing to compare; simple-history's revert form passes a version's record.
        if obj is None or obj.pk is None or getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None:
            return form_class
        model_admin = self

        class RecordStateForm(form_class):
            """Carries the record's state as opened; refuses to save when the record changed since."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.edit_conflict = None
                # Added per form, not declared: fieldsets and the field lists the admin builds skip it.
                self.fields[STATE_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
                if not self.is_bound:
                    state = record_state(model_admin, request, self.instance)
                    self.initial[STATE_FIELD] = make_token(state) if state is not None else ""

            @property
            def record_state_field(self):
                """The hidden field (templates cannot name a field starting with an underscore)."""
                return self[STATE_FIELD]

            def full_clean(self):
                super().full_clean()
                if self.is_bound:
                    self._check_record_state()

            def _check_record_state(self):
                opened = read_token(self.data.get(self.add_prefix(STATE_FIELD)))
                current = record_state(model_admin, request, self.instance, lock=True)
                if current is None:
                    self.add_error(None, DELETED_MESSAGE)
                    return
                if opened is None:
                    self._carry(current)
                    self.add_error(None, NO_STATE_MESSAGE)
                    return
                state, since = opened
                if state != current:
                    self.edit_conflict = describe_changes(
                        model_admin, request, self.instance, state, current, since
                    )
                    self._carry(current)
                    self.add_error(None, CONFLICT_MESSAGE)

            def _carry(self, current):
                """The returned form holds the editor's input and the record's current state."""
                data = self.data.copy()
                data[self.add_prefix(STATE_FIELD)] = make_token(current)
                self.data = data

        return RecordStateForm
