"""How the site search shows meetings, findings, recommendations and documents (what they are searched
in is each model's ``search_document_fields``)."""

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from rcpdb.core.search import GroupSpec

from .models import Document, Finding, Recommendation, Workshop


def findings_with_meeting():
    """Findings with their meeting (title, date and link), fetched for the shown ones only.

    Every matching finding (thousands at 100x data) passes through the ranking: joining its meeting
    there would carry the meeting's columns through all of them, so it is prefetched for the ten shown.
    """
    return Finding.objects.prefetch_related(Prefetch("workshop", queryset=Workshop.objects.defer("summary")))


def _workshop_meta(record):
    return f"{record.workshop} ({record.workshop.start_date.year})"


def group_specs():
    return [
        GroupSpec(
            key="meetings",
            label=_("Meetings"),
            queryset=Workshop.objects.all(),
            weighted_fields=Workshop.search_document_fields,
            name_fields=["title"],
            body_fields=["summary"],
            title=str,
            url=lambda w: w.get_absolute_url(),
            meta=lambda w: f"{w.get_kind_display()}, {date_format(w.start_date)}",
            list_url_name="workshops:workshop-list",
            more_label=_("See all matching meetings"),
        ),
        GroupSpec(
            key="findings",
            label=_("Findings"),
            queryset=findings_with_meeting(),
            weighted_fields=Finding.search_document_fields,
            name_fields=[],
            body_fields=["text"],
            title=lambda f: _("Paragraph %(number)s") % {"number": f.number},
            url=lambda f: f.get_absolute_url(),
            meta=_workshop_meta,
            list_url_name="workshops:finding-list",
            more_label=_("See all matching findings"),
        ),
        GroupSpec(
            key="recommendations",
            label=_("Recommendations"),
            queryset=Recommendation.objects.select_related("workshop").defer("workshop__summary"),
            weighted_fields=Recommendation.search_document_fields,
            name_fields=[],
            body_fields=["text", "follow_up_note"],
            title=lambda r: f"{r.get_kind_display()} {r.position} ({r.get_status_display()})",
            url=lambda r: r.get_absolute_url(),
            meta=_workshop_meta,
            list_url_name="workshops:recommendation-list",
            more_label=_("See all matching recommendations"),
        ),
        GroupSpec(
            key="documents",
            label=_("Documents"),
            queryset=Document.objects.select_related("workshop", "author").defer("workshop__summary"),
            weighted_fields=Document.search_document_fields,
            name_fields=["title"],
            body_fields=["description"],
            title=str,
            url=lambda d: d.link or (d.workshop.get_absolute_url() if d.workshop_id else ""),
            meta=lambda d: ", ".join(str(part) for part in (d.author, d.year) if part),
        ),
    ]
