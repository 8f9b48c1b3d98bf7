"""The API's viewsets: one read-only collection per public table, the pages' filters and orderings.

Every list runs a fixed number of queries whatever the data size (the serializers' ``get_queryset``
prefetch what the records show); names are in the language asked for (``Accept-Language`` or
``?lang=``), sorted as the pages sort them; every answer carries an ``ETag`` and ``Last-Modified``
from the content version (a client that has them gets ``304 Not Modified``, see ``conditional.py``).

The process detail also answers ``?as_of=YYYY-MM-DD``: the record as it stood at the end of that day,
rebuilt from the history (``rcpdb.site.selectors.process_as_of``, as the profile page's ``?as_of=``), in the
same shape as the current detail, with its own ``ETag`` (the address is part of it) and a
``Cache-Control`` saying how long it stays true (a day that is over no longer changes).
"""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.response import Response

from processes import filters as process_filters
from processes import serializers as ps
from processes.models import Process
from rcpdb.core import history
from rcpdb.core.dated import BAD_DATE_MESSAGES
from rcpdb.core.filtering import BadRequestInput, clean_querystring_values
from workshops import filters as workshop_filters
from workshops import serializers as ws

from .. import selectors as site_selectors
from . import conditional
from . import serializers as site_serializers

LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=[code for code, _name in settings.LANGUAGES],
    description="The language of names and texts (else the Accept-Language header, else English).",
)

AS_OF_PARAMETER = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description=(
        "The record as it stood at the end of this day (YYYY-MM-DD, from 2000-01-01 to today), rebuilt "
        "from its history; without it, the record as it is now. A bad date is a 400, a day before the "
        "record existed (or after it was deleted) a 404."
    ),
)
ERROR_RESPONSE = inline_serializer(
    "Error",
    {
        "error": serializers.CharField(),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)
# A dated version of a day that is over no longer changes: caches may keep it for a day.
PAST_VERSION_CACHE_SECONDS = 24 * 60 * 60


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


class DatedProcessViewSet(OpenDataViewSet):
    """The processes: the detail also as it stood on a date (``?as_of=``, module docstring)."""

    page_cache_params = (*OpenDataViewSet.page_cache_params, "as_of")

    def retrieve(self, request, *args, **kwargs):
        raw = request.query_params.get("as_of")
        if raw is None:
            return super().retrieve(request, *args, **kwargs)
        try:
            day = history.parse_as_of(raw)
            if day is None:  # "?as_of=" with no date
                raise history.BadDate("not-a-date")
        except history.BadDate as error:
            raise ParseError(BAD_DATE_MESSAGES[str(error)]()) from None
        key = self.kwargs[self.lookup_url_kwarg]
        version = site_selectors.process_as_of(key, day)
        if version is None:
            if not history.ever_recorded(Process, slug=key):
                raise NotFound()
            raise NotFound(_("This record did not exist yet on that date."))
        if version.deleted:
            raise NotFound(_("This record had been deleted by that date."))
        context = {**self.get_serializer_context(), "sections": version.context["sections"], "as_of": day}
        response = Response(self.get_serializer_class()(version.record, context=context).data)
        if day < timezone.localdate():
            patch_cache_control(response, public=True, max_age=PAST_VERSION_CACHE_SECONDS)
        else:  # today's version changes with every edit made today
            patch_cache_control(response, public=True, max_age=0)
        return response


def collection(
    serializer_class,
    *,
    filterset_class=None,
    lookup="slug",
    detail_serializer_class=None,
    title="",
    base=OpenDataViewSet,
    detail_parameters=(),
    detail_responses=None,
):
    """A viewset class for one collection (its schema documented with its filters and ``lang``, the
    detail with ``detail_parameters`` and ``detail_responses`` besides)."""
    attrs = {
        "serializer_class": serializer_class,
        "detail_serializer_class": detail_serializer_class,
        "filterset_class": filterset_class,
        "lookup": lookup,
        "__doc__": title,
    }
    viewset = type(f"{serializer_class.__name__.removesuffix('Serializer')}ViewSet", (base,), attrs)
    return extend_schema_view(
        list=extend_schema(summary=f"{title}, filtered and paginated", parameters=[LANGUAGE_PARAMETER]),
        retrieve=extend_schema(
            summary=f"One record of {title.lower()}, by {lookup}",
            parameters=[
                LANGUAGE_PARAMETER,
                OpenApiParameter(
                    "key", OpenApiTypes.STR, OpenApiParameter.PATH, description=f"The {lookup}."
                ),
                *detail_parameters,
            ],
            responses=detail_responses,
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
            base=DatedProcessViewSet,
            detail_parameters=[AS_OF_PARAMETER],
            detail_responses={
                200: site_serializers.ProcessDetailSerializer,
                400: OpenApiResponse(ERROR_RESPONSE, description="A bad parameter (e.g. as_of)."),
                404: OpenApiResponse(
                    ERROR_RESPONSE, description="No such process (on that date, with as_of)."
                ),
            },
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
