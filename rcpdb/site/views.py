"""Site-layer pages: the home page, the health check, recent changes, citation downloads and
suggested corrections."""

from django.apps import apps
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from processes import models as pm
from processes.analysis_views import timeline_context
from processes.models import Process, State
from rcpdb.core import history
from rcpdb.core.cache import cached_per_version
from workshops.models import Finding, Workshop

from . import citations, corrections
from .changes import MAX_CHANGES, Scope, recent_changes
from .models import CorrectionSection

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


CHANGES_PER_PAGE = 50
SCOPES = {"process": (pm.Process, "slug"), "state": (pm.State, "code"), "theme": (pm.Theme, "slug")}


def _bad_request(request, message):
    return render(request, "site/400.html", {"message": message}, status=400)


@require_safe
def recent_changes_view(request):
    """The newest changes (at most ``MAX_CHANGES``, ``CHANGES_PER_PAGE`` a page), of the whole site or
    of one process, state or theme (``?process=`` slug, ``?state=`` code, ``?theme=`` slug)."""
    given = [name for name in SCOPES if request.GET.get(name)]
    if len(given) > 1:
        return _bad_request(request, _("Choose one process, state or theme at a time."))
    scope, chosen = Scope(), None
    if given:
        name = given[0]
        model, field = SCOPES[name]
        value = request.GET[name][:100]
        chosen = model.objects.filter(**{field: value.upper() if name == "state" else value}).first()
        if chosen is None:
            return _bad_request(request, _("There is no such process, state or theme."))
        scope = Scope(name, chosen.pk)
    raw = request.GET.get("page") or "1"
    last_page = MAX_CHANGES // CHANGES_PER_PAGE
    if not raw.isdigit() or not 1 <= int(raw) <= last_page:
        return _bad_request(
            request, _("The page number must be a whole number from 1 to %(last)s.") % {"last": last_page}
        )
    number = int(raw)
    changes = recent_changes(scope, limit=number * CHANGES_PER_PAGE)
    paginator = Paginator(changes, CHANGES_PER_PAGE, allow_empty_first_page=True)
    if number > paginator.num_pages:
        raise Http404(_("There is no page %(number)s of these results.") % {"number": number})
    page = paginator.page(number)
    has_next = len(changes) == number * CHANGES_PER_PAGE and number < last_page
    return render(
        request,
        "site/recent_changes.html",
        {
            "page_obj": page,
            "changes": page.object_list,
            "chosen": chosen,
            "scope_kind": scope.kind,
            "has_next": has_next,
            "next_page": number + 1,
            "previous_page": number - 1,
            "processes": pm.Process.objects.order_by("short_name").only("slug", "short_name"),
        },
    )


recent_changes_view.page_cache_params = ("page", "process", "state", "theme")

CITED_MODELS = {
    "process": ("processes.Process", "slug"),
    "state": ("processes.State", "code"),
    "organization": ("processes.Organization", "slug"),
    "meeting": ("workshops.Workshop", "slug"),
}


@require_safe
def cite_download(request, kind, key, fmt):
    """One citation as a file: ``/cite/<kind>/<key>/<format>?as_of=YYYY-MM-DD`` (default: today)."""
    if kind not in CITED_MODELS or fmt not in citations.FORMATS:
        raise Http404(_("There is no such citation."))
    try:
        day = history.parse_as_of(request.GET.get("as_of")) or timezone.localdate()
    except history.BadDate:
        return _bad_request(request, _("The date must be written YYYY-MM-DD, for example 2026-03-03."))
    label, field = CITED_MODELS[kind]
    model = apps.get_model(label)
    value = key.upper() if kind == "state" else key
    record, _deleted = history.record_as_of(model, day, **{field: value[:120]})
    if record is None:
        raise Http404(_("This record did not exist yet on that date."))
    today = timezone.localdate()
    citation = citations.citation_for(
        record,
        address=request.build_absolute_uri(record.get_absolute_url()),
        version=day,
        accessed=today,
    )
    _label, extension, media_type = citations.FORMATS[fmt]
    response = HttpResponse(citation.as_format(fmt), content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{citation.identifier}-{fmt}.{extension}"'
    response["X-Robots-Tag"] = "noindex"
    return response


cite_download.page_cache_params = ("as_of",)


@require_http_methods(["GET", "HEAD", "POST"])
def suggest_correction(request, slug):
    """The visitor's form to suggest a correction of one section of a process profile (no account).
    A refused or invalid submission is a 4xx with a clear message and the form to correct it."""
    process = get_object_or_404(pm.Process.objects.only("pk", "slug", "short_name"), slug=slug)
    section = request.GET.get("section", "")
    initial = {"section": section if section in CorrectionSection.values else CorrectionSection.PROFILE}
    status, message = 200, ""
    if request.method == "POST":
        form = corrections.CorrectionForm(request.POST)
        try:
            corrections.check_submission(request, request.POST)
        except corrections.Refused as refused:
            status, message = refused.status, refused.message
        else:
            if form.is_valid():
                corrections.submit(form, process, request)
                return render(request, "site/correction_sent.html", {"process": process})
            status, message = 400, _("Some fields need correcting: see the messages below.")
        form.data = form.data.copy()
        form.data["started"] = corrections.started_token()
        form.data[corrections.HONEYPOT] = ""
    else:
        form = corrections.CorrectionForm(initial={**initial, "started": corrections.started_token()})
    response = render(
        request,
        "site/correction_form.html",
        {"process": process, "form": form, "message": message, "noindex": True},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
