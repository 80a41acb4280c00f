"""File formats for import and export, for files made with Chinese office software."""

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
