"""Dated versions of the public record pages: ``?as_of=YYYY-MM-DD`` (generic: knows no app).

A view with ``DatedPageMixin`` shows its record as it stood on that date (``get_version``, from the
history), with the same template, a banner ("as it stood on …; see the current version"), ``noindex``
(meta tag and ``X-Robots-Tag``), and the links to the other record pages kept in that date. A bad date
is a 400 with a clear message; a record that did not exist yet on that date a 404. ``as_of`` is an
accepted parameter of the page cache (``page_cache_params``), so dated pages are cached like any page.
"""

import re

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .history import BadDate, parse_as_of

# Addresses of record pages (/<language>/<kind>/<key>/), possibly with a #fragment: kept in the date.
RECORD_LINK = re.compile(
    r'(?<!data-current )href="(/[a-z]{2}/(?:processes|states|organizations|workshops)/'
    r'(?!compare/|overlap/)[^/"?#]+/)(#[^"]*)?"'
)

BAD_DATE_MESSAGES = {
    "not-a-date": lambda: _("The date must be written YYYY-MM-DD, for example 2026-03-03."),
    "too-early": lambda: _("rcpdb has no record from before 2000."),
    "future": lambda: _("The date is in the future: rcpdb can only show how a record stood on a past day."),
}


def keep_date_in_links(html, day):
    """``html`` with every link to a record page given ``?as_of=`` ``day`` (fragments kept)."""
    stamp = day.isoformat()
    return RECORD_LINK.sub(lambda m: f'href="{m.group(1)}?as_of={stamp}{m.group(2) or ""}"', html)


class DatedPageMixin:
    """For a DetailView-like view: ``get_version(day)`` returns the dated ``Version`` (or None) and
    ``get_dated_context(version)`` the context the template needs besides ``object``."""

    page_cache_params = ("as_of",)
    bad_date_template_name = "site/400_as_of.html"

    def get(self, request, *args, **kwargs):
        raw = request.GET.get("as_of")
        try:
            day = parse_as_of(raw)
        except BadDate as error:
            return TemplateResponse(
                request,
                self.bad_date_template_name,
                {"message": BAD_DATE_MESSAGES[str(error)](), "value": raw[:40]},
                status=400,
            )
        self.as_of = day
        if day is None:
            return super().get(request, *args, **kwargs)
        version = self.get_version(day)
        if version is None:
            raise Http404(_("This record did not exist yet on that date."))
        self.version = version
        self.object = version.record
        context = self.get_context_data(object=version.record)
        context.update(self.get_dated_context(version))
        context.update(as_of=day, as_of_deleted=version.deleted, noindex=True)
        response = self.render_to_response(context)
        response["X-Robots-Tag"] = "noindex"
        response.add_post_render_callback(lambda r: _keep_date(r, day))
        return response

    def get_version(self, day):
        raise NotImplementedError

    def get_dated_context(self, version):
        return dict(version.context)


def _keep_date(response, day):
    response.content = keep_date_in_links(response.content.decode(response.charset), day).encode(
        response.charset
    )
