"""Join hard-wrapped text (pdftotext, a copy from a PDF reader) into its paragraphs again.

Each printed line of such text ends at the width of the page. A line that reaches that
width continues in the next one; a line indented more than the one before it starts a new
paragraph; a blank line ends one, except where a page break (a form feed, a page number
such as `—2—`, `- 2 -`, `第 2 页`) cuts a paragraph. Page numbers and running heads are
dropped and listed; the small bullets a TOC puts before its entries are dropped and listed
too. No other character is changed: the halves of a line are joined as they are, with a
space only between two Latin letters or digits (where the line break replaced one).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from bulletins.archive.rules import (
    BARE_PAGE_NUMBER_RE,
    BULLET_GLYPHS,
    PRINTED_PAGE_NUMBER_RE,
    TAIL_LABEL_RE,
    TOC_ENTRY_END_RE,
    Line,
    bulleted_column,
    column_name,
    make_line,
)
from bulletins.archive.types import SkippedLine
from bulletins.article_parts import EDITOR_NOTE_RE, SOURCE_RE
from bulletins.headings import H2_RE, H3_RE
from bulletins.text import ends_sentence

PAGE_NUMBER_SLACK = 10
LEADING_BULLET_RE = re.compile(rf"^(?P<bullet>[{BULLET_GLYPHS}])(?P<gap>\s+)(?=\S)")
DIGIT_RE = re.compile(r"\d+")
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
LAYOUT_COLUMNS_RE = re.compile(r"\S {5,}\S")
ASCII_WORD = re.compile(r"[A-Za-z0-9]")

FULL_TOLERANCE = 1.25  # a line this close to the width of the page (in em) is full
JUSTIFIED_SPACES = 3  # what the stretched spaces of a justified line may add to its width
CENTRED_INDENT = 8  # -layout output indents a centred line by more spaces than any paragraph
SHORT_BY_BREAKING = 4  # line breaking leaves a line of a paragraph at most this much short
MIN_WRAPPED_LINES = 8
MIN_WRAPPED_SHARE = 0.35
MAX_PAGE_WIDTH = 60


def split_lines(text: str) -> list[str]:
    """Lines as an editor counts them: a form feed (a page break in pdftotext output) stays
    in its line, unlike str.splitlines()."""
    lines = LINE_BREAK_RE.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def width(text: str) -> float:
    """Width in em: CJK, full-width and (in Chinese type) ambiguous forms such as “” take one,
    Latin letters and digits half."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


@dataclass
class RawLine:
    no: int
    text: str  # stripped of the form feed and of surrounding whitespace
    indent: int  # leading spaces
    page_break: bool  # a form feed before it

    @property
    def width(self) -> float:
        return width(self.text)


@dataclass
class Reflowed:
    lines: list[Line]
    skipped: list[SkippedLine] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)
    capacity: float = 0


def _raw_lines(lines: list[str]) -> list[RawLine]:
    result = []
    for index, raw in enumerate(lines):
        page_break = "\f" in raw
        text = raw.replace("\f", "")
        stripped = text.lstrip(" \u3000\t")
        result.append(RawLine(no=index + 1, text=stripped.rstrip(), indent=len(text) - len(stripped),
                              page_break=page_break))
    return result


def capacity(lines: list[RawLine]) -> float | None:
    """The width of a full line: the most common width of the long lines, when there is one."""
    widths = [line.indent / 2 + line.width for line in lines if line.width >= 12]
    if len(widths) < MIN_WRAPPED_LINES:
        return None
    counts = Counter(round(w) for w in widths)
    mode = max(counts, key=lambda w: (counts[w], w))
    near = [w for w in widths if mode - FULL_TOLERANCE <= w <= mode + 1]
    if mode > MAX_PAGE_WIDTH or len(near) < MIN_WRAPPED_SHARE * len(widths):
        return None
    return max(near)


def is_hard_wrapped(lines: list[str]) -> bool:
    """Whether most long lines of a text end at one width, as lines printed on a page do."""
    return capacity(_raw_lines(lines)) is not None


class Reflower:
    def __init__(self, lines: list[str]) -> None:
        self.raw = _raw_lines(lines)
        self.capacity = capacity(self.raw) or 0.0
        self.skipped: list[SkippedLine] = []
        self.doubts: list[str] = []
        # -layout output keeps the first-line indent of paragraphs; plain output does not.
        self.local: dict[int, float] = {}
        self.merged_widths: dict[int, float] = {}
        self.indented = sum(1 for line in self.raw if line.text and 1 <= line.indent <= 4) >= 3

    def _skip(self, line: RawLine, reason: str, text: str | None = None) -> None:
        self.skipped.append(SkippedLine(line=line.no, text=line.text if text is None else text,
                                        reason=reason))

    def _furniture(self) -> set[int]:
        """Page numbers and running heads/feet: lines next to a page break, or repeated at it."""
        breaks = [i for i, line in enumerate(self.raw) if line.page_break]
        edges: list[int] = []
        for position in breaks:
            after = next((i for i in range(position, len(self.raw)) if self.raw[i].text), None)
            before = next((i for i in range(position - 1, -1, -1) if self.raw[i].text), None)
            edges.extend(i for i in (after, before) if i is not None)
        last = next((i for i in range(len(self.raw) - 1, -1, -1) if self.raw[i].text), None)
        if last is not None:
            edges.append(last)
        furniture: set[int] = set()
        for index, line in enumerate(self.raw):
            compact = line.text.replace(" ", "")
            # A bare number at a page's edge is its number only if the document has about that
            # many pages (an excerpt may start later): 100 in a file of 12 pages is a piece of a
            # sentence (宣讲100场) that pdftotext set apart.
            if PRINTED_PAGE_NUMBER_RE.match(compact) or (
                    index in edges and BARE_PAGE_NUMBER_RE.match(compact)
                    and int(compact) <= len(breaks) + 1 + PAGE_NUMBER_SLACK):
                self._skip(line, "页码")
                furniture.add(index)
        repeated = Counter(DIGIT_RE.sub("#", self.raw[i].text) for i in set(edges) if i not in furniture)
        needed = 3 if len(breaks) >= 3 else 2
        heads = {text for text, count in repeated.items() if count >= needed and len(breaks) >= 2
                 and not column_name(make_line(0, text))}
        # pdftotext does not always print a running head first on its page: the same line
        # anywhere after the first page break is the running head too.
        first_break = breaks[0] if breaks else len(self.raw)
        for index, line in enumerate(self.raw):
            if index not in furniture and line.text and DIGIT_RE.sub("#", line.text) in heads \
                    and (index >= first_break or index in edges):
                self._skip(line, "页眉页脚")
                furniture.add(index)
        return furniture

    def _local_capacity(self, furniture: set[int]) -> dict[int, float]:
        """A block between blank lines (a TOC entry) may be narrower than the page: its full
        lines are as wide as its widest line but the last."""
        local: dict[int, float] = {}
        block: list[int] = []

        def close() -> None:
            widths = [self.raw[i].indent / 2 + self.raw[i].width for i in block[:-1]]
            if widths and 0.75 * self.capacity <= max(widths) < self.capacity - FULL_TOLERANCE:
                for i in block:
                    local[i] = max(widths)
            block.clear()

        for index, line in enumerate(self.raw):
            if index in furniture:
                continue
            if not line.text or line.text in BULLET_GLYPHS:
                close()
            else:
                block.append(index)
        close()
        return local

    def _same_printed_line(self, paragraph: list[RawLine], text: str, printed_width: float,
                           line: RawLine) -> bool:
        """Whether a piece after a blank line completes the printed line of the piece before."""
        together = printed_width + line.width
        if self.indented:
            return False  # -layout output keeps the pieces of a printed line together
        if together > self.capacity + 0.5 or ends_sentence(text) or SOURCE_RE.match(paragraph[-1].text) \
                or column_name(make_line(line.no, line.text)) or TAIL_LABEL_RE.match(line.text) \
                or column_name(make_line(paragraph[0].no, paragraph[0].text)):
            return False
        if len(paragraph) >= 2:
            return True  # inside a paragraph of the body: the pieces of its next line
        # The first line of a paragraph: only when the pieces fill it.
        full = self.capacity - (0 if self.indented else 2) - FULL_TOLERANCE - JUSTIFIED_SPACES
        return together >= full

    def _full(self, line: RawLine, *, first: bool) -> bool:
        if self.indented and line.indent > CENTRED_INDENT:
            return False  # a centred line of -layout output (a title, subtitle or byline)
        capacity = self.local.get(line.no - 1, self.capacity)
        if first and not self.indented:
            capacity -= 2  # the first line of a paragraph, its indent lost
        if line.no in self.merged_widths:
            # A printed line cut into pieces at its spaces: the spaces were stretched.
            return self.merged_widths[line.no] >= capacity - FULL_TOLERANCE - JUSTIFIED_SPACES
        return line.indent / 2 + line.width >= capacity - FULL_TOLERANCE

    def _continues(self, paragraph: list[RawLine], line: RawLine, hang: int | None) -> bool:
        previous = paragraph[-1]
        if column_name(make_line(line.no, line.text)) or TAIL_LABEL_RE.match(line.text) \
                or TOC_ENTRY_END_RE.search(previous.text) \
                or LEADING_BULLET_RE.match(line.text) or line.text in BULLET_GLYPHS:
            return False
        if LAYOUT_COLUMNS_RE.search(previous.text) or LAYOUT_COLUMNS_RE.search(line.text):
            return False  # two things printed side by side (an office and a date)
        if hang is not None and abs(line.indent - hang) <= 1:
            aligned = True
        elif self.indented:
            aligned = line.indent <= previous.indent
        else:
            aligned = True
        if not aligned:
            return False
        if self._full(previous, first=len(paragraph) == 1):
            if ends_sentence(previous.text) and (H2_RE.match(line.text) or H3_RE.match(line.text)
                                                 or SOURCE_RE.match(line.text)):
                return False  # a heading 一、 or （一）, or a source line, after a paragraph
            if not self.indented and (ends_sentence(previous.text) or len(paragraph) == 1):
                # (After a first line that does not end a sentence, a wrong break here is
                # mended by the parser, which joins a paragraph cut mid-sentence.)
                # Plain pdftotext output loses the indent, but a paragraph's first line
                # still holds two characters fewer than a full line.
                shortfall = self.capacity - line.width
                if 1.5 <= shortfall <= 3.75 and line.indent == 0:
                    return False
            return True
        # A line of a paragraph a few characters short (a quotation mark may not start a
        # line, a number is not split) continues when the text does not end there and the
        # next line is not indented.
        return (previous.indent / 2 + previous.width >= self.capacity - SHORT_BY_BREAKING
                and not ends_sentence(previous.text) and line.indent <= min(p.indent for p in paragraph))

    def reflow(self) -> Reflowed:
        furniture = self._furniture()
        self.local = self._local_capacity(furniture)
        paragraphs: list[list[RawLine]] = []
        texts: list[str] = []
        printed_width = 0.0  # of the printed line the last line belongs to (see below)
        blank = False
        hang: int | None = None
        page_break = False
        force_new = False
        in_masthead = True  # until the first column heading: its lines are centred, not justified
        for index, line in enumerate(self.raw):
            if index in furniture:
                page_break = True
                continue
            if line.page_break:
                page_break = True
            if not line.text:
                if not page_break:
                    blank = True
                continue
            text = line.text
            if text in BULLET_GLYPHS:
                self._skip(line, "项目符号")
                force_new = True
                continue
            bullet = LEADING_BULLET_RE.match(text) if not bulleted_column(text) else None
            if bullet:
                self._skip(line, "项目符号", bullet.group("bullet"))
                text = text[bullet.end():]
            # A 编者按 never continues what stands before it (a TOC entry, a paragraph).
            force_new = force_new or bool(EDITOR_NOTE_RE.match(text))
            previous = paragraphs[-1][-1] if paragraphs else None
            # In -layout text a blank line inside a page is a gap the page shows (between a
            # byline and its article, a heading and its text): it ends the paragraph.
            after_full = (previous is not None and not (self.indented and blank)
                          and self._full(previous, first=len(paragraphs[-1]) == 1))
            in_masthead = in_masthead and not column_name(make_line(line.no, text))
            if paragraphs and blank and not after_full and not force_new and not bullet and not in_masthead \
                    and self._same_printed_line(paragraphs[-1], texts[-1], printed_width, line):
                # pdftotext cuts a printed line at a wide justified space and sets the
                # pieces apart with a blank line: together they are as wide as a line.
                paragraphs[-1].append(line)
                texts[-1] = _join(texts[-1], text)
                printed_width += line.width
                self.merged_widths[line.no] = printed_width
            elif paragraphs and (not blank or after_full) and not force_new and not bullet \
                    and self._continues(paragraphs[-1], line, hang):
                paragraphs[-1].append(line)
                texts[-1] = _join(texts[-1], text)
                printed_width = line.width
            else:
                paragraphs.append([line])
                texts.append(text)
                printed_width = line.width
                hang = line.indent + len(bullet.group(0)) if bullet else _label_hang(line)
            page_break = force_new = blank = False
        result = [make_line(paragraph[0].no, text)
                  for paragraph, text in zip(paragraphs, texts, strict=True)]
        return Reflowed(lines=result, skipped=sorted(self.skipped, key=lambda s: s.line),
                        doubts=self.doubts, capacity=self.capacity)


def _label_hang(line: RawLine) -> int | None:
    """Continuation lines of a 版记 line align after its label (发：)."""
    match = re.match(r"^(\S{1,4}[：:])", line.text)
    return line.indent + len(match.group(1)) * 2 if match else None


def _join(left: str, right: str) -> str:
    if left and right and ASCII_WORD.match(left[-1]) and ASCII_WORD.match(right[0]):
        return f"{left} {right}"
    return left + right


def reflow_lines(lines: list[str]) -> Reflowed:
    """The logical lines of hard-wrapped text, numbered by the first file line of each."""
    return Reflower(lines).reflow()
