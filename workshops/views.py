"""Public pages of meetings, findings and recommendations."""

from django.views.generic import TemplateView

from rcpdb.core.dated import DatedPageMixin
from rcpdb.core.downloads import OpenDataDownloadMixin
from rcpdb.core.filtering import PublicFilterView
from rcpdb.core.forms import FilterFormMixin

from . import selectors, serializers
from .filters import FindingFilter, RecommendationFilter, WorkshopFilter


class WorkshopListView(FilterFormMixin, OpenDataDownloadMixin, PublicFilterView):
    # ?format=csv / ?format=json (rcpdb/core/downloads.py): the records as the API gives them
    download_serializer_class = serializers.MeetingSerializer
    filterset_class = WorkshopFilter
    template_name = "workshops/workshop_list.html"
    paginate_by = 20

    def get_queryset(self):
        return selectors.workshop_list_queryset()


class WorkshopDetailView(DatedPageMixin, TemplateView):
    """A meeting's page; with ``?as_of=YYYY-MM-DD`` the meeting as it stood on that date."""

    template_name = "workshops/workshop_detail.html"

    def get_version(self, day):
        return selectors.workshop_page_as_of(self.kwargs["slug"], day)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self, "version", None) is not None:
            return context
        page = selectors.workshop_page(slug=self.kwargs["slug"])
        context.update(page=page, workshop=page.workshop)
        return context


class FindingListView(FilterFormMixin, OpenDataDownloadMixin, PublicFilterView):
    # ?format=csv / ?format=json (rcpdb/core/downloads.py): the records as the API gives them
    download_serializer_class = serializers.FindingSerializer
    filterset_class = FindingFilter
    template_name = "workshops/finding_list.html"

    def get_queryset(self):
        return selectors.finding_list_queryset()


class RecommendationListView(FilterFormMixin, OpenDataDownloadMixin, PublicFilterView):
    # ?format=csv / ?format=json (rcpdb/core/downloads.py): the records as the API gives them
    download_serializer_class = serializers.RecommendationSerializer
    filterset_class = RecommendationFilter
    template_name = "workshops/recommendation_list.html"

    def get_queryset(self):
        return selectors.recommendation_list_queryset()
