"""Public pages of the registry (processes, states, organisations, themes)."""

from django.urls import path  # noqa: F401

app_name = "processes"

urlpatterns: list = [
    # path("processes/", views.ProcessListView.as_view(), name="process-list"), ...
]
