"""The registry's pages that show what the meetings add: composed here, in the site layer, so that
``processes`` knows nothing of ``workshops``.

- the process profile: ``processes``' profile plus the meetings the process took part in and the
  meetings' findings that concern it (now, or as of a date with ``?as_of=``);
- the theme list and theme page: ``processes``' themes plus the meetings' findings and
  recommendations on each.

Each view is ``processes``' own view with its reads extended (``selectors.py``); the templates
extend ``processes``' templates through their ``related_*`` blocks. ``registry_urls.py`` serves
these views at the addresses of ``processes``' own.
"""

from processes import views as process_views

from . import selectors
from .api import serializers as site_serializers


class ProcessProfileView(process_views.ProcessDetailView):
    template_name = "site/process_detail.html"

    def get_queryset(self):
        return selectors.process_profile_queryset()

    def get_version(self, day):
        return selectors.process_as_of(self.kwargs["slug"], day)

    def get_sections(self, process):
        return selectors.profile_sections(process)


class ThemeListView(process_views.ThemeListView):
    download_serializer_class = site_serializers.ThemeSerializer
    template_name = "site/theme_list.html"

    def get_queryset(self):
        return selectors.theme_list_queryset()


class ThemeDetailView(process_views.ThemeDetailView):
    template_name = "site/theme_detail.html"

    def get_queryset(self):
        return selectors.theme_profile_queryset()

    def get_object(self, queryset=None):
        return selectors.theme_items(super().get_object(queryset))
