"""Read a bulletin from a text-based PDF into the lines the text parser reads.

pdfminer.six gives every character with its font, size, colour and position. The
reader groups characters into printed lines, drops the page furniture (page numbers, running
heads and feet), and joins printed lines into the logical lines of the bulletin: a paragraph
continues while its line reaches the right edge of the text block and the next line is not
indented; a title continues while the next line has its size; a 版记 line continues under its
role label. Titles (larger than the body text) become headings, bold runs of body text are
marked `**…**`. No character is changed: what is left out is listed in the report.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from bulletins.archive.pdf_chars import (
    DAMAGED,
    is_bold,
    is_red,
    page_chars,
    row_segments,
    rows,
    strip_blank,
)
from bulletins.archive.rules import (
    BARE_PAGE_NUMBER_RE,
    BULLET_GLYPHS,
    PRINTED_PAGE_NUMBER_RE,
    SPACED_PAGE_RE,
    TAIL_LABEL_RE,
    TOC_ENTRY_END_RE,
    bulleted_column,
)
from bulletins.archive.types import ArchiveFormatError, ArchiveIssue, SkippedLine
from bulletins.text import ends_sentence

PDF_MAGIC = b"%PDF-"
COLUMN_HEADING_RE = re.compile(r"^(?:【[^【】]{1,20}】|[●■◆▲★]\s*\S.{0,19})$")
DIGIT_RE = re.compile(r"\d+")

# Geometry, in units of the line's font size.
FULL_LINE_EM = 1.3  # a line ending this close to the right edge of the text block is full
INDENT_EM = 0.5  # a line starting further right than its predecessor is indented
LINE_GAP_EM = 1.2  # a wider vertical gap ends a paragraph
TITLE_SIZE_RATIO = 1.15  # a line this much larger than the body text is a title


@dataclass
class PrintedLine:
    """One printed line (or one of several things printed side by side on a row)."""

    page: int  # 1-based
    no: int  # 1-based within its page, top to bottom
    chars: list[dict]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    red: bool
    text: str = ""
    hang_x: float | None = None  # where the text after a label such as 发： or a bullet starts
    # First or last on its page once the page numbers and running heads are dropped.
    first_on_page: bool = False
    last_on_page: bool = False
    beside_another: bool = False  # one of several things printed side by side on its row

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Geometry:
    body_size: float
    left: dict[int, float]
    right: dict[int, float]
    indents: bool = False  # paragraphs start with a first-line indent
    # A block set in another size (the 版记, a TOC) may be narrower than the body text.
    right_by_size: dict[tuple[int, float], float] = field(default_factory=dict)


@dataclass
class LogicalLine:
    """A paragraph, title or other unit of the bulletin, as the text parser takes it."""

    text: str
    level: int
    page: int
    no: int
    printed: list[PrintedLine] = field(default_factory=list)
    indented: bool = False  # starts with the first-line indent of a paragraph
    centred: bool = False  # one line, centred between the margins of the body text


@dataclass
class PdfText:
    lines: list[LogicalLine]
    skipped: list[SkippedLine]
    pages: int
    found: list[str] = field(default_factory=list)


def is_pdf(content: bytes) -> bool:
    return content[:1024].lstrip().startswith(PDF_MAGIC)


NOT_PDF = ("不是有效的 PDF 文件（内容不是 PDF，可能是改了扩展名的文本或其他文件）：请上传印发的 PDF 原件，"
           "从 PDF 提取的文本请存为 .txt。")


def _printed_line(page: int, no: int, chars: list[dict]) -> PrintedLine:
    sizes = Counter(round(c["size"], 1) for c in chars)
    size = max(sizes, key=lambda s: (sizes[s], s))
    main = [c for c in chars if round(c["size"], 1) == size] or chars
    return PrintedLine(
        page=page, no=no, chars=chars, x0=min(c["x0"] for c in chars), x1=max(c["x1"] for c in chars),
        top=min(c["top"] for c in main), bottom=max(c["bottom"] for c in main), size=size,
        bold=all(is_bold(c) for c in main), red=all(is_red(c.get("non_stroking_color")) for c in main),
        text="".join(c["text"] for c in chars),
    )


def _bullet(line: PrintedLine) -> bool:
    """A small glyph, or one set apart, before the text of a TOC entry or a list item."""
    chars = line.chars
    if len(chars) < 2 or chars[0]["text"] not in BULLET_GLYPHS:
        return False
    following = strip_blank(chars[1:])
    return bool(following) and (chars[0]["size"] < 0.8 * line.size
                                or following[0]["x0"] - chars[0]["x1"] > 0.3 * line.size)


def _first_line_indent(line: PrintedLine, left: float) -> bool:
    """Whether the line starts some two characters in from the left edge of the text."""
    return 1.5 * line.size <= line.x0 - left <= 2.5 * line.size


def _hang_x(line: PrintedLine) -> float | None:
    """Where a line's text starts after its label (报：, 发：) or bullet: continuation lines align there."""
    if _bullet(line):
        return strip_blank(line.chars[1:])[0]["x0"]
    for index, char in enumerate(line.chars[:5]):
        if char["text"] in "：:" and index + 1 < len(line.chars):
            return line.chars[index + 1]["x0"]
    return None


class PdfReader:
    def __init__(self, content: bytes, *, name: str = "") -> None:
        self.content = content
        self.name = name
        self.skipped: list[SkippedLine] = []
        self.found: list[str] = []

    def _skip(self, line: PrintedLine, reason: str, text: str | None = None) -> None:
        self.skipped.append(SkippedLine(line=line.no, page=line.page,
                                        text=text if text is not None else line.text, reason=reason))

    def read(self) -> PdfText:
        pages = page_chars(self.content)
        if not pages:
            raise ArchiveFormatError(DAMAGED)
        printed: list[list[PrintedLine]] = []
        imageless_empty: list[int] = []
        scanned: list[int] = []
        for page in pages:
            chars = [c for c in page.chars if c["text"] and c["upright"]]
            if not any(c["text"].strip() for c in chars):
                chars = []
                (scanned if page.images else imageless_empty).append(page.number)
            lines: list[PrintedLine] = []
            for row in rows(chars):
                segments = [kept for segment in row_segments(row) if (kept := strip_blank(segment))]
                for segment in segments:
                    lines.append(_printed_line(page.number, len(lines) + 1, segment))
                    lines[-1].beside_another = len(segments) > 1
            printed.append(lines)
        page_count = len(pages)
        if not any(printed):
            if scanned:
                raise ArchiveFormatError(
                    "这是扫描件（页面只有图像，没有文字层），无法读取文字：请先用文字识别（OCR）"
                    "软件处理，或上传由 Word、WPS 等导出的 PDF 或提取的文本。")
            raise ArchiveFormatError("PDF 文件中没有文字。")
        for number in scanned:
            self.found.append(f"第 {number} 页只有图像，没有文字层，未能读取。")
        self._drop_furniture(printed)
        if not any(printed):
            raise ArchiveFormatError("PDF 文件中除页码和各页重复的页眉页脚外没有文字。")
        for lines in printed:
            if lines:
                lines[0].first_on_page = lines[-1].last_on_page = True
        geometry = self._geometry(printed)
        logical = self._logical_lines([line for lines in printed for line in lines], geometry)
        return PdfText(lines=logical, skipped=self.skipped, pages=page_count, found=self.found)

    # ---- page furniture --------------------------------------------------------------------
    def _drop_furniture(self, pages: list[list[PrintedLine]]) -> None:
        """Drop page numbers and running heads/feet: first or last lines of a page repeated across pages."""
        edge_texts: Counter[str] = Counter()
        for lines in pages:
            for line in {id(x): x for x in lines[:1] + lines[-1:]}.values():
                edge_texts[DIGIT_RE.sub("#", line.text.replace(" ", ""))] += 1
        repeated_needed = 3 if len(pages) >= 4 else 2
        for lines in pages:
            for line in list(lines[:2]) + list(lines[-2:]):
                if line not in lines:
                    continue
                is_edge = line is lines[0] or line is lines[-1]
                compact = line.text.replace(" ", "").replace("\u3000", "")
                number = PRINTED_PAGE_NUMBER_RE.match(compact) or BARE_PAGE_NUMBER_RE.match(compact)
                if number and (is_edge or len(compact) <= 7):
                    self._skip(line, "页码")
                    lines.remove(line)
                elif (is_edge and len(pages) > 2 and not COLUMN_HEADING_RE.match(compact)
                      and edge_texts[DIGIT_RE.sub("#", compact)] >= repeated_needed):
                    self._skip(line, "页眉页脚")
                    lines.remove(line)

    # ---- geometry ----------------------------------------------------------------------------
    def _geometry(self, pages: list[list[PrintedLine]]) -> Geometry:
        sizes: Counter[float] = Counter()
        for lines in pages:
            for line in lines:
                sizes[line.size] += len(line.chars)
        body_size = max(sizes, key=lambda s: (sizes[s], -s))
        left: dict[int, float] = {}
        right: dict[int, float] = {}
        all_left: list[float] = []
        all_right: list[float] = []
        for lines in pages:
            body = [line for line in lines if abs(line.size - body_size) < 0.5]
            if not body:
                continue
            lefts = Counter(round(line.x0) for line in body)
            page_left = min(lefts, key=lambda x: (-lefts[x], x))
            page_right = max(line.x1 for line in body)
            left[body[0].page], right[body[0].page] = page_left, page_right
            all_left.append(page_left)
            all_right.append(page_right)
        default_left = statistics.median(all_left) if all_left else 0.0
        default_right = statistics.median(all_right) if all_right else 0.0
        for lines in pages:
            for line in lines:
                left.setdefault(line.page, default_left)
                right.setdefault(line.page, default_right)
        indented = sum(1 for lines in pages for line in lines
                       if abs(line.size - body_size) < 0.5 and _first_line_indent(line, left[line.page]))
        body_lines = sum(1 for lines in pages for line in lines if abs(line.size - body_size) < 0.5)
        right_by_size: dict[tuple[int, float], float] = {}
        for lines in pages:
            by_size: dict[float, list[PrintedLine]] = {}
            for line in lines:
                by_size.setdefault(line.size, []).append(line)
            for size, same in by_size.items():
                if len(same) >= 2 and abs(size - body_size) >= 0.5:
                    edge = max(line.x1 for line in same)
                    page = same[0].page
                    if edge - left[page] >= 0.6 * (right[page] - left[page]):
                        right_by_size[(page, size)] = edge
        return Geometry(body_size=body_size, left=left, right=right,
                        indents=indented >= max(3, body_lines // 20), right_by_size=right_by_size)

    # ---- logical lines -------------------------------------------------------------------
    def _is_title(self, line: PrintedLine, geometry: Geometry) -> bool:
        return line.size >= geometry.body_size * TITLE_SIZE_RATIO

    def _is_full(self, line: PrintedLine, geometry: Geometry) -> bool:
        right = geometry.right_by_size.get((line.page, line.size), geometry.right[line.page])
        return line.x1 >= right - FULL_LINE_EM * line.size

    def _is_centred(self, line: PrintedLine, geometry: Geometry) -> bool:
        left, right = geometry.left[line.page], geometry.right[line.page]
        return (abs(line.middle - (left + right) / 2) <= line.size
                and line.x0 >= left + 2.5 * line.size)

    def _is_indented(self, line: PrintedLine, geometry: Geometry) -> bool:
        return geometry.indents and _first_line_indent(line, geometry.left[line.page])

    def _continues(self, current: list[PrintedLine], line: PrintedLine, geometry: Geometry) -> bool:
        previous = current[-1]
        if abs(previous.size - line.size) > 0.1 * line.size or previous.red != line.red:
            return False
        if previous.beside_another or line.beside_another:
            return False  # an office beside a date, a 版记 office beside 共印: each stands alone
        text = line.text.replace(" ", "")
        if COLUMN_HEADING_RE.match(text) or _bullet(line) or TAIL_LABEL_RE.match(text) \
                or TOC_ENTRY_END_RE.search(previous.text) or SPACED_PAGE_RE.match(previous.text):
            # (A number set apart at the end of a line ends a TOC entry; a paragraph cut there
            # wrongly is joined again by the parser, its next line not being indented.)
            return False
        same_page = previous.page == line.page
        if same_page and line.top - previous.bottom > LINE_GAP_EM * line.size:
            return False
        if self._is_title(line, geometry):
            # The lines of a title are centred one under the other, on one page, or the last of
            # one page and the first of the next where the title was let break.
            page_break = previous.last_on_page and line.first_on_page and line.page == previous.page + 1
            return (same_page or page_break) and previous.bold == line.bold
        if previous.bold != line.bold and (previous.bold or line.bold):
            # A line wholly in bold (a heading) stands alone; a bold lead-in starts its line.
            return False
        if self._continues_centred(current, line, geometry):
            return True
        hang = current[0].hang_x
        if hang is not None and abs(line.x0 - hang) <= INDENT_EM * line.size:
            aligned = True
        else:
            aligned = line.x0 <= previous.x0 + INDENT_EM * line.size
        if not aligned:
            return False
        if self._is_full(previous, geometry):
            return True
        # Line breaking may leave a line of a paragraph a few characters short (a quotation mark
        # cannot start a line, a number is not split): in a document whose paragraphs start
        # indented, it still continues when the next line starts at the left edge.
        left = geometry.left[line.page]
        return (geometry.indents and abs(line.x0 - left) <= INDENT_EM * line.size
                and previous.x0 <= left + 2.5 * line.size
                and previous.x1 >= geometry.right[line.page] - 4 * line.size)

    def _continues_centred(self, current: list[PrintedLine], line: PrintedLine, geometry: Geometry) -> bool:
        """The second line of a centred paragraph (a subtitle wrapped under its title): the first
        fills the width without the indent that starts a paragraph in this document, and does not
        end a sentence."""
        first = current[0]
        return (len(current) == 1 and geometry.indents
                and abs(first.x0 - geometry.left[first.page]) <= INDENT_EM * first.size
                and self._is_full(first, geometry) and not ends_sentence(first.text)
                and self._is_centred(line, geometry))

    def _logical_lines(self, lines: list[PrintedLine], geometry: Geometry) -> list[LogicalLine]:
        groups: list[list[PrintedLine]] = []
        for line in lines:
            line.hang_x = _hang_x(line)
            if groups and self._continues(groups[-1], line, geometry):
                groups[-1].append(line)
            else:
                groups.append([line])
        result: list[LogicalLine] = []
        for group in groups:
            first = group[0]
            chars = [c for line in group for c in line.chars]
            if _bullet(first) and not bulleted_column(first.text):
                self._skip(first, "项目符号", first.chars[0]["text"])
                chars = strip_blank(chars[1:])
            title = self._is_title(first, geometry)
            text = "".join(c["text"] for c in chars) if title else self._marked_text(chars)
            # The masthead is set in red: its lines are headings even where they are not large.
            result.append(LogicalLine(text=text, level=1 if title or first.red else 0, page=first.page,
                                      no=first.no, printed=group,
                                      indented=not title and self._is_indented(first, geometry),
                                      centred=self._is_centred(group[-1], geometry)
                                      and all(self._is_full(line, geometry) for line in group[:-1])))
        return result

    def _marked_text(self, chars: list[dict]) -> str:
        """The text with its bold runs between `**`: a lead-in, or a whole heading line."""
        bold = [is_bold(c) for c in chars]
        if not any(bold):
            return "".join(c["text"] for c in chars)
        parts: list[str] = []
        run: list[str] = []
        run_bold = bold[0]
        for char, char_bold in zip(chars, bold, strict=True):
            if char_bold != run_bold:
                parts.append(_wrap("".join(run), run_bold))
                run, run_bold = [], char_bold
            run.append(char["text"])
        parts.append(_wrap("".join(run), run_bold))
        return "".join(parts)


def _wrap(text: str, bold: bool) -> str:
    if not bold or not text.strip() or "*" in text:
        return text
    return f"**{text}**"


def read_pdf(content: bytes, *, name: str = "") -> PdfText:
    """Read the logical lines of a text-based PDF; raise ArchiveFormatError for scans and broken files."""
    return PdfReader(content, name=name).read()


def parse_pdf(content: bytes, *, name: str = "") -> ArchiveIssue:
    """Read a bulletin printed as PDF into the structure every archive file gives."""
    from bulletins.archive.rules import Line
    from bulletins.archive.text_parser import parse_lines

    read = read_pdf(content, name=name)
    lines = [Line(no=index + 1, raw=line.text, text=line.text.strip(), level=line.level,
                  page=line.page, page_line=line.no, indented=line.indented, centred=line.centred)
             for index, line in enumerate(read.lines)]
    issue = parse_lines(lines, name=name)
    issue.skipped = sorted([*read.skipped, *issue.skipped], key=lambda s: (s.page or 0, s.line))
    issue.doubts = [*read.found, *issue.doubts]
    issue.read_from_layout = True
    return issue
