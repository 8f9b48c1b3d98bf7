"""The review queue of suggested corrections, for the process's own editors and central editors.

A process editor sees only the suggestions on their processes (any other answers 404, like an unknown
id); central editors see all; other staff see none. "Accept" opens the change form of the process
the suggestion is about (its own admin, with every section's rows) at the suggestion's address, with
the suggestion and a link back to it shown, and pre-filled where it maps onto a field
(``corrections.prefill``); saving it writes history entries credited to the suggestion (simple-history's
``_change_reason``), marks the suggestion accepted and mails the visitor. "Decline" asks for a reason.
"""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from processes.models import Process

from . import corrections
from .models import Correction, CorrectionStatus


class AcceptCorrectionMixin:
    """Mixed, for one request, into the admin of the process a suggestion is about: its change form,
    pre-filled from the suggestion and showing it; the save credited to it, then the queue."""

    change_form_template = "admin/site/correction_accept_form.html"

    def __init__(self, model, admin_site, correction):
        super().__init__(model, admin_site)
        self.correction = correction
        self.prefilled = {}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class
        values = corrections.prefill(self.correction, obj, list(form_class.base_fields))
        self.prefilled = {name: form_class.base_fields[name].label for name in values}

        class PrefilledForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if not self.is_bound:  # a sent form compares what was sent with the record
                    self.initial.update(values)

        return PrefilledForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            correction=self.correction,
            correction_source_url=corrections.source_url(self.correction),
            correction_url=reverse("admin:site_correction_change", args=[self.correction.pk]),
            prefilled_labels=list(self.prefilled.values()),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        obj._change_reason = self.correction.change_reason
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for row_form in formset.forms:
            row_form.instance._change_reason = self.correction.change_reason
        super().save_formset(request, form, formset, change)

    def response_change(self, request, obj):
        if corrections.accept(self.correction, request.user):
            accepted = _(
                "Suggested correction #%(number)s was accepted; the change to %(process)s is in its history."
            )
            self.message_user(
                request, accepted % {"number": self.correction.pk, "process": obj}, messages.SUCCESS
            )
        else:  # another reviewer decided it while this form was open: the change is saved all the same
            self.message_user(
                request,
                _("Your change to %(process)s was saved.") % {"process": obj}
                + " "
                + corrections.decided_meanwhile(self.correction),
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:site_correction_changelist"))


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

    def _decided_meanwhile(self, request, correction):
        messages.warning(request, corrections.decided_meanwhile(correction))
        return HttpResponseRedirect(reverse("admin:site_correction_change", args=[correction.pk]))

    def accept_view(self, request, pk):
        """The process's change form, pre-filled from the suggestion; saving it accepts the
        suggestion. Only its reviewers reach it (anyone else: 404, like an unknown number).

        A suggestion decided by another reviewer meanwhile: opening the form says so; a form sent
        after it is saved all the same (the process's own check refuses it, keeping what was typed,
        if the record changed since the form opened) and says the suggestion was decided first."""
        correction = self.get_object(request, str(pk))
        if correction.status != CorrectionStatus.PENDING and request.method != "POST":
            return self._decided_meanwhile(request, correction)
        base = self.admin_site.get_model_admin(Process)
        accepting = type("AcceptCorrectionProcessAdmin", (AcceptCorrectionMixin, type(base)), {})
        process_admin = accepting(Process, self.admin_site, correction)
        return process_admin.change_view(request, str(correction.process_id))

    def decline_view(self, request, pk):
        correction = self.get_object(request, str(pk))
        if correction.status != CorrectionStatus.PENDING:
            return self._decided_meanwhile(request, correction)
        form = DeclineForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if not corrections.decline(correction, request.user, form.cleaned_data["reason"]):
                return self._decided_meanwhile(request, correction)
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
