"""Public pages of the registry (processes, states, organisations, themes)."""

from django.urls import path

from . import views
from .analysis_urls import urlpatterns as analysis_urlpatterns

app_name = "processes"

urlpatterns = [
    # Before processes/<slug>/, which would otherwise read "compare" and "overlap" as slugs.
    *analysis_urlpatterns,
    path("processes/", views.ProcessListView.as_view(), name="process-list"),
    path("processes/<slug:slug>/", views.ProcessDetailView.as_view(), name="process-detail"),
    path("states/", views.StateListView.as_view(), name="state-list"),
    path("states/<str:code>/", views.StateDetailView.as_view(), name="state-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path("themes/", views.ThemeListView.as_view(), name="theme-list"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme-detail"),
]
