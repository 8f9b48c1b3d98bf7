"""``sitemap.xml``: every public page, so search engines find each process, state and meeting.

Each page is listed once per language (``/en/``, ``/fr/``, ``/es/``) with ``hreflang`` alternates that
name the other two and ``x-default`` (the English page), as Django's sitemap framework writes them.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from processes.models import Organization, Process, State, Theme
from workshops.models import Workshop

LIST_PAGES = [
    "home",
    "processes:process-list",
    "processes:state-list",
    "processes:organization-list",
    "processes:theme-list",
    "workshops:workshop-list",
    "workshops:finding-list",
    "workshops:recommendation-list",
]


class MultilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class ListPageSitemap(MultilingualSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return LIST_PAGES

    def location(self, item):
        return reverse(item)


class RecordSitemap(MultilingualSitemap):
    """Detail pages of one model, in a stable order (``get_absolute_url`` gives the address)."""

    changefreq = "monthly"
    model = None
    order_by = "slug"

    def items(self):
        return self.model.objects.order_by(self.order_by)


class ProcessSitemap(RecordSitemap):
    model = Process
    priority = 0.9


class StateSitemap(RecordSitemap):
    model = State
    order_by = "code"


class OrganizationSitemap(RecordSitemap):
    model = Organization


class ThemeSitemap(RecordSitemap):
    model = Theme


class WorkshopSitemap(RecordSitemap):
    model = Workshop


sitemaps = {
    "pages": ListPageSitemap,
    "processes": ProcessSitemap,
    "states": StateSitemap,
    "organizations": OrganizationSitemap,
    "themes": ThemeSitemap,
    "meetings": WorkshopSitemap,
}
