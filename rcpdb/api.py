"""Open data: the read-only JSON API, CSV/JSON downloads of every public list, and the full dump.

Written with plain Django views and ``JsonResponse``-style responses (rcpdb/core/exports.py), not Django REST
framework: the API is read-only, small and reuses the public pages' FilterSets and selectors, so the
same filters give the same records on a page, in its downloads and in the API.

Every collection is described once by a ``Collection``: its queryset (the selector of the public page
plus the prefetches its records need), its FilterSet, and how one record becomes a dict with stable
English keys. Records carry their database ``id``, their public page ``url`` and their ``api_url``.
Every response runs a fixed number of SQL queries whatever the number of rows.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_filters import filters as django_filters

from processes import selectors as process_selectors
from processes.enums import Completeness, ListSection
from processes.filters import OrganizationListFilter, ProcessFilter, StateListFilter, ThemeListFilter
from processes.models import Membership, Region, State, Theme
from rcpdb import open_data
from rcpdb.core.exports import json_response
from rcpdb.core.filtering import BadRequestInput
from rcpdb.open_data import Collection, form_errors, json_error, query_params, register
from workshops import selectors as workshop_selectors
from workshops.filters import FindingFilter, RecommendationFilter, WorkshopFilter

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def _names(items):
    return [item.name for item in items]


def _slugs(items):
    return [item.slug for item in items]


def _sorted_states(states, cleaned_data):
    """Country names are translated in Python: sort by name, or by number of processes when asked."""
    states = sorted(states, key=lambda state: str(state.name))
    if (cleaned_data or {}).get("ordering") == "processes":
        states.sort(
            key=lambda state: -1 if state.process_count is None else state.process_count, reverse=True
        )
    return states


# The completeness of each list of a process: "complete", "partial" or "not_recorded".
LIST_STATUS_FIELDS = tuple(f"{section.value}_list" for section in ListSection)


def _process_queryset():
    return (
        process_selectors.process_list_queryset()
        .with_list_statuses()
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
    )


def _process(process):
    return {
        "id": process.pk,
        "slug": process.slug,
        "name": process.name,
        "short_name": process.short_name,
        "acronym": process.acronym,
        "kind": process.kind,
        "status": process.status,
        "established_year": process.established_year,
        "regions": _names(process.regions.all()),
        "themes": _slugs(process.themes.all()),
        "member_count": process.member_count,  # None: the list is not recorded
        "observer_count": process.observer_count,
        "organization_count": process.organization_count,
        **{key: getattr(process, key) for key in LIST_STATUS_FIELDS},
        "website": process.website,
        "as_of": process.as_of,
    }


def _state(state):
    return {
        "id": state.pk,
        "code": str(state.code),
        "name": str(state.name),
        "region": state.region.name if state.region else None,
        "region_slug": state.region.slug if state.region else None,
        "process_count": state.process_count,
    }


def _organization(organization):
    return {
        "id": organization.pk,
        "slug": organization.slug,
        "name": organization.name,
        "acronym": organization.acronym,
        "kind": organization.kind,
        "website": organization.website,
        "process_count": organization.process_count,
    }


def _theme(theme):
    return {
        "id": theme.pk,
        "slug": theme.slug,
        "name": theme.name,
        "description": theme.description,
        "process_count": theme.process_count,
        "finding_count": theme.finding_count,
        "recommendation_count": theme.recommendation_count,
    }


def _meeting(workshop):
    return {
        "id": workshop.pk,
        "slug": workshop.slug,
        "title": workshop.title,
        "kind": workshop.kind,
        "start_date": workshop.start_date,
        "end_date": workshop.end_date,
        "city": workshop.city,
        "country": str(workshop.country) or None,
        "processes": _slugs(workshop.processes.all()),
        "finding_count": workshop.finding_count,
        "recommendation_count": workshop.recommendation_count,
        "report_url": workshop.report_url,
    }


def _finding(finding):
    return {
        "id": finding.pk,
        "meeting": finding.workshop.slug,
        "number": finding.number,
        "session": finding.session.title if finding.session else None,
        "kind": finding.kind,
        "text": finding.text,
        "themes": _slugs(finding.themes.all()),
        "processes": _slugs(finding.processes.all()),
    }


def _recommendation(recommendation):
    return {
        "id": recommendation.pk,
        "meeting": recommendation.workshop.slug,
        "position": recommendation.position,
        "paragraph": recommendation.paragraph,
        "kind": recommendation.kind,
        "number": recommendation.number,
        "label": recommendation.label,
        "text": recommendation.text,
        "addressed_to": recommendation.addressed_to,
        "status": recommendation.status,
        "follow_up_note": recommendation.follow_up_note,
        "themes": _slugs(recommendation.themes.all()),
    }


COLLECTIONS = {
    collection.name: register(collection)
    for collection in [
        Collection(
            name="processes",
            title="Processes",
            filterset_class=ProcessFilter,
            base_queryset=_process_queryset,
            serialize=_process,
            csv_columns=(
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
            ),
            lookup="slug",
            list_url_name="processes:process-list",
            example="?region=africa&ordering=established",
        ),
        Collection(
            name="states",
            title="States",
            filterset_class=StateListFilter,
            base_queryset=process_selectors.state_list_queryset,
            serialize=_state,
            csv_columns=("id", "code", "name", "region", "region_slug", "process_count", "url"),
            lookup="code",
            list_url_name="processes:state-list",
            example="?min_processes=2&ordering=processes",
            sort=_sorted_states,
        ),
        Collection(
            name="organizations",
            title="Organisations",
            filterset_class=OrganizationListFilter,
            base_queryset=process_selectors.organization_list_queryset,
            serialize=_organization,
            csv_columns=("id", "slug", "name", "acronym", "kind", "website", "process_count", "url"),
            lookup="slug",
            list_url_name="processes:organization-list",
            example="?kind=un_agency",
        ),
        Collection(
            name="themes",
            title="Themes",
            filterset_class=ThemeListFilter,
            base_queryset=process_selectors.theme_list_queryset,
            serialize=_theme,
            csv_columns=(
                "id",
                "slug",
                "name",
                "description",
                "process_count",
                "finding_count",
                "recommendation_count",
                "url",
            ),
            lookup="slug",
            list_url_name="processes:theme-list",
            example="?q=trafficking",
        ),
        Collection(
            name="meetings",
            title="Meetings",
            filterset_class=WorkshopFilter,
            base_queryset=workshop_selectors.workshop_list_queryset,
            serialize=_meeting,
            csv_columns=(
                "id",
                "slug",
                "title",
                "kind",
                "start_date",
                "end_date",
                "city",
                "country",
                "processes",
                "finding_count",
                "recommendation_count",
                "report_url",
                "url",
            ),
            lookup="slug",
            list_url_name="workshops:workshop-list",
            example="?year=2005",
        ),
        Collection(
            name="findings",
            title="Findings",
            filterset_class=FindingFilter,
            base_queryset=workshop_selectors.finding_list_queryset,
            serialize=_finding,
            csv_columns=("id", "meeting", "number", "session", "kind", "text", "themes", "processes", "url"),
            lookup="pk",
            list_url_name="workshops:finding-list",
            example="?kind=consensus&number=3,4,7",
        ),
        Collection(
            name="recommendations",
            title="Recommendations",
            filterset_class=RecommendationFilter,
            base_queryset=workshop_selectors.recommendation_list_queryset,
            serialize=_recommendation,
            csv_columns=(
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
            ),
            lookup="pk",
            list_url_name="workshops:recommendation-list",
            example="?status=open",
        ),
    ]
}


def _positive_int(params, name, *, default, maximum=None):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    # ASCII digits only ("١" and "²" are digits to str.isdigit), and short enough to be a real page.
    value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
    if value is None or value < 1 or (maximum is not None and value > maximum):
        if maximum is None:
            message = _("%(name)s must be a positive whole number.") % {"name": name}
        else:
            message = _("%(name)s must be a whole number from 1 to %(maximum)s.") % {
                "name": name,
                "maximum": maximum,
            }
        raise BadRequestInput(message)
    return value


def _filtered(collection, params):
    """The filterset of ``collection`` bound to ``params``, and a JSON 400 when a filter is invalid."""
    filterset = collection.filterset_class(params, queryset=collection.queryset())
    if not filterset.is_valid():
        return filterset, json_error(_("Some filters are not valid."), fields=form_errors(filterset.form))
    return filterset, None


# --- API views ------------------------------------------------------------------------------------


@require_safe
def collection_list(request, *, collection):
    try:
        params = query_params(request)
        page_size = _positive_int(params, "page_size", default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
        number = _positive_int(params, "page", default=1)
    except BadRequestInput as error:
        return json_error(error.message)
    filterset, error = _filtered(collection, params)
    if error:
        return error
    records = filterset.qs
    if collection.sort:
        records = collection.ordered(records, filterset.form.cleaned_data)
    paginator = Paginator(records, page_size)
    if number > paginator.num_pages and not (number == 1 and paginator.count == 0):
        return json_error(_("There is no page %(number)s of these results.") % {"number": number}, status=404)
    page = paginator.page(number)

    def page_link(target):
        query = params.copy()
        query["page"] = target
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return json_response(
        {
            "count": paginator.count,
            "page": number,
            "page_size": page_size,
            "num_pages": paginator.num_pages,
            "next": page_link(number + 1) if page.has_next() else None,
            "previous": page_link(number - 1) if page.has_previous() else None,
            "results": [collection.record(request, obj) for obj in page.object_list],
        }
    )


# The page cache keys a list on these and its collection's filters (rcpdb/core/cache.py).
collection_list.page_cache_params = ("page", "page_size")


@require_safe
def collection_detail(request, key, *, collection):
    try:
        query_params(request)
    except BadRequestInput as error:
        return json_error(error.message)
    queryset = collection.queryset()
    if collection.lookup == "pk":
        if not (key.isascii() and key.isdigit() and len(key) <= 18):
            return json_error(_("There is no such record."), status=404)
        lookup = {"pk": int(key)}
    elif collection.lookup == "code":
        if not (len(key) == 2 and key.isascii() and key.isalpha()):
            return json_error(_("There is no such record."), status=404)
        lookup = {"code": key.upper()}
    else:
        lookup = {collection.lookup: key}
    obj = queryset.filter(**lookup).first()
    if obj is None:
        return json_error(_("There is no such record."), status=404)
    return json_response(collection.record(request, obj))


def _memberships():
    return [
        {
            "process": membership.process.slug,
            "state": str(membership.state.code),
            "role": membership.role,
            "since": membership.since,
            "until": membership.until,
        }
        for membership in Membership.objects.select_related("process", "state").order_by(
            "process__slug", "state__code", "role", "pk"
        )
    ]


@require_safe
def dump(request):
    """Every public collection in one JSON download, unfiltered: a fixed number of queries."""
    data = {
        "generated": timezone.now(),
        "site": request.build_absolute_uri("/"),
        "regions": [
            {"id": region.pk, "slug": region.slug, "name": region.name, "parent": region.parent_id}
            for region in Region.objects.order_by("pk")
        ],
    }
    for collection in COLLECTIONS.values():
        records = collection.ordered(collection.queryset(), {})
        data[collection.name] = [collection.record(request, obj) for obj in records]
    data["memberships"] = _memberships()
    return json_response(data, filename="rcpdb-dump.json")


def describe_filter(name, filter_):
    """A filter as the API documents it: parameter names, what it takes, its label, its OpenAPI schema."""
    widget = filter_.extra.get("widget") or filter_.field_class.widget
    suffixes = getattr(widget, "suffixes", None)
    params = [f"{name}_{suffix}" for suffix in suffixes] if suffixes else [name]
    schema = {"type": "string"}
    if isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
        queryset = filter_.extra.get("queryset")
        to_field = filter_.extra.get("to_field_name") or (
            "code" if queryset is not None and queryset.model is State else "id"
        )
        accepts = _("a %(field)s") % {"field": to_field}
    elif isinstance(filter_, django_filters.ChoiceFilter | django_filters.OrderingFilter):
        choices = [str(value) for value, _label in filter_.extra.get("choices", [])]
        accepts = ", ".join(choices)
        schema["enum"] = choices
    elif isinstance(filter_, django_filters.BaseInFilter):
        accepts = _("whole numbers separated by commas")
    elif isinstance(filter_, django_filters.NumberFilter):
        accepts = _("a whole number")
        schema = {"type": "integer"}
    elif isinstance(filter_, django_filters.DateFromToRangeFilter):
        accepts = _("a date, YYYY-MM-DD")
        schema["format"] = "date"
    else:
        accepts = _("text")
    return {
        "params": params,
        "label": str(filter_.label or name),
        "help_text": str(filter_.extra.get("help_text", "")),
        "accepts": accepts,
        "schema": schema,
    }


def _filters_of(collection):
    return [
        describe_filter(name, filter_) for name, filter_ in collection.filterset_class.base_filters.items()
    ]


@require_safe
def index(request):
    """The human-readable documentation of the API, its filters generated from the FilterSets."""
    endpoints = []
    for collection in COLLECTIONS.values():
        endpoints.append(
            {
                "collection": collection,
                "list_url": reverse(f"api:{collection.name}-list"),
                "page_url": reverse(collection.list_url_name),
                "detail_pattern": reverse(f"api:{collection.name}-detail", kwargs={"key": "KEY"}).replace(
                    "KEY", f"<{collection.lookup}>"
                ),
                "filters": _filters_of(collection),
            }
        )
    context = {
        "endpoints": endpoints,
        "default_page_size": DEFAULT_PAGE_SIZE,
        "max_page_size": MAX_PAGE_SIZE,
        "max_download_rows": open_data.MAX_DOWNLOAD_ROWS,
    }
    return render(request, "api/index.html", context)


INTEGER_FIELDS = {
    "id",
    "established_year",
    "member_count",
    "observer_count",
    "organization_count",
    "process_count",
    "finding_count",
    "recommendation_count",
    "number",
    "position",
    "paragraph",
}
LIST_FIELDS = {"regions", "themes", "processes"}
DATE_FIELDS = {"as_of", "start_date", "end_date"}


def _field_schema(name):
    if name in LIST_STATUS_FIELDS:
        return {"type": "string", "enum": [value for value, _label in Completeness.choices]}
    if name in INTEGER_FIELDS:
        return {"type": "integer", "nullable": True}
    if name in LIST_FIELDS:
        return {"type": "array", "items": {"type": "string"}}
    if name in DATE_FIELDS:
        return {"type": "string", "format": "date", "nullable": True}
    if name in {"url", "api_url"}:
        return {"type": "string", "format": "uri"}
    return {"type": "string", "nullable": True}


def _error_responses(*statuses):
    descriptions = {400: "Invalid input", 404: "No such record or page"}
    return {
        str(status): {
            "description": descriptions[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for status in statuses
    }


@require_safe
def openapi(request):
    """An OpenAPI 3 description of the API, generated from the collections and their FilterSets."""
    paging = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {
            "name": "page_size",
            "in": "query",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": DEFAULT_PAGE_SIZE,
            },
        },
    ]
    paths, schemas = (
        {},
        {
            "Error": {
                "type": "object",
                "properties": {
                    "error": {"type": "string"},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "required": ["error", "fields"],
            }
        },
    )
    for collection in COLLECTIONS.values():
        record = collection.name.capitalize()
        columns = [*collection.csv_columns, "api_url"]
        schemas[record] = {
            "type": "object",
            "properties": {column: _field_schema(column) for column in columns},
            "required": columns,
        }
        record_ref = {"$ref": f"#/components/schemas/{record}"}
        filters = [
            {
                "name": param,
                "in": "query",
                "description": " ".join(part for part in [item["label"], item["help_text"]] if part),
                "schema": item["schema"],
            }
            for item in _filters_of(collection)
            for param in item["params"]
        ]
        list_schema = {
            "type": "object",
            "properties": {
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "num_pages": {"type": "integer"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": {"type": "array", "items": record_ref},
            },
        }
        paths[reverse(f"api:{collection.name}-list")] = {
            "get": {
                "summary": f"{collection.title}, filtered and paginated",
                "operationId": f"list_{collection.name}",
                "parameters": filters + paging,
                "responses": {
                    "200": {
                        "description": "A page of records",
                        "content": {"application/json": {"schema": list_schema}},
                    },
                    **_error_responses(400, 404),
                },
            }
        }
        detail = reverse(f"api:{collection.name}-detail", kwargs={"key": "KEY"}).replace("KEY", "{key}")
        paths[detail] = {
            "get": {
                "summary": f"One of the {collection.title.lower()}, by {collection.lookup}",
                "operationId": f"get_{collection.name}",
                "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "The record",
                        "content": {"application/json": {"schema": record_ref}},
                    },
                    **_error_responses(400, 404),
                },
            }
        }
    paths[reverse("api:dump")] = {
        "get": {
            "summary": "Every public collection at once",
            "operationId": "dump",
            "responses": {"200": {"description": "All public data", "content": {"application/json": {}}}},
        }
    }
    schema = {
        "openapi": "3.0.3",
        "info": {
            "title": "rcpdb open data API",
            "version": "1",
            "description": "Read-only data on the Regional Consultative Processes on migration.",
        },
        "servers": [{"url": request.build_absolute_uri("/").rstrip("/")}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    return json_response(schema)


def _by_process_count(state):
    """Most processes first; a number not recorded (None) after every recorded one."""
    return -1 if state.process_count is None else state.process_count
