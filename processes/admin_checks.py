"""The "Data checks" page of a process in the admin: what is stale, unchecked, unsourced, not recorded
or in conflict (processes/data_checks.py), each linked to the form that fixes it."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from . import data_checks
from .models import Process

SECTIONS = [
    ("stale", _("Stale: checked more than %(days)s days ago")),
    ("not_checked", _("Never checked: no “as of” date")),
    ("unsourced", _("Unsourced: no source named")),
    ("not_recorded", _("Lists whose completeness is not recorded")),
    ("conflicts", _("Claims in conflict")),
]


class DataChecksAdminMixin:
    data_checks_template = "admin/processes/process/data_checks.html"

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/checks/",
                self.admin_site.admin_view(self.data_checks_view),
                name="processes_process_data_checks",
            )
        ]
        return urls + super().get_urls()

    def fix_url(self, finding):
        """The change form that fixes ``finding``: the row's own, or the process's for its lists."""
        record = finding.record
        if isinstance(record, Process):
            url = reverse(
                "admin:processes_process_change", args=[record.pk], current_app=self.admin_site.name
            )
            return url + ("#completeness-group" if finding.problem == "not recorded" else "")
        info = record._meta.app_label, record._meta.model_name
        return reverse("admin:{}_{}_change".format(*info), args=[record.pk], current_app=self.admin_site.name)

    def data_checks_view(self, request, object_id):
        process = self.get_object(request, unquote(object_id))  # another editor's process: 404
        if process is None or not self.has_change_permission(request, process):
            raise PermissionDenied
        found = data_checks.checks_for(process)
        days = data_checks.settings.RCPDB_STALE_AFTER_DAYS
        sections = [
            {
                "key": key,
                "title": title % {"days": days} if "%(days)s" in str(title) else title,
                "findings": [
                    {
                        "label": finding.detail if finding.problem == "not recorded" else str(finding.record),
                        "kind": finding.record._meta.verbose_name,
                        "detail": "" if finding.problem == "not recorded" else finding.detail,
                        "url": self.fix_url(finding),
                    }
                    for finding in found[key]
                ],
            }
            for key, title in SECTIONS
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Data checks: %(process)s") % {"process": process},
            "opts": self.opts,
            "original": process,
            "sections": sections,
        }
        return TemplateResponse(request, self.data_checks_template, context)
