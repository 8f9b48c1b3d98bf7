"""Pages of the site layer (in each language: included from rcpdb/urls.py inside i18n_patterns)."""

from django.urls import path
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "site"

urlpatterns = [
    path("changes/", views.recent_changes_view, name="recent-changes"),
    path("changes/feed.atom", require_safe(feeds.ChangesFeed()), name="feed"),
    path("processes/<slug:slug>/changes.atom", require_safe(feeds.ProcessChangesFeed()), name="feed-process"),
    path("states/<str:code>/changes.atom", require_safe(feeds.StateChangesFeed()), name="feed-state"),
    path("themes/<slug:slug>/changes.atom", require_safe(feeds.ThemeChangesFeed()), name="feed-theme"),
    path("processes/<slug:slug>/correct/", views.suggest_correction, name="suggest-correction"),
    path("cite/<str:kind>/<str:key>/<str:fmt>", views.cite_download, name="cite-download"),
]
