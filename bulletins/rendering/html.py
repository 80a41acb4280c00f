"""Build the HTML of an issue in the official layout; WeasyPrint turns it into the PDF."""

from __future__ import annotations

import html as html_lib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from bulletins.models import ADDITION_LABEL, Issue
from bulletins.rendering.fonts import ROLE_KEYS, FontFace, FontSet, current_fonts
from bulletins.rendering.typesetting import typeset_body
from bulletins.sanitize import sanitize_html

# GB/T 9704: a 156 × 225 mm text block holding 22 lines of 28 characters.
BLOCK_WIDTH_MM = 156
BLOCK_HEIGHT_MM = 225
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
TITLE_PT = 22
# CJK faces draw ideographs in an em box from 0.88 em above the baseline to 0.12 below.
EM_BOX_ASCENT = 0.88


def em_top_offset_mm(fonts: FontSet) -> float:
    """How far below the top of a grid line the body characters start.

    The text block starts at the characters of its first line, so the page's top margin
    is 37 mm less this. Pango centres the font's ascent + descent in the line.
    """
    face = fonts.face("body")
    ascent, descent = (face.ascent, face.descent) if face else (EM_BOX_ASCENT, 1 - EM_BOX_ASCENT)
    size = BLOCK_WIDTH_MM / CHARS_PER_LINE
    pitch = BLOCK_HEIGHT_MM / LINES_PER_PAGE
    return pitch / 2 + (ascent - descent) * size / 2 - EM_BOX_ASCENT * size


TITLE_CHARS_PER_LINE = math.floor(BLOCK_WIDTH_MM / 25.4 * 72 / TITLE_PT)


@dataclass
class PrintedArticle:
    anchor: str
    title: str
    title_lines: list[str]
    toc_title: str
    subtitle: str
    byline: str
    source: str
    editor_note: str
    body: SafeString
    toc_page: int | None = None  # printed literally once a first layout has found it

    def texts(self) -> list[str]:
        return [self.title, self.toc_title, self.subtitle, self.byline, self.source,
                self.editor_note, html_text(self.body)]


@dataclass
class PrintedColumn:
    anchor: str
    heading: str
    articles: list[PrintedArticle] = field(default_factory=list)


@dataclass
class PrintedIssue:
    """Everything the template prints, loaded in a fixed, small number of queries."""

    issue: Issue
    title: str
    marking: str
    name_prefix: str
    name: str
    number_label: str
    total_number_label: str
    office_lines: list[str]
    date_label: str
    editor_note: str
    columns: list[PrintedColumn]
    distribution: list[tuple[str, str]]
    print_run: int | None
    editorial_lines: list[str]
    prints_toc: bool
    toc_shows_pages: bool
    double_sided: bool
    number_first_page: bool
    number_tail_page: bool

    @property
    def articles(self) -> list[PrintedArticle]:
        return [article for column in self.columns for article in column.articles]

    def texts(self) -> list[tuple[str, str]]:
        """(where, text) for every piece of printed text, for the glyph check."""
        where_masthead, where_tail = "报头", "版记"
        texts = [(where_masthead, t) for t in (
            self.marking, self.name_prefix, self.name, self.number_label,
            self.total_number_label, self.date_label, *self.office_lines)]
        texts.append(("编者按", self.editor_note))
        for column in self.columns:
            texts.append((f"栏目“{column.heading}”", column.heading))
            texts += [(f"《{article.title}》", text) for article in column.articles
                      for text in article.texts()]
        texts += [(where_tail, f"{role}：{names}") for role, names in self.distribution]
        texts += [(where_tail, line) for line in self.editorial_lines]
        return texts


@dataclass(frozen=True)
class DocumentMetadata:
    """What the PDF, Word and OFD files of an issue say about themselves besides its title."""

    author: str
    subject: str
    keywords: tuple[str, ...]

    @property
    def keyword_line(self) -> str:
        return "，".join(self.keywords)


def document_metadata(printed: PrintedIssue) -> DocumentMetadata:
    """The issuing offices, the article titles and the columns (without their decoration)."""
    return DocumentMetadata(
        author="、".join(printed.office_lines),
        subject="；".join(article.title for article in printed.articles),
        keywords=tuple(column.heading.strip("【】●") for column in printed.columns),
    )


_TAG = re.compile(r"<[^>]*>")


def html_text(fragment: str) -> str:
    return html_lib.unescape(_TAG.sub(" ", fragment))


def _width(text: str) -> float:
    """Width in em: CJK, full-width forms and the ambiguous ones (“”‘’…—, set full width in a
    Chinese face) take one; Latin letters and digits a little over half."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WFA" else 0.6 for ch in text)


NO_LINE_START = set("，。、；：！？）》」』”’…—·")


def balance_title(title: str, chars_per_line: int = TITLE_CHARS_PER_LINE) -> list[str]:
    """Break a long title into lines of similar length, at its spaces where it has them."""
    title = " ".join(title.split())
    if _width(title) <= chars_per_line:
        return [title]
    parts = title.split(" ")
    if len(parts) > 1 and all(_width(p) <= chars_per_line for p in parts):
        lines_needed = math.ceil(_width(title.replace(" ", "")) / chars_per_line)
        for count in range(lines_needed, len(parts) + 1):
            target = _width(title.replace(" ", "")) / count
            lines: list[str] = []
            current = ""
            for part in parts:
                joined = f"{current} {part}".strip()
                if current and (_width(joined) > chars_per_line
                                or (len(lines) < count - 1 and _width(current) >= target)):
                    lines.append(current)
                    current = part
                else:
                    current = joined
            lines.append(current)
            if all(_width(line) <= chars_per_line for line in lines) and len(lines) <= count:
                return lines
    text = title.replace(" ", "")
    count = math.ceil(_width(text) / chars_per_line)
    target = _width(text) / count
    lines, current = [], ""
    for ch in text:
        if current and _width(current) >= target - 0.25 and len(lines) < count - 1 \
                and ch not in NO_LINE_START:
            lines.append(current)
            current = ""
        current += ch
    lines.append(current)
    return lines


def _date_label(date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def printed_issue(issue: Issue) -> PrintedIssue:
    """Load everything an issue prints."""
    issue = Issue.objects.select_related("publication").get(pk=issue.pk)
    publication = issue.publication
    columns: list[PrintedColumn] = []
    last_column_id = None
    for article in issue.articles.select_related("column").order_by("position", "pk"):
        if not columns or article.column_id != last_column_id:
            columns.append(PrintedColumn(anchor=f"column-{len(columns) + 1}",
                                         heading=publication.decorate_column(article.column.name)))
            last_column_id = article.column_id
        columns[-1].articles.append(PrintedArticle(
            anchor=f"article-{article.pk}",
            title=article.title,
            title_lines=balance_title(article.title),
            toc_title=" ".join(article.display_toc_title.split()),
            subtitle=article.subtitle,
            byline=article.byline,
            source=article.source,
            editor_note=article.editor_note,
            body=mark_safe(typeset_body(sanitize_html(article.body))),  # noqa: S308 - sanitised just now
        ))
    number_label = f"{'增刊' if issue.is_special else ''}第{issue.number}期"
    total = (f"总第{issue.total_number}期"
             if publication.has_total_number and issue.total_number else "")
    distribution = [(line.role, line.text) for line in issue.distribution_lines()]
    # 本期增发 goes last, whatever order the lines came in.
    distribution.sort(key=lambda line: line[0] == ADDITION_LABEL)
    return PrintedIssue(
        issue=issue,
        title=f"{publication.full_name}（{issue.year}年{number_label}）",
        marking=publication.marking,
        name_prefix=publication.name_prefix,
        name=publication.name,
        number_label=number_label,
        total_number_label=total,
        office_lines=publication.issuing_office_lines,
        date_label=_date_label(issue.date),
        editor_note=issue.editor_note,
        columns=columns,
        distribution=distribution,
        print_run=issue.effective_print_run,
        editorial_lines=[line.strip() for line in publication.editorial_block.splitlines()
                         if line.strip()],
        prints_toc=publication.prints_toc,
        toc_shows_pages=publication.toc_shows_pages,
        double_sided=publication.double_sided,
        number_first_page=publication.number_first_page,
        number_tail_page=publication.number_tail_page,
    )


def name_size_pt(text: str, largest: float, share: float = 0.92) -> float:
    """The masthead's point size for `text`: at most `largest`, and no wider than `share` of the line."""
    width = max(_width(text), 1)
    return round(min(largest, BLOCK_WIDTH_MM / 25.4 * 72 * share / width), 1)


def font_context(fonts: FontSet, font_url: Callable[[FontFace], str] | None = None) -> dict:
    """Template context for any print document set in the bulletin fonts; `font_url` gives a
    face's URL for a browser (the PDF loads the files themselves)."""
    return {
        "fonts": fonts,
        "font_face_css": mark_safe(fonts.font_face_css(font_url)),  # noqa: S308 - built from file paths
        "stacks": {role: mark_safe(fonts.stack(role)) for role in ROLE_KEYS},  # noqa: S308
        "weights": {role: fonts.weight(role) for role in ROLE_KEYS},
    }


def render_issue_html(printed: PrintedIssue, *, fonts: FontSet | None = None,
                      tail_on_even: bool = False, for_screen: bool = False,
                      toc_pages: dict[str, int] | None = None,
                      font_url: Callable[[FontFace], str] | None = None) -> str:
    """The issue as one HTML document with its stylesheet inline.

    `toc_pages` (anchor -> page) prints known table-of-contents page numbers as text;
    without it they come from CSS target-counter. The screen preview passes `font_url`, the
    application's URL of each font file, so that no server path reaches the browser.
    """
    fonts = fonts or current_fonts()
    for article in printed.articles:
        article.toc_page = (toc_pages or {}).get(article.anchor)
    metadata = document_metadata(printed)
    context = {
        "doc": printed,
        **font_context(fonts, font_url),
        "name_pt": name_size_pt(printed.name, 60),
        "prefix_pt": name_size_pt(printed.name_prefix, 22),
        "tail_on_even": tail_on_even,
        "for_screen": for_screen,
        "author": metadata.author,
        "description": metadata.subject,
        "keywords": metadata.keyword_line,
        "created": printed.issue.date.isoformat(),
        "grid": {
            "font_mm": f"{BLOCK_WIDTH_MM / CHARS_PER_LINE:.4f}",
            "pitch_mm": f"{BLOCK_HEIGHT_MM / LINES_PER_PAGE:.4f}",
            "top_margin_mm": f"{37 - em_top_offset_mm(fonts):.2f}",
            "picture_max_mm": BLOCK_HEIGHT_MM // 2,
        },
    }
    return render_to_string("bulletins/pdf/issue.html", context)
