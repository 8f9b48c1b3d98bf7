"""Template tags the site layout needs.

``{% capture name %}...{% endcapture %}`` renders its content once and keeps it in a variable, so
``base.html`` can show the ``title`` and ``description`` blocks both in the page and in its
OpenGraph tags (a Django block can only be rendered once).
"""

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from rcpdb.core.formatting import format_period
from rcpdb.core.localized import shows_fallback

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, varname):
        self.nodelist = nodelist
        self.varname = varname

    def render(self, context):
        # The content is rendered with autoescaping, so it stays safe once collapsed to one line.
        output = " ".join(self.nodelist.render(context).split())
        context[self.varname] = mark_safe(output)  # noqa: S308 - rendered (escaped) template output
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("Usage: {% capture name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.filter
def short_org(organization):
    """An organisation named inside parentheses: its acronym (the full name as the ``abbr`` title),
    else its name, so that a name never repeats its own acronym ("IOM (… (IOM))")."""
    if organization is None:
        return ""
    acronym, name = getattr(organization, "acronym", ""), getattr(organization, "name", str(organization))
    if acronym and acronym != name:
        return format_html('<abbr title="{}">{}</abbr>', name, acronym)
    return name


@register.filter
def plain_text(value):
    """Text without tags and with whitespace collapsed, for meta tags."""
    return " ".join(strip_tags(str(value)).split())


@register.simple_tag
def page_range(page_obj, on_each_side=2, on_ends=1):
    """The page numbers to link around the current page, with ``…`` where some are left out."""
    return page_obj.paginator.get_elided_page_range(
        page_obj.number, on_each_side=on_each_side, on_ends=on_ends
    )


@register.filter
def period(start, end):
    """``{{ since|period:until }}`` → "1996–2004", "2004", "since 1996", "until 2004" or "dates unknown"."""
    if start and start == end:
        return str(start)
    return format_period(start or None, end or None)


def _path_in_language(request, language):
    """The visitor's address (path and query string) in ``language``: same page, same filters."""
    from django.conf import settings
    from django.urls import translate_url

    full_path = request.get_full_path()
    translated = translate_url(full_path, language)
    if translated != full_path or language == get_language():
        return translated
    # Addresses that do not resolve (a 404 page) keep their path: swap the language prefix only.
    prefixes = {code for code, _name in settings.LANGUAGES}
    parts = full_path.split("/", 2)
    if len(parts) > 2 and parts[1] in prefixes:
        return f"/{language}/{parts[2]}"
    return f"/{language}/"


@register.simple_tag(takes_context=True)
def language_links(context):
    """One entry per language: ``code``, ``name`` (in that language), ``url`` of this page in it, ``current``.

    Plain links, not the POST form of ``set_language``: every page stays cacheable and shareable, and the
    language of a page is the one its address says.
    """
    from django.conf import settings

    request = context.get("request")
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:  # each named in itself: English, Français, Español
        url = _path_in_language(request, code) if request is not None else f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.filter
def recorded(value):
    """A count, or a visible "not recorded" where it is unknown (``None``): unknown is never zero."""
    from django.utils.html import format_html
    from django.utils.translation import gettext

    if value is None:
        return format_html('<span class="not-recorded">{}</span>', gettext("not recorded"))
    return value


def _fallback_badge():
    from django.utils.html import format_html
    from django.utils.translation import gettext

    return format_html(
        ' <span class="badge text-bg-light border fallback-marker">{}</span>', gettext("(in English)")
    )


@register.filter
def translated(obj, field):
    """``{{ process|translated:"name" }}``: the field as shown; when it is the English fallback of a
    missing translation, wrapped in ``lang="en"`` and followed by a visible "(in English)" marker."""
    from django.utils.html import format_html

    value = getattr(obj, field, "") if obj is not None else ""
    if not shows_fallback(obj, field):
        return value
    return format_html('<span lang="en">{}</span>{}', value, _fallback_badge())


@register.filter
def translated_text(obj, field):
    """As ``translated`` for a long text, with its line breaks kept (``linebreaksbr``)."""
    from django.template.defaultfilters import linebreaksbr
    from django.utils.html import format_html

    value = getattr(obj, field, "") if obj is not None else ""
    text = linebreaksbr(value, autoescape=True)
    if not shows_fallback(obj, field):
        return text
    return format_html('<span lang="en">{}</span>{}', text, _fallback_badge())
