"""Staff admin of meetings.

The meeting page edits its sessions, participation and documents inline; a session's page edits who
led it. Findings and recommendations are numerous, so they have their own filterable changelists.

A process editor sees the meetings of their processes and everything belonging to those meetings
(processes/admin_scoping.py explains the rules); people are shared reference data. Every admin
keeps a history of changes, with "Revert", and "Recover deleted" for central editors, and every change
form refuses to overwrite changes saved by someone else since it was opened
(processes/admin_concurrency.py).
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from processes.admin_concurrency import OptimisticLockingAdminMixin
from processes.admin_imports import ScopedImportExportMixin
from processes.admin_scoping import (
    CentralRecoverDeletedAdminMixin,
    ProcessScopedAdminMixin,
    ReferenceDataAdminMixin,
    ScopedChoicesMixin,
)
from rcpdb.core.localized import text_lookups

from . import resources
from .forms import ConstraintCheckingInlineFormSet, FindingAdminForm
from .models import (
    Document,
    Finding,
    Participation,
    Person,
    Recommendation,
    Session,
    SessionLead,
    Workshop,
)

EXCERPT_WORDS = 20
# Links typed without a scheme are read as https (and Django 6.0's default is adopted without a warning).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


def excerpt(text):
    return Truncator(text).words(EXCERPT_WORDS)


class SessionListFilter(admin.RelatedFieldListFilter):
    """Sessions named with their meeting; only the chosen meeting's sessions once one is chosen, and
    only sessions of meetings the user may see."""

    def field_choices(self, field, request, model_admin):
        sessions = (
            model_admin.admin_site._registry[Session].scoped_queryset(request).select_related("workshop")
        )
        workshop_id = request.GET.get("workshop__id__exact", "")
        if workshop_id.isdigit():
            sessions = sessions.filter(workshop_id=workshop_id)
        return [(session.pk, f"{session.workshop} – {session}") for session in sessions]


class ConstraintCheckingInline(ScopedChoicesMixin):
    """Inline rows whose unique constraints name the parent get form errors, never an IntegrityError;
    choices of meetings and sessions are the editor's own."""

    formset = ConstraintCheckingInlineFormSet
    extra = 0


class SessionInline(ConstraintCheckingInline, TranslationStackedInline):
    model = Session
    fields = ["order", "title", "guiding_questions"]
    show_change_link = True
    extra = 1


class ParticipationInline(ConstraintCheckingInline, admin.TabularInline):
    model = Participation
    fields = ["role", "person", "organization", "process", "note"]
    autocomplete_fields = ["person", "organization", "process"]
    # A participant process says who took part; it does not make the meeting that process's.
    unscoped_choice_fields = ["process"]


class DocumentInline(ConstraintCheckingInline, admin.TabularInline):
    model = Document
    formfield_overrides = URL_FIELD_OVERRIDES
    fields = ["title", "kind", "author", "year", "link"]
    autocomplete_fields = ["author"]


class SessionLeadInline(ConstraintCheckingInline, admin.TabularInline):
    model = SessionLead
    fields = ["person", "role", "on_behalf_of"]
    autocomplete_fields = ["person", "on_behalf_of"]
    extra = 1


class MeetingRecordAdmin(
    OptimisticLockingAdminMixin, ProcessScopedAdminMixin, CentralRecoverDeletedAdminMixin, SimpleHistoryAdmin
):
    """A record of a meeting: a process editor's when the meeting represents one of their processes."""

    process_path = "workshop__processes"


@admin.register(Person)
class PersonAdmin(
    OptimisticLockingAdminMixin, ReferenceDataAdminMixin, CentralRecoverDeletedAdminMixin, SimpleHistoryAdmin
):
    list_display = ["name", "position", "organisation"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "position", "organization__name", "organization__acronym"]
    list_select_related = ["organization"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organization"]

    @admin.display(description=_("organisation"), ordering="organization__name")
    def organisation(self, obj):
        return obj.organization or "–"


@admin.register(Workshop)
class WorkshopAdmin(
    OptimisticLockingAdminMixin,
    ProcessScopedAdminMixin,
    CentralRecoverDeletedAdminMixin,
    TranslationAdmin,
    SimpleHistoryAdmin,
):
    formfield_overrides = URL_FIELD_OVERRIDES
    process_path = "processes"
    scope_required_field = "processes"
    list_display = ["title", "kind", "dates", "place", "session_count"]
    list_filter = ["kind", "processes", "country"]
    date_hierarchy = "start_date"
    search_fields = [*text_lookups(Workshop, "title"), "city", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organizers", "processes"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind"]}),
        (_("When and where"), {"fields": [("start_date", "end_date"), ("city", "country")]}),
        (_("Who"), {"fields": ["organizers", "processes"]}),
        (_("Report"), {"fields": ["summary", "report_url"]}),
    ]
    inlines = [SessionInline, ParticipationInline, DocumentInline]
    # Explicit, because a query with an aggregate drops Meta.ordering (the autocomplete pages it).
    ordering = ["-start_date", "title"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_total=Count("sessions", distinct=True))

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, obj):
        if obj.end_date and obj.end_date != obj.start_date:
            return f"{obj.start_date:%Y-%m-%d} – {obj.end_date:%Y-%m-%d}"
        return f"{obj.start_date:%Y-%m-%d}"

    @admin.display(description=_("place"), ordering="city")
    def place(self, obj):
        return ", ".join(part for part in [obj.city, str(obj.country.name or "")] if part) or "–"

    @admin.display(description=_("sessions"), ordering="session_total")
    def session_count(self, obj):
        return obj.session_total


@admin.register(Session)
class SessionAdmin(TranslationAdmin, MeetingRecordAdmin):
    list_display = ["title", "order", "meeting", "led_by"]
    list_filter = [("workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = [
        *text_lookups(Session, "title"),
        "guiding_questions",
        *text_lookups(Session, "workshop__title"),
    ]
    list_select_related = ["workshop"]
    autocomplete_fields = ["workshop"]
    inlines = [SessionLeadInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("session_leads__person")

    @admin.display(description=_("meeting"), ordering="workshop__start_date")
    def meeting(self, obj):
        return obj.workshop

    @admin.display(description=_("led by"))
    def led_by(self, obj):
        return ", ".join(str(lead) for lead in obj.session_leads.all()) or "–"


@admin.register(SessionLead)
class SessionLeadAdmin(MeetingRecordAdmin):
    process_path = "session__workshop__processes"
    list_display = ["person", "role", "session", "meeting", "on_behalf_of"]
    list_filter = ["role", ("session__workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["person__name", "session__title", "on_behalf_of__name", "on_behalf_of__acronym"]
    list_select_related = ["person", "session__workshop", "on_behalf_of"]
    autocomplete_fields = ["session", "person", "on_behalf_of"]

    @admin.display(description=_("meeting"), ordering="session__workshop__start_date")
    def meeting(self, obj):
        return obj.session.workshop


@admin.register(Participation)
class ParticipationAdmin(MeetingRecordAdmin):
    unscoped_choice_fields = ["process"]
    list_display = ["participant_name", "role", "meeting", "note"]
    list_filter = ["role", ("workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = [
        "person__name",
        "organization__name",
        "organization__acronym",
        "process__name",
        "process__short_name",
        "note",
    ]
    list_select_related = ["workshop", "person", "organization", "process"]
    autocomplete_fields = ["workshop", "person", "organization", "process"]

    @admin.display(description=_("participant"))
    def participant_name(self, obj):
        return obj.participant

    @admin.display(description=_("meeting"), ordering="workshop__start_date")
    def meeting(self, obj):
        return obj.workshop


@admin.register(Finding)
class FindingAdmin(ScopedImportExportMixin, MeetingRecordAdmin):
    form = FindingAdminForm
    resource_classes = [resources.FindingResource]
    list_display = ["number", "meeting", "session", "kind", "text_excerpt", "theme_names"]
    list_display_links = ["number", "text_excerpt"]
    list_filter = [
        ("workshop", admin.RelatedOnlyFieldListFilter),
        ("session", SessionListFilter),
        "kind",
        "themes",
        ("processes", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["text"]
    list_select_related = ["workshop", "session"]
    autocomplete_fields = ["workshop", "themes", "processes"]
    fields = ["workshop", "number", "session", "kind", "text", "themes", "processes"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    def get_changeform_initial_data(self, request):
        # "Add finding" links may name the meeting (?workshop=<id>); ignore a malformed one.
        initial = super().get_changeform_initial_data(request)
        if not str(initial.get("workshop", "")).isdigit():
            initial.pop("workshop", None)
        return initial

    @admin.display(description=_("meeting"), ordering="workshop__start_date")
    def meeting(self, obj):
        return obj.workshop

    @admin.display(description=_("text"))
    def text_excerpt(self, obj):
        return excerpt(obj.text)

    @admin.display(description=_("themes"))
    def theme_names(self, obj):
        return ", ".join(theme.name for theme in obj.themes.all()) or "–"


@admin.register(Recommendation)
class RecommendationAdmin(ScopedImportExportMixin, MeetingRecordAdmin):
    resource_classes = [resources.RecommendationResource]
    list_display = [
        "position",
        "meeting",
        "kind",
        "number",
        "paragraph",
        "text_excerpt",
        "addressed_to",
        "status",
    ]
    list_display_links = ["position", "text_excerpt"]
    list_filter = [("workshop", admin.RelatedOnlyFieldListFilter), "kind", "themes", "status"]
    search_fields = ["text", "addressed_to", "follow_up_note"]
    list_select_related = ["workshop"]
    autocomplete_fields = ["workshop", "themes"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "workshop",
                    ("position", "paragraph"),
                    ("kind", "number"),
                    "text",
                    "addressed_to",
                    "themes",
                ]
            },
        ),
        (_("Follow-up"), {"fields": ["status", "follow_up_note"]}),
    ]

    @admin.display(description=_("meeting"), ordering="workshop__start_date")
    def meeting(self, obj):
        return obj.workshop

    @admin.display(description=_("text"))
    def text_excerpt(self, obj):
        return excerpt(obj.text)


@admin.register(Document)
class DocumentAdmin(MeetingRecordAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    # A process editor's document belongs to one of their meetings; only central editors keep
    # documents with no meeting.
    scope_required_field = "workshop"
    list_display = ["title", "kind", "year", "author_name", "meeting"]
    list_filter = ["kind", "year", ("workshop", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "author__name", "author__acronym"]
    list_select_related = ["author", "workshop"]
    autocomplete_fields = ["author", "workshop"]

    @admin.display(description=_("author organisation"), ordering="author__name")
    def author_name(self, obj):
        return obj.author or "–"

    @admin.display(description=_("meeting"), ordering="workshop__start_date")
    def meeting(self, obj):
        return obj.workshop or "–"
