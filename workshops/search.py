"""How the site search shows meetings, findings, recommendations and documents (what they are searched
in is each model's ``search_document_fields``)."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from processes.models import Organization
from rcpdb.core.localized import choice_label
from rcpdb.core.search import GroupSpec

from .models import Document, Finding, Recommendation, Workshop


def meetings():
    """The meetings of the shown findings, recommendations and documents (title, date and link).

    Fetched for the shown records only (``GroupSpec.related``): every match (thousands of findings at
    100x data) passes through the ranking, and a join there would carry the meeting's columns through
    all of them.
    """
    return Workshop.objects.defer("summary")


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
            meta=lambda w: f"{choice_label(w, 'kind')}, {date_format(w.start_date)}",
            list_url_name="workshops:workshop-list",
            more_label=_("See all matching meetings"),
        ),
        GroupSpec(
            key="findings",
            label=_("Findings"),
            queryset=Finding.objects.all(),
            related={"workshop": meetings()},
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
            queryset=Recommendation.objects.all(),
            related={"workshop": meetings()},
            weighted_fields=Recommendation.search_document_fields,
            name_fields=[],
            body_fields=["text", "follow_up_note"],
            title=lambda r: f"{choice_label(r, 'kind')} {r.position} ({choice_label(r, 'status')})",
            url=lambda r: r.get_absolute_url(),
            meta=_workshop_meta,
            list_url_name="workshops:recommendation-list",
            more_label=_("See all matching recommendations"),
        ),
        GroupSpec(
            key="documents",
            label=_("Documents"),
            queryset=Document.objects.all(),
            related={"workshop": meetings(), "author": Organization.objects.all()},
            weighted_fields=Document.search_document_fields,
            name_fields=["title"],
            body_fields=["description"],
            title=str,
            url=lambda d: d.link or (d.workshop.get_absolute_url() if d.workshop_id else ""),
            meta=lambda d: ", ".join(str(part) for part in (d.author, d.year) if part),
        ),
    ]
