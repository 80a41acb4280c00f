"""Import and export in the admin, through django-import-export, for our resources."""

from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from bulletins import formats


class TransferMixin(ImportExportMixin):
    """Import/export buttons: CSV (UTF-8 or GBK), XLSX and JSON, with preview and confirm.

    Importing needs the model's add permission, exporting its view permission (settings).
    """

    import_formats = [formats.CSV, base_formats.XLSX, base_formats.JSON]
    export_formats = [base_formats.CSV, base_formats.XLSX, base_formats.JSON]

    def get_import_resource_kwargs(self, request, **kwargs):
        # The admin lists invalid rows in its own table, so they need not be errors too.
        return {**super().get_import_resource_kwargs(request, **kwargs),
                "report_invalid_rows_as_errors": False}
