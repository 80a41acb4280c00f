"""Whole issues kept as Word files: the lines of a .docx read from the document's own structure
(paragraphs and table rows in order, manual line breaks and tabs, type size, colour, heading
styles, bold runs), handed to the text parser like the lines of a PDF. A .doc or .wps file is
first converted to .docx by LibreOffice where it is installed."""

from __future__ import annotations

import io
import shutil
import subprocess  # noqa: S404 - LibreOffice converts .doc/.wps; fixed arguments, no shell
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from bulletins.archive.rules import Line
from bulletins.archive.types import ArchiveFormatError, ArchiveIssue
from bulletins.processes import stop_with_parent

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_SUFFIXES = {".docx", ".doc", ".wps"}
CONVERT_TIMEOUT = 120
TIMEOUT_EXIT_CODES = {124, 137}  # coreutils timeout: the limit reached; killed after it
HEADING_STYLE_PREFIXES = ("heading", "title", "标题")
HEAVY_FACES = ("黑", "Hei", "hei")
# Cells of one table row (office | date) stand side by side as in a printed row.
CELL_GAP = "    "
NOT_DOCX = "不是有效的 Word 文件（.docx）：文件已损坏，或是改了扩展名的其他文件。"
UNREADABLE_FORMATTING = ("无法读取 Word 文件：其中有不合规范的格式设置（如字号、颜色的取值），"
                         "请在 Word 或 WPS 中打开后另存为 .docx 或 PDF 再导入。")
NO_CONVERTER = ("无法读取 {suffix} 文件：本机未安装 LibreOffice，不能转换旧版 Word/WPS 格式。"
                "请在 Word 或 WPS 中另存为 .docx 或 PDF 后再导入。")
CONVERT_FAILED = "无法转换 {suffix} 文件：LibreOffice 未能打开它（文件可能已损坏或加密）。"
CONVERT_TIMED_OUT = "无法转换 {suffix} 文件：LibreOffice 超过 {seconds} 秒仍未完成。"


def is_word(content: bytes, name: str) -> bool:
    """A .docx (a zip holding word/document.xml), or a .doc/.wps file by its name."""
    suffix = Path(name).suffix.lower()
    if suffix in {".doc", ".wps"}:
        return True
    if not content.startswith(b"PK"):
        return suffix == ".docx"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return suffix == ".docx"


def parse_word(content: bytes, *, name: str = "") -> ArchiveIssue:
    """Read a bulletin kept as a Word file into the structure every archive file gives."""
    from bulletins.archive.text_parser import parse_lines

    suffix = Path(name).suffix.lower()
    if content.startswith(OLE_MAGIC) or suffix in {".doc", ".wps"}:
        content = convert_to_docx(content, suffix=suffix or ".doc")
    issue = parse_lines(docx_lines(content), name=name, keeps_paragraphs=True)
    issue.read_from_layout = True
    return issue


def convert_to_docx(content: bytes, *, suffix: str) -> bytes:
    """Convert a .doc/.wps file with LibreOffice in a child process with a time limit."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ArchiveFormatError(NO_CONVERTER.format(suffix=suffix))
    with tempfile.TemporaryDirectory(prefix="archive-word-") as folder:
        source = Path(folder) / f"source{suffix}"
        source.write_bytes(content)
        # A profile of its own, so that a LibreOffice the user has open does not take the job.
        profile = f"-env:UserInstallation=file://{folder}/profile"
        command = [soffice, profile, "--headless", "--norestore", "--convert-to", "docx",
                   "--outdir", folder, str(source)]
        if limit := shutil.which("timeout"):
            # LibreOffice must not outlive this process (the reading child, killed at its time
            # limit): coreutils' timeout ends its whole process group at the limit, or when
            # this process dies (it forwards the SIGTERM that stop_with_parent asks for).
            command = [limit, "--kill-after=5", str(CONVERT_TIMEOUT), *command]
        timed_out = ArchiveFormatError(CONVERT_TIMED_OUT.format(suffix=suffix, seconds=CONVERT_TIMEOUT))
        try:
            finished = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT + 10,  # noqa: S603
                                      check=False, preexec_fn=stop_with_parent)  # noqa: PLW1509
        except subprocess.TimeoutExpired as exc:
            raise timed_out from exc
        if limit and finished.returncode in TIMEOUT_EXIT_CODES:
            raise timed_out
        converted = Path(folder) / "source.docx"
        if not converted.exists():
            raise ArchiveFormatError(CONVERT_FAILED.format(suffix=suffix))
        return converted.read_bytes()


def docx_lines(content: bytes) -> list[Line]:
    """The document's lines in order: each paragraph (split at manual line breaks), each table
    row (its cells side by side); level 1 for text larger than the body, red, or in a heading
    style; bold runs of body text between `**`."""
    try:
        document = Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ArchiveFormatError(NOT_DOCX) from exc
    try:
        rows = _rows(document)
    except (ValueError, KeyError, TypeError) as exc:
        # python-docx refuses attribute values outside the standard (a size of "abc").
        raise ArchiveFormatError(UNREADABLE_FORMATTING) from exc
    body_size = _body_size(rows) or 0.0
    # Each size above the body's is a level of its own, largest first: a title and the
    # smaller subtitle under it stand apart as in a PDF.
    larger = sorted({row.size for row in rows if row.size is not None and row.size > body_size + 0.5},
                    reverse=True)
    lines: list[Line] = []
    for text, size, heading, centred in rows:
        level = larger.index(size) + 1 if size in larger else int(heading)
        if level:
            text = text.replace("**", "")
        lines.append(Line(no=len(lines) + 1, raw=text, text=text.strip(), level=level, centred=centred))
    return lines


def _rows(document) -> list[Row]:
    rows: list[Row] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            rows.extend(_paragraph_rows(block))
        elif isinstance(block, Table):
            rows.extend(_table_rows(block))
    return rows


class Row(NamedTuple):
    text: str
    size: float | None
    heading: bool  # red, or in a heading style
    centred: bool


def _paragraph_rows(paragraph: Paragraph) -> list[Row]:
    parts: list[str] = []
    sizes: Counter[float] = Counter()
    red = False
    for run in paragraph.runs:
        text = run.text
        if not text:
            continue
        bold = run.bold if run.bold is not None else _style_bold(paragraph)
        # Headings in the body are set in a heavy face (黑体) rather than in bold.
        bold = bold or any(face in (_east_asian_font(run) or "") for face in HEAVY_FACES)
        parts.append(_wrap_bold(text, bool(bold)))
        if (size := _run_size(run, paragraph)) is not None:
            sizes[size] += len(text.strip())
        red = red or _is_red(run, paragraph)
    style_name = (paragraph.style.name if paragraph.style is not None else "").lower()
    heading = red or style_name.startswith(HEADING_STYLE_PREFIXES)
    size = sizes.most_common(1)[0][0] if sizes else None
    # A tab stop sets things apart on a row (office and date, a TOC title and its page).
    text = "".join(parts).replace("\t", CELL_GAP)
    # A manual line break ends a printed line (版头 prefix and name, a title broken by hand).
    centred = _is_centred(paragraph)
    if not text.strip():
        return [Row("", None, False, False)]
    return [Row(piece, size, heading, centred) for piece in text.split("\n")]


def _table_rows(table: Table) -> list[Row]:
    """A row's cells side by side; a one-cell row gives each of its paragraphs."""
    rows: list[Row] = []
    for row in table.rows:
        cells = list(dict.fromkeys(cell._tc for cell in row.cells))  # merged cells repeat
        cell_rows = [[r for p in _cell(row, tc).paragraphs for r in _paragraph_rows(p) if r.text.strip()]
                     for tc in cells]
        cell_rows = [c for c in cell_rows if c]
        if len(cell_rows) > 1 and all(len(cell) == 1 for cell in cell_rows):
            first = cell_rows[0][0]
            rows.append(Row(CELL_GAP.join(cell[0].text.strip() for cell in cell_rows), first.size,
                            first.heading, False))
        else:  # one cell, or cells of several lines each (an office over two lines): cell by cell
            rows.extend(r for cell in cell_rows for r in cell)
    return rows


def _cell(row, tc):
    return next(cell for cell in row.cells if cell._tc is tc)


def _wrap_bold(text: str, bold: bool) -> str:
    if not bold or not text.strip() or "*" in text or "\n" in text or "\t" in text:
        return text
    return f"**{text}**"


def _east_asian_font(run) -> str | None:
    fonts = run.element.rPr.rFonts if run.element.rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _style_chain(paragraph: Paragraph):
    style = paragraph.style
    while style is not None:
        yield style
        style = style.base_style


def _is_centred(paragraph: Paragraph) -> bool:
    """Read from the XML: python-docx refuses values such as `start` that LibreOffice writes."""
    elements = [paragraph._p, *(style.element for style in _style_chain(paragraph))]
    for element in elements:
        justification = element.find(f"{qn('w:pPr')}/{qn('w:jc')}")
        if justification is not None:
            return justification.get(qn("w:val")) == "center"
    return False


def _style_bold(paragraph: Paragraph) -> bool:
    return next((style.font.bold for style in _style_chain(paragraph) if style.font.bold is not None), False)


def _run_size(run, paragraph: Paragraph) -> float | None:
    if run.font.size is not None:
        return run.font.size.pt
    if run.style is not None and run.style.font.size is not None:
        return run.style.font.size.pt
    sizes = (style.font.size.pt for style in _style_chain(paragraph) if style.font.size is not None)
    return next(sizes, None)


def _is_red(run, paragraph: Paragraph) -> bool:
    colour = run.font.color.rgb if run.font.color is not None and run.font.color.type is not None else None
    if colour is None:
        colour = next((style.font.color.rgb for style in _style_chain(paragraph)
                       if style.font.color is not None and style.font.color.type is not None), None)
    if colour is None:
        return False
    red, green, blue = colour[0], colour[1], colour[2]
    return red >= 0xB0 and green <= 0x60 and blue <= 0x60


def _body_size(rows: list[Row]) -> float | None:
    """The size most of the text is set in."""
    sizes: Counter[float] = Counter()
    for row in rows:
        if row.size is not None:
            sizes[row.size] += len(row.text.strip())
    return sizes.most_common(1)[0][0] if sizes else None
