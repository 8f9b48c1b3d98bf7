"""The API's records of the registry that show what the meetings add: ``processes``' serializers
extended with the meetings (``rcpdb/site/selectors.py``), as the pages show them."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from processes import serializers as ps

from .. import selectors


@extend_schema_serializer(component_name="ProcessDetail")
class ProcessDetailSerializer(ps.ProcessDetailSerializer):
    """Everything the process profile shows, with the meetings the process took part in."""

    meetings = serializers.SerializerMethodField()

    class Meta(ps.ProcessDetailSerializer.Meta):
        fields = [*ps.ProcessDetailSerializer.Meta.fields[:-2], "meetings", "url", "api_url"]

    def profile_sections(self, process):
        return selectors.profile_sections(process)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_meetings(self, process):
        self.sections  # noqa: B018 - loads meeting_list
        return [meeting.slug for meeting in process.meeting_list]

    @classmethod
    def get_queryset(cls):
        return selectors.process_profile_queryset()


@extend_schema_serializer(component_name="Theme")
class ThemeSerializer(ps.ThemeSerializer):
    """A theme, how many processes work on it, and how many of the meetings' findings and
    recommendations concern it."""

    finding_count = serializers.IntegerField()
    recommendation_count = serializers.IntegerField()

    class Meta(ps.ThemeSerializer.Meta):
        fields = [
            *ps.ThemeSerializer.Meta.fields[:-2],
            "finding_count",
            "recommendation_count",
            "url",
            "api_url",
        ]

    @classmethod
    def get_queryset(cls):
        return selectors.theme_list_queryset()
