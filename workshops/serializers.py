"""How meetings and what came out of them look in the open data (see ``processes/serializers.py``)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from processes.serializers import CodeField, LinkedSerializer, SlugField

from . import selectors
from .models import Document, Finding, Participation, Person, Recommendation, Session, SessionLead, Workshop


class MeetingSerializer(LinkedSerializer):
    api_name = "meetings"
    country = CodeField(allow_null=True)
    organizers = SlugField(many=True)
    processes = SlugField(many=True)
    finding_count = serializers.IntegerField()
    recommendation_count = serializers.IntegerField()

    class Meta:
        model = Workshop
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "start_date",
            "end_date",
            "city",
            "country",
            "organizers",
            "processes",
            "summary",
            "finding_count",
            "recommendation_count",
            "report_url",
            "url",
            "api_url",
        ]

    @classmethod
    def get_queryset(cls):
        return selectors.workshop_list_queryset().prefetch_related("organizers")


class SessionLeadSerializer(serializers.ModelSerializer):
    person = SlugField()
    on_behalf_of = SlugField(allow_null=True)

    class Meta:
        model = SessionLead
        fields = ["person", "role", "on_behalf_of"]


class SessionSerializer(LinkedSerializer):
    api_name = "sessions"
    api_lookup = "pk"
    meeting = SlugField(source="workshop")
    leads = SessionLeadSerializer(source="session_leads", many=True)

    class Meta:
        model = Session
        fields = ["id", "meeting", "order", "title", "guiding_questions", "leads", "url", "api_url"]

    @classmethod
    def get_queryset(cls):
        return (
            Session.objects.select_related("workshop")
            .prefetch_related(
                Prefetch(
                    "session_leads",
                    queryset=SessionLead.objects.select_related("person", "on_behalf_of").order_by(
                        "role", "person__name", "pk"
                    ),
                )
            )
            .order_by("-workshop__start_date", "workshop__slug", "order", "pk")
        )


class PersonSerializer(LinkedSerializer):
    api_name = "people"
    url = None
    organization = SlugField(allow_null=True)

    class Meta:
        model = Person
        fields = ["id", "slug", "name", "position", "organization", "api_url"]

    @classmethod
    def get_queryset(cls):
        return Person.objects.select_related("organization").order_by("name", "pk")


class ParticipationSerializer(LinkedSerializer):
    api_name = "participation"
    api_lookup = "pk"
    url = None
    meeting = SlugField(source="workshop")
    person = SlugField(allow_null=True)
    organization = SlugField(allow_null=True)
    process = SlugField(allow_null=True)

    class Meta:
        model = Participation
        fields = ["id", "meeting", "role", "person", "organization", "process", "note", "api_url"]

    @classmethod
    def get_queryset(cls):
        return Participation.objects.select_related("workshop", "person", "organization", "process").order_by(
            "-workshop__start_date", "workshop__slug", "role", "pk"
        )


class FindingSerializer(LinkedSerializer):
    api_name = "findings"
    api_lookup = "pk"
    meeting = SlugField(source="workshop")
    session = serializers.SerializerMethodField()
    themes = SlugField(many=True)
    processes = SlugField(many=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "meeting",
            "number",
            "session",
            "kind",
            "text",
            "themes",
            "processes",
            "url",
            "api_url",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_session(self, finding):
        return finding.session.title if finding.session else None

    @classmethod
    def get_queryset(cls):
        return selectors.finding_list_queryset()


class RecommendationSerializer(LinkedSerializer):
    api_name = "recommendations"
    api_lookup = "pk"
    meeting = SlugField(source="workshop")
    themes = SlugField(many=True)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "meeting",
            "position",
            "paragraph",
            "kind",
            "number",
            "label",
            "text",
            "addressed_to",
            "status",
            "follow_up_note",
            "themes",
            "url",
            "api_url",
        ]

    @classmethod
    def get_queryset(cls):
        return selectors.recommendation_list_queryset()


class DocumentSerializer(LinkedSerializer):
    api_name = "documents"
    api_lookup = "pk"
    url = None
    meeting = SlugField(source="workshop", allow_null=True)
    author = SlugField(allow_null=True)

    class Meta:
        model = Document
        fields = ["id", "meeting", "title", "author", "year", "link", "kind", "description", "api_url"]

    @classmethod
    def get_queryset(cls):
        return Document.objects.select_related("workshop", "author").order_by("-year", "title", "pk")
