"""Admin forms of meetings: rules that plain ModelForms would let through to the database."""

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import Finding


class ConstraintCheckingInlineFormSet(BaseInlineFormSet):
    """Inline rows that break a unique constraint naming the parent get form errors, never a 500.

    Django checks an inline row against the other rows of the submission, but leaves the parent key out
    of the row's own constraint validation (``Model.validate_unique()`` ignores ``Meta.constraints``),
    so a row repeating a stored session order would reach the database as an IntegrityError. This
    formset checks such rows against the stored rows outside the submission, and saves changed rows in
    an order where none takes a value another row still holds (renumbering 2→3 and 3→4 saves 3→4 first).
    """

    def get_unique_error_message(self, unique_check):
        # Rows repeating each other within one submission: the constraint's own message.
        for constraint in self.parent_constraints():
            if set(constraint.fields) == set(unique_check):
                return str(constraint.get_violation_error_message())
        return super().get_unique_error_message(unique_check)

    def parent_constraints(self):
        return [c for c in self.model._meta.total_unique_constraints if self.fk.name in c.fields]

    @staticmethod
    def constrained_values(constraint, obj):
        return tuple(getattr(obj, obj._meta.get_field(name).attname) for name in constraint.fields)

    def clean(self):
        super().clean()
        self.update_order = []
        constraints = self.parent_constraints()
        if not constraints or self.instance.pk is None:
            return  # a new parent has no stored rows to collide with
        deleted = self.deleted_forms
        rows = [
            form
            for form in self.forms
            if form not in deleted and form.is_valid() and (form.instance.pk or form.has_changed())
        ]
        existing_pks = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        self.check_against_stored_rows(rows, constraints, existing_pks)
        self.plan_update_order(rows, constraints, existing_pks, deleted)

    def check_against_stored_rows(self, rows, constraints, existing_pks):
        outside = self.model._default_manager.exclude(pk__in=existing_pks)
        for form in rows:
            for constraint in constraints:
                values = self.constrained_values(constraint, form.instance)
                if None in values:
                    continue  # NULL never collides
                fields = [form.instance._meta.get_field(name).attname for name in constraint.fields]
                if outside.filter(**dict(zip(fields, values, strict=True))).exists():
                    form.add_error(None, constraint.get_violation_error_message())

    def plan_update_order(self, rows, constraints, existing_pks, deleted):
        def unique_keys(obj):
            # NULL never collides, so a key holding one is left out.
            keys = ((index, self.constrained_values(c, obj)) for index, c in enumerate(constraints))
            return [key for key in keys if None not in key[1]]

        stored = self.model._default_manager.in_bulk(existing_pks)
        deleted_pks = {form.instance.pk for form in deleted}
        holder = {key: pk for pk, obj in stored.items() if pk not in deleted_pks for key in unique_keys(obj)}
        pending = [form for form in rows if form.instance.pk in stored and form.has_changed()]
        while pending:
            ready = next(
                (
                    form
                    for form in pending
                    if all(
                        holder.get(key, form.instance.pk) == form.instance.pk
                        for key in unique_keys(form.instance)
                    )
                ),
                None,
            )
            if ready is None:
                break
            pending.remove(ready)
            self.update_order.append(ready)
            for key in unique_keys(stored[ready.instance.pk]):
                holder.pop(key, None)
            holder.update(dict.fromkeys(unique_keys(ready.instance), ready.instance.pk))
        for form in pending:  # rows exchanging values: no order saves them one at a time
            form.add_error(
                None,
                _(
                    "This row swaps a number (or another value that must stay unique) with another row "
                    "here, which cannot be saved in one go. Save twice: first give one of them an unused "
                    "value."
                ),
            )

    def save_existing_objects(self, commit=True):
        """Django's own loop, run over deletions first and then updates in the planned order."""
        self.changed_objects = []
        self.deleted_objects = []
        saved_instances = []
        deleted = self.deleted_forms
        planned = getattr(self, "update_order", [])
        forms = (
            [form for form in self.initial_forms if form in deleted]
            + planned
            + [form for form in self.initial_forms if form not in deleted and form not in planned]
        )
        for form in forms:
            obj = form.instance
            if not obj._is_pk_set() or obj._state.adding:
                continue
            if form in deleted:
                self.deleted_objects.append(obj)
                self.delete_existing(obj, commit=commit)
            elif form.has_changed():
                self.changed_objects.append((obj, form.changed_data))
                saved_instances.append(self.save_existing(form, obj, commit=commit))
                if not commit:
                    self.saved_forms.append(form)
        return saved_instances


class FindingAdminForm(forms.ModelForm):
    """Offers the sessions of the finding's own meeting, each labelled with its meeting.

    The rule itself (the session belongs to the finding's meeting) is ``Finding.clean()``, which this
    form runs; the choices only make the right answer easy to pick.
    """

    class Meta:
        model = Finding
        fields = ["workshop", "number", "session", "kind", "text", "themes", "processes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session_field = self.fields.get("session")
        if session_field is None:
            return
        # The admin has already limited the choices to the sessions the editor may see.
        sessions = session_field.queryset.select_related("workshop")
        workshop_id = self.instance.workshop_id or getattr(
            self.initial.get("workshop"), "pk", self.initial.get("workshop")
        )
        # A submitted form keeps every session, so a mismatch gets Finding.clean()'s message rather
        # than a bare "Select a valid choice".
        if not self.is_bound and str(workshop_id or "").isdigit():
            sessions = sessions.filter(workshop_id=workshop_id)
        session_field.queryset = sessions
        session_field.label_from_instance = lambda session: f"{session.workshop} – {session}"
