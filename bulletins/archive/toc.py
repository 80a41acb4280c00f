"""The table of contents: where it ends, its entries (column, title, byline, page) however the
leader, the byline and the page number are laid out, and a file cut after it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bulletins.archive.context import ParseContext
from bulletins.archive.rules import (
    BULLET_RE,
    GLUED_PAGE_RE,
    SPACED_PAGE_RE,
    TOC_LABEL_RE,
    TOC_LEADER_END_RE,
    TOC_LEADER_RE,
    TOC_LEADER_START_RE,
    TOC_PAGE_END_RE,
    TOC_PAGE_RE,
    Line,
    column_name,
    compact,
    is_artefact,
)


@dataclass
class TocEntry:
    column: str
    text: str
    byline: str = ""
    page: int | None = None
    line: int = 0
    parts: list[str] = field(default_factory=list)
    complete: bool = False


def find_toc_end(lines: list[Line], column_indexes: list[int], tail_start: int) -> int | None:
    """The body starts where the first column heading appears a second time."""
    first = column_name(lines[column_indexes[0]])
    assert first is not None  # noqa: S101 - column_indexes only holds column headings
    for index in column_indexes[1:]:
        if index >= tail_start:
            break
        current = column_name(lines[index])
        if current and compact(current[0]) == compact(first[0]):
            return index
    return None


def reject_toc_only(ctx: ParseContext, start: int, end: int) -> None:
    """A file cut after its table of contents has column headings and list items only."""
    content = [line for line in ctx.lines[start:end] if not line.blank and not column_name(line)]
    if all(BULLET_RE.match(line.plain) or TOC_LEADER_START_RE.match(line.plain) for line in content):
        last = content[-1].no if content else ctx.lines[end - 1].no
        raise ctx.error(last, "文件在第一篇文章之前结束：只有目录，没有正文，"
                              "应有栏目下的文章标题和正文。")


def parse_toc(ctx: ParseContext, start: int, end: int) -> tuple[list[TocEntry], str | None]:
    """The entries of the TOC between `start` and `end`, and the decoration of its column headings."""
    with_pages = any(TOC_PAGE_END_RE.search(line.plain) for line in ctx.lines[start:end])
    entries: list[TocEntry] = []
    current_column = ""
    decoration = None
    for line in ctx.lines[start:end]:
        if line.blank:
            continue
        heading = column_name(line)
        if heading:
            current_column, decoration = heading
            continue
        if TOC_LABEL_RE.match(compact(line.plain)):
            ctx.skip(line, "目录标题")
            continue
        if reason := is_artefact(line):
            ctx.skip(line, reason)
            continue
        text = line.plain
        if BULLET_RE.match(text):
            entries.append(TocEntry(column=current_column, text="", line=line.no))
            text = BULLET_RE.sub("", text, count=1)
        elif not entries or starts_toc_entry(text, entries[-1], with_pages=with_pages,
                                             from_layout=ctx.one_entry_per_line):
            entries.append(TocEntry(column=current_column, text="", line=line.no))
        entries[-1].parts.append(text)
        if with_pages and (TOC_PAGE_END_RE.search(text)
                           or (ctx.one_entry_per_line and GLUED_PAGE_RE.match(text))):
            # (From a layout, a number right after the title may be its page set at a tab stop
            # close by; whether it is, the body decides: boundaries.split_glued_page.)
            entries[-1].complete = True
    for entry in entries:
        finish_toc_entry(entry, with_pages=with_pages)
    return entries, decoration


def starts_toc_entry(text: str, last: TocEntry, *, with_pages: bool, from_layout: bool) -> bool:
    """Whether a TOC line starts a new entry rather than continuing `last`."""
    if TOC_LEADER_START_RE.match(text):
        return False  # the leader and page of the entry above
    if not from_layout:
        return last.page is not None
    # Lines joined from their layout: an entry runs to its page number where the TOC
    # shows them, else each line is an entry.
    return last.complete if with_pages else True


def finish_toc_entry(entry: TocEntry, *, with_pages: bool = False) -> None:
    """Read the entry's lines (`parts`) into its title, byline and page (`with_pages`: in a TOC
    that shows pages, a number after a space with no leader is the page too)."""
    title_parts: list[str] = []
    parts: list[str] = []
    for part in entry.parts:
        # A leader that ends its line leads to the byline and page on the next one.
        if parts and TOC_LEADER_END_RE.search(parts[-1]):
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    for part in parts:
        leader = TOC_LEADER_RE.match(part)
        if leader:
            if leader.group("text"):
                title_parts.append(leader.group("text"))
            rest = leader.group("rest")
            page = TOC_PAGE_RE.match(rest)
            if page:
                entry.page = int(page.group("page"))
                rest = page.group("text")
            entry.byline = rest.strip()
        elif with_pages and part is parts[-1] and (page := SPACED_PAGE_RE.match(part)):
            title_parts.append(page.group("text"))
            entry.page = int(page.group("page"))
        else:
            title_parts.append(part)
    # A title the TOC wraps over two lines is one title: join without adding anything.
    entry.text = "".join(title_parts).strip()
