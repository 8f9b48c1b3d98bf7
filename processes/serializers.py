"""How the records of the registry look in the open data: the API, the downloads of the list pages.

Django REST framework serializers with stable English keys. The site layer (rcpdb/site/api/) serves
them; the list pages' CSV/JSON downloads use the same ones (``OpenDataDownloadMixin``), so a record has
one shape wherever it is taken from. Names are read in the active language (modeltranslation falls
back to English), so a request in French gets French names.

Counts that are not recorded are ``None`` (``null``), never 0: see ``querysets.recorded_count``.
Every fact carries its ``sources`` and ``as_of``. A list serializer's ``get_queryset()`` names the
queryset with the prefetches its records need, so a page of records runs a fixed number of queries.
"""

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rcpdb.core.localized import localized
from rcpdb.core.reuse import built_once

from . import enums, selectors
from .models import (
    Achievement,
    ChairTerm,
    Evaluation,
    Funding,
    InstitutionLink,
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

LIST_STATUS_FIELDS = tuple(f"{section.value}_list" for section in enums.ListSection)
COMPLETENESS_CHOICES = enums.Completeness.choices


def _absolute(context, path):
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _sources_prefetch():
    return Prefetch("sources", queryset=Source.objects.order_by("title", "pk"))


class LinkedSerializer(serializers.ModelSerializer):
    """Adds ``url`` (the public page) and ``api_url`` (this record in the API, ``api_name``)."""

    api_name = None  # the API collection: "processes"
    api_lookup = "slug"

    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return _absolute(self.context, obj.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, obj):
        key = str(getattr(obj, self.api_lookup))
        return _absolute(self.context, reverse(f"api:{self.api_name}-detail", kwargs={"key": key}))

    @classmethod
    def sort(cls, records, cleaned_data):
        """The records in the order the page shows them: most sort in SQL (the queryset as it is,
        still lazy, so that pagination reads one page only); states sort in Python."""
        return records


class SlugField(serializers.SlugRelatedField):
    def __init__(self, slug_field="slug", **kwargs):
        super().__init__(slug_field=slug_field, read_only=True, **kwargs)


class CodeField(serializers.Field):
    """A state (or country) as its ISO 3166 code, ``"TR"``; ``None`` when there is none."""

    def to_representation(self, value):
        code = getattr(value, "code", value)
        return str(code) or None


CodeField = extend_schema_field({"type": "string", "nullable": True, "example": "TR"})(CodeField)


class SourceRefSerializer(serializers.ModelSerializer):
    """A source as a fact cites it."""

    class Meta:
        model = Source
        fields = ["id", "slug", "title", "publisher", "url", "published"]


class SourcesField(serializers.ReadOnlyField):
    """The sources of a fact: the ones ``selectors.attach_links`` loaded (``listed_sources``) or
    the prefetched ``sources``."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, obj):
        rows = getattr(obj, "listed_sources", None)
        if rows is None:
            rows = obj.sources.all()
        return SourceRefSerializer(rows, many=True).data


SourcesField = extend_schema_field(SourceRefSerializer(many=True))(SourcesField)


class RegionSerializer(LinkedSerializer):
    api_name = "regions"
    parent = SlugField(allow_null=True)
    url = None

    class Meta:
        model = Region
        fields = ["id", "slug", "name", "parent", "description", "api_url"]

    @classmethod
    def get_queryset(cls):
        return Region.objects.select_related("parent").order_by(localized(Region, "name"), "pk")


class ListStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=COMPLETENESS_CHOICES, read_only=True, **kwargs)


@built_once
def _api_process_list():
    """The API's process list: the page's queryset with how complete each list is, and the themes."""
    return (
        selectors.process_list_queryset()
        .with_list_statuses()
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("slug")))
    )


class ProcessSerializer(LinkedSerializer):
    """A process as the list shows it: counts (null when not recorded) and how complete each list is."""

    api_name = "processes"
    regions = serializers.SerializerMethodField()
    themes = SlugField(many=True)
    member_count = serializers.IntegerField(allow_null=True)
    observer_count = serializers.IntegerField(allow_null=True)
    organization_count = serializers.IntegerField(allow_null=True)
    # How complete each list is (querysets.list_status): "complete", "partial" or "not_recorded".
    members_list = ListStatusField()
    observers_list = ListStatusField()
    organizations_list = ListStatusField()
    chairs_list = ListStatusField()
    funding_list = ListStatusField()
    evaluations_list = ListStatusField()
    outputs_list = ListStatusField()
    achievements_list = ListStatusField()

    class Meta:
        model = Process
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "acronym",
            "kind",
            "status",
            "established_year",
            "regions",
            "themes",
            "member_count",
            "observer_count",
            "organization_count",
            *LIST_STATUS_FIELDS,
            "website",
            "as_of",
            "url",
            "api_url",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_regions(self, process):
        return [region.name for region in process.regions.all()]

    @classmethod
    def get_queryset(cls):
        return _api_process_list()


class StateSerializer(LinkedSerializer):
    api_name = "states"
    api_lookup = "code"
    code = CodeField()
    name = serializers.CharField()
    region = serializers.SerializerMethodField()
    region_slug = serializers.SerializerMethodField()
    process_count = serializers.IntegerField(allow_null=True)

    class Meta:
        model = State
        fields = ["id", "code", "name", "region", "region_slug", "process_count", "url", "api_url"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_region(self, state):
        return state.region.name if state.region else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_region_slug(self, state):
        return state.region.slug if state.region else None

    @classmethod
    def get_queryset(cls):
        return selectors.state_list_queryset()

    @classmethod
    def sort(cls, records, cleaned_data):
        return selectors.sorted_states(records, (cleaned_data or {}).get("ordering"))


class OrganizationSerializer(LinkedSerializer):
    api_name = "organizations"
    process_count = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Organization
        fields = ["id", "slug", "name", "acronym", "kind", "website", "process_count", "url", "api_url"]

    @classmethod
    def get_queryset(cls):
        return selectors.organization_list_queryset()


class ThemeSerializer(LinkedSerializer):
    """A theme and how many processes work on it (the site layer's adds the meetings' counts)."""

    api_name = "themes"
    process_count = serializers.IntegerField()

    class Meta:
        model = Theme
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "process_count",
            "url",
            "api_url",
        ]

    @classmethod
    def get_queryset(cls):
        return selectors.theme_list_queryset()


class SourceSerializer(LinkedSerializer):
    api_name = "sources"
    url = None

    class Meta:
        model = Source
        fields = ["id", "slug", "title", "publisher", "url", "published", "accessed", "note", "api_url"]

    @classmethod
    def get_queryset(cls):
        return Source.objects.order_by("title", "pk")

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, obj):
        return _absolute(self.context, reverse("api:sources-detail", kwargs={"key": obj.pk}))


# --- the facts of a process: each with its sources and "as of" ---------------------------------------


class FactSerializer(LinkedSerializer):
    """A sourced fact about a process (``models.Sourced``): its process, sources and as-of date."""

    api_lookup = "pk"
    process = SlugField()
    sources = SourcesField()
    url = None

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, obj):
        return _absolute(self.context, reverse(f"api:{self.api_name}-detail", kwargs={"key": obj.pk}))

    select = ("process",)

    @classmethod
    def get_queryset(cls):
        model = cls.Meta.model
        return (
            model.objects.select_related(*cls.select)
            .prefetch_related(_sources_prefetch())
            .order_by(*cls.ordering, "pk")
        )


FACT_FIELDS = ["id", "process", "as_of", "sources", "api_url"]


class MembershipSerializer(FactSerializer):
    api_name = "memberships"
    state = CodeField()
    select = ("process", "state")
    ordering = ("process__slug", "state__code", "role")

    class Meta:
        model = Membership
        fields = [*FACT_FIELDS[:2], "state", "role", "since", "until", "note", *FACT_FIELDS[2:]]


class OrganizationRoleSerializer(FactSerializer):
    api_name = "organization-roles"
    organization = SlugField()
    select = ("process", "organization")
    ordering = ("process__slug", "organization__slug", "role", "since")

    class Meta:
        model = OrganizationRole
        fields = [*FACT_FIELDS[:2], "organization", "role", "since", "until", "note", *FACT_FIELDS[2:]]


class ChairTermSerializer(FactSerializer):
    api_name = "chair-terms"
    state = CodeField()
    co_chair = CodeField(allow_null=True)
    select = ("process", "state", "co_chair")
    ordering = ("process__slug", "-start_year")

    class Meta:
        model = ChairTerm
        fields = [*FACT_FIELDS[:2], "state", "co_chair", "start_year", "end_year", "note", *FACT_FIELDS[2:]]


class SecretariatSerializer(FactSerializer):
    api_name = "secretariats"
    hosts = serializers.SerializerMethodField()
    country = CodeField(allow_null=True)
    select = ("process",)
    ordering = ("process__slug",)

    @classmethod
    def get_queryset(cls):
        return super().get_queryset().prefetch_related("hosts")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_hosts(self, secretariat):
        """The host organisations' slugs, by name (several for a joint secretariat; [] for none)."""
        return [host.slug for host in secretariat.host_list()]

    class Meta:
        model = Secretariat
        fields = [
            *FACT_FIELDS[:2],
            "arrangement",
            "hosts",
            "city",
            "country",
            "since",
            "staff",
            "notes",
            *FACT_FIELDS[2:],
        ]


class FundingSerializer(FactSerializer):
    api_name = "funding"
    state = CodeField(allow_null=True)
    organization = SlugField(allow_null=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=True)
    select = ("process", "state", "organization")
    ordering = ("process__slug", "-year", "kind")

    class Meta:
        model = Funding
        fields = [
            *FACT_FIELDS[:2],
            "state",
            "organization",
            "kind",
            "year",
            "amount",
            "currency",
            "note",
            *FACT_FIELDS[2:],
        ]


class EvaluationSerializer(FactSerializer):
    api_name = "evaluations"
    ordering = ("process__slug", "start_date")

    class Meta:
        model = Evaluation
        fields = [
            *FACT_FIELDS[:2],
            "kind",
            "start_date",
            "end_date",
            "conducted_by",
            "endorsed_by",
            "findings",
            "recommendations",
            *FACT_FIELDS[2:],
        ]


class ThemesField(serializers.ReadOnlyField):
    """Theme slugs: the ones ``attach_links`` loaded (``theme_list``) or the prefetched ``themes``."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, obj):
        rows = getattr(obj, "theme_list", None)
        return [theme.slug for theme in (obj.themes.all() if rows is None else rows)]


ThemesField = extend_schema_field(serializers.ListField(child=serializers.CharField()))(ThemesField)


class OutputSerializer(FactSerializer):
    api_name = "outputs"
    themes = ThemesField()
    ordering = ("process__slug", "-year", "title")

    class Meta:
        model = Output
        fields = [*FACT_FIELDS[:2], "title", "kind", "year", "link", "themes", *FACT_FIELDS[2:]]

    @classmethod
    def get_queryset(cls):
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("slug")))
        )


class StatesField(serializers.ReadOnlyField):
    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, obj):
        rows = getattr(obj, "state_list", None)
        return [str(state.code) for state in (obj.states.all() if rows is None else rows)]


StatesField = extend_schema_field(serializers.ListField(child=serializers.CharField()))(StatesField)


class AchievementSerializer(FactSerializer):
    api_name = "achievements"
    states = StatesField()
    ordering = ("process__slug", "-year", "title")

    class Meta:
        model = Achievement
        fields = [
            *FACT_FIELDS[:2],
            "title",
            "description",
            "kind",
            "level",
            "states",
            "year",
            "attribution",
            *FACT_FIELDS[2:],
        ]

    @classmethod
    def get_queryset(cls):
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("states", queryset=State.objects.order_by("code")))
        )


class InstitutionLinkSerializer(FactSerializer):
    api_name = "institution-links"
    institution = SlugField()
    select = ("process", "institution")
    ordering = ("process__slug", "institution__slug")

    class Meta:
        model = InstitutionLink
        fields = [*FACT_FIELDS[:2], "institution", "nature", "note", *FACT_FIELDS[2:]]


class ClaimSerializer(LinkedSerializer):
    """What one source says about a process (e.g. the year it began), with that source."""

    api_name = "claims"
    api_lookup = "pk"
    url = None
    process = SlugField()
    source = SourceRefSerializer()

    class Meta:
        model = ProcessClaim
        fields = ["id", "process", "topic", "value", "source", "as_of", "note", "api_url"]

    @classmethod
    def get_queryset(cls):
        return ProcessClaim.objects.select_related("process", "source").order_by(
            "process__slug", "topic", "value", "pk"
        )


# --- the process profile --------------------------------------------------------------------------


class ListStateSerializer(serializers.Serializer):
    """How complete one list of a process is: ``count`` is null when the list is not recorded."""

    status = serializers.ChoiceField(choices=COMPLETENESS_CHOICES)
    count = serializers.IntegerField(allow_null=True)
    as_of = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()
    stated = ClaimSerializer(many=True)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_as_of(self, state):
        return state.row.as_of.isoformat() if state.row is not None and state.row.as_of else None

    @extend_schema_field(serializers.CharField())
    def get_note(self, state):
        return state.row.note if state.row is not None else ""

    @extend_schema_field(SourceRefSerializer(many=True))
    def get_sources(self, state):
        return SourceRefSerializer(state.sources, many=True).data


COUNTED_SECTIONS = {
    "member_count": "members",
    "observer_count": "observers",
    "organization_count": "organizations",
}


class SectionStatusField(serializers.ChoiceField):
    """How complete the list ``section`` of the profile is (``ListState.status``)."""

    def __init__(self, section, **kwargs):
        self.section = section
        super().__init__(choices=COMPLETENESS_CHOICES, source="*", read_only=True, **kwargs)

    def to_representation(self, process):
        return str(self.parent.sections[self.section].completeness.status)


class SectionCountField(serializers.IntegerField):
    """How many rows the list ``section`` records (current ones for states); null when not recorded."""

    def __init__(self, section, **kwargs):
        self.section = section
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, process):
        return self.parent.sections[self.section].completeness.count


class ProcessDetailSerializer(ProcessSerializer):
    """Everything the process profile shows: the process, each of its lists and how complete it is,
    and every fact with its sources and "as of"."""

    regions = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField()
    sources = SourcesField()
    lists = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    observers = serializers.SerializerMethodField()
    organizations = serializers.SerializerMethodField()
    chairs = serializers.SerializerMethodField()
    secretariat = serializers.SerializerMethodField()
    funding = serializers.SerializerMethodField()
    evaluations = serializers.SerializerMethodField()
    outputs = serializers.SerializerMethodField()
    achievements = serializers.SerializerMethodField()
    institutions = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField()

    class Meta:
        model = Process
        fields = [
            *ProcessSerializer.Meta.fields[:-2],
            "established_note",
            "description",
            "objectives",
            "working_methods",
            "meets_ministerial",
            "meets_vice_ministerial",
            "meets_senior_officials",
            "meets_technical",
            "meeting_structure",
            "chair_arrangement",
            "chair_note",
            "informal_nonbinding",
            "civil_society_involvement",
            "private_sector_involvement",
            "involvement_note",
            "self_financing",
            "funding_note",
            "sources",
            "lists",
            "members",
            "observers",
            "organizations",
            "chairs",
            "secretariat",
            "funding",
            "evaluations",
            "outputs",
            "achievements",
            "institutions",
            "claims",
            "url",
            "api_url",
        ]

    @property
    def sections(self):
        """``selectors.profile_sections`` of the process, built once (what the profile page shows).

        The one place the API reads the profile: a profile "as of" a date (``?as_of=``) comes with
        its sections in the serializer's context (``processes.as_of.process_as_of``), and its date
        as ``as_of``, which its ``url`` and ``api_url`` keep.
        """
        if "sections" not in self.context:
            self.context["sections"] = self.profile_sections(self.instance)["sections"]
        return self.context["sections"]

    def profile_sections(self, process):
        """The profile's sections (the site layer's serializer adds the meetings)."""
        return selectors.profile_sections(process)

    def _dated(self, address):
        day = self.context.get("as_of")
        return f"{address}?as_of={day.isoformat()}" if day is not None else address

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return self._dated(super().get_url(obj))

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, obj):
        return self._dated(super().get_api_url(obj))

    def _rows(self, key, serializer_class):
        return serializer_class(self.sections[key].rows, many=True, context=self.context).data

    def get_fields(self):
        fields = super().get_fields()
        for section in enums.ListSection:
            fields[f"{section.value}_list"] = SectionStatusField(section.value)
        for name, section in COUNTED_SECTIONS.items():
            fields[name] = SectionCountField(section)
        return fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_regions(self, process):
        self.sections  # noqa: B018 - loads region_list
        return [region.name for region in process.region_list]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_themes(self, process):
        self.sections  # noqa: B018 - loads theme_list
        return sorted(theme.slug for theme in process.theme_list)

    @extend_schema_field(serializers.DictField(child=ListStateSerializer()))
    def get_lists(self, process):
        return {
            section.value: ListStateSerializer(
                self.sections[section.value].completeness, context=self.context
            ).data
            for section in enums.ListSection
        }

    @extend_schema_field(MembershipSerializer(many=True))
    def get_members(self, process):
        return self._rows("members", MembershipSerializer)

    @extend_schema_field(MembershipSerializer(many=True))
    def get_observers(self, process):
        return self._rows("observers", MembershipSerializer)

    @extend_schema_field(OrganizationRoleSerializer(many=True))
    def get_organizations(self, process):
        return self._rows("organizations", OrganizationRoleSerializer)

    @extend_schema_field(ChairTermSerializer(many=True))
    def get_chairs(self, process):
        return self._rows("chairs", ChairTermSerializer)

    @extend_schema_field(SecretariatSerializer(allow_null=True))
    def get_secretariat(self, process):
        rows = self.sections["secretariat"].rows
        return SecretariatSerializer(rows[0], context=self.context).data if rows else None

    @extend_schema_field(FundingSerializer(many=True))
    def get_funding(self, process):
        return self._rows("funding", FundingSerializer)

    @extend_schema_field(EvaluationSerializer(many=True))
    def get_evaluations(self, process):
        return self._rows("evaluations", EvaluationSerializer)

    @extend_schema_field(OutputSerializer(many=True))
    def get_outputs(self, process):
        return self._rows("outputs", OutputSerializer)

    @extend_schema_field(AchievementSerializer(many=True))
    def get_achievements(self, process):
        return self._rows("achievements", AchievementSerializer)

    @extend_schema_field(InstitutionLinkSerializer(many=True))
    def get_institutions(self, process):
        return self._rows("institutions", InstitutionLinkSerializer)

    @extend_schema_field(ClaimSerializer(many=True))
    def get_claims(self, process):
        return self._rows("claims", ClaimSerializer)

    @classmethod
    def get_queryset(cls):
        # The profile's own reads: the page and this record come from the same code.
        return selectors.process_profile_queryset()
