"""Import and export of findings and recommendations in the admin (CSV and XLSX).

Rows name their meeting by slug, the session by its order number in that meeting, and themes and
processes by slug (several separated by ";"). A finding is identified by its meeting and paragraph
number, a recommendation by its meeting and position. The rules of processes/resources.py apply:
all or nothing, previewed, and limited for a process editor to the meetings of their processes
(``scope_ids``). Such an editor may name on a finding only their own processes, or ones it already
has; the finding's other processes are kept.
"""

from django.utils.translation import gettext as _
from import_export import fields

from processes.imports import ImportValueError
from processes.models import Process, Theme
from processes.resources import KeyWidget, ProcessRowMeta, ScopedResource, key_field, key_list_field

from .models import Finding, Recommendation, Session, Workshop


class SessionOrderWidget(KeyWidget):
    """A session by its order number within the row's meeting."""

    def __init__(self):
        super().__init__(Session, field="order")

    def get_queryset(self, value, row, *args, **kwargs):
        return Session.objects.filter(workshop__slug=(row or {}).get("workshop"))

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return self.get_queryset(value, row).get(order=int(value))
        except (Session.DoesNotExist, ValueError, TypeError):
            raise ImportValueError(
                _("Meeting “%(workshop)s” has no session number %(order)s.")
                % {"workshop": (row or {}).get("workshop"), "order": value}
            ) from None


class MeetingRowResource(ScopedResource):
    scope_field = "workshop"


class FindingResource(MeetingRowResource):
    workshop = key_field("workshop", Workshop)
    session = fields.Field(attribute="session", column_name="session", widget=SessionOrderWidget())
    themes = key_list_field("themes", Theme)
    processes = key_list_field("processes", Process)

    class Meta(ProcessRowMeta):
        model = Finding
        fields = ["workshop", "number", "session", "kind", "text", "themes", "processes"]
        export_order = fields
        import_id_fields = ["workshop", "number"]

    def save_m2m(self, instance, row, **kwargs):
        if self.process_ids is None or "processes" not in row:
            return super().save_m2m(instance, row, **kwargs)
        before = set(instance.processes.values_list("pk", flat=True))
        named = set(self.fields["processes"].clean(row).values_list("pk", flat=True))
        foreign = named - before - self.process_ids
        if foreign:
            slugs = ", ".join(sorted(Process.objects.filter(pk__in=foreign).values_list("slug", flat=True)))
            raise ImportValueError(
                _("processes: you may add only the processes you edit, not %(slugs)s.") % {"slugs": slugs}
            )
        super().save_m2m(instance, row, **kwargs)
        # Processes the editor cannot see stay on the finding.
        instance.processes.add(*(before - self.process_ids))
        return None


class RecommendationResource(MeetingRowResource):
    workshop = key_field("workshop", Workshop)
    themes = key_list_field("themes", Theme)

    class Meta(ProcessRowMeta):
        model = Recommendation
        fields = [
            "workshop",
            "position",
            "paragraph",
            "kind",
            "number",
            "text",
            "addressed_to",
            "themes",
            "status",
            "follow_up_note",
        ]
        export_order = fields
        import_id_fields = ["workshop", "position"]
