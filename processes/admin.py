"""Staff admin of the registry.

Who may see and change what is processes/admin_scoping.py: central editors everything, a process
editor only their processes' records, and reference data read-only. Every admin keeps a history of
changes, many-to-many links included (django-simple-history: "History", with "Revert", and "Recover
deleted" for central editors). Every change form refuses to overwrite changes saved by someone else
since it was opened (processes/admin_concurrency.py).

The Process page edits a whole profile through inlines; each inline's formset (processes/forms.py)
checks its rows together, so a conflict between rows of one submission is a form error, never a 500.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from rcpdb.core.history import describe_changes
from rcpdb.core.localized import text_lookups

from . import enums, forms, resources, services
from .admin_bulk import BulkEntryAdminMixin
from .admin_checks import DataChecksAdminMixin
from .admin_concurrency import OptimisticLockingAdminMixin
from .admin_imports import ScopedImportExportMixin
from .admin_scoping import (
    CentralRecoverDeletedAdminMixin,
    ProcessScopedAdminMixin,
    ReferenceDataAdminMixin,
)
from .admin_ux import RowFieldsMixin, StaffFormsAdminMixin
from .editors import editable_process_ids, is_central_editor
from .models import (
    Achievement,
    ChairTerm,
    Evaluation,
    Funding,
    InstitutionLink,
    ListCompleteness,
    Membership,
    Organization,
    OrganizationRole,
    Output,
    Process,
    ProcessClaim,
    Region,
    Secretariat,
    Source,
    State,
    Theme,
)

# The process filter offers only processes that have rows in the list the user sees.
PROCESS_FILTER = ("process", admin.RelatedOnlyFieldListFilter)

# Links typed without a scheme get https:// (Django 6.0's default; opting in silences its warning).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class CountryNameSearchMixin:
    """Search by country too: a state's names in English, French and Spanish, its other names and its
    code, whatever the case and accents ("ivory coast", "cote d'ivoire", "UAE": ``State.objects.matching``).

    ``country_search_fields`` name the code fields searched: ``code`` or ``state__code``.
    """

    country_search_fields = ()

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip() and self.country_search_fields:
            codes = State.objects.matching(search_term).values("code")
            by_country = Q()
            for field in self.country_search_fields:
                by_country |= Q(**{f"{field}__in": codes})
            results |= queryset.filter(by_country)
        return results, may_have_duplicates


class CurrentFilter(admin.SimpleListFilter):
    """Rows still running (no end year) or ended."""

    title = _("current")
    parameter_name = "current"
    end_field = "until"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**{f"{self.end_field}__isnull": True})
        if self.value() == "no":
            return queryset.filter(**{f"{self.end_field}__isnull": False})
        return queryset


class CurrentChairFilter(CurrentFilter):
    end_field = "end_year"


class EvaluatedFilter(admin.SimpleListFilter):
    title = _("evaluated")
    parameter_name = "evaluated"

    def lookups(self, request, model_admin):
        return [("yes", _("Evaluated")), ("no", _("Never evaluated"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.evaluated(self.value() == "yes")
        return queryset


# Reference data -----------------------------------------------------------------------------------


class ReferenceAdmin(
    OptimisticLockingAdminMixin,
    StaffFormsAdminMixin,
    ReferenceDataAdminMixin,
    CentralRecoverDeletedAdminMixin,
    SimpleHistoryAdmin,
):
    """Shared by every process: changed by central editors only."""


class TranslatedReferenceAdmin(
    OptimisticLockingAdminMixin,
    StaffFormsAdminMixin,
    ReferenceDataAdminMixin,
    CentralRecoverDeletedAdminMixin,
    TranslationAdmin,
    SimpleHistoryAdmin,
):
    """Reference data with names in English, French and Spanish, edited side by side (translation.py)."""


@admin.register(Region)
class RegionAdmin(TranslatedReferenceAdmin):
    list_display = ["name", "parent", "slug", "m49_code"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = [*text_lookups(Region, "name"), "slug", "m49_code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(State)
class StateAdmin(CountryNameSearchMixin, ReferenceAdmin):
    fields = ["code", "region", "aliases"]
    list_display = ["country_name", "code", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code"]
    country_search_fields = ["code"]
    autocomplete_fields = ["region"]

    @admin.display(description=_("country"), ordering="code")
    def country_name(self, obj):
        return obj.name


@admin.register(Organization)
class OrganizationAdmin(TranslatedReferenceAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "acronym", "kind", "region", "country"]
    list_filter = ["kind", "region"]
    list_select_related = ["region", "country"]
    search_fields = [*text_lookups(Organization, "name"), "acronym", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region", "country"]


@admin.register(Theme)
class ThemeAdmin(TranslatedReferenceAdmin):
    list_display = ["name", "slug", "process_count"]
    search_fields = [*text_lookups(Theme, "name"), "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # A subquery, not a join: the list (and the autocomplete using this queryset) keeps its ordering.
        counts = (
            Process.themes.through.objects.filter(theme=OuterRef("pk"))
            .order_by()
            .values("theme")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return super().get_queryset(request).annotate(process_count=Coalesce(Subquery(counts), 0))

    @admin.display(description=_("processes"), ordering="process_count")
    def process_count(self, obj):
        return obj.process_count


@admin.register(Source)
class SourceAdmin(ReferenceAdmin):
    """Process editors may add sources too: one they add is theirs to change and delete until a
    central editor saves it, which makes it central (``owner`` empty) again. Every editor picks from
    every source."""

    formfield_overrides = HTTPS_URLS
    list_display = ["title", "publisher", "published", "accessed", "slug", "owner"]
    list_filter = ["publisher"]
    list_select_related = ["owner"]
    search_fields = ["title", "publisher", "slug", "url"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published"
    readonly_fields = ["owner"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def _owns(self, request, obj):
        return obj is None or (obj.owner_id is not None and obj.owner_id == request.user.pk)

    def has_add_permission(self, request, *args):
        # Past ReferenceDataAdminMixin's central-only rule: Django's model permission decides.
        return super(ReferenceDataAdminMixin, self).has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if is_central_editor(request.user):
            return super().has_change_permission(request, obj)
        allowed = super(ReferenceDataAdminMixin, self).has_change_permission(request, obj)
        # Another's source (or a central one) opens read-only, like any reference data.
        return allowed and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        if is_central_editor(request.user):
            return super().has_delete_permission(request, obj)
        allowed = super(ReferenceDataAdminMixin, self).has_delete_permission(request, obj)
        return allowed and self._owns(request, obj) and not self._cited_elsewhere(request, obj)

    def _cited_elsewhere(self, request, obj):
        """Whether a row outside the editor's processes cites ``obj``: deleting it would uncite them."""
        if obj is None:
            return False
        ids = editable_process_ids(request.user)
        for relation in obj._meta.related_objects:
            related = relation.related_model
            rows = related._default_manager.filter(**{relation.field.name: obj})
            if related is Process:
                rows = rows.exclude(pk__in=ids)
            elif any(field.name == "process" for field in related._meta.fields):
                rows = rows.exclude(process__in=ids)
            if rows.exists():
                return True
        return False

    def save_model(self, request, obj, form, change):
        if is_central_editor(request.user):
            obj.owner = None  # a central editor adding or editing it: central from now on
        elif not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)


# The Process page and its inlines -----------------------------------------------------------------


class ProcessClaimInline(RowFieldsMixin, admin.TabularInline):
    model = ProcessClaim
    formset = forms.ProcessRowsFormSet
    form = forms.ProcessRowForm
    fields = ["topic", "value", "source", "as_of", "note"]
    autocomplete_fields = ["source"]
    extra = 0


class ListCompletenessInline(RowFieldsMixin, admin.TabularInline):
    """How complete each list of the profile is: shown publicly beside the list."""

    model = ListCompleteness
    formset = forms.ProcessRowsFormSet
    form = forms.ProcessRowForm
    fields = ["section", "status", "sources", "as_of", "note"]
    autocomplete_fields = ["sources"]
    extra = 0


class MembershipInline(RowFieldsMixin, admin.TabularInline):
    model = Membership
    formset = forms.MembershipFormSet
    form = forms.ProcessRowForm
    fields = ["state", "role", "since", "until", "note", "sources", "as_of"]
    autocomplete_fields = ["state", "sources"]
    extra = 1


def _derived_host_roles():
    """The current "secretariat host" roles: they follow from the secretariat (never edited by hand)."""
    return Q(role=enums.OrganizationRoleKind.SECRETARIAT_HOST, until__isnull=True)


class OrganizationRoleInline(RowFieldsMixin, admin.TabularInline):
    """The organisation roles entered by hand: the current secretariat hosts are the Secretariat's."""

    model = OrganizationRole
    formset = forms.OrganizationRoleFormSet
    form = forms.ProcessRowForm
    fields = ["organization", "role", "since", "until", "note", "sources", "as_of"]
    autocomplete_fields = ["organization", "sources"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(_derived_host_roles())


class ChairTermInline(RowFieldsMixin, admin.TabularInline):
    model = ChairTerm
    formset = forms.ChairTermFormSet
    form = forms.ProcessRowForm
    fields = ["state", "co_chair", "start_year", "end_year", "note", "sources", "as_of"]
    autocomplete_fields = ["state", "co_chair", "sources"]
    extra = 1


class SecretariatInline(RowFieldsMixin, admin.StackedInline):
    model = Secretariat
    formset = forms.SecretariatFormSet
    form = forms.SecretariatForm
    fields = [
        "arrangement",
        "hosts",
        ("city", "country"),
        ("since", "staff"),
        "notes",
        "sources",
        "as_of",
    ]
    autocomplete_fields = ["hosts", "sources"]
    extra = 1
    max_num = 1


class FundingInline(RowFieldsMixin, admin.StackedInline):
    """Stacked: nine columns would not fit a 1,366 px screen."""

    model = Funding
    formset = forms.ProcessRowsFormSet
    form = forms.ProcessRowForm
    fields = [("state", "organization"), ("kind", "year"), ("amount", "currency"), "note", "sources", "as_of"]
    autocomplete_fields = ["state", "organization", "sources"]
    extra = 0


class EvaluationInline(RowFieldsMixin, admin.StackedInline):
    model = Evaluation
    formset = forms.ProcessRowsFormSet
    form = forms.ProcessRowForm
    fields = [
        "kind",
        ("start_date", "end_date"),
        ("conducted_by", "endorsed_by"),
        "findings",
        "recommendations",
        "sources",
        "as_of",
    ]
    autocomplete_fields = ["sources"]
    extra = 0


class OutputInline(RowFieldsMixin, admin.StackedInline):
    formfield_overrides = HTTPS_URLS
    model = Output
    formset = forms.ProcessRowsFormSet
    form = forms.ProcessRowForm
    fields = ["title", ("kind", "year"), "link", "themes", "sources", "as_of"]
    autocomplete_fields = ["themes", "sources"]
    extra = 0


class AchievementInline(RowFieldsMixin, admin.StackedInline):
    model = Achievement
    formset = forms.ProcessRowsFormSet
    form = forms.ProcessRowForm
    fields = [
        "title",
        ("kind", "level"),
        ("year", "attribution"),
        "states",
        "description",
        "sources",
        "as_of",
    ]
    autocomplete_fields = ["states", "sources"]
    extra = 0


class InstitutionLinkInline(RowFieldsMixin, admin.TabularInline):
    model = InstitutionLink
    formset = forms.ProcessRowsFormSet
    form = forms.ProcessRowForm
    fields = ["institution", "nature", "note", "sources", "as_of"]
    autocomplete_fields = ["institution", "sources"]
    extra = 0


@admin.register(Process)
class ProcessAdmin(
    OptimisticLockingAdminMixin,
    StaffFormsAdminMixin,
    BulkEntryAdminMixin,
    DataChecksAdminMixin,
    ProcessScopedAdminMixin,
    CentralRecoverDeletedAdminMixin,
    TranslationAdmin,
    SimpleHistoryAdmin,
):
    formfield_overrides = HTTPS_URLS
    change_form_template = "admin/processes/process/change_form.html"
    process_path = "pk"
    central_only_add = True
    central_only_delete = True
    list_display = [
        "short_name",
        "acronym",
        "kind",
        "status",
        "established_year",
        "region_names",
        "member_count",
        "as_of",
    ]
    list_filter = [
        "status",
        "kind",
        "regions",
        "themes",
        EvaluatedFilter,
        "chair_arrangement",
        "civil_society_involvement",
        "private_sector_involvement",
        "meets_ministerial",
        "meets_vice_ministerial",
        "meets_senior_officials",
        "meets_technical",
    ]
    search_fields = [*text_lookups(Process, "short_name"), *text_lookups(Process, "name"), "acronym", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["regions", "themes", "sources", "editors"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "acronym", "slug", "kind", "status", "regions", "website"]}),
        (_("Origins"), {"classes": ["collapse"], "fields": ["established_year", "established_note"]}),
        (
            _("Purpose and working methods"),
            {"classes": ["collapse"], "fields": ["description", "objectives", "working_methods", "themes"]},
        ),
        (
            _("Meetings and chair"),
            {
                "classes": ["collapse"],
                "fields": [
                    (
                        "meets_ministerial",
                        "meets_vice_ministerial",
                        "meets_senior_officials",
                        "meets_technical",
                    ),
                    "meeting_structure",
                    "chair_arrangement",
                    "chair_note",
                    "informal_nonbinding",
                ],
            },
        ),
        (
            _("Involvement"),
            {
                "classes": ["collapse"],
                "fields": ["civil_society_involvement", "private_sector_involvement", "involvement_note"],
            },
        ),
        (_("Funding"), {"classes": ["collapse"], "fields": ["self_financing", "funding_note"]}),
        (_("Sources and editors"), {"fields": ["sources", "as_of", "editors"]}),
    ]
    inlines = [
        ProcessClaimInline,
        ListCompletenessInline,
        MembershipInline,
        OrganizationRoleInline,
        ChairTermInline,
        SecretariatInline,
        FundingInline,
        EvaluationInline,
        OutputInline,
        AchievementInline,
        InstitutionLinkInline,
    ]

    object_history_template = "admin/processes/process/object_history.html"
    # The latest changes to a process's rows listed on its History page.
    ROW_HISTORY_LIMIT = 200

    def history_view(self, request, object_id, extra_context=None):
        """The process's own history, then every change to its rows (memberships, chairs, ...)."""
        extra_context = dict(extra_context or {})
        pk = _safe_int(object_id)
        extra_context["row_changes"] = row_changes(self, pk, self.ROW_HISTORY_LIMIT) if pk else []
        return super().history_view(request, object_id, extra_context)

    def get_queryset(self, request):
        # Subqueries, not joins: the list (and the autocomplete using this queryset) keeps its ordering.
        # The count is empty ("-") when the member list is not recorded.
        return super().get_queryset(request).prefetch_related("regions").with_list_counts()

    def save_related(self, request, form, formsets, change):
        """Then the "secretariat host" roles follow the secretariat's hosts as saved."""
        super().save_related(request, form, formsets, change)
        removed = any(formset.model is Secretariat and formset.deleted_objects for formset in formsets)
        services.sync_secretariat_host_roles(form.instance, secretariat_removed=removed)

    def get_readonly_fields(self, request, obj=None):
        # Who edits a process is decided centrally.
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_central_editor(request.user):
            readonly.append("editors")
        return readonly

    @admin.display(description=_("regions"))
    def region_names(self, obj):
        return ", ".join(region.name for region in obj.regions.all())

    @admin.display(description=_("current members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


def _safe_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def row_changes(process_admin, process_pk, limit):
    """The latest ``limit`` history entries of the process's rows, newest first, each with what it
    changed (readable diff), who and when, and a link to the row's own history."""
    entries = []
    for inline in process_admin.inlines:
        model = inline.model
        history = model.history.filter(process_id=process_pk).select_related("history_user")
        entries.extend((entry, model) for entry in history.order_by("-history_date")[:limit])
    entries.sort(key=lambda pair: pair[0].history_date, reverse=True)
    rows = []
    for entry, model in entries[:limit]:
        info = model._meta.app_label, model._meta.model_name
        rows.append(
            {
                "model": model._meta.verbose_name,
                "record": str(entry.instance),
                "type": entry.get_history_type_display(),
                "date": entry.history_date,
                "user": entry.history_user,
                "reason": entry.history_change_reason or "",
                "changes": describe_changes(entry, model),
                "history_url": reverse("admin:{}_{}_history".format(*info), args=[entry.instance.pk]),
            }
        )
    return rows


# Each record that describes a process, on its own too (for lists across processes) -----------------


class ProcessRecordAdmin(
    OptimisticLockingAdminMixin,
    StaffFormsAdminMixin,
    ProcessScopedAdminMixin,
    CentralRecoverDeletedAdminMixin,
    SimpleHistoryAdmin,
):
    """Shared set-up: filter by process, find by process name, pick the process by autocomplete; a
    process editor sees only the rows of their processes."""

    process_search_fields = ["process__short_name", "process__acronym"]

    def get_search_fields(self, request):
        return [*self.process_search_fields, *self.search_fields]


@admin.register(ProcessClaim)
class ProcessClaimAdmin(ProcessRecordAdmin):
    list_display = ["process", "topic", "value", "source", "as_of"]
    list_filter = ["topic", PROCESS_FILTER]
    list_select_related = ["process", "source"]
    search_fields = ["value", "source__title", "note"]
    autocomplete_fields = ["process", "source"]


@admin.register(ListCompleteness)
class ListCompletenessAdmin(ProcessRecordAdmin):
    list_display = ["process", "section", "status", "as_of"]
    list_filter = ["section", "status", PROCESS_FILTER]
    list_select_related = ["process"]
    search_fields = ["note"]
    autocomplete_fields = ["process", "sources"]


@admin.register(Membership)
class MembershipAdmin(ScopedImportExportMixin, CountryNameSearchMixin, ProcessRecordAdmin):
    resource_classes = [resources.MembershipResource]
    list_display = ["state", "process", "role", "since", "until", "as_of"]
    list_filter = ["role", CurrentFilter, PROCESS_FILTER]
    list_select_related = ["state", "process"]
    search_fields = ["state__code", "note"]
    country_search_fields = ["state__code"]
    autocomplete_fields = ["process", "state", "sources"]


@admin.register(OrganizationRole)
class OrganizationRoleAdmin(ProcessRecordAdmin):
    """A current "secretariat host" role is shown, not edited: it follows from the secretariat."""

    list_display = ["organization", "process", "role", "since", "until"]
    list_filter = ["role", CurrentFilter, PROCESS_FILTER]
    list_select_related = ["organization", "process"]
    search_fields = ["organization__name", "organization__acronym", "note"]
    autocomplete_fields = ["process", "organization", "sources"]

    @staticmethod
    def _derived(obj):
        return (
            obj is not None and obj.role == enums.OrganizationRoleKind.SECRETARIAT_HOST and obj.until is None
        )

    def has_change_permission(self, request, obj=None):
        return not self._derived(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._derived(obj) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.exclude(_derived_host_roles()))


@admin.register(Secretariat)
class SecretariatAdmin(ProcessRecordAdmin):
    """Saving or deleting a secretariat updates the process's "secretariat host" roles."""

    form = forms.SecretariatForm
    list_display = ["process", "arrangement", "host_names", "city", "country", "since", "staff"]
    list_filter = ["arrangement"]
    list_select_related = ["process"]
    search_fields = ["city", "hosts__name", "hosts__acronym"]
    autocomplete_fields = ["process", "hosts", "sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("hosts")

    @admin.display(description=_("host organisations"))
    def host_names(self, obj):
        return obj.hosts_display()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for process_id in {form.instance.process_id, form.initial.get("process")} - {None}:
            services.sync_secretariat_host_roles(Process.objects.get(pk=process_id), secretariat_removed=True)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.sync_secretariat_host_roles(obj.process, secretariat_removed=True)

    def delete_queryset(self, request, queryset):
        processes = list(Process.objects.filter(secretariat__in=queryset))
        super().delete_queryset(request, queryset)
        for process in processes:
            services.sync_secretariat_host_roles(process, secretariat_removed=True)


@admin.register(ChairTerm)
class ChairTermAdmin(ScopedImportExportMixin, CountryNameSearchMixin, ProcessRecordAdmin):
    resource_classes = [resources.ChairTermResource]
    list_display = ["process", "state", "co_chair", "start_year", "end_year"]
    list_filter = [CurrentChairFilter, PROCESS_FILTER]
    list_select_related = ["process", "state", "co_chair"]
    search_fields = ["state__code", "co_chair__code", "note"]
    country_search_fields = ["state__code", "co_chair__code"]
    autocomplete_fields = ["process", "state", "co_chair", "sources"]


@admin.register(Funding)
class FundingAdmin(ScopedImportExportMixin, CountryNameSearchMixin, ProcessRecordAdmin):
    resource_classes = [resources.FundingResource]
    list_display = ["process", "contributor_name", "kind", "year", "amount", "currency"]
    list_filter = ["kind", PROCESS_FILTER]
    list_select_related = ["process", "state", "organization"]
    search_fields = ["organization__name", "organization__acronym", "state__code", "note"]
    country_search_fields = ["state__code"]
    autocomplete_fields = ["process", "state", "organization", "sources"]

    @admin.display(description=_("contributor"))
    def contributor_name(self, obj):
        return obj.contributor


@admin.register(Evaluation)
class EvaluationAdmin(ProcessRecordAdmin):
    list_display = ["process", "kind", "start_date", "end_date", "conducted_by", "endorsed_by"]
    list_filter = ["kind", "endorsed_by", PROCESS_FILTER]
    list_select_related = ["process"]
    search_fields = ["conducted_by", "findings", "recommendations"]
    autocomplete_fields = ["process", "sources"]
    date_hierarchy = "start_date"


@admin.register(Output)
class OutputAdmin(ProcessRecordAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "process", "kind", "year"]
    list_filter = ["kind", "themes", PROCESS_FILTER]
    list_select_related = ["process"]
    search_fields = ["title"]
    autocomplete_fields = ["process", "themes", "sources"]


@admin.register(Achievement)
class AchievementAdmin(ProcessRecordAdmin):
    list_display = ["title", "process", "kind", "level", "year", "attribution"]
    list_filter = ["kind", "level", "attribution", PROCESS_FILTER]
    list_select_related = ["process"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["process", "states", "sources"]


@admin.register(InstitutionLink)
class InstitutionLinkAdmin(ProcessRecordAdmin):
    list_display = ["process", "institution", "nature"]
    list_filter = ["nature", PROCESS_FILTER]
    list_select_related = ["process", "institution"]
    search_fields = ["institution__name", "institution__acronym", "note"]
    autocomplete_fields = ["process", "institution", "sources"]
