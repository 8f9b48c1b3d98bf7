"""How the site search shows processes, organisations and themes (what they are searched in is each
model's ``search_document_fields``)."""

from django.utils.translation import gettext_lazy as _

from rcpdb.core.localized import choice_label
from rcpdb.core.search import GroupSpec

from .models import Organization, Process, Theme


def group_specs():
    return [
        GroupSpec(
            key="processes",
            label=_("Processes"),
            queryset=Process.objects.all(),
            weighted_fields=Process.search_document_fields,
            name_fields=["short_name", "name", "acronym"],
            body_fields=["description", "objectives", "working_methods", "established_note"],
            title=lambda p: f"{p.short_name} — {p.name}" if p.name != p.short_name else p.short_name,
            url=lambda p: p.get_absolute_url(),
        ),
        GroupSpec(
            key="organizations",
            label=_("Organisations"),
            queryset=Organization.objects.all(),
            weighted_fields=Organization.search_document_fields,
            name_fields=["name", "acronym"],
            body_fields=["description"],
            title=str,
            url=lambda o: o.get_absolute_url(),
            meta=lambda o: choice_label(o, "kind"),
        ),
        GroupSpec(
            key="themes",
            label=_("Themes"),
            queryset=Theme.objects.all(),
            weighted_fields=Theme.search_document_fields,
            name_fields=["name"],
            body_fields=["description"],
            title=str,
            url=lambda t: t.get_absolute_url(),
        ),
    ]
