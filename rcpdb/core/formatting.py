"""How the site writes periods and other small values, shared by models and templates."""

from django.utils.text import get_text_list
from django.utils.translation import gettext as _


def format_period(start, end):
    if start and end:
        return f"{start}–{end}"
    if start:
        return _("since %(year)s") % {"year": start}
    if end:
        return _("until %(year)s") % {"year": end}
    return _("dates unknown")


def join_names(names):
    """ "IOM", "IOM and UNHCR", "ICMPD, IOM and UNHCR", in the active language."""
    return get_text_list([str(name) for name in names], _("and"))
