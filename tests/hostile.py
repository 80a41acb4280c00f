"""Small files that expand: generated, for the upload limits' tests and benchmarks/hostile_uploads.py.

Each is written in pieces, so that making one never holds what it expands to.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib

from openpyxl import Workbook
from PIL import Image

from tests.manuscripts import official_manuscript

MB = 1024 * 1024


def docx_bomb(*, unpacked_mb: int) -> bytes:
    """A real manuscript whose document.xml is padded to `unpacked_mb` MB of XML comment."""
    source = zipfile.ZipFile(io.BytesIO(official_manuscript()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, source.read(info.filename))
                continue
            with target.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(source.read(info.filename))
                member.write(b"<!--")
                for _ in range(unpacked_mb):
                    member.write(b" " * MB)
                member.write(b"-->")
    return out.getvalue()


def zip_of_many_members(*, members: int) -> bytes:
    """A real manuscript with `members` empty extra parts."""
    source = zipfile.ZipFile(io.BytesIO(official_manuscript()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        for number in range(members):
            target.writestr(f"extra/part{number}.xml", b"")
    return out.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (numbered from 1; 1 is the catalog), with its xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_stream_bomb(*, inflated_mb: int) -> bytes:
    """A one-page PDF whose content stream is `inflated_mb` MB of spaces, deflated to a few hundred KB."""
    compressor = zlib.compressobj(9)
    stream = b"".join([*(compressor.compress(b" " * MB) for _ in range(inflated_mb)), compressor.flush()])
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


def pdf_of_pages(*, pages: int) -> bytes:
    """A PDF of `pages` pages that all show one small text, the same content stream."""
    kids = b" ".join(b"%d 0 R" % (4 + number) for number in range(pages))
    content = b"BT /F1 12 Tf 72 720 Td (page) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
                b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
                for _ in range(pages)]
    return _pdf(objects)


def deep_json(*, depth: int) -> bytes:
    """An archive JSON with a value nested `depth` deep."""
    return (b'{"format": "bulletin-archive", "version": 1, "issues": [], "x": '
            + b"[" * depth + b"]" * depth + b"}")


def large_archive_json(*, characters: int) -> bytes:
    """A well-formed archive JSON of one issue whose one article has `characters` characters."""
    paragraph = "<p>" + "各地认真学习贯彻会议精神，结合实际抓好落实。" * 20 + "</p>"
    body = paragraph * (characters // len(paragraph) + 1)
    issue = {"publication": "工作简报", "publication_prefix": "", "marking": None, "year": 2023,
             "number": 1, "total_number": None, "special": False, "date": "2023-01-05",
             "issuing_office": ["办公室"], "print_run": None, "editor_note": None,
             "columns": [{"name": "工作动态", "articles": [{
                 "title": "一篇很长的文章", "toc_title": None, "subtitle": None, "byline": None,
                 "source": None, "editor_note": None, "body_html": body}]}],
             "distribution": [], "editorial_block": None}
    return json.dumps({"format": "bulletin-archive", "version": 1, "issues": [issue]},
                      ensure_ascii=False).encode()


def xlsx_of_rows(*, rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["单位名称", "份数"])
    for number in range(rows):
        sheet.append([f"单位{number}", 1])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_of_rows(*, rows: int) -> bytes:
    return ("单位名称,份数\n" + "".join(f"单位{number},1\n" for number in range(rows))).encode()


def png_of_pixels(*, width: int, height: int) -> bytes:
    """A black-and-white PNG of the given size: a few KB however large."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()
