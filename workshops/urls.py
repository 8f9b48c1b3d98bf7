"""Public pages of meetings, findings and recommendations."""

from django.urls import path  # noqa: F401

app_name = "workshops"

urlpatterns: list = [
    # path("workshops/", views.WorkshopListView.as_view(), name="workshop-list"), ...
]
