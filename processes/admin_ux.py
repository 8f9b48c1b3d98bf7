"""The admin's change forms as staff use them: an error summary, Save at the top, date format hints,
stand-alone forms in their natural order, and no control that changes shared reference data from
inside a row (the related-object buttons beside a picked state or source).

The unsaved-changes warning is templates/admin/rcpdb/change_form.html with static/js/unsaved_changes.js.
"""

from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db import models
from django.utils.translation import gettext_lazy as _

DATE_HINT = _("Format: YYYY-MM-DD, e.g. 2024-03-31.")
# Fields every sourced record has (processes/models.py, ``Sourced``): last on a form, after what they source.
SOURCING_FIELDS = ("sources", "as_of")


def adjust_formfield(db_field, formfield):
    """A date hint on date fields; no edit, delete or add button for a shared record picked in a row."""
    if formfield is None:
        return formfield
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        hint = str(DATE_HINT)
        formfield.help_text = f"{formfield.help_text} {hint}".strip() if formfield.help_text else hint
    widget = formfield.widget
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget.can_delete_related = False
        widget.can_change_related = False
    return formfield


class RowFieldsMixin:
    """For inlines and model admins: the form field adjustments of :func:`adjust_formfield`."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return adjust_formfield(db_field, super().formfield_for_dbfield(db_field, request, **kwargs))


class StaffFormsAdminMixin(RowFieldsMixin):
    """Save at the top and the bottom, an error summary linking to each error, natural field order."""

    save_on_top = True

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self.fields is None:  # the model's order, where the sourcing fields (a base class's) come first
            sourcing = [f for f in fields if f in SOURCING_FIELDS]
            fields = [f for f in fields if f not in SOURCING_FIELDS] + sourcing
        return fields

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        inlines = context.get("inline_admin_formsets")
        context["error_summary"] = error_summary(context.get("adminform"), inlines)
        return super().render_change_form(request, context, add, change, form_url, obj)


def error_summary(adminform, inline_admin_formsets):
    """``[{"label", "message", "anchor"}]``: every error of the form and its inlines, each linking to the
    field (or the row) it concerns."""
    summary = []
    if adminform is None:
        return summary
    form = adminform.form
    if not form.is_bound:
        return summary
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            anchor, label = "content-main", _("The form")
        else:
            anchor, label = form[name].id_for_label or f"id_{name}", form.fields[name].label or name
        summary.extend({"label": label, "message": message, "anchor": anchor} for message in errors)
    for inline in inline_admin_formsets or []:
        formset = inline.formset
        plural = formset.model._meta.verbose_name_plural
        group = f"{formset.prefix}-group"
        summary.extend(
            {"label": plural, "message": message, "anchor": group} for message in formset.non_form_errors()
        )
        for index, row in enumerate(formset.forms):
            for name, errors in row.errors.items():
                if name == "__all__" or name not in row.fields:
                    anchor, label = f"{formset.prefix}-{index}", plural
                else:
                    field = row.fields[name]
                    anchor = row[name].id_for_label or f"{formset.prefix}-{index}"
                    label = f"{plural}, {_('row')} {index + 1}: {field.label or name}"
                summary.extend({"label": label, "message": message, "anchor": anchor} for message in errors)
    return summary
