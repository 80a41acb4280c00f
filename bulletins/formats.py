"""File formats for import and export, for files made with Chinese office software."""

import io
import re
import zipfile

from django.conf import settings
from import_export.formats import base_formats

from bulletins.limits import check_file_size, check_json_depth, check_rows, check_zip, read_in_child

# The name a refusal gives a file read by the `import` command, which does not pass its name on.
UNNAMED = "导入的文件"
WORKSHEET_RE = re.compile(r"^xl/worksheets/[^/]+\.xml$")
ROW_TAGS = (b"<row ", b"<row>")

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


def check_spreadsheet(*, name: str, data: bytes) -> int:
    """Refuse a spreadsheet (CSV, XLSX or JSON) over SPREADSHEET_MAX_FILE_MB or with more rows
    than SPREADSHEET_MAX_ROWS, counting the rows without reading the cells; return the rows."""
    check_file_size(name=name, size=len(data), limit_mb=settings.SPREADSHEET_MAX_FILE_MB, what="表格导入")
    if data.startswith(b"PK\x03\x04"):
        check_zip(name=name, source=data)
        rows = _xlsx_rows(data)
    elif data.lstrip()[:1] in (b"[", b"{"):
        check_json_depth(name=name, text=data.decode("utf-8", errors="replace"))
        rows = data.count(b"{")  # a JSON table is a list of objects, one a row
    else:
        rows = data.count(b"\n") - 1
    check_rows(name=name, rows=rows)
    return rows


def _xlsx_rows(data: bytes) -> int:
    """The rows of every worksheet, counted as `<row` tags in the (size-checked) sheet XML."""
    rows = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            if WORKSHEET_RE.match(member):
                with archive.open(member) as sheet:
                    tail = b""  # a tag cut between two chunks is counted once
                    while chunk := sheet.read(1024 * 1024):
                        rows += sum((tail + chunk).count(tag) for tag in ROW_TAGS)
                        tail = chunk[-4:]
    return rows - 1


def _data_bytes(in_stream) -> bytes:
    return in_stream if isinstance(in_stream, bytes) else str(in_stream).encode()


def _checked_read(input_format, in_stream, **kwargs):
    """Check a spreadsheet against the limits, then read it: a large one (more rows than
    SPREADSHEET_ISOLATE_ROWS) in the reading child, with its time and memory limits."""
    rows = check_spreadsheet(name=UNNAMED, data=_data_bytes(in_stream))
    if rows > settings.SPREADSHEET_ISOLATE_ROWS:
        return read_in_child(_read_dataset, type(input_format), input_format.encoding, in_stream, kwargs,
                             name=UNNAMED)
    return input_format.read_dataset(in_stream, **kwargs)


def _read_dataset(format_class, encoding, in_stream, kwargs):
    return format_class(encoding=encoding).read_dataset(in_stream, **kwargs)


class CSV(base_formats.CSV):
    """CSV read as bytes, so that `--encoding` works in the `import` command and the admin
    accepts the GBK files that Excel saves on Chinese Windows."""

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return _checked_read(self, in_stream, **kwargs)

    def read_dataset(self, in_stream, **kwargs):
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
    """Store every formula cell of an openpyxl worksheet as the string it was given (openpyxl
    makes "=…" a formula), shown with Excel's quote prefix so that editing it keeps it text."""
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
                cell.quotePrefix = True


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
    """XLSX whose text cells are strings, never formulas, with the text unchanged; an import
    is checked for its size and rows first."""

    def create_dataset(self, in_stream):
        return _checked_read(self, in_stream)

    def read_dataset(self, in_stream):
        return super().create_dataset(in_stream)

    def export_data(self, dataset, **kwargs):
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(super().export_data(dataset, **kwargs)))
        for worksheet in workbook.worksheets:
            text_cells(worksheet)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


class SafeJSON(base_formats.JSON):
    """JSON whose import is checked for its size, nesting and rows first."""

    def create_dataset(self, in_stream, **kwargs):
        return _checked_read(self, in_stream, **kwargs)

    def read_dataset(self, in_stream, **kwargs):
        return super().create_dataset(in_stream, **kwargs)
