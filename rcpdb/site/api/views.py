"""The API's viewsets: one read-only collection per public table, the pages' filters and orderings.

Every list runs a fixed number of queries whatever the data size (the serializers' ``get_queryset``
prefetch what the records show); names are in the language asked for (``Accept-Language`` or
``?lang=``), sorted as the pages sort them; every answer carries an ``ETag`` and ``Last-Modified``
from the content version (a client that has them gets ``304 Not Modified``, see ``conditional.py``).
"""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ParseError

from processes import filters as process_filters
from processes import serializers as ps
from rcpdb.core.filtering import BadRequestInput, clean_querystring_values
from workshops import filters as workshop_filters
from workshops import serializers as ws

from . import conditional
from . import serializers as site_serializers

LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=[code for code, _name in settings.LANGUAGES],
    description="The language of names and texts (else the Accept-Language header, else English).",
)


class FilterBackend(DjangoFilterBackend):
    """django-filter's DRF backend, keeping the bound FilterSet on the view (its cleaned values
    choose orderings done in Python, as on the page)."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


def finalize(request, response):
    """Headers of every API answer: it varies with the language; the browsable (HTML) answer is
    ``private``, so that no cache (the page cache, which keys on no Accept header, or a shared one)
    ever hands it to a program; the JSON answer is stored and revalidated with its ETag."""
    patch_vary_headers(response, ["Accept-Language"])
    if "Vary" in response:  # DRF's "Vary: Accept": the page cache keys on no Accept header
        kept = [h.strip() for h in response["Vary"].split(",") if h.strip().lower() != "accept"]
        response["Vary"] = ", ".join(kept)
    if getattr(response, "accepted_media_type", "").startswith("text/html"):
        patch_cache_control(response, private=True)
    elif response.status_code == 200:
        conditional.set_version_headers(request._request, response)
    return response


class OpenDataViewSet(viewsets.ReadOnlyModelViewSet):
    """A public collection: list (filtered, paginated) and detail, by ``lookup`` ("slug", "code", "pk")."""

    filter_backends = [FilterBackend]
    lookup = "slug"
    lookup_url_kwarg = "key"
    lookup_value_regex = "[^/]+"
    detail_serializer_class = None
    filterset = None
    # What the page cache keys a list on, with its filters (rcpdb/core/cache.py).
    page_cache_params = ("page", "page_size", "lang", "format")

    def initial(self, request, *args, **kwargs):
        try:
            clean_querystring_values(request._request.GET)
        except TooManyFieldsSent:
            raise ParseError(_("The address has too many parameters.")) from None
        except BadRequestInput as error:
            raise ParseError(error.message) from None
        language = request._request.GET.get("lang")
        if language:
            if language not in dict(settings.LANGUAGES):
                raise ParseError(
                    _("lang must be one of: %(languages)s.")
                    % {"languages": ", ".join(code for code, _name in settings.LANGUAGES)}
                )
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def get_queryset(self):
        return self.get_serializer_class().get_queryset()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        cleaned = getattr(getattr(self.filterset, "form", None), "cleaned_data", {})
        return self.get_serializer_class().sort(queryset, cleaned)

    def get_object(self):
        key = self.kwargs[self.lookup_url_kwarg]
        if self.lookup == "pk":
            if not (key.isascii() and key.isdigit() and len(key) <= 18):
                raise NotFound()
            lookup = {"pk": int(key)}
        elif self.lookup == "code":
            if not (len(key) == 2 and key.isascii() and key.isalpha()):
                raise NotFound()
            lookup = {"code": key.upper()}
        else:
            lookup = {self.lookup: key}
        obj = self.get_queryset().filter(**lookup).first()
        if obj is None:
            raise NotFound()
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        return finalize(request, super().finalize_response(request, response, *args, **kwargs))


def collection(
    serializer_class, *, filterset_class=None, lookup="slug", detail_serializer_class=None, title=""
):
    """A viewset class for one collection (its schema documented with its filters and ``lang``)."""
    attrs = {
        "serializer_class": serializer_class,
        "detail_serializer_class": detail_serializer_class,
        "filterset_class": filterset_class,
        "lookup": lookup,
        "__doc__": title,
    }
    viewset = type(
        f"{serializer_class.__name__.removesuffix('Serializer')}ViewSet", (OpenDataViewSet,), attrs
    )
    return extend_schema_view(
        list=extend_schema(summary=f"{title}, filtered and paginated", parameters=[LANGUAGE_PARAMETER]),
        retrieve=extend_schema(
            summary=f"One record of {title.lower()}, by {lookup}",
            parameters=[
                LANGUAGE_PARAMETER,
                OpenApiParameter(
                    "key", OpenApiTypes.STR, OpenApiParameter.PATH, description=f"The {lookup}."
                ),
            ],
        ),
    )(viewset)


def _facts(serializer_class, title):
    return collection(
        serializer_class,
        filterset_class=process_filters.process_fact_filter(serializer_class.Meta.model),
        lookup="pk",
        title=title,
    )


# (the address in /api/, the viewset): the order of the API root and of the documentation.
COLLECTIONS = [
    (
        "processes",
        collection(
            ps.ProcessSerializer,
            detail_serializer_class=site_serializers.ProcessDetailSerializer,
            filterset_class=process_filters.ProcessFilter,
            title="Processes",
        ),
    ),
    (
        "states",
        collection(
            ps.StateSerializer, filterset_class=process_filters.StateListFilter, lookup="code", title="States"
        ),
    ),
    ("regions", collection(ps.RegionSerializer, title="Regions")),
    (
        "organizations",
        collection(
            ps.OrganizationSerializer,
            filterset_class=process_filters.OrganizationListFilter,
            title="Organisations",
        ),
    ),
    (
        "themes",
        collection(
            site_serializers.ThemeSerializer, filterset_class=process_filters.ThemeListFilter, title="Themes"
        ),
    ),
    ("sources", collection(ps.SourceSerializer, lookup="pk", title="Sources")),
    ("memberships", _facts(ps.MembershipSerializer, "Memberships")),
    ("organization-roles", _facts(ps.OrganizationRoleSerializer, "Organisation roles")),
    ("chair-terms", _facts(ps.ChairTermSerializer, "Chair terms")),
    ("secretariats", _facts(ps.SecretariatSerializer, "Secretariats")),
    ("funding", _facts(ps.FundingSerializer, "Funding")),
    ("evaluations", _facts(ps.EvaluationSerializer, "Evaluations")),
    ("outputs", _facts(ps.OutputSerializer, "Outputs")),
    ("achievements", _facts(ps.AchievementSerializer, "Achievements")),
    ("institution-links", _facts(ps.InstitutionLinkSerializer, "Institution links")),
    ("claims", _facts(ps.ClaimSerializer, "Claims")),
    (
        "meetings",
        collection(ws.MeetingSerializer, filterset_class=workshop_filters.WorkshopFilter, title="Meetings"),
    ),
    ("sessions", collection(ws.SessionSerializer, lookup="pk", title="Sessions")),
    ("people", collection(ws.PersonSerializer, title="People")),
    ("participation", collection(ws.ParticipationSerializer, lookup="pk", title="Participation")),
    (
        "findings",
        collection(
            ws.FindingSerializer,
            filterset_class=workshop_filters.FindingFilter,
            lookup="pk",
            title="Findings",
        ),
    ),
    (
        "recommendations",
        collection(
            ws.RecommendationSerializer,
            filterset_class=workshop_filters.RecommendationFilter,
            lookup="pk",
            title="Recommendations",
        ),
    ),
    ("documents", collection(ws.DocumentSerializer, lookup="pk", title="Documents")),
]
