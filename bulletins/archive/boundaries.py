"""Where each article starts: its title found in the body from the TOC (however the body splits
or spaces it), or guessed where there is no TOC; TOC entries the joining of printed lines got
wrong, repaired against the body; and an article so long that it may be two."""

from __future__ import annotations

import dataclasses
import difflib
import statistics
from collections.abc import Iterator
from dataclasses import dataclass

from bulletins.archive.context import ParseContext
from bulletins.archive.rules import (
    FUZZY_TITLE_RATIO,
    GLUED_PAGE_RE,
    LONG_ARTICLE_MIN,
    LONG_ARTICLE_RATIO,
    TAG_RE,
    Line,
    column_name,
    compact,
    is_artefact,
)
from bulletins.archive.toc import TocEntry
from bulletins.archive.types import ArchiveIssue
from bulletins.article_parts import SOURCE_RE, TITLE_MAX, looks_like_byline
from bulletins.headings import H2_RE, H3_RE, H4_RE
from bulletins.text import ends_sentence


@dataclass
class Anchor:
    """An article's title: the lines it takes (`start` to `end`) and the TOC entry it matches."""

    start: int
    end: int
    title_lines: list[Line]
    toc: TocEntry | None
    fuzzy: bool = False
    byline_above: Line | None = None  # the article's byline, printed above its title


def title_candidates(lines: list[Line], start: int, end: int) -> Iterator[tuple[int, Line]]:
    for index in range(start, end):
        line = lines[index]
        if line.blank or column_name(line) or is_artefact(line):
            continue
        yield index, line


def find_title(lines: list[Line], start: int, end: int, entry: TocEntry, *,
               exact_only: bool = False) -> Anchor | None:
    """The first title of the body that is the entry's text, on one line or several; else, unless
    `exact_only`, the first line close to it."""
    target = compact(entry.text)
    if not target:
        return None
    fuzzy: Anchor | None = None
    for index, line in title_candidates(lines, start, end):
        text = compact(line.plain)
        if text == target:
            return Anchor(start=index, end=index + 1, title_lines=[line], toc=entry)
        if len(text) >= 4 and target.startswith(text):
            taken = [line]
            joined = text
            for next_index, next_line in title_candidates(lines, index + 1, end):
                candidate = joined + compact(next_line.plain)
                if not target.startswith(candidate):
                    break
                taken.append(next_line)
                joined = candidate
                if joined == target:
                    return Anchor(start=index, end=next_index + 1, title_lines=taken, toc=entry)
        # A near match is kept only in case no line further on matches exactly.
        if not exact_only and fuzzy is None:
            fuzzy = near_title(lines, index, end, entry)
    return fuzzy


def near_title(lines: list[Line], index: int, end: int, entry: TocEntry) -> Anchor | None:
    """The title at `index` when it is close to the entry's text: one line, or the lines of a
    title set in title type over several lines (a title broken by hand, a TOC title that
    leaves out a word)."""
    first = lines[index]
    taken = [(index, first)]
    if first.level:
        for following in title_candidates(lines, index + 1, end):
            if following[1].level != first.level or len(taken) == 3:
                break
            taken.append(following)
    target = compact(entry.text)
    for count in range(len(taken), 0, -1):
        title_lines = [line for _, line in taken[:count]]
        text = "".join(line.plain for line in title_lines)
        if (len(text) <= TITLE_MAX and not ends_sentence(text)
                and difflib.SequenceMatcher(None, compact(text), target).ratio() >= FUZZY_TITLE_RATIO):
            return Anchor(start=index, end=taken[count - 1][0] + 1, title_lines=title_lines, toc=entry,
                          fuzzy=True)
    return None


def anchor_titles(ctx: ParseContext, start: int, end: int, toc: list[TocEntry]) -> list[Anchor]:
    """Find the TOC's titles in the body, in order; what is missing, doubled or only near is a doubt."""
    anchors: list[Anchor] = []
    position = start
    for entry in toc:
        found = find_title(ctx.lines, position, end, entry)
        if found is None:
            ctx.doubt(ctx.by_no.get(entry.line), f"目录中的《{entry.text}》在正文中未找到，"
                                                 "正文中可能与其他文章合在一起。")
            continue
        if found.fuzzy and ctx.one_entry_per_line and not found.title_lines[0].level:
            # (In a PDF a near match set in title type is the title: kept as 目录标题.)
            ctx.doubt(found.title_lines[0], f"目录中的《{entry.text}》在正文中只找到相近的标题"
                                            f"《{found.title_lines[0].plain}》，请核对。")
        again = find_title(ctx.lines, found.end, end, entry, exact_only=True)
        if again is not None:
            ctx.doubt(again.title_lines[0], f"目录中的《{entry.text}》在正文中出现两次"
                                            f"（{found.title_lines[0].where}），按第一次导入。")
        anchors.append(found)
        position = found.end
    return anchors


def guess_titles(lines: list[Line], start: int, end: int) -> list[Anchor]:
    """Without a TOC: a title is the first line of a column, or a title-like line after an article."""
    anchors: list[Anchor] = []
    expect_title = False
    previous: Line | None = None
    for index in range(start, end):
        line = lines[index]
        if line.blank or is_artefact(line):
            continue
        if column_name(line):
            expect_title = True
            previous = None
            continue
        title_like = (len(line.plain) <= TITLE_MAX and not ends_sentence(line.plain)
                      and not (H2_RE.match(line.plain) or H3_RE.match(line.plain)
                               or H4_RE.match(line.plain)))
        after_source = previous is not None and bool(SOURCE_RE.match(previous.plain))
        after_article = previous is not None and ends_sentence(previous.plain)
        if (not line.level and looks_like_byline(line.plain)
                and (following := next_content(lines, index + 1, end)) is not None and following.level):
            # A byline above the title under it (set in larger type), or the signature of the
            # article before: not a title either way (text_parser decides which).
            continue
        continues_title = (anchors and anchors[-1].end == index and title_like and line.level
                           and line.level == anchors[-1].title_lines[-1].level)
        if continues_title:
            # A title set over two lines the layout did not join (a page break between them).
            anchors[-1].title_lines.append(line)
            anchors[-1].end = index + 1
        elif title_like and (expect_title or after_source
                             or (after_article and line.level and not line.whole_bold)):
            if anchors and anchors[-1].end == index and line.text.startswith("——"):
                anchors[-1].title_lines.append(line)
                anchors[-1].end = index + 1
            else:
                anchors.append(Anchor(start=index, end=index + 1, title_lines=[line], toc=None))
            expect_title = False
        previous = line
    return anchors


def next_content(lines: list[Line], start: int, end: int) -> Line | None:
    """The first line from `start` that is neither blank nor page furniture."""
    return next((line for _, line in title_candidates(lines, start, end)), None)


def join_wrapped_entries(lines: list[Line], toc: list[TocEntry], start: int, end: int) -> list[TocEntry]:
    """A TOC entry wrapped over lines that were not joined: two entries found nowhere in the
    body on their own, but together as a title, are one; one entry that is two titles is split."""
    toc = [split_glued_page(lines, entry, start, end) for entry in toc]
    index = 0
    while index < len(toc) - 1:
        first, second = toc[index], toc[index + 1]
        if (first.column == second.column and first.page is None and not first.byline
                and find_title(lines, start, end, first, exact_only=True) is None):
            joined = TocEntry(column=first.column, text=first.text + second.text, byline=second.byline,
                              page=second.page, line=first.line)
            if find_title(lines, start, end, joined, exact_only=True) is not None:
                toc[index:index + 2] = [joined]
                continue
        split = split_entry(lines, first, start, end)
        if split:
            toc[index:index + 1] = split
        index += 1
    if toc and len(toc) > index:
        split = split_entry(lines, toc[-1], start, end)
        if split:
            toc[-1:] = split
    return toc


def split_glued_page(lines: list[Line], entry: TocEntry, start: int, end: int) -> TocEntry:
    """A page number the layout set right after the title (a tab stop close by): taken as the
    page where the entry is a title of the body only without it."""
    glued = GLUED_PAGE_RE.match(entry.text)
    if entry.page is not None or glued is None or find_title(lines, start, end, entry, exact_only=True):
        return entry
    bare = dataclasses.replace(entry, text=glued.group("text").strip(), page=int(glued.group("page")))
    return bare if find_title(lines, start, end, bare, exact_only=True) else entry


def split_entry(lines: list[Line], entry: TocEntry, start: int, end: int) -> list[TocEntry] | None:
    """Two entries of a TOC without page numbers read as one line: split where both halves
    are titles of the body."""
    text = entry.text
    if find_title(lines, start, end, entry, exact_only=True) is not None:
        return None
    for cut in range(4, len(text) - 3):
        first = TocEntry(column=entry.column, text=text[:cut].strip(), line=entry.line)
        second = TocEntry(column=entry.column, text=text[cut:].strip(), byline=entry.byline,
                          page=entry.page, line=entry.line)
        if (find_title(lines, start, end, first, exact_only=True) is not None
                and find_title(lines, start, end, second, exact_only=True) is not None):
            return [first, second]
    return None


def split_glued_titles(ctx: ParseContext, start: int, end: int, toc: list[TocEntry]) -> int:
    """Where joining printed lines glued a title of the TOC to the paragraph before or after
    it, split it off again; return how many lines were added."""
    added = 0
    for entry in toc:
        target = compact(entry.text)
        if len(target) < 4:
            continue
        texts = [compact(line.plain) for line in ctx.lines[start:end + added]]
        if any(text == target or (len(text) >= 4 and target.startswith(text)) for text in texts):
            continue
        for index in range(start, end + added):
            line = ctx.lines[index]
            text = texts[index - start]
            cut = None
            if text.startswith(target) and len(text) > len(target):
                cut = len(target)
            else:
                for size in range(min(len(text) - 1, len(target)), 3, -1):
                    if text.endswith(target[:size]) and ends_sentence(text[:-size]):
                        cut = len(text) - size
                        break
            if cut is None:
                continue
            position = position_after(line.text, cut)
            first, second = line.text[:position].strip(), line.text[position:].strip()
            ctx.lines[index:index + 1] = [
                Line(no=line.no, raw=first, text=first, level=line.level, page=line.page,
                     page_line=line.page_line),
                Line(no=line.no, raw=second, text=second, level=line.level, page=line.page,
                     page_line=line.page_line)]
            ctx.warn(line, f"标题《{entry.text}》与相邻段落连在一行，已按目录分开。")
            added += 1
            break
    return added


def position_after(text: str, count: int) -> int:
    """The index in `text` after its first `count` characters that are not whitespace or `**`."""
    seen = 0
    index = 0
    while index < len(text) and seen < count:
        if text.startswith("**", index):
            index += 2
            continue
        if not text[index].isspace():
            seen += 1
        index += 1
    return index


def check_lengths(ctx: ParseContext, issue: ArchiveIssue) -> None:
    """An article far longer than the others may be two read as one: a doubt."""
    lengths = [(len(TAG_RE.sub("", article.body_html)), article) for article in issue.articles]
    if len(lengths) < 3:
        return
    for length, article in lengths:
        others = sorted(other for other, a in lengths if a is not article)
        typical = statistics.median(others)
        if length >= LONG_ARTICLE_MIN and length > LONG_ARTICLE_RATIO * typical:
            line = ctx.by_no.get(article.line) if article.line else None
            ctx.doubt(line, f"《{article.title}》有 {length} 字，是其他文章（中位数 {int(typical)} 字）"
                            f"的 {length / typical:.1f} 倍，可能把后面的文章并入了这一篇，请核对。")
