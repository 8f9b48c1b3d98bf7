"""Template tags of the site layer: the citation and the feeds of the page being rendered.

They read the record from the page's context (``object``, or ``workshop`` on a meeting page) and the
date of a dated version (``as_of``), so that page templates need only include ``site/_cite.html`` and
``base.html`` only ``site/_head.html``.
"""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rcpdb.site import citations

register = template.Library()


def _record(context):
    record = context.get("object") or context.get("workshop")
    if record is None or not hasattr(record, "_meta") or citations.kind_of(record) is None:
        return None
    return record


@register.simple_tag(takes_context=True)
def page_citation(context):
    """The ``Citation`` of the page's record (None on other pages)."""
    record, request = _record(context), context.get("request")
    if record is None or request is None:
        return None
    today = timezone.localdate()
    return citations.citation_for(
        record,
        address=request.build_absolute_uri(record.get_absolute_url()),
        version=context.get("as_of") or today,
        accessed=today,
    )


@register.simple_tag
def citation_download_url(citation, name):
    return (
        reverse("site:cite-download", kwargs={"kind": citation.kind, "key": citation.key, "fmt": name})
        + f"?as_of={citation.version.isoformat()}"
    )


@register.simple_tag(takes_context=True)
def page_feeds(context):
    """[(title, address)] of the Atom feeds the page advertises: the site's, and the record's own
    (a process, state or theme)."""
    feeds = [(_("Recent changes in rcpdb"), reverse("site:feed"))]
    record = context.get("object")
    label = record._meta.label_lower if record is not None and hasattr(record, "_meta") else None
    if label == "processes.process":
        feeds.append(
            (
                _("Changes to %(name)s") % {"name": record.short_name},
                reverse("site:feed-process", args=[record.slug]),
            )
        )
    elif label == "processes.state":
        feeds.append(
            (
                _("Changes to %(name)s") % {"name": record.name},
                reverse("site:feed-state", args=[str(record.code)]),
            )
        )
    elif label == "processes.theme":
        feeds.append(
            (_("Changes to %(name)s") % {"name": record.name}, reverse("site:feed-theme", args=[record.slug]))
        )
    return feeds
