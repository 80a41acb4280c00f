"""File formats for import and export, for files made with Chinese office software."""

import io

from import_export.formats import base_formats

UTF8_NAMES = {"utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig"}


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Decode a text file as UTF-8 (BOM or not), falling back to GB18030, a superset of GBK.

    An encoding other than UTF-8, when given, is used as it is.
    """
    encoding = encoding or "utf-8-sig"
    if encoding.lower() not in UTF8_NAMES:
        return data.decode(encoding)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


class CSV(base_formats.CSV):
    """CSV read as bytes, so that `--encoding` works in the `import` command and the admin
    accepts the GBK files that Excel saves on Chinese Windows."""

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decode_text(in_stream, self.encoding)
        return super().create_dataset(in_stream, **kwargs)


# A spreadsheet takes a text cell that begins with one of these for a formula (OWASP, "CSV
# injection"): an organisation's contact `=HYPERLINK(...)` must come out as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """A text value that would start a formula, with OWASP's leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _unquote(value):
    """The value `formula_safe` was given: what a re-imported export of ours means."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def text_cells(worksheet) -> None:
    """Store every formula cell of an openpyxl worksheet as the string it was given."""
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _map_cells(dataset, function):
    copy = dataset.__class__(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        copy.append([function(value) for value in row])
    return copy


class SafeCSV(CSV):
    """CSV whose exported cells never start a formula in Excel or WPS (leading apostrophe);
    on import, such an apostrophe is taken off again, so an export comes back as it was."""

    def create_dataset(self, in_stream, **kwargs):
        return _map_cells(super().create_dataset(in_stream, **kwargs), _unquote)

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, formula_safe), **kwargs)


class SafeXLSX(base_formats.XLSX):
    """XLSX whose text cells are strings, never formulas, with the text unchanged."""

    def export_data(self, dataset, **kwargs):
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(super().export_data(dataset, **kwargs)))
        for worksheet in workbook.worksheets:
            text_cells(worksheet)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
