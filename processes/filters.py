"""Filters of the public registry pages.

Every value a visitor can type is validated by a form field that refuses it with a message (a 400
page, see rcpdb/core/filtering.py): choices by slug or code (never by database id, so a 40-digit number
is just an unknown choice), years within the plausible range, no free "yes/no" guessing.
"""

from collections import defaultdict

import django_filters
from django import forms
from django.db.models import Count, F, Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rcpdb.core.cache import cached_per_version
from rcpdb.core.filtering import TextFilter
from rcpdb.core.forms import FacetQuery, Select, aggregate_facet, grouped_counts
from rcpdb.core.localized import localized, sort_key

from . import enums
from .models import (
    FIRST_YEAR,
    LAST_YEAR_IN_DATABASE,
    Membership,
    Organization,
    Process,
    Region,
    State,
    Theme,
)

MAX_TEXT_LENGTH = 200


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR_IN_DATABASE)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class CountFilter(django_filters.NumberFilter):
    """A whole number: "NaN", "1.5" and 40-digit numbers are refused with a message."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 1000)
        super().__init__(*args, **kwargs)


class RegionTreeIterator(ModelChoiceIterator):
    """Regions in tree order, each labelled with its path: "Africa › Southern Africa"."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        regions = list(self.queryset)
        by_id = {region.pk: region for region in regions}
        for region in regions:
            path, current, seen = [], region, set()
            while current is not None and current.pk not in seen:
                seen.add(current.pk)
                path.insert(0, current.name)
                current = by_id.get(current.parent_id)
            region.path_label = " › ".join(path)
        for region in sorted(regions, key=lambda region: sort_key(region.path_label)):
            yield self.choice(region)


class RegionChoiceField(forms.ModelChoiceField):
    iterator = RegionTreeIterator

    def label_from_instance(self, obj):
        return getattr(obj, "path_label", obj.name)


class NameSortedStateIterator(ModelChoiceIterator):
    """(code, name) pairs sorted by name: country names are translated in Python, so the database
    cannot sort states by name.

    One query for the codes, then one name look-up per code in the current language: no model
    instance and no ``Country`` object per option (the registry has ~250 states and a page two such
    selects).
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        known = countries.countries
        pairs = [
            (code, countries.translate_pair(code)[1] if code in known else "")
            for code in self.queryset.order_by().values_list("code", flat=True)
        ]
        yield from sorted(pairs, key=lambda pair: sort_key(pair[1]))


class StateChoiceField(forms.ModelChoiceField):
    """A state by its ISO code, in either case: ``MX`` or ``mx``."""

    iterator = NameSortedStateIterator
    widget = Select

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)

    def label_from_instance(self, obj):
        return str(obj.name)  # the iterator labels the options; this serves any other use


class RegionFilter(django_filters.ModelChoiceFilter):
    field_class = RegionChoiceField


class StateFilter(django_filters.ModelChoiceFilter):
    field_class = StateChoiceField


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting with unknown values last on every database, and a fixed tie-break."""

    def __init__(self, *args, tie_break=("pk",), **kwargs):
        self.tie_break = tie_break
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        name = self.param_map.get(param.lstrip("-"), param.lstrip("-"))
        return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self._localized(qs.model, self.get_ordering_value(param)) for param in value if param]
        return qs.order_by(*ordering, *self.tie_break)

    @staticmethod
    def _localized(model, ordering):
        """A translated name sorts as shown: in the visitor's language, English where it is missing."""
        expression = ordering.expression
        if isinstance(expression, F):
            expression = localized(model, expression.name)
        return expression.desc(nulls_last=True) if ordering.descending else expression.asc(nulls_last=True)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def region_counts(model, results, region_path):
    """{region slug: results in it or in any of its sub-regions}, as a ``FacetQuery``: the (region,
    result) pairs, counted up the region tree (read once per content version); a result in two
    sub-regions of a region counts once for it."""
    pairs = (
        model._default_manager.filter(pk__in=results.order_by().values("pk"))
        .order_by()
        .values_list(region_path, "pk")
        .distinct()
    )

    def finish(rows):
        parents = region_parents()
        within = defaultdict(set)
        for slug, pk in rows:
            seen = set()
            while slug is not None and slug not in seen:
                seen.add(slug)
                within[slug].add(pk)
                slug = parents.get(slug)
        return {slug: len(pks) for slug, pks in within.items()}

    return FacetQuery(pairs, option=region_path, number="pk", finish=finish)


def region_parents():
    """{region slug: its parent's slug}, once per content version."""
    return cached_per_version(
        "regions:parents",
        lambda: dict(Region.objects.order_by().values_list("slug", "parent__slug")),
        per_language=False,
    )


def region_ids(filterset, region):
    """The ids of ``region`` and its sub-regions, looked up once per FilterSet (the facet counts
    apply the region filter once per facet)."""
    found = filterset.__dict__.setdefault("_region_ids", {})
    if region.pk not in found:
        found[region.pk] = Region.objects.descendant_ids(region)
    return found[region.pk]


def role_counts(results, role):
    """{state code: results in which the state currently has ``role``}, as a ``FacetQuery``."""
    return FacetQuery(
        Membership.objects.filter(process__in=results.order_by().values("pk"), role=role, until__isnull=True)
        .order_by()
        .values_list("state__code")
        .annotate(n=Count("process", distinct=True)),
        option="state__code",
    )


class ProcessFilter(django_filters.FilterSet):
    q = TextFilter(max_length=MAX_TEXT_LENGTH)
    region = RegionFilter(
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_region",
        label=_("Region (with its sub-regions)"),
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(), to_field_name="slug", method="filter_theme", label=_("Theme")
    )
    kind = django_filters.ChoiceFilter(choices=enums.ProcessKind.choices, label=_("Kind"))
    member = StateFilter(queryset=State.objects.all(), method="filter_member", label=_("Member state"))
    observer = StateFilter(queryset=State.objects.all(), method="filter_observer", label=_("Observer state"))
    meeting_level = django_filters.ChoiceFilter(
        choices=enums.MeetingLevel.choices, method="filter_meeting_level", label=_("Meets at level")
    )
    secretariat = django_filters.ChoiceFilter(
        field_name="secretariat__arrangement",
        choices=enums.SecretariatArrangement.choices,
        label=_("Secretariat"),
    )
    civil_society = django_filters.ChoiceFilter(
        field_name="civil_society_involvement",
        choices=enums.Involvement.choices,
        label=_("Civil-society involvement"),
    )
    evaluated = django_filters.ChoiceFilter(choices=YES_NO, method="filter_evaluated", label=_("Evaluated"))
    established_from = YearFilter(
        field_name="established_year", lookup_expr="gte", label=_("Established from (year)")
    )
    established_to = YearFilter(
        field_name="established_year", lookup_expr="lte", label=_("Established until (year)")
    )
    status = django_filters.ChoiceFilter(choices=enums.ProcessStatus.choices, label=_("Status"))
    ordering = StableOrderingFilter(
        fields=(("short_name", "name"), ("established_year", "established")),
        field_labels={
            "short_name": _("Name"),
            "established_year": _("Year established"),
        },
        tie_break=("short_name", "pk"),
        label=_("Sort by"),
    )

    class Meta:
        model = Process
        fields = []

    def filter_region(self, queryset, name, value):
        return queryset.filter(regions__in=region_ids(self, value)).distinct()  # as in_region()

    def filter_theme(self, queryset, name, value):
        return queryset.with_theme(value)

    def filter_member(self, queryset, name, value):
        return queryset.with_member(value)

    def filter_observer(self, queryset, name, value):
        return queryset.with_observer(value)

    def filter_meeting_level(self, queryset, name, value):
        return queryset.with_meeting_level(value)

    def filter_evaluated(self, queryset, name, value):
        return queryset.evaluated(value == "yes")

    # Facet counts of the method filters (rcpdb/core/forms.py facet_counts): one query each but the
    # region's two.
    def facet_region(self, results):
        return region_counts(Process, results, "regions__slug")

    def facet_theme(self, results):
        return grouped_counts(Process, results, "themes__slug")

    def facet_member(self, results):
        return role_counts(results, enums.MembershipRole.MEMBER)

    def facet_observer(self, results):
        return role_counts(results, enums.MembershipRole.OBSERVER)

    def facet_meeting_level(self, results):
        base = Process.objects.filter(pk__in=results.order_by().values("pk")).order_by()
        return aggregate_facet(
            base,
            {
                level.value: Count("pk", filter=Q(**{f"meets_{level.value}": True}))
                for level in enums.MeetingLevel
            },
        )

    def facet_evaluated(self, results):
        base = Process.objects.filter(pk__in=results.order_by().values("pk")).order_by()

        def finish(rows):
            totals = dict(rows)
            return {"yes": totals["yes"], "no": totals["all"] - totals["yes"]}

        return aggregate_facet(
            base,
            {
                "all": Count("pk", distinct=True),
                "yes": Count("pk", filter=Q(evaluations__isnull=False), distinct=True),
            },
            finish,
        )


STATE_ORDERING = [("processes", _("Most processes first"))]


class StateListFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_name",
        max_length=MAX_TEXT_LENGTH,
        label=_("Country name"),
        help_text=_("In English, French or Spanish, or another common name (e.g. Ivory Coast, UAE)."),
    )
    region = RegionFilter(
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_region",
        label=_("Region (with its sub-regions)"),
    )
    min_processes = CountFilter(
        field_name="process_count",
        lookup_expr="gte",
        label=_("Takes part in at least (processes)"),
    )
    max_processes = CountFilter(
        field_name="process_count",
        lookup_expr="lte",
        label=_("Takes part in at most (processes)"),
    )
    ordering = django_filters.ChoiceFilter(
        choices=STATE_ORDERING,
        method="keep",
        label=_("Sort by"),
        empty_label=_("Name"),
    )

    class Meta:
        model = State
        fields = []

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__in=region_ids(self, value))

    def filter_name(self, queryset, name, value):
        """States found by name as the site search finds them (``StateQuerySet.search``)."""
        if not value.strip():
            return queryset
        return queryset.filter(pk__in=State.objects.search(value).values("pk"))

    def keep(self, queryset, name, value):
        """Sorting by a translated name happens in the view, after filtering."""
        return queryset

    def facet_region(self, results):
        return region_counts(State, results, "region__slug")


class OrganizationListFilter(django_filters.FilterSet):
    q = TextFilter(max_length=MAX_TEXT_LENGTH)
    kind = django_filters.ChoiceFilter(choices=enums.OrganizationKind.choices, label=_("Kind"))

    class Meta:
        model = Organization
        fields = []


class ThemeListFilter(django_filters.FilterSet):
    q = TextFilter(max_length=MAX_TEXT_LENGTH)

    class Meta:
        model = Theme
        fields = []


class ProcessFactFilter(django_filters.FilterSet):
    """The facts of one process (``?process=<slug>``): memberships, chair terms, funding... in the API."""

    process = django_filters.ModelChoiceFilter(
        queryset=Process.objects.all(), to_field_name="slug", label=_("Process")
    )

    class Meta:
        fields = []


def process_fact_filter(fact_model):
    """A ``ProcessFactFilter`` over ``fact_model`` (any model with a ``process`` foreign key)."""
    meta = type("Meta", (), {"model": fact_model, "fields": []})
    return type(f"{fact_model.__name__}Filter", (ProcessFactFilter,), {"Meta": meta})
