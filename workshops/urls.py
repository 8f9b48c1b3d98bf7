"""Public pages of meetings, findings and recommendations."""

from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("workshops/", views.WorkshopListView.as_view(), name="workshop-list"),
    path("workshops/<slug:slug>/", views.WorkshopDetailView.as_view(), name="workshop-detail"),
    path("findings/", views.FindingListView.as_view(), name="finding-list"),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation-list"),
]
