"""The review queue of suggested corrections, for the process's own editors and central editors.

A process editor sees only the suggestions on their processes (any other answers 404, like an unknown
id); central editors see all; other staff see none. "Accept" opens the process's admin form with the
suggestion shown; saving it writes the history entry credited to the suggestion (its change reason,
``signals.credit_correction``) and marks the suggestion accepted. "Decline" asks for a reason.
"""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import corrections
from .models import Correction, CorrectionStatus

CORRECTION_PARAM = "_correction"


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for declining (sent to the visitor if they left an email)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "section", "status", "created")
    list_filter = ("status", "section")
    readonly_fields = (
        "process",
        "section",
        "wrong",
        "should_say",
        "source",
        "has_email",
        "status",
        "decline_reason",
        "created",
        "decided",
        "decided_by",
        "review_actions",
    )
    fields = readonly_fields
    list_select_related = ("process",)

    def get_queryset(self, request):
        return corrections.reviewable(request.user).select_related("process", "decided_by")

    def get_object(self, request, object_id, from_field=None):
        """Another process's suggestion answers 404, exactly like an unknown number."""
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404(_("There is no suggestion with this number."))
        return found

    def has_module_permission(self, request):
        return corrections.reviewable(request.user).exists() or self._central(request)

    def _central(self, request):
        from processes.editors import is_central_editor

        return is_central_editor(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return request.user.is_active and request.user.is_staff
        return corrections.may_review(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return self._central(request)

    @admin.display(description=gettext_lazy("email left"), boolean=True)
    def has_email(self, obj):
        return bool(obj.email)

    @admin.display(description=gettext_lazy("review"))
    def review_actions(self, obj):
        if obj.status != CorrectionStatus.PENDING:
            return obj.get_status_display()
        return format_html(
            '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
            reverse("admin:site_correction_accept", args=[obj.pk]),
            _("Accept: open the process's form"),
            reverse("admin:site_correction_decline", args=[obj.pk]),
            _("Decline"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/accept/",
                self.admin_site.admin_view(self.accept_view),
                name="site_correction_accept",
            ),
            path(
                "<int:pk>/decline/",
                self.admin_site.admin_view(self.decline_view),
                name="site_correction_decline",
            ),
            *super().get_urls(),
        ]

    def _pending(self, request, pk):
        correction = self.get_queryset(request).filter(pk=pk, status=CorrectionStatus.PENDING).first()
        if correction is None:
            raise Http404(_("There is no suggestion waiting for review with this number."))
        return correction

    def accept_view(self, request, pk):
        """Open the process's change form with the suggestion; saving it accepts the suggestion."""
        correction = self._pending(request, pk)
        messages.info(
            request,
            _(
                "Suggested correction #%(number)s (%(section)s): what is wrong: %(wrong)s — "
                "what it should say: %(should)s — source: %(source)s. Make the change and save: "
                "the history entry will be credited to the suggestion."
            )
            % {
                "number": correction.pk,
                "section": correction.get_section_display(),
                "wrong": correction.wrong,
                "should": correction.should_say,
                "source": correction.source,
            },
        )
        url = reverse("admin:processes_process_change", args=[correction.process_id])
        return HttpResponseRedirect(f"{url}?{CORRECTION_PARAM}={correction.pk}")

    def decline_view(self, request, pk):
        correction = self._pending(request, pk)
        form = DeclineForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            corrections.decline(correction, request.user, form.cleaned_data["reason"])
            messages.success(request, _("The suggestion was declined."))
            return HttpResponseRedirect(reverse("admin:site_correction_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Decline suggested correction #%(number)s") % {"number": correction.pk},
            "correction": correction,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/site/correction_decline.html", context, status=400 if form.errors else 200
        )
