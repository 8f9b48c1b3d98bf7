"""How the site writes periods and other small values, shared by models and templates."""

from django.utils.translation import gettext as _


def format_period(start, end):
    if start and end:
        return f"{start}–{end}"
    if start:
        return _("since %(year)s") % {"year": start}
    if end:
        return _("until %(year)s") % {"year": end}
    return _("dates unknown")
