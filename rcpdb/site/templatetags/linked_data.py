"""``{% linked_data kind obj ... %}``: the page's schema.org JSON-LD (rcpdb/site/linked_data.py) as a
``<script type="application/ld+json">`` data block (not run by the browser, so the CSP allows it)."""

import json

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from rcpdb.site import linked_data

register = template.Library()

BUILDERS = {
    "process": linked_data.process_data,
    "state": linked_data.state_data,
    "organization": linked_data.organization_data,
    "meeting": linked_data.meeting_data,
}


@register.simple_tag(takes_context=True)
def linked_data_script(context, kind, *args):
    data = BUILDERS[kind](context.get("request"), *args)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def linked_data_for(context, kind, record, extra=None):
    """``linked_data_script`` for templates/site/_linked_data.html, the part a data app's page includes
    (``page_parts.linked_data``): ``extra`` is the builder's second argument where the page gives one
    (an unset variable reads as "")."""
    if extra is None or (isinstance(extra, str) and extra == ""):
        return linked_data_script(context, kind, record)
    return linked_data_script(context, kind, record, extra)
