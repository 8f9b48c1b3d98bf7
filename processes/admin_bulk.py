"""Bulk entry on the Process page: many members, observers or organisation roles in one step.

The rows get one role, since-year, sources and "as of" (by default the process's own sources and "as
of"); each can be changed afterwards in the process form. The writes are processes/services.py.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import enums, services
from .admin_ux import DATE_HINT
from .models import Organization, Source, State


def _sorted_state_choices():
    return sorted(
        ((state.pk, str(state.name)) for state in State.objects.all()), key=lambda c: c[1].casefold()
    )


class BulkRowsForm(forms.Form):
    """What every new row shares."""

    since = forms.IntegerField(label=_("from (year)"), required=False, min_value=1900, max_value=2100)
    sources = forms.ModelMultipleChoiceField(
        label=_("sources"),
        queryset=Source.objects.all(),
        required=False,
        widget=FilteredSelectMultiple(_("sources"), is_stacked=False),
        help_text=_("Given to every new row; the process's own sources are chosen to begin with."),
    )
    as_of = forms.DateField(label=_("as of"), required=False, help_text=DATE_HINT)


class BulkMembershipForm(BulkRowsForm):
    field_order = ["names", "states", "role", "since", "sources", "as_of"]

    names = forms.CharField(
        label=_("states by name or code"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One per line, or separated by commas or semicolons: names in any language or ISO codes."
        ),
    )
    states = forms.TypedMultipleChoiceField(
        label=_("states picked from the list"),
        coerce=int,
        required=False,
        widget=FilteredSelectMultiple(_("states"), is_stacked=False),
    )
    role = forms.ChoiceField(label=_("role"), choices=enums.MembershipRole.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["states"].choices = _sorted_state_choices()

    def clean(self):
        cleaned = super().clean()
        resolved = services.resolve_states(cleaned.get("names", ""))
        for message in resolved.errors:
            self.add_error("names", message)
        picked = State.objects.in_bulk(cleaned.get("states") or [])
        cleaned["state_list"] = resolved.states + [
            picked[pk] for pk in cleaned.get("states") or [] if pk in picked
        ]
        if not resolved.errors and not cleaned["state_list"]:
            raise ValidationError(_("Name at least one state."))
        return cleaned


class BulkOrganizationRoleForm(BulkRowsForm):
    """Organisations pasted by name or acronym and/or picked from the list, all with one role. The
    current "secretariat host" is not offered: it follows from the secretariat's host organisations."""

    field_order = ["names", "organizations", "role", "since", "sources", "as_of"]

    names = forms.CharField(
        label=_("organisations by name or acronym"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line, or separated by semicolons: names in any language, or acronyms."),
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("organisations picked from the list"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        widget=FilteredSelectMultiple(_("organisations"), is_stacked=False),
    )
    role = forms.ChoiceField(
        label=_("role"),
        choices=[
            choice
            for choice in enums.OrganizationRoleKind.choices
            if choice[0] != enums.OrganizationRoleKind.SECRETARIAT_HOST
        ],
    )

    def clean(self):
        cleaned = super().clean()
        resolved = services.resolve_organizations(cleaned.get("names", ""))
        for message in resolved.errors:
            self.add_error("names", message)
        cleaned["organization_list"] = resolved.organizations + list(cleaned.get("organizations") or [])
        if not resolved.errors and not cleaned["organization_list"]:
            raise ValidationError(_("Name at least one organisation."))
        return cleaned


class BulkEntryAdminMixin:
    """Adds "Add several members" and "Add several organisation roles" to the Process admin."""

    bulk_entry_template = "admin/processes/process/bulk_entry.html"

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/add-members/",
                self.admin_site.admin_view(self.bulk_memberships_view),
                name="processes_process_bulk_members",
            ),
            path(
                "<path:object_id>/add-organisation-roles/",
                self.admin_site.admin_view(self.bulk_organization_roles_view),
                name="processes_process_bulk_organization_roles",
            ),
        ]
        return urls + super().get_urls()

    def _bulk_process(self, request, object_id, permission):
        process = self.get_object(request, unquote(object_id))  # another editor's process: 404
        if process is None:
            raise PermissionDenied
        if not (self.has_change_permission(request, process) and request.user.has_perm(permission)):
            raise PermissionDenied
        return process

    def bulk_memberships_view(self, request, object_id):
        process = self._bulk_process(request, object_id, "processes.add_membership")
        return self._bulk_view(
            request,
            process,
            BulkMembershipForm,
            title=_("Add several members or observers to %(process)s"),
            store=lambda data: services.add_memberships(
                process,
                data["state_list"],
                role=data["role"],
                since=data["since"],
                sources=data["sources"],
                as_of=data["as_of"],
            ),
            error_field="names",
        )

    def bulk_organization_roles_view(self, request, object_id):
        process = self._bulk_process(request, object_id, "processes.add_organizationrole")
        return self._bulk_view(
            request,
            process,
            BulkOrganizationRoleForm,
            title=_("Add several organisation roles to %(process)s"),
            store=lambda data: services.add_organization_roles(
                process,
                data["organization_list"],
                role=data["role"],
                since=data["since"],
                sources=data["sources"],
                as_of=data["as_of"],
            ),
            error_field="names",
        )

    def _bulk_view(self, request, process, form_class, *, title, store, error_field):
        initial = {"sources": list(process.sources.values_list("pk", flat=True)), "as_of": process.as_of}
        form = form_class(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                rows = store(form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d row added.", "%(count)d rows added.", len(rows))
                    % {"count": len(rows)},
                )
                return HttpResponseRedirect(
                    reverse(
                        "admin:processes_process_change", args=[process.pk], current_app=self.admin_site.name
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "title": title % {"process": process},
            "opts": self.opts,
            "original": process,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, self.bulk_entry_template, context)
