"""Import and export in the admin, through django-import-export, for our resources."""

from django import forms
from django.conf import settings
from django.template.loader import select_template
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm as LibraryImportForm
from import_export.forms import SelectableFieldsExportForm

from bulletins import formats
from bulletins.limits import UploadLimitError, check_file_size


class ImportForm(LibraryImportForm):
    """The library's import form, refusing a file over the spreadsheet limits by its name before
    anything is stored or read (bulletins.formats.check_spreadsheet)."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_file_size(name=upload.name, size=upload.size, limit_mb=settings.SPREADSHEET_MAX_FILE_MB,
                            what="表格导入")
            formats.check_spreadsheet(name=upload.name, data=upload.read())
        except UploadLimitError as error:
            raise forms.ValidationError(str(error), code="too_large") from error
        finally:
            upload.seek(0)
        return upload


class ExportForm(SelectableFieldsExportForm):
    """The library's export form, with a 全选 box that works under the Content-Security-Policy."""

    @property
    def media(self):
        return super().media + forms.Media(js=("editorial/export_select_all.js",))


class TransferMixin(ImportExportMixin):
    """Import/export buttons: CSV (UTF-8 or GBK), XLSX and JSON, with preview and confirm.

    Importing needs the model's add permission, exporting its view permission (settings).
    """

    import_formats = [formats.SafeCSV, formats.SafeXLSX, formats.SafeJSON]
    import_form_class = ImportForm
    # Cells that would start a formula are written as text (bulletins.formats).
    export_formats = [formats.SafeCSV, formats.SafeXLSX, base_formats.JSON]
    export_form_class = ExportForm

    def import_action(self, request, **kwargs):
        """The library's preview; an upload that cannot be confirmed (unreadable, or with bad
        rows) is removed from the temporary storage at once rather than kept for a day."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        cleaned = getattr(context.get("form"), "cleaned_data", {})
        stored = getattr(cleaned.get("import_file"), "tmp_storage_name", None)
        if stored and "confirm_form" not in context:
            self.get_tmp_storage_class()(name=stored, **self.get_tmp_storage_class_kwargs()).remove()
        return response

    def get_import_resource_kwargs(self, request, **kwargs):
        # The admin lists invalid rows in its own table, so they need not be errors too.
        return {**super().get_import_resource_kwargs(request, **kwargs),
                "report_invalid_rows_as_errors": False}

    @property
    def ie_base_change_list_template(self):
        """The page our buttons extend: a model's own change list override if there is one."""
        if self._ie_base_change_list_template != "admin/change_list.html":
            return self._ie_base_change_list_template
        opts = self.model._meta
        return select_template([f"admin/{opts.app_label}/{opts.model_name}/change_list.html",
                                f"admin/{opts.app_label}/change_list.html",
                                "admin/change_list.html"])

    @ie_base_change_list_template.setter
    def ie_base_change_list_template(self, value) -> None:
        self._ie_base_change_list_template = value
