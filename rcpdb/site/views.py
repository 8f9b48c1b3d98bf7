"""Site-wide views."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from processes.analysis_views import timeline_context
from processes.models import Process, State
from rcpdb.core.cache import cached_per_version
from workshops.models import Finding, Workshop

LATEST_MEETINGS = 5


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def home(request):
    """What rcpdb is, its headline figures, the timeline and the latest meetings (fixed queries).

    "States taking part" counts the states of the recorded member and observer lists; the processes
    whose lists are not recorded are named beside it, not counted as empty. The figures and the timeline
    are the same for every visitor: built once per content version and language (``cached_per_version``).
    """
    context = cached_per_version("home:figures", _home_figures)
    context.update(timeline_context(id_prefix="home-timeline", compact=True))
    return render(request, "home.html", context)


def _home_figures():
    processes = list(
        Process.objects.only("slug", "short_name").with_recorded_flags().order_by("short_name", "pk")
    )
    return {
        "process_count": len(processes),
        "not_counted": [p for p in processes if not (p.members_recorded and p.observers_recorded)],
        "state_count": State.objects.filter(memberships__isnull=False).distinct().count(),
        "meeting_count": Workshop.objects.count(),
        "finding_count": Finding.objects.count(),
        "latest_meetings": list(Workshop.objects.order_by("-start_date", "title")[:LATEST_MEETINGS]),
    }
