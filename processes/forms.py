"""Admin formsets that check the rows of one process together, as submitted.

A model's ``clean()`` sees one row and the database. An admin inline submits several rows at once,
so checking each row against the database alone goes wrong both ways: two new chair terms that
overlap each other both pass (and the database constraint then fails with a 500), while a chair
hand-over — the current term ended and its successor added in the same save — is refused because
the database still holds the old, open-ended term. Django also leaves the inline foreign key out of
``full_clean()``, so constraints that name ``process`` are not validated row by row.

The formsets below therefore tell each row to skip its database look-up (``checked_with_siblings``)
and check every submitted row against the others instead: an inline holds all rows of its process.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.utils.translation import gettext_lazy as _

from . import enums, models


class ProcessRowForm(forms.ModelForm):
    """One row of an inline. Its uniqueness within the process is checked by the formset, against the
    rows as submitted: checked alone against the database, deleting a secretariat and adding another in
    one save would be refused, and the error would sit on the hidden ``process`` field, unseen."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.update(
            name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)
        )
        return exclude


class SecretariatForm(ProcessRowForm):
    """A process without a secretariat has no host organisation (a many-to-many: checked on the form,
    the model cannot see it before it is saved)."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("arrangement") == enums.SecretariatArrangement.NONE and cleaned.get("hosts"):
            self.add_error(
                "hosts", _("A process without a secretariat has no host organisation; clear the hosts.")
            )
        return cleaned


class ProcessRowsFormSet(BaseInlineFormSet):
    def sourcing_defaults(self):
        """A new row starts with the process's own sources and "as of" (changeable per row)."""
        process = self.instance
        if process is None or process.pk is None or not isinstance(process, models.Process):
            return {}
        defaults = {}
        if "sources" in self.form.base_fields:
            if not hasattr(self, "_process_sources"):
                self._process_sources = list(process.sources.values_list("pk", flat=True))
            if self._process_sources:
                defaults["sources"] = self._process_sources
        if "as_of" in self.form.base_fields and process.as_of:
            defaults["as_of"] = process.as_of
        return defaults

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None or index >= self.initial_form_count():
            kwargs["initial"] = {**self.sourcing_defaults(), **kwargs.get("initial", {})}
        return kwargs

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.checked_with_siblings = True
        return form

    def kept_forms(self):
        """The valid forms whose rows will be stored: existing or filled in, not marked for deletion."""
        return [
            form
            for form in self.forms
            if form.is_valid()
            and not self._should_delete_form(form)
            and (form.instance.pk is not None or form.has_changed())
        ]

    def clean(self):
        self.check_rows(self.kept_forms())
        self.check_unique_constraints(self.kept_forms())
        # Django's own duplicate checks, for any unique rule not covered above.
        super().clean()

    def check_rows(self, forms):
        """Subclasses compare the rows that will be stored; reject one with ``reject()``."""

    def check_pairwise(self, forms, conflict, field=None):
        """Reject each row that conflicts with an earlier one; ``conflict(row, earlier)`` gives the error."""
        for index, form in enumerate(forms):
            for earlier in forms[:index]:
                error = conflict(form.instance, earlier.instance)
                if error is not None:
                    self.reject(form, error, field)
                    break

    def check_unique_constraints(self, forms):
        """Unconditional unique constraints that name the process, with the constraint's own message."""
        for constraint in self.model._meta.total_unique_constraints:
            if self.fk.name not in constraint.fields:
                continue
            attnames = [
                self.model._meta.get_field(name).attname for name in constraint.fields if name != self.fk.name
            ]

            def conflict(row, earlier, attnames=attnames, constraint=constraint):
                values = [getattr(row, name) for name in attnames]
                if None not in values and values == [getattr(earlier, name) for name in attnames]:
                    return ValidationError(constraint.get_violation_error_message(), code="unique")
                return None

            self.check_pairwise(forms, conflict)

    def reject(self, form, error, field=None):
        form.add_error(field, error)


class NameSortedFormSet(ProcessRowsFormSet):
    """Existing rows in the order of their names (a state's name is not stored: sorted here)."""

    def row_name(self, row):
        raise NotImplementedError

    def get_queryset(self):
        if not hasattr(self, "_sorted_rows"):
            rows = super().get_queryset()
            self._sorted_rows = sorted(rows, key=lambda row: str(self.row_name(row)).casefold())
            self._queryset = self._sorted_rows
        return self._sorted_rows


class MembershipFormSet(NameSortedFormSet):
    def row_name(self, row):
        return row.state.name if row.state_id else ""

    def check_rows(self, forms):
        self.check_pairwise(
            forms,
            lambda row, earlier: row.overlap_error(earlier) if row.overlaps(earlier) else None,
            field="state",
        )


class ChairTermFormSet(ProcessRowsFormSet):
    def check_rows(self, forms):
        self.check_pairwise(
            forms,
            lambda row, earlier: row.overlap_error(earlier) if row.overlaps(earlier) else None,
            field="start_year",
        )


def _constraint_message(model, name):
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return constraint.get_violation_error_message()


class OrganizationRoleFormSet(NameSortedFormSet):
    def row_name(self, row):
        return row.organization.name if row.organization_id else ""

    def check_rows(self, forms):
        def conflict(row, earlier):
            same_role = (row.organization_id, row.role) == (earlier.organization_id, earlier.role)
            if same_role and row.until is None and earlier.until is None:
                message = _constraint_message(models.OrganizationRole, "organization_role_unique_current")
                return ValidationError(message, code="unique")
            return None

        self.check_pairwise(forms, conflict)


class SecretariatFormSet(ProcessRowsFormSet):
    def check_rows(self, forms):
        message = models.Secretariat._meta.get_field("process").error_messages["unique"]
        for form in forms[1:]:
            self.reject(form, ValidationError(message, code="unique"))
