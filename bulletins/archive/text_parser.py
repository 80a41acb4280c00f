"""Read a bulletin from text extracted from its PDF, plain or Markdown, into an ArchiveIssue.

A bulletin has a masthead (marking, name, number, office, date), an optional table of
contents grouped by column, the columns with their articles, and a tail (报/送/发 lines,
office, print run, editorial contact block). The parser finds those parts by what they
look like, not by the layout of one office, and keeps every character of the text: only
leading/trailing whitespace of a line and Markdown markers (`#`, `**`, `- ` in the TOC)
are treated as markup. Each part is read by its own module: masthead.py, toc.py,
boundaries.py (where articles start), article.py and tail.py; the line rules are in rules.py.
"""

from __future__ import annotations

from bulletins.archive.article import build_article, is_byline
from bulletins.archive.boundaries import (
    Anchor,
    anchor_titles,
    check_lengths,
    guess_titles,
    join_wrapped_entries,
    next_content,
    split_glued_titles,
)
from bulletins.archive.context import ParseContext, context_for_text
from bulletins.archive.masthead import parse_masthead, split_side_by_side
from bulletins.archive.rules import DISTRIBUTION_RE, Line, column_name, compact, is_artefact
from bulletins.archive.tail import find_tail_start, parse_tail
from bulletins.archive.toc import TocEntry, find_toc_end, parse_toc, reject_toc_only
from bulletins.archive.types import ArchiveColumn, ArchiveIssue
from bulletins.article_parts import EDITOR_NOTE_RE, looks_like_byline


class TextParser:
    """Find the parts of a bulletin in its lines, in order: masthead, tail, TOC, body, tail."""

    def __init__(self, ctx: ParseContext, *, name: str = "") -> None:
        self.ctx = ctx
        self.name = name
        self.decoration = "none"
        self.has_toc = False

    def parse(self) -> ArchiveIssue:
        ctx = self.ctx
        if not any(not line.blank for line in ctx.lines):
            raise ctx.error(None, "文件为空，没有可导入的内容。")
        if ctx.one_entry_per_line:
            ctx.lines = split_side_by_side(ctx.lines)
        column_indexes = [i for i, line in enumerate(ctx.lines) if column_name(line)]
        masthead_end = column_indexes[0] if column_indexes else len(ctx.lines)
        # The issue's 编者按 stands before the body: under the masthead, or under the TOC.
        note = self._issue_note(0, masthead_end)
        issue = parse_masthead(ctx, note if note is not None else masthead_end)
        if note is not None:
            issue.editor_note = self._note_text(note, masthead_end)
        if not column_indexes:
            last = ctx.lines[-1].no if ctx.lines else None
            raise ctx.error(last, "文件在第一篇文章之前结束：报头之后应有栏目"
                                  "（如“【上情下达】”“●学习动态”）和文章。")
        tail_start = find_tail_start(ctx.lines, masthead_end)
        toc_end = find_toc_end(ctx.lines, column_indexes, tail_start)
        toc: list[TocEntry] = []
        if toc_end is None:
            reject_toc_only(ctx, masthead_end, tail_start)
        else:
            toc_note = self._issue_note(masthead_end, toc_end) if note is None else None
            if toc_note is not None:
                issue.editor_note = self._note_text(toc_note, toc_end)
            toc, decoration = parse_toc(ctx, masthead_end, toc_note if toc_note is not None else toc_end)
            self.decoration = decoration or self.decoration
        self.has_toc = bool(toc)
        body_start = toc_end if toc_end is not None else masthead_end
        if ctx.one_entry_per_line and toc:
            toc = join_wrapped_entries(ctx.lines, toc, body_start, tail_start)
            tail_start += split_glued_titles(ctx, body_start, tail_start, toc)
        issue.columns = self._parse_body(body_start, tail_start, toc)
        if not issue.articles:
            raise ctx.error(ctx.lines[-1].no, "文件在第一篇文章之前结束：栏目之后应有文章标题和正文。")
        parse_tail(ctx, tail_start, issue)
        if not issue.distribution:
            self._doubt_tail_in_body(body_start, tail_start)
        issue.settings.prints_toc = bool(toc)
        issue.settings.toc_shows_pages = any(entry.page is not None for entry in toc)
        issue.settings.column_decoration = self.decoration
        check_lengths(ctx, issue)
        issue.skipped = sorted(ctx.skipped, key=lambda s: (s.page or 0, s.line))
        issue.warnings = ctx.warnings
        issue.doubts = ctx.doubts
        return issue

    def _doubt_tail_in_body(self, start: int, end: int) -> None:
        """A 报/发 line left in the body means the 版记 was not told apart from the last article."""
        line = next((line for line in self.ctx.lines[start:end] if DISTRIBUTION_RE.match(line.plain)), None)
        if line is not None:
            self.ctx.doubt(line, "像是版记的分发行，却读在正文中（未能确定版记从哪里开始），"
                                 f"未导入：{line.plain[:40]}")

    def _issue_note(self, start: int, end: int) -> int | None:
        return next((index for index in range(start, end)
                     if EDITOR_NOTE_RE.match(self.ctx.lines[index].plain)), None)

    def _note_text(self, start: int, end: int) -> str:
        """The 编者按 from its line to `end`, without its label, one line per paragraph."""
        lines: list[str] = []
        for line in self.ctx.lines[start:end]:
            if line.blank:
                continue
            if reason := is_artefact(line):
                self.ctx.skip(line, reason)
                continue
            lines.append(EDITOR_NOTE_RE.sub("", line.plain, count=1).strip() if not lines else line.plain)
        return "\n".join(lines)

    def _parse_body(self, start: int, end: int, toc: list[TocEntry]) -> list[ArchiveColumn]:
        """Walk the body: column headings open columns, titles open articles, the rest is text."""
        ctx = self.ctx
        anchors = anchor_titles(ctx, start, end, toc) if toc else guess_titles(ctx.lines, start, end)
        columns: list[ArchiveColumn] = []
        current: ArchiveColumn | None = None
        anchor_at = {anchor.start: anchor for anchor in anchors}
        index = start
        article_lines: list[Line] = []
        article: Anchor | None = None
        loose: list[Line] = []  # under a column heading, before its first title

        def close_article() -> None:
            if article is None:
                return
            target = current
            if target is None:
                target = ArchiveColumn(name=article.toc.column if article.toc else "未分栏目")
                columns.append(target)
            target.articles.append(build_article(ctx, article, article_lines, has_toc=self.has_toc))

        while index < end:
            line = ctx.lines[index]
            heading = column_name(line)
            if heading and index not in anchor_at:
                close_article()
                self._doubt_loose(loose)
                article, article_lines = None, []
                self.decoration = heading[1]
                # A heading repeating the column just read (after a page break) continues it.
                if not columns or compact(columns[-1].name) != compact(heading[0]):
                    columns.append(ArchiveColumn(name=heading[0]))
                current = columns[-1]
                index += 1
                continue
            if index in anchor_at:
                following = anchor_at[index]
                before = article_lines if article is not None else loose
                following.byline_above = self._byline_above(before, following, under_column=article is None)
                if following.byline_above is not None:
                    before.remove(following.byline_above)
                close_article()
                self._doubt_loose(loose)
                article, article_lines = following, []
                index = article.end
                continue
            if article is None:
                if not line.blank:
                    loose.append(line)
            else:
                article_lines.append(line)
            index += 1
        close_article()
        self._doubt_loose(loose)
        return [column for column in columns if column.articles]

    def _doubt_loose(self, loose: list[Line]) -> None:
        for line in loose:
            if reason := is_artefact(line):
                self.ctx.skip(line, reason)
            else:
                self.ctx.doubt(line, f"不属于任何文章的一行，未导入：{line.plain}")
        loose.clear()

    def _byline_above(self, before: list[Line], anchor: Anchor, *, under_column: bool) -> Line | None:
        """The byline of the article at `anchor` where it is printed above the title: the last
        line before the title, when the TOC names it, or when it looks like a byline and stands
        under the column heading or centred. Where the text cannot show whether such a line is
        centred (the last line of the article before, or this one's byline), it is a doubt."""
        content = [line for line in before if not line.blank]
        if not content:
            return None
        last = content[-1]
        entry = anchor.toc
        if entry is not None and entry.byline:
            return last if compact(last.plain) == compact(entry.byline) else None
        if last.level or not looks_like_byline(last.plain) or self._byline_under(anchor):
            return None
        if last.centred or (under_column and last.centred is None):
            return last
        if last.centred is None:
            title = "".join(line.plain for line in anchor.title_lines)
            self.ctx.doubt(last, f"《{title}》标题上方的“{last.plain}”像是署名，但无法确定是本篇的署名"
                                 "还是上一篇末尾的落款，暂作上一篇的最后一段。")
        return None

    def _byline_under(self, anchor: Anchor) -> bool:
        following = next_content(self.ctx.lines, anchor.end, len(self.ctx.lines))
        return following is not None and is_byline(following, anchor.toc)


def parse_text(text: str, *, name: str = "") -> ArchiveIssue:
    """Parse the text of one bulletin; raise ArchiveFormatError when it is not one."""
    return TextParser(context_for_text(text), name=name).parse()


def parse_lines(lines: list[Line], *, name: str = "", keeps_paragraphs: bool = False) -> ArchiveIssue:
    """Parse lines already joined from a printed layout (PDF, hard-wrapped text), or the
    paragraphs of a Word file (`keeps_paragraphs`: no page break cut them)."""
    ctx = ParseContext(lines, one_entry_per_line=True, keeps_paragraphs=keeps_paragraphs)
    return TextParser(ctx, name=name).parse()
