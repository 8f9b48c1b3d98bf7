"""CSV/XLSX import and export in the admin, limited to the editor's records.

The upload limits, preview storage and readable errors are processes/imports.py; the resources are
<app>/resources.py; who is whose is processes/editors.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from .editors import editable_process_ids, is_central_editor
from .imports import (
    BoundedCSV,
    BoundedXLSX,
    ImportBusy,
    ImportRefused,
    PreviewExpired,
    PreviewStorage,
    read_upload,
)


class ScopedImportExportMixin(ImportExportMixin):
    """CSV/XLSX import and export (resources in <app>/resources.py) limited to the editor's records.

    Exports start from the changelist's queryset, so they hold only what the list shows; the resource
    gets ``scope_ids`` (the editor's processes or meetings) and rejects import rows outside them.
    """

    import_formats = [BoundedCSV, BoundedXLSX]
    export_formats = [CSV, XLSX]
    tmp_storage_class = PreviewStorage

    # Preview and confirmation (processes/imports.py): limits before parsing, a refused file never
    # stored, the preview kept where every worker finds it, and every refusal a message, never a 500.

    def import_action(self, request, **kwargs):
        """The preview: file checked and read within the limits, then a dry run; the file is stored
        for confirmation only when every row is fine."""
        if request.method != "POST":
            return super().import_action(request, **kwargs)
        if not self.has_import_permission(request):
            raise PermissionDenied
        import_form = self.create_import_form(request)
        if not import_form.is_valid():
            return super().import_action(request, **kwargs)
        context = self.get_import_context_data()
        import_file = import_form.cleaned_data["import_file"]
        input_format = self.get_import_formats()[int(import_form.cleaned_data["format"])]()
        resource = self.choose_import_resource_class(import_form, request)(
            **self.get_import_resource_kwargs(request, form=import_form, **kwargs)
        )
        try:
            data = read_upload(import_file)
            dataset = input_format.create_dataset(data)
            if not dataset:
                raise ImportRefused(_("The file has no rows to import."))
            result = resource.import_data(
                dataset,
                dry_run=True,
                raise_errors=False,
                file_name=import_file.name,
                user=request.user,
                **self.get_import_data_kwargs(request=request, form=import_form, **kwargs),
            )
        except ImportRefused as refused:
            import_form.add_error("import_file", refused.message)
        else:
            context["result"] = result
            if not result.has_errors() and not result.has_validation_errors():
                storage_class = self.get_tmp_storage_class()
                tmp_storage = storage_class(read_mode="rb", **self.get_tmp_storage_class_kwargs())
                tmp_storage.save(data)
                import_file.tmp_storage_name = tmp_storage.name
                context["confirm_form"] = self.create_confirm_form(request, import_form=import_form)
        return self._import_page(request, context, import_form, [resource])

    def _import_page(self, request, context, import_form, resources):
        """The import page as django-import-export's import_action renders it."""
        context.update(self.admin_site.each_context(request))
        context["title"] = _("Import")
        context["form"] = import_form
        context["opts"] = self.model._meta
        context["media"] = self.media + import_form.media
        context["fields_list"] = [
            (resource.get_display_name(), [f.column_name for f in resource.get_user_visible_fields()])
            for resource in resources
        ]
        context["import_error_display"] = self.import_error_display
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirmation: the stored preview imported for real. A missing or expired preview is an
        error on a fresh upload form; another import running keeps the preview for another try."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return super().process_import(request, **kwargs)
        storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            read_mode="rb",
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            data = storage.read()
            input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])]()
            result = self.process_dataset(input_format.create_dataset(data), confirm_form, request, **kwargs)
        except PreviewExpired as expired:
            import_form = self.create_import_form(request)
            import_form.errors.clear()
            import_form.add_error("import_file", expired.message)
            resources = [
                resource_class(**self.get_import_resource_kwargs(request=request, form=import_form, **kwargs))
                for resource_class in self.get_import_resource_classes(request)
            ]
            return self._import_page(request, self.get_import_context_data(), import_form, resources)
        except ImportBusy as busy:
            messages.error(request, busy.message)
            context = {**self.admin_site.each_context(request), "title": _("Import")}
            context.update(opts=self.model._meta, confirm_form=confirm_form)
            return TemplateResponse(request, [self.import_template_name], context)
        except ImportRefused as refused:
            storage.remove()
            messages.error(request, _("Nothing was imported: %(problems)s") % {"problems": refused.message})
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
        storage.remove()
        return self.process_result(result, request)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # All or nothing at confirmation too: a row the database no longer accepts (it changed since
        # the preview) undoes the whole import instead of being skipped.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            problems = [
                _("line %(number)s: %(error)s") % {"number": number, "error": error.error}
                for number, errors in result.row_errors()
                for error in errors
            ] + [
                _("line %(number)s: %(error)s")
                % {"number": row.number, "error": " ".join(" ".join(m) for m in row.error_dict.values())}
                for row in result.invalid_rows
            ]
            messages.error(
                request, _("Nothing was imported: %(problems)s") % {"problems": "; ".join(problems)}
            )
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
        return super().process_result(result, request)

    def get_resource_kwargs(self, request, *args, **kwargs):
        kwargs = super().get_resource_kwargs(request, *args, **kwargs)
        if not is_central_editor(request.user):
            scope_field = self.get_resource_classes(request)[0].scope_field
            scope_model = self.model._meta.get_field(scope_field).related_model
            scoped = self.admin_site._registry[scope_model].scoped_queryset(request)
            kwargs["scope_ids"] = list(scoped.values_list("pk", flat=True))
            kwargs["process_ids"] = list(editable_process_ids(request.user))
        return kwargs
