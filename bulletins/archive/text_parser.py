"""Read a bulletin from text extracted from its PDF, plain or Markdown, into an ArchiveIssue.

A bulletin has a masthead (marking, name, number, office, date), an optional table of
contents grouped by column, the columns with their articles, and a tail (报/送/发 lines,
office, print run, editorial contact block). The parser finds those parts by what they
look like, not by the layout of one office, and keeps every character of the text: only
leading/trailing whitespace of a line and Markdown markers (`#`, `**`, `- ` in the TOC)
are treated as markup.
"""

from __future__ import annotations

import datetime
import difflib
import html
import re
import statistics
from dataclasses import dataclass, field

from bulletins.archive.rules import (  # noqa: F401 - re-exported for the tests
    BARE_NUMBER_RE,
    BARE_YEAR_RE,
    BOLD_RE,
    BULLET_RE,
    BYLINE_TAIL_RE,
    CJK_SPACE_RE,
    CLOSING,
    COLUMN_RE,
    CONTACT_RE,
    DATE_RE,
    DISTRIBUTION_RE,
    EDITOR_NOTE_RE,
    FUZZY_TITLE_RATIO,
    H2_RE,
    H3_RE,
    H4_RE,
    HEADING_MAX,
    LONG_ARTICLE_MIN,
    LONG_ARTICLE_RATIO,
    MARKING_RE,
    MD_HEADING_RE,
    NUMBER_RE,
    OFFICE_PUNCTUATION_RE,
    OFFICE_TAIL_RE,
    ONE_DOT_LEADER_RE,
    PAGE_NUMBER_RE,
    PRINT_RUN_RE,
    RULE_RE,
    SENTENCE_END,
    SENTENCE_PUNCTUATION,
    SIDE_BY_SIDE_RE,
    SOURCE_RE,
    TAG_RE,
    TITLE_MAX,
    TOC_LABEL_RE,
    TOC_LEADER_END_RE,
    TOC_LEADER_RE,
    TOC_LEADER_START_RE,
    TOC_PAGE_END_RE,
    TOC_PAGE_RE,
    TOTAL_RE,
    WHITESPACE_RE,
    WHOLE_BOLD_RE,
    YEAR_NUMBER_RE,
    Line,
    _make_line,
    column_name,
    compact,
    ends_sentence,
    is_artefact,
)
from bulletins.archive.types import (
    ArchiveArticle,
    ArchiveColumn,
    ArchiveFormatError,
    ArchiveIssue,
    PublicationSettings,
    SkippedLine,
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


@dataclass
class Block:
    kind: str  # p, h2, h3, h4
    text: str
    lines: list[int]


class TextParser:
    """Find the parts of a bulletin in its lines.

    `one_entry_per_line` is for lines already joined from their printed layout (a PDF, or
    hard-wrapped text): there every TOC line that does not start with a leader is an entry.
    """

    def __init__(self, text: str | None = None, *, name: str, lines: list[Line] | None = None,
                 one_entry_per_line: bool = False) -> None:
        self.name = name
        if lines is None:
            lines = [_make_line(i + 1, raw) for i, raw in enumerate((text or "").splitlines())]
        self.lines = lines
        self.by_no = {line.no: line for line in lines}
        self.one_entry_per_line = one_entry_per_line
        self.skipped: list[SkippedLine] = []
        self.warnings: list[str] = []
        self.doubts: list[str] = []
        self.decoration = "none"
        self.has_toc = False

    # ---- helpers -------------------------------------------------------------------------
    def _skip(self, line: Line, reason: str) -> None:
        self.skipped.append(SkippedLine(line=line.page_line if line.page else line.no,
                                        page=line.page, text=line.raw.strip(), reason=reason))

    def _warn(self, line: Line | None, message: str) -> None:
        self.warnings.append(f"{line.where}：{message}" if line else message)

    def _doubt(self, line: Line | None, message: str) -> None:
        """A doubt about the structure: the file is imported only when the editor confirms it."""
        self.doubts.append(f"{line.where}：{message}" if line else message)

    def _error(self, line_no: int | None, message: str) -> ArchiveFormatError:
        line = self.by_no.get(line_no) if line_no is not None else None
        if line is not None and line.page:
            return ArchiveFormatError(message, line=line.page_line, page=line.page)
        return ArchiveFormatError(message, line=line_no)

    # ---- entry point -------------------------------------------------------------------
    def parse(self) -> ArchiveIssue:
        if not any(not line.blank for line in self.lines):
            raise self._error(None, "文件为空，没有可导入的内容。")
        if self.one_entry_per_line:
            self._split_side_by_side_masthead()
        column_indexes = [i for i, line in enumerate(self.lines) if column_name(line)]
        masthead_end = column_indexes[0] if column_indexes else len(self.lines)
        issue = self._parse_masthead(masthead_end)
        if not column_indexes:
            last = self.lines[-1].no if self.lines else None
            raise self._error(last, "文件在第一篇文章之前结束：报头之后应有栏目"
                                    "（如“【上情下达】”“●学习动态”）和文章。")
        tail_start = self._find_tail_start(masthead_end)
        toc_end = self._find_toc_end(column_indexes, tail_start)
        if toc_end is None:
            self._reject_toc_only(masthead_end, tail_start)
        toc = self._parse_toc(masthead_end, toc_end) if toc_end is not None else []
        self.has_toc = bool(toc)
        body_start = toc_end if toc_end is not None else masthead_end
        if self.one_entry_per_line and toc:
            toc = self._join_wrapped_entries(toc, body_start, tail_start)
            tail_start += self._split_glued_titles(body_start, tail_start, toc)
        issue.columns = self._parse_body(body_start, tail_start, toc)
        if not issue.articles:
            raise self._error(self.lines[-1].no,
                              "文件在第一篇文章之前结束：栏目之后应有文章标题和正文。")
        self._parse_tail(tail_start, issue)
        issue.settings.prints_toc = bool(toc)
        issue.settings.toc_shows_pages = any(entry.page is not None for entry in toc)
        issue.settings.column_decoration = self.decoration
        self._check_lengths(issue)
        issue.skipped = sorted(self.skipped, key=lambda s: (s.page or 0, s.line))
        issue.warnings = self.warnings
        issue.doubts = self.doubts
        return issue

    def _join_wrapped_entries(self, toc: list[TocEntry], start: int, end: int) -> list[TocEntry]:
        """A TOC entry wrapped over lines that were not joined: two entries found nowhere in the
        body on their own, but together as a title, are one."""
        toc = list(toc)
        index = 0
        while index < len(toc) - 1:
            first, second = toc[index], toc[index + 1]
            if (first.column == second.column and first.page is None and not first.byline
                    and self._find_title(start, end, first, exact_only=True) is None):
                joined = TocEntry(column=first.column, text=first.text + second.text, byline=second.byline,
                                  page=second.page, line=first.line)
                if self._find_title(start, end, joined, exact_only=True) is not None:
                    toc[index:index + 2] = [joined]
                    continue
            split = self._split_entry(first, start, end)
            if split:
                toc[index:index + 1] = split
            index += 1
        if toc and len(toc) > index:
            split = self._split_entry(toc[-1], start, end)
            if split:
                toc[-1:] = split
        return toc

    def _split_entry(self, entry: TocEntry, start: int, end: int) -> list[TocEntry] | None:
        """Two entries of a TOC without page numbers read as one line: split where both halves
        are titles of the body."""
        text = entry.text
        if self._find_title(start, end, entry, exact_only=True) is not None:
            return None
        for cut in range(4, len(text) - 3):
            first = TocEntry(column=entry.column, text=text[:cut].strip(), line=entry.line)
            second = TocEntry(column=entry.column, text=text[cut:].strip(), byline=entry.byline,
                              page=entry.page, line=entry.line)
            if (self._find_title(start, end, first, exact_only=True) is not None
                    and self._find_title(start, end, second, exact_only=True) is not None):
                return [first, second]
        return None

    def _split_glued_titles(self, start: int, end: int, toc: list[TocEntry]) -> int:
        """Where joining printed lines glued a title of the TOC to the paragraph before or after
        it, split it off again; return how many lines were added."""
        added = 0
        for entry in toc:
            target = compact(entry.text)
            if len(target) < 4:
                continue
            texts = [compact(line.plain) for line in self.lines[start:end + added]]
            if any(text == target or (len(text) >= 4 and target.startswith(text)) for text in texts):
                continue
            for index in range(start, end + added):
                line = self.lines[index]
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
                position = _position_after(line.text, cut)
                first, second = line.text[:position].strip(), line.text[position:].strip()
                self.lines[index:index + 1] = [
                    Line(no=line.no, raw=first, text=first, level=line.level, page=line.page,
                         page_line=line.page_line),
                    Line(no=line.no, raw=second, text=second, level=line.level, page=line.page,
                         page_line=line.page_line)]
                self._warn(line, f"标题《{entry.text}》与相邻段落连在一行，已按目录分开。")
                added += 1
                break
        return added

    def _split_side_by_side_masthead(self) -> None:
        """Things printed side by side under the masthead (office, number, date) or in the 版记
        (office, 共印) are lines of their own."""
        lines: list[Line] = []
        in_masthead = True
        for line in self.lines:
            in_masthead = in_masthead and not column_name(line)
            parts = SIDE_BY_SIDE_RE.split(line.text)
            # Below the masthead only 共印 N 份 beside the office in the 版记 is split off.
            if not in_masthead and not any(PRINT_RUN_RE.match(part.strip()) for part in parts):
                lines.append(line)
                continue
            lines.extend(Line(no=line.no, raw=part, text=part.strip(), level=line.level, page=line.page,
                              page_line=line.page_line) for part in parts)
        self.lines = lines

    def _check_lengths(self, issue: ArchiveIssue) -> None:
        """An article far longer than the others may be two read as one."""
        lengths = [(len(TAG_RE.sub("", article.body_html)), article) for article in issue.articles]
        if len(lengths) < 3:
            return
        for length, article in lengths:
            others = sorted(other for other, a in lengths if a is not article)
            typical = statistics.median(others)
            if length >= LONG_ARTICLE_MIN and length > LONG_ARTICLE_RATIO * typical:
                line = self.by_no.get(article.line) if article.line else None
                self._doubt(line, f"《{article.title}》有 {length} 字，是其他文章（中位数 {int(typical)} 字）"
                                  f"的 {length / typical:.1f} 倍，可能把后面的文章并入了这一篇，请核对。")

    # ---- masthead ----------------------------------------------------------------------
    def _parse_masthead(self, end: int) -> ArchiveIssue:
        marking = ""
        name_lines: list[str] = []
        name_levels: list[int] = []
        office: list[str] = []
        number = total = year = None
        special = False
        date = None
        per_year = False
        for line in self.lines[:end]:
            if line.blank:
                continue
            plain = line.plain
            if RULE_RE.match(plain):
                self._skip(line, "分隔线")
                continue
            if (number is None and not name_lines and not marking and MARKING_RE.search(plain)
                    and len(plain) <= 20):
                marking = plain
                continue
            if number is None and (match := YEAR_NUMBER_RE.match(plain)):
                year, number = int(match.group("year")), int(match.group("number"))
                total = int(match.group("total")) if match.group("total") else total
                special = bool(match.group("special"))
                per_year = True
                continue
            if number is None and (match := NUMBER_RE.match(plain)):
                number = int(match.group("number"))
                total = int(match.group("total")) if match.group("total") else total
                special = bool(match.group("special"))
                continue
            if number is None and name_lines and (match := BARE_NUMBER_RE.match(plain)):
                number = int(match.group("number"))
                special = bool(match.group("special"))
                per_year = True
                continue
            if year is None and name_lines and (match := BARE_YEAR_RE.match(plain)):
                year = int(match.group("year"))
                per_year = True
                continue
            if total is None and (match := TOTAL_RE.match(plain)):
                total = int(match.group("total"))
                continue
            if date is None and (match := DATE_RE.search(plain)):
                date = self._date(match, line)
                before = plain[:match.start()].strip()
                if before:
                    office.append(before)
                continue
            if number is None and date is None:
                name_lines.append(plain)
                name_levels.append(line.level)
            elif date is None:
                office.append(plain)
            else:
                self._warn(line, f"报头中无法归类的一行，未导入：{plain}")
        office = self._office_before_number(name_lines, name_levels) + office
        first = next((line.no for line in self.lines if not line.blank), None)
        if not name_lines:
            raise self._error(first, "未找到报头：文件开头应是刊物名称（如“工作简报”）"
                                     "和期号（如“第 454 期”）。")
        if number is None:
            raise self._error(first, "未找到报头中的期号：应有“第 454 期”或“2023年第9期”这样的一行。")
        if date is None:
            raise self._error(first, "未找到报头中的签发日期：应有“2023 年 11 月 25 日”这样的一行。")
        if year is not None and year != date.year:
            self._warn(None, f"报头年份 {year} 与签发日期 {date.isoformat()} 不一致，按签发日期的年份导入。")
        if len(name_lines) == 1:
            parts = name_lines[0].rsplit(None, 1)
            prefix, name = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        else:
            prefix, name = " ".join(name_lines[:-1]), name_lines[-1]
            if self.one_entry_per_line:
                # A name set in wide letter-spacing (工 作 简 报) comes out of pdftotext spaced.
                name = CJK_SPACE_RE.sub("", name)
        settings = PublicationSettings(
            numbering="per_year" if per_year or total is not None else "continuous",
            has_total_number=total is not None,
            total_number_offset=(total - 1) if total else 0,
        )
        return ArchiveIssue(
            publication=name, publication_prefix=prefix, marking=marking, year=date.year,
            number=number, total_number=total, special=special, date=date,
            issuing_office=office, settings=settings,
        )

    def _office_before_number(self, name_lines: list[str], levels: list[int]) -> list[str]:
        """Lines before the number that belong to the issuing office, taken out of `name_lines`:
        in a PDF the lines not set large; in text a last line that names an office."""
        if self.one_entry_per_line and any(levels) and not all(levels):
            office = [text for text, level in zip(name_lines, levels, strict=True) if not level]
            name_lines[:] = [text for text, level in zip(name_lines, levels, strict=True) if level]
            return office
        if len(name_lines) >= 2 and OFFICE_TAIL_RE.search(name_lines[-1]):
            return [name_lines.pop()]
        return []

    def _date(self, match: re.Match, line: Line) -> datetime.date:
        try:
            return datetime.date(int(match.group("year")), int(match.group("month")),
                                 int(match.group("day")))
        except ValueError as exc:
            raise self._error(line.no, f"签发日期无效：{match.group(0)}。") from exc

    # ---- table of contents --------------------------------------------------------------
    def _find_toc_end(self, column_indexes: list[int], tail_start: int) -> int | None:
        """The body starts where the first column heading appears a second time."""
        first = column_name(self.lines[column_indexes[0]])
        assert first is not None  # noqa: S101 - column_indexes only holds column headings
        for index in column_indexes[1:]:
            if index >= tail_start:
                break
            current = column_name(self.lines[index])
            if current and compact(current[0]) == compact(first[0]):
                return index
        return None

    def _reject_toc_only(self, start: int, end: int) -> None:
        """A file cut after its table of contents has column headings and list items only."""
        content = [line for line in self.lines[start:end] if not line.blank and not column_name(line)]
        if all(BULLET_RE.match(line.plain) or re.match(r"^[.．…·]{2,}", line.plain) for line in content):
            last = content[-1].no if content else self.lines[end - 1].no
            raise self._error(last, "文件在第一篇文章之前结束：只有目录，没有正文，"
                                    "应有栏目下的文章标题和正文。")

    def _starts_toc_entry(self, text: str, last: TocEntry, with_pages: bool) -> bool:
        if TOC_LEADER_START_RE.match(text):
            return False  # the leader and page of the entry above
        if not self.one_entry_per_line:
            return last.page is not None
        # Lines joined from their layout: an entry runs to its page number where the TOC
        # shows them, else each line is an entry.
        return last.complete if with_pages else True

    def _parse_toc(self, start: int, end: int) -> list[TocEntry]:
        with_pages = any(TOC_PAGE_END_RE.search(line.plain) for line in self.lines[start:end])
        entries: list[TocEntry] = []
        current_column = ""
        for line in self.lines[start:end]:
            if line.blank:
                continue
            heading = column_name(line)
            if heading:
                current_column = heading[0]
                self.decoration = heading[1]
                continue
            if TOC_LABEL_RE.match(compact(line.plain)):
                self._skip(line, "目录标题")
                continue
            if reason := is_artefact(line):
                self._skip(line, reason)
                continue
            text = line.plain
            if BULLET_RE.match(text):
                entries.append(TocEntry(column=current_column, text="", line=line.no))
                text = BULLET_RE.sub("", text, count=1)
            elif not entries or self._starts_toc_entry(text, entries[-1], with_pages):
                entries.append(TocEntry(column=current_column, text="", line=line.no))
            entries[-1].parts.append(text)
            if with_pages and TOC_PAGE_END_RE.search(text):
                entries[-1].complete = True
        for entry in entries:
            self._finish_toc_entry(entry)
        return entries

    def _finish_toc_entry(self, entry: TocEntry) -> None:
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
            if leader and (re.search(r"[.．…·。]{2,}|\s{3,}", part) or ONE_DOT_LEADER_RE.search(part)):
                if leader.group("text"):
                    title_parts.append(leader.group("text"))
                rest = leader.group("rest")
                page = TOC_PAGE_RE.match(rest)
                if page:
                    entry.page = int(page.group("page"))
                    rest = page.group("text")
                entry.byline = rest.strip()
            else:
                title_parts.append(part)
        # A title the TOC wraps over two lines is one title: join without adding anything.
        entry.text = "".join(title_parts).strip()

    # ---- body --------------------------------------------------------------------------
    def _parse_body(self, start: int, end: int, toc: list[TocEntry]) -> list[ArchiveColumn]:
        anchors = self._anchor_titles(start, end, toc) if toc else self._guess_titles(start, end)
        columns: list[ArchiveColumn] = []
        current: ArchiveColumn | None = None
        anchor_at = {anchor.start: anchor for anchor in anchors}
        index = start
        article_lines: list[Line] = []
        article: _Anchor | None = None

        def close_article() -> None:
            if article is None:
                return
            target = current
            if target is None:
                target = ArchiveColumn(name=article.toc.column if article.toc else "未分栏目")
                columns.append(target)
            target.articles.append(self._build_article(article, article_lines))

        while index < end:
            line = self.lines[index]
            heading = column_name(line)
            if heading and index not in anchor_at:
                close_article()
                article, article_lines = None, []
                self.decoration = heading[1]
                # A heading repeating the column just read (after a page break) continues it.
                if not columns or compact(columns[-1].name) != compact(heading[0]):
                    columns.append(ArchiveColumn(name=heading[0]))
                current = columns[-1]
                index += 1
                continue
            if index in anchor_at:
                close_article()
                article, article_lines = anchor_at[index], []
                index = article.end
                continue
            if article is None:
                if not line.blank:
                    reason = is_artefact(line)
                    if reason:
                        self._skip(line, reason)
                    else:
                        self._doubt(line, f"不属于任何文章的一行，未导入：{line.plain}")
            else:
                article_lines.append(line)
            index += 1
        close_article()
        return [column for column in columns if column.articles]

    def _anchor_titles(self, start: int, end: int, toc: list[TocEntry]) -> list[_Anchor]:
        anchors: list[_Anchor] = []
        position = start
        for entry in toc:
            found = self._find_title(position, end, entry)
            if found is None:
                self._doubt(self.by_no.get(entry.line), f"目录中的《{entry.text}》在正文中未找到，"
                                                        "正文中可能与其他文章合在一起。")
                continue
            if found.fuzzy and self.one_entry_per_line and not found.title_lines[0].level:
                # (In a PDF a near match set in title type is the title: kept as 目录标题.)
                self._doubt(found.title_lines[0], f"目录中的《{entry.text}》在正文中只找到相近的标题"
                                                  f"《{found.title_lines[0].plain}》，请核对。")
            again = self._find_title(found.end, end, entry, exact_only=True)
            if again is not None:
                self._doubt(again.title_lines[0], f"目录中的《{entry.text}》在正文中出现两次"
                                                  f"（{found.title_lines[0].where}），按第一次导入。")
            anchors.append(found)
            position = found.end
        return anchors

    def _title_candidates(self, start: int, end: int):
        for index in range(start, end):
            line = self.lines[index]
            if line.blank or column_name(line) or is_artefact(line):
                continue
            yield index, line

    def _find_title(self, start: int, end: int, entry: TocEntry, *,
                    exact_only: bool = False) -> _Anchor | None:
        target = compact(entry.text)
        if not target:
            return None
        fuzzy: _Anchor | None = None
        for index, line in self._title_candidates(start, end):
            text = compact(line.plain)
            if text == target:
                return _Anchor(start=index, end=index + 1, title_lines=[line], toc=entry)
            if len(text) >= 4 and target.startswith(text):
                taken = [line]
                joined = text
                for next_index, next_line in self._title_candidates(index + 1, end):
                    candidate = joined + compact(next_line.plain)
                    if not target.startswith(candidate):
                        break
                    taken.append(next_line)
                    joined = candidate
                    if joined == target:
                        return _Anchor(start=index, end=next_index + 1, title_lines=taken, toc=entry)
            # A near match is kept only in case no line further on matches exactly.
            if (not exact_only and fuzzy is None and len(line.plain) <= TITLE_MAX
                    and not ends_sentence(line.plain)
                    and difflib.SequenceMatcher(None, text, target).ratio() >= FUZZY_TITLE_RATIO):
                fuzzy = _Anchor(start=index, end=index + 1, title_lines=[line], toc=entry, fuzzy=True)
        return fuzzy

    def _guess_titles(self, start: int, end: int) -> list[_Anchor]:
        """Without a TOC: a title is the first line of a column, or a title-like line after an article."""
        anchors: list[_Anchor] = []
        expect_title = False
        previous: Line | None = None
        for index in range(start, end):
            line = self.lines[index]
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
            if title_like and (expect_title or after_source
                               or (after_article and line.level and not line.whole_bold)):
                if anchors and anchors[-1].end == index and line.text.startswith("——"):
                    anchors[-1].title_lines.append(line)
                    anchors[-1].end = index + 1
                else:
                    anchors.append(_Anchor(start=index, end=index + 1, title_lines=[line], toc=None))
                expect_title = False
            previous = line
        return anchors

    def _build_article(self, anchor: _Anchor, lines: list[Line]) -> ArchiveArticle:
        title_lines = anchor.title_lines
        title = title_lines[0].plain
        subtitle_parts: list[str] = []
        for line in title_lines[1:]:
            is_subtitle = (line.plain.startswith("—") or line.level != title_lines[0].level
                           or subtitle_parts)
            if is_subtitle:
                subtitle_parts.append(line.plain)
            else:
                title += line.plain
        article = ArchiveArticle(title=title, subtitle="".join(subtitle_parts), line=title_lines[0].no)
        entry = anchor.toc
        if entry is not None:
            entry_text = entry.text
            if compact(entry_text) != compact(title):
                article.toc_title = entry_text
            elif self.one_entry_per_line and len(title.split()) < len(entry_text.split()):
                # The printed title was broken over lines where the TOC shows its spaces.
                article.title = entry_text
            article.toc_page = entry.page
        content = [line for line in lines if not line.blank]
        # Subtitle, byline and editor's note stand right under the title.
        if content and not article.subtitle and content[0].plain.startswith("——") \
                and len(content[0].plain) <= TITLE_MAX:
            article.subtitle = content.pop(0).plain
        if content and self._is_byline(content[0], entry):
            article.byline = content.pop(0).plain
        elif entry is not None and entry.byline:
            self._warn(content[0] if content else None,
                       f"目录中《{entry.text}》的署名“{entry.byline}”在正文中未找到，按目录导入。")
            article.byline = entry.byline
        if content and EDITOR_NOTE_RE.match(content[0].plain):
            article.editor_note = content.pop(0).plain
        # Artefacts anywhere are reported, not kept.
        kept: list[Line] = []
        for line in content:
            reason = is_artefact(line)
            if reason:
                self._skip(line, reason)
            else:
                kept.append(line)
        if kept and SOURCE_RE.match(kept[-1].plain) and len(kept) > 1:
            article.source = kept.pop().plain
        blocks = self._blocks(kept)
        article.body_html = "".join(_render_block(block) for block in blocks)
        return article

    def _is_byline(self, line: Line, entry: TocEntry | None) -> bool:
        plain = line.plain
        if entry is not None and entry.byline:
            return compact(plain) == compact(entry.byline)
        return (len(plain) <= 30 and not line.level and not line.whole_bold
                and not any(ch in "，。；：！？,;:!?“”" for ch in plain)
                and not (H2_RE.match(plain) or H3_RE.match(plain) or H4_RE.match(plain))
                and bool(BYLINE_TAIL_RE.search(plain)))

    def _blocks(self, lines: list[Line]) -> list[Block]:
        blocks: list[Block] = []
        for position, line in enumerate(lines):
            kind = self._heading_kind(line, lines, position)
            text = line.text
            if kind != "p":
                text = line.plain if line.whole_bold else text
                blocks.append(Block(kind=kind, text=text, lines=[line.no]))
                continue
            previous = blocks[-1] if blocks else None
            if (previous is not None and previous.kind == "p" and not ends_sentence(previous.text)
                    and not text.startswith("**")):
                # A page break cut the paragraph: join the halves without adding anything.
                if not self.has_toc and len(previous.lines) == 1 and _looks_like_title(previous.text):
                    self._doubt(self.by_no.get(previous.lines[0]),
                                f"“{previous.text}”像是一篇文章的标题，但没有目录可以对照，"
                                "已作为段落的开头并入下一段，请核对是否漏分了文章。")
                previous.text += text
                previous.lines.append(line.no)
            else:
                blocks.append(Block(kind="p", text=text, lines=[line.no]))
        return blocks

    def _heading_kind(self, line: Line, lines: list[Line], position: int) -> str:
        plain = line.plain
        if len(plain) > HEADING_MAX or any(ch in "。！？!?" for ch in plain[:-1]):
            return "p"
        if H2_RE.match(plain):
            return "h2"
        if H3_RE.match(plain):
            return "h3"
        if H4_RE.match(plain) and not ends_sentence(plain):
            return "h4"
        marked = line.level > 0 or line.whole_bold
        if marked and not ends_sentence(plain) and not plain.endswith(("，", "、", ",")):
            return "h2"
        is_last = position == len(lines) - 1
        if (not marked and not is_last and position > 0 and len(plain) <= 25
                and not any(ch in SENTENCE_PUNCTUATION for ch in plain)
                and ends_sentence(lines[position - 1].plain)
                and len(lines[position + 1].plain) > len(plain)):
            return "h2"
        return "p"

    # ---- tail --------------------------------------------------------------------------
    def _is_tail_line(self, line: Line) -> bool:
        plain = line.plain
        return bool(DISTRIBUTION_RE.match(plain) or PRINT_RUN_RE.match(plain) or CONTACT_RE.search(plain))

    def _find_tail_start(self, start: int) -> int:
        """The tail starts at the first 报/送/发 (or 共印, contact) line after which only tail lines,
        rules and short lines such as the issuing office follow."""
        def rest_is_tail(index: int) -> bool:
            for line in self.lines[index + 1:]:
                if line.blank or is_artefact(line) or self._is_tail_line(line):
                    continue
                if len(line.plain) > 40 or "。" in line.plain:
                    return False
            return True

        for pattern in (DISTRIBUTION_RE, None):
            for index in range(start, len(self.lines)):
                line = self.lines[index]
                matches = (pattern.match(line.plain) if pattern is not None
                           else self._is_tail_line(line))
                if matches and rest_is_tail(index):
                    return index
        return len(self.lines)

    def _is_office_line(self, text: str, issue: ArchiveIssue) -> bool:
        """Whether a line under the 报/送/发 lines is the issuing office (as in the masthead),
        not the rest of a 发 line wrapped where the text did not show it."""
        office = OFFICE_PUNCTUATION_RE.sub("", "".join(issue.issuing_office))
        found = OFFICE_PUNCTUATION_RE.sub("", text)
        return bool(found) and bool(office) and (office.startswith(found) or found.startswith(office))

    def _parse_tail(self, start: int, issue: ArchiveIssue) -> None:
        office: list[str] = []
        editorial: list[str] = []
        for line in self.lines[start:]:
            if line.blank:
                continue
            reason = is_artefact(line)
            if reason:
                self._skip(line, reason)
                continue
            plain = line.plain
            distribution = DISTRIBUTION_RE.match(plain)
            print_run = PRINT_RUN_RE.match(plain)
            if distribution and not editorial:
                issue.distribution.append((distribution.group("role"), distribution.group("text").strip()))
            elif print_run:
                issue.print_run = int(print_run.group("count"))
            elif CONTACT_RE.search(plain) or editorial:
                editorial.append(plain)
            elif issue.distribution and not office and (
                    issue.distribution[-1][1].endswith(("、", "；", "，"))
                    or (self.one_entry_per_line and not self._is_office_line(plain, issue))):
                role, text = issue.distribution[-1]
                issue.distribution[-1] = (role, text + plain)
            else:
                office.append(plain)
        issue.editorial_block = "\n".join(editorial)
        issue.tail_office = office
        if office and compact("".join(office)) != compact("".join(issue.issuing_office)):
            self._warn(None, f"版记中的编印单位“{' '.join(office)}”与报头“{' '.join(issue.issuing_office)}”"
                             "不同，按报头导入。")
        if not issue.distribution:
            self._warn(None, "未找到报、送、发等分发行。")


@dataclass
class _Anchor:
    start: int
    end: int
    title_lines: list[Line]
    toc: TocEntry | None
    fuzzy: bool = False


def _looks_like_title(text: str) -> bool:
    """A short line with no punctuation of a sentence in it."""
    plain = text.replace("**", "").strip()
    return 4 <= len(plain) <= TITLE_MAX and not any(ch in SENTENCE_PUNCTUATION for ch in plain)


def _position_after(text: str, count: int) -> int:
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


def _inline_html(text: str) -> str:
    parts: list[str] = []
    position = 0
    for match in BOLD_RE.finditer(text):
        parts.append(html.escape(text[position:match.start()], quote=False))
        parts.append(f"<strong>{html.escape(match.group('inner'), quote=False)}</strong>")
        position = match.end()
    parts.append(html.escape(text[position:], quote=False))
    return "".join(parts)


def _render_block(block: Block) -> str:
    return f"<{block.kind}>{_inline_html(block.text)}</{block.kind}>"


def parse_text(text: str, *, name: str = "") -> ArchiveIssue:
    """Parse the text of one bulletin; raise ArchiveFormatError when it is not one."""
    return TextParser(text, name=name).parse()


def parse_lines(lines: list[Line], *, name: str = "") -> ArchiveIssue:
    """Parse lines already joined from a printed layout (PDF, hard-wrapped text)."""
    return TextParser(name=name, lines=lines, one_entry_per_line=True).parse()
