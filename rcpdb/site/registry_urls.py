"""The registry's pages (namespace ``processes``): ``processes``' own URLs, with the profile and the
theme pages served by the site layer's compositions (``profiles.py``), which add the meetings."""

from django.urls import path

from processes import urls as process_urls

from . import profiles

app_name = "processes"

COMPOSED = {
    "process-detail": profiles.ProcessProfileView.as_view(),
    "theme-list": profiles.ThemeListView.as_view(),
    "theme-detail": profiles.ThemeDetailView.as_view(),
}

urlpatterns = [
    # The addresses, names and order of processes/urls.py (compare and overlap before processes/<slug>/),
    # each composed page in place of processes' own.
    path(str(pattern.pattern), COMPOSED[pattern.name], name=pattern.name)
    if pattern.name in COMPOSED
    else pattern
    for pattern in process_urls.urlpatterns
]
