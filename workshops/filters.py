"""Filters of the meetings, findings and recommendations lists.

Every value is validated by its form field (an unknown slug, a number out of range or an unknown
ordering is a form error, so the page answers 400): nothing reaches the database unchecked.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from processes.models import FIRST_YEAR, LAST_YEAR_IN_DATABASE, Process, Theme
from rcpdb.core.filtering import TextFilter

from . import enums
from .models import Finding, Recommendation, Session, Workshop

# Paragraph and position numbers are small integers (PositiveSmallIntegerField).
LARGEST_NUMBER = 32767


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class IntegerInFilter(django_filters.BaseInFilter, IntegerFilter):
    """Comma-separated whole numbers: ``?number=3,4,7``."""


class SessionChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.workshop.title} — {obj}"


class SessionFilter(django_filters.ModelChoiceFilter):
    field_class = SessionChoiceField


def labelled_date_range_widget():
    """Two date inputs, each with a name of its own for screen readers (the label names the pair)."""
    widget = django_filters.widgets.DateRangeWidget(attrs={"type": "date"})
    widget.widgets[0].attrs["aria-label"] = _("From")
    widget.widgets[1].attrs["aria-label"] = _("To")
    return widget


class WorkshopFilter(django_filters.FilterSet):
    q = TextFilter(help_text=_("Words in the title, summary or city."))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=enums.WorkshopKind.choices)
    date = django_filters.DateFromToRangeFilter(
        label=_("Held between"),
        field_name="start_date",
        widget=labelled_date_range_widget(),
        help_text=_("From and to dates, e.g. 2005-01-01 and 2005-12-31."),
    )
    year = IntegerFilter(
        label=_("Year"),
        field_name="start_date",
        lookup_expr="year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR_IN_DATABASE,
    )
    process = django_filters.ModelChoiceFilter(
        label=_("Process represented"),
        field_name="processes",
        queryset=Process.objects.all(),
        to_field_name="slug",
        distinct=True,
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("start_date", "date"), ("title", "title")),
        field_labels={"start_date": _("Date"), "title": _("Title")},
    )

    class Meta:
        model = Workshop
        fields = ["q", "kind", "year", "date", "process"]


class FindingFilter(django_filters.FilterSet):
    q = TextFilter(help_text=_("Words in the finding, e.g. secretariat."))
    meeting = django_filters.ModelChoiceFilter(
        label=_("Meeting"),
        field_name="workshop",
        queryset=Workshop.objects.all(),
        to_field_name="slug",
    )
    session = SessionFilter(label=_("Session"), queryset=Session.objects.select_related("workshop"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=enums.FindingKind.choices)
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"),
        field_name="themes__slug",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        distinct=True,
        help_text=_("Findings on any of the chosen themes."),
    )
    process = django_filters.ModelChoiceFilter(
        label=_("Process concerned"),
        field_name="processes",
        queryset=Process.objects.all(),
        to_field_name="slug",
        distinct=True,
    )
    number = IntegerInFilter(
        label=_("Paragraph numbers"),
        field_name="number",
        min_value=1,
        max_value=LARGEST_NUMBER,
        help_text=_("Comma-separated, e.g. 3,4,7."),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("number", "number"), ("workshop__start_date", "meeting")),
        field_labels={"number": _("Paragraph number"), "workshop__start_date": _("Meeting date")},
    )

    class Meta:
        model = Finding
        fields = ["q", "meeting", "session", "kind", "theme", "process", "number"]


class RecommendationFilter(django_filters.FilterSet):
    q = TextFilter(help_text=_("Words in the recommendation or its follow-up note."))
    status = django_filters.ChoiceFilter(label=_("Follow-up status"), choices=enums.FollowUpStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=enums.RecommendationKind.choices)
    addressed_to = django_filters.CharFilter(
        label=_("Addressed to"),
        lookup_expr="icontains",
        max_length=300,
        help_text=_("Part of the name, e.g. secretariat or States."),
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"),
        field_name="themes__slug",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        distinct=True,
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("Meeting"),
        field_name="workshop",
        queryset=Workshop.objects.all(),
        to_field_name="slug",
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("position", "position"), ("workshop__start_date", "meeting"), ("status", "status")),
        field_labels={
            "position": _("Position"),
            "workshop__start_date": _("Meeting date"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = Recommendation
        fields = ["q", "status", "kind", "addressed_to", "theme", "meeting"]
