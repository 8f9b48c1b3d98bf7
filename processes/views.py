"""Public pages of the registry: thin views over the selectors' QuerySets."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from rcpdb.core.dated import DatedPageMixin
from rcpdb.core.downloads import OpenDataDownloadMixin
from rcpdb.core.filtering import PublicFilterView
from rcpdb.core.forms import FilterFormMixin

from . import as_of, enums, selectors, serializers
from .filters import OrganizationListFilter, ProcessFilter, StateListFilter, ThemeListFilter
from .models import State


class ProcessListView(FilterFormMixin, OpenDataDownloadMixin, PublicFilterView):
    # ?format=csv / ?format=json (rcpdb/core/downloads.py): the records as the API gives them
    download_serializer_class = serializers.ProcessSerializer
    filterset_class = ProcessFilter
    template_name = "processes/process_list.html"
    context_object_name = "processes"

    def get_queryset(self):
        return selectors.process_list_queryset()


class ProcessDetailView(DatedPageMixin, DetailView):
    """The profile; with ``?as_of=YYYY-MM-DD`` the profile as it stood on that date."""

    template_name = "processes/process_detail.html"
    context_object_name = "process"

    def get_queryset(self):
        return selectors.process_profile_queryset()

    def get_version(self, day):
        return as_of.process_as_of(self.kwargs["slug"], day)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self, "version", None) is None:
            context.update(self.get_sections(self.object))
        return context

    def get_sections(self, process):
        return selectors.profile_sections(process)


class StateListView(FilterFormMixin, OpenDataDownloadMixin, PublicFilterView):
    # ?format=csv / ?format=json (rcpdb/core/downloads.py): the records as the API gives them
    download_serializer_class = serializers.StateSerializer
    filterset_class = StateListFilter
    template_name = "processes/state_list.html"
    context_object_name = "states"
    paginate_by = 50

    def get_queryset(self):
        return selectors.state_list_queryset()

    def paginate_queryset(self, queryset, page_size):
        # Country names are translated in Python: sort the (small) filtered list here.
        chosen = getattr(self.filterset.form, "cleaned_data", {}).get("ordering")
        states = selectors.sorted_states(queryset, chosen)
        return super().paginate_queryset(states, page_size)


class StateDetailView(DatedPageMixin, DetailView):
    """A state's roles; with ``?as_of=YYYY-MM-DD`` as they stood on that date."""

    template_name = "processes/state_detail.html"
    context_object_name = "state"

    def get_version(self, day):
        return as_of.state_as_of(self._code(), day)

    def _code(self):
        code = self.kwargs["code"]
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise Http404(_("There is no state with this code."))
        return code.upper()

    def get_object(self, queryset=None):
        try:
            return State.objects.select_related("region").get(code=self._code())
        except State.DoesNotExist:
            raise Http404(_("There is no state with this code.")) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self, "version", None) is not None:
            return context
        memberships = selectors.state_memberships(self.object)
        context["memberships"] = memberships
        context["member_of"] = [m for m in memberships if m.role == enums.MembershipRole.MEMBER]
        context["observer_of"] = [m for m in memberships if m.role == enums.MembershipRole.OBSERVER]
        context["chair_terms"] = selectors.state_chair_terms(self.object)
        return context


class OrganizationListView(FilterFormMixin, OpenDataDownloadMixin, PublicFilterView):
    # ?format=csv / ?format=json (rcpdb/core/downloads.py): the records as the API gives them
    download_serializer_class = serializers.OrganizationSerializer
    filterset_class = OrganizationListFilter
    template_name = "processes/organization_list.html"
    context_object_name = "organizations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.organization_list_queryset()


class OrganizationDetailView(DatedPageMixin, DetailView):
    """An organisation's roles; with ``?as_of=YYYY-MM-DD`` as they stood on that date."""

    template_name = "processes/organization_detail.html"
    context_object_name = "organization"

    def get_version(self, day):
        return as_of.organization_as_of(self.kwargs["slug"], day)

    def get_queryset(self):
        return selectors.organization_profile_queryset()


class ThemeListView(FilterFormMixin, OpenDataDownloadMixin, PublicFilterView):
    # ?format=csv / ?format=json (rcpdb/core/downloads.py): the records as the API gives them
    download_serializer_class = serializers.ThemeSerializer
    filterset_class = ThemeListFilter
    template_name = "processes/theme_list.html"
    context_object_name = "themes"
    paginate_by = 50

    def get_queryset(self):
        return selectors.theme_list_queryset()


class ThemeDetailView(DetailView):
    template_name = "processes/theme_detail.html"
    context_object_name = "theme"

    def get_queryset(self):
        return selectors.theme_profile_queryset()


def _by_process_count(state):
    """Most processes first; a number not recorded (None) after every recorded one."""
    return -1 if state.process_count is None else state.process_count
