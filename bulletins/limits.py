"""What an uploaded file may expand to, for every kind of upload, in one place.

A small file can unpack to gigabytes: a .docx or .xlsx whose XML deflates 250:1, a PDF with a
300 MB Flate stream or 5,000 pages, a spreadsheet of 200,000 rows, JSON nested two million deep,
a PNG of 50,000 × 50,000 pixels. Each limit is a setting (config/settings.py, the README's
configuration table); each check runs before the expensive read and raises UploadLimitError,
whose message names the file and the limit in Chinese. The checks themselves read little:
the zip directory, each PDF stream up to the limit, the header of an image.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

from django.conf import settings

MB = 1024 * 1024


class UploadLimitError(ValueError):
    """A file refused for what it would expand to; the message is for the user, in Chinese."""


def _mb(value: float) -> str:
    return f"{value / MB:.1f} MB"


def check_file_size(*, name: str, size: int, limit_mb: int, what: str) -> None:
    if size > limit_mb * MB:
        raise UploadLimitError(f"“{name}”有 {_mb(size)}，超过{what}上限 {limit_mb} MB。")


def check_zip(*, name: str, source: bytes | io.IOBase) -> None:
    """Refuse a zip (.docx, .xlsx) with too many members or too much to unpack.

    The sizes come from the zip's directory; Python's zipfile never reads a member past the
    size the directory gives, so a lying directory cannot unpack more than it declares.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the reader of the format says so in its own words
    finally:
        if not isinstance(source, bytes):
            source.seek(0)
    limit = settings.UPLOAD_ZIP_MAX_MEMBERS
    if len(members) > limit:
        raise UploadLimitError(f"“{name}”中有 {len(members)} 个压缩成员，超过上限 {limit} 个。")
    unpacked = sum(member.file_size for member in members)
    limit_mb = settings.UPLOAD_ZIP_MAX_UNPACKED_MB
    if unpacked > limit_mb * MB:
        raise UploadLimitError(f"“{name}”解压后有 {_mb(unpacked)}，超过上限 {limit_mb} MB。")


def check_json_depth(*, name: str, text: str) -> None:
    """Refuse JSON nested deeper than ARCHIVE_JSON_MAX_DEPTH (before json.loads recurses)."""
    limit = settings.ARCHIVE_JSON_MAX_DEPTH
    depth = 0
    for match in _JSON_TOKEN_RE.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > limit:
                raise UploadLimitError(f"“{name}”中的 JSON 嵌套超过 {limit} 层，无法导入。")
        elif bracket in "]}":
            depth -= 1


# Strings are matched whole, so that brackets inside them are not counted.
_JSON_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_STREAM_RE = re.compile(rb"stream\r?\n")
_CHUNK = 64 * 1024


def check_pdf(*, name: str, content: bytes) -> None:
    """Refuse a PDF with a stream that inflates past ARCHIVE_PDF_MAX_STREAM_MB or with more
    than ARCHIVE_PDF_MAX_PAGES pages. The streams are inflated in pieces and dropped; the
    pages are counted from the page tree, without reading any page."""
    limit_mb = settings.ARCHIVE_PDF_MAX_STREAM_MB
    for match in _STREAM_RE.finditer(content):
        size = _inflated_size(content, match.end(), limit_mb * MB)
        if size > limit_mb * MB:
            raise UploadLimitError(f"“{name}”中有一个数据流解压后超过 {limit_mb} MB，无法导入。")
    pages = pdf_page_count(content)
    limit = settings.ARCHIVE_PDF_MAX_PAGES
    if pages is not None and pages > limit:
        raise UploadLimitError(f"“{name}”共 {pages} 页，超过导入上限 {limit} 页。")


def _inflated_size(content: bytes, start: int, limit: int) -> int:
    """How many bytes the zlib stream at `start` inflates to, counting no further than `limit`."""
    inflater = zlib.decompressobj()
    size = 0
    position = start
    try:
        while position < len(content) and not inflater.eof and size <= limit:
            size += len(inflater.decompress(content[position:position + _CHUNK], limit + 1 - size))
            position += _CHUNK
            while inflater.unconsumed_tail and size <= limit:
                size += len(inflater.decompress(inflater.unconsumed_tail, limit + 1 - size))
    except zlib.error:
        return size  # not Flate (or damaged): pdfminer reads or refuses it on its own
    return size


def pdf_page_count(content: bytes) -> int | None:
    """The number of pages in the page tree, or None when the PDF cannot be opened here."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psexceptions import PSException

    try:
        document = PDFDocument(PDFParser(io.BytesIO(content)))
        return sum(1 for _page in PDFPage.create_pages(document))
    except (PDFException, PSException, ValueError, KeyError, TypeError, AttributeError,
            IndexError, AssertionError, RecursionError):
        return None  # encrypted or damaged: the reader says so in its own words


def check_rows(*, name: str, rows: int) -> None:
    limit = settings.SPREADSHEET_MAX_ROWS
    if rows > limit:
        raise UploadLimitError(f"“{name}”有 {rows} 行，超过导入上限 {limit} 行。请分成几个文件导入。")


def check_pixels(*, name: str, width: int, height: int) -> None:
    limit = settings.IMAGE_MAX_PIXELS
    if width * height > limit:
        raise UploadLimitError(f"图片“{name}”有 {width}×{height} 像素，超过上限 "
                               f"{limit / 1_000_000:g} 百万像素。请缩小后再插入。")


def issue_characters(issue) -> int:
    """The characters of an issue's articles and editor's note, counted in the database."""
    from django.db.models import Sum
    from django.db.models.functions import Coalesce, Length

    fields = ("title", "subtitle", "byline", "source", "editor_note", "body")
    totals = issue.articles.aggregate(**{field: Coalesce(Sum(Length(field)), 0) for field in fields})
    return sum(totals.values()) + len(issue.editor_note or "")


def check_issue_size(*, label: str, characters: int) -> None:
    """Refuse an issue too large to print (ISSUE_MAX_CHARACTERS, text and markup together)."""
    limit = settings.ISSUE_MAX_CHARACTERS
    if characters > limit:
        raise UploadLimitError(f"{label}共 {characters:,} 字符，超过可印制的上限 {limit:,} 字符。"
                               "请拆分为几期或删减后再试。")


def read_in_child(function: Callable[..., Any], *args: Any, name: str) -> Any:
    """Call ``function(*args)`` (a module-level function reading an uploaded file) in the child
    process with time and memory limits when BULLETIN_PARSE_ISOLATED, so that a hostile or huge
    file fails alone and the web or task worker that received it lives on."""
    if not settings.BULLETIN_PARSE_ISOLATED:
        return function(*args)
    from bulletins.rendering.isolated import RenderOutOfMemory, RenderTimeout, parse_runner

    runner = parse_runner()
    try:
        return runner.run(function, *args)
    except RenderTimeout as error:
        raise UploadLimitError(f"“{name}”读取超时：超过 {runner.timeout} 秒仍未读完，已停止。") from error
    except RenderOutOfMemory as error:
        raise UploadLimitError(f"“{name}”读取所需内存超过上限（{runner.memory_mb} MB），已停止。") from error
