"""Issues laid out in many styles, to measure the archive import on files made elsewhere.

A `Style` is drawn at random (a fixed seed gives the same corpus every time) from what offices
do: the masthead's arrangement (office and date on one row either way round, on two lines,
the date first; a marking above; 第N期（总第N期） on one line or the total apart, the year in the
number or not, 增刊 before or after it; dates in Arabic or Chinese numerals), fonts and sizes,
the TOC (leaders and page numbers, titles only, none), column headings (【…】, ●…, ■…), bylines
above or below the title, the 版记 as a ruled table or ruled paragraphs; `issue_for` varies the
issue itself (a 增刊, more bylines) and `structure` is what must survive. `html_issue` writes it
as HTML and CSS for WeasyPrint or headless Chromium; Word files come from tests/archive_word.py.
Pages are numbered by the producer (WeasyPrint: margin boxes; Chromium: none, as a browser
prints without a footer).
"""

from __future__ import annotations

import copy
import html
import random
import re
from dataclasses import dataclass

from bulletins.archive.rules import TAG_RE, compact
from bulletins.archive.types import ArchiveIssue
from tests.archive_word import _cn_date, number_line

SERIFS = ["Noto Serif CJK SC", "LXGW WenKai", "AR PL UMing CN"]
SANS = ["Noto Sans CJK SC"]
# Bylines as offices print them: a unit, or a unit and a name.
BYLINES = ["市委宣传部", "县委理论学习中心组", "省社会科学院马克思主义研究所 李红梅", "区委组织部 王建国",
           "中共某某县委党校", "市委讲师团 赵晓东"]


@dataclass(frozen=True)
class Style:
    masthead: str  # row, row-date-first, lines, lines-date-first
    cn_date: bool
    total_apart: bool
    toc: str  # pages, titles, none
    column: str  # brackets, bullet, square
    tail: str  # table, ruled
    body_font: str
    body_size: float
    title_size: float
    margin_cm: float
    justify: bool
    year_in_number: bool = False  # 2023年第9期
    special: str = ""  # a 增刊: "before" (增刊第2期) or "after" (第2期（增刊）)
    byline_above: bool = False  # the byline printed above the title
    more_bylines: bool = False  # every other article without a byline or source gets one

    @property
    def label(self) -> str:
        extras = "".join(f"/{name}" for name, on in (
            ("年期", self.year_in_number), (f"增刊-{self.special}", self.special),
            ("署名在上", self.byline_above), ("多署名", self.more_bylines)) if on)
        return (f"{self.masthead}/{'汉字日期' if self.cn_date else '数字日期'}/toc-{self.toc}/"
                f"{self.column}/{self.tail}{extras}")


def random_styles(count: int, *, seed: int = 24) -> list[Style]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not security
    styles = []
    for _ in range(count):
        body_size = rng.choice([14, 15, 16])
        styles.append(Style(
            masthead=rng.choice(["row", "row-date-first", "lines", "lines-date-first"]),
            cn_date=rng.random() < 0.3, total_apart=rng.random() < 0.3,
            toc=rng.choice(["pages", "titles", "none"]), column=rng.choice(["brackets", "bullet", "square"]),
            tail=rng.choice(["table", "ruled"]), body_font=rng.choice(SERIFS), body_size=body_size,
            title_size=body_size + rng.choice([4, 6, 8]), margin_cm=rng.choice([2.5, 2.8, 3.2, 3.7]),
            justify=rng.random() < 0.7, year_in_number=rng.random() < 0.4,
            special=rng.choice(["", "", "", "before", "after"]), byline_above=rng.random() < 0.3,
            more_bylines=rng.random() < 0.4))
    return styles


def issue_for(seed: ArchiveIssue, style: Style) -> ArchiveIssue:
    """The seed issue as this style's office would have it: a 增刊 or not, more bylines."""
    issue = copy.deepcopy(seed)
    issue.special = bool(style.special)
    if style.more_bylines:
        bare = [a for a in issue.articles if not a.byline and not a.source]
        for index, article in enumerate(bare[::2]):
            article.byline = BYLINES[(index + issue.number) % len(BYLINES)]
    return issue


BLOCK = re.compile(r"<(p|h[2-4])>(.*?)</\1>")


def structure(issue: ArchiveIssue, *, extracted: bool) -> dict:
    """What must survive a layout: masthead, columns, titles, subtitles, bylines, sources,
    editor's notes, 版记, text, paragraphs. Extracted text (pdftotext) shows neither which line
    of a title is its subtitle nor always where a paragraph ends: there the title and subtitle
    are compared together and the paragraphs as one text."""
    facts = {
        "masthead": (issue.publication_prefix, issue.publication, issue.marking, issue.year, issue.number,
                     issue.total_number, issue.special, issue.date, compact("".join(issue.issuing_office))),
        "articles": [(column.name, compact(a.title + a.subtitle) if extracted else compact(a.title),
                      "" if extracted else compact(a.subtitle), compact(a.byline), compact(a.source),
                      compact(a.editor_note))
                     for column in issue.columns for a in column.articles],
        "distribution": [(role, compact(text)) for role, text in issue.distribution],
        "print_run": issue.print_run,
        "text": compact("".join(TAG_RE.sub("", a.body_html) for a in issue.articles)),
    }
    if not extracted:
        facts["paragraphs"] = [[(kind, compact(TAG_RE.sub("", text)))
                                for kind, text in BLOCK.findall(a.body_html)] for a in issue.articles]
    return facts


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _column(name: str, style: Style) -> str:
    return {"brackets": f"【{name}】", "bullet": f"●{name}", "square": f"■{name}"}[style.column]


def _date(issue: ArchiveIssue, style: Style) -> str:
    return _cn_date(issue) if style.cn_date else f"{issue.date.year}年{issue.date.month}月{issue.date.day}日"


def _masthead(issue: ArchiveIssue, style: Style) -> str:
    total = f"（总第{issue.total_number}期）" if issue.total_number else ""
    line = number_line(issue, with_year=style.year_in_number, with_total=not style.total_apart,
                       special_after=style.special == "after")
    number = f'<p class="number">{line}</p>'
    if style.total_apart and total:
        number += f'<p class="number">{total}</p>'
    office = "".join(f"<div>{_e(line)}</div>" for line in issue.issuing_office)
    date = f"<div>{_date(issue, style)}</div>"
    first, second = (date, office) if style.masthead.endswith("date-first") else (office, date)
    if style.masthead.startswith("row"):
        office_date = f'<div class="row"><div>{first}</div><div>{second}</div></div>'
    else:
        office_date = f'<div class="lines">{first}{second}</div>'
    marking = f'<p class="marking">{_e(issue.marking)}</p>' if issue.marking else ""
    prefix = f'<p class="prefix">{_e(issue.publication_prefix)}</p>' if issue.publication_prefix else ""
    return (f'<div class="masthead">{marking}{prefix}<p class="name">{_e(issue.publication)}</p>'
            f'{number}{office_date}</div>')


def _toc(issue: ArchiveIssue, style: Style) -> str:
    if style.toc == "none":
        return ""
    parts = ['<p class="toc-label">本期目录</p>']
    page = 1
    for column in issue.columns:
        parts.append(f'<p class="toc-column">{_e(_column(column.name, style))}</p>')
        for article in column.articles:
            title = _e(article.toc_title or article.title)
            if style.toc == "pages":
                byline = f" {_e(article.byline)}" if article.byline else ""
                parts.append(f'<p class="toc-entry">{title}<span class="leader">……{byline} {page}</span></p>')
                page += 1
            else:
                parts.append(f'<p class="toc-entry">{title}</p>')
    return f'<div class="toc">{"".join(parts)}</div>'


def _body(issue: ArchiveIssue, style: Style) -> str:
    parts = []
    for column in issue.columns:
        parts.append(f'<p class="column">{_e(_column(column.name, style))}</p>')
        for article in column.articles:
            byline = f'<p class="byline">{_e(article.byline)}</p>' if article.byline else ""
            if style.byline_above:
                parts.append(byline)
            parts.append(f"<h1>{_e(article.title)}</h1>")
            if article.subtitle:
                parts.append(f'<p class="subtitle">{_e(article.subtitle)}</p>')
            if not style.byline_above:
                parts.append(byline)
            if article.editor_note:
                parts.append(f'<p class="note">{_e(article.editor_note)}</p>')
            parts.append(article.body_html)
            if article.source:
                parts.append(f'<p class="source">{_e(article.source)}</p>')
    return "".join(parts)


def _tail(issue: ArchiveIssue, style: Style) -> str:
    office = _e(" ".join(issue.issuing_office))
    run = f"共印{issue.print_run}份" if issue.print_run else ""
    if style.tail == "table":
        rows = "".join(f'<tr><td colspan="2">{_e(role)}：{_e(text)}</td></tr>'
                       for role, text in issue.distribution)
        return f'<table class="tail">{rows}<tr><td>{office}</td><td class="run">{run}</td></tr></table>'
    lines = "".join(f'<p class="dist">{_e(role)}：{_e(text)}</p>' for role, text in issue.distribution)
    return (f'<div class="tail">{lines}<p class="office">{office}</p>'
            f'{f"<p class=run>（{run}）</p>" if run else ""}</div>')


def html_issue(issue: ArchiveIssue, style: Style, *, page_numbers: bool = True) -> str:
    s = style
    footer = ('@bottom-center { content: "— " counter(page) " —"; font: 10pt "Noto Serif CJK SC"; }'
              if page_numbers else "")
    return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: {s.margin_cm}cm {s.margin_cm - 0.3:.1f}cm; {footer} }}
body {{ font: {s.body_size}pt/1.7 "{s.body_font}"; margin: 0; }}
p {{ margin: 0; text-indent: 2em; {"text-align: justify;" if s.justify else ""} }}
.masthead p, .toc p, .column, .subtitle, .byline, .source, .tail p, .tail td {{ text-indent: 0; }}
.masthead {{ text-align: center; border-bottom: 2pt solid #d00; padding-bottom: 4pt; margin-bottom: 10pt; }}
.masthead .marking {{ text-align: left; font: bold 12pt "Noto Sans CJK SC"; }}
.masthead .prefix {{ color: #d00; font: bold 18pt "Noto Serif CJK SC"; }}
.masthead .name {{ color: #d00; font: bold 40pt "Noto Serif CJK SC"; letter-spacing: 3pt; }}
.masthead .number {{ font-size: {s.body_size - 1}pt; }}
.masthead .row {{ display: flex; justify-content: space-between; font-size: {s.body_size - 2}pt; }}
.masthead .lines {{ font-size: {s.body_size - 2}pt; }}
.toc-label {{ font: bold {s.body_size}pt "Noto Sans CJK SC"; text-align: center; }}
.toc-column, .column {{ font: bold {s.body_size}pt "Noto Sans CJK SC"; margin-top: 6pt; }}
.toc-entry {{ padding-left: 2em; }}
.column {{ margin-top: 14pt; }}
h1 {{ font: bold {s.title_size}pt/1.4 "Noto Sans CJK SC"; text-align: center; margin: 8pt 1em 4pt; }}
.subtitle {{ text-align: center; font-size: {s.body_size + 1}pt; }}
.byline {{ text-align: center; font-family: "LXGW WenKai"; margin-bottom: 4pt; }}
h2 {{ font: bold {s.body_size}pt/1.7 "Noto Sans CJK SC"; text-indent: 2em; margin: 0; }}
h3 {{ font: {s.body_size}pt/1.7 "LXGW WenKai"; text-indent: 2em; margin: 0; }}
h4 {{ font: bold {s.body_size}pt/1.7 "{s.body_font}"; text-indent: 2em; margin: 0; }}
strong {{ font-family: "Noto Sans CJK SC"; }}
.source {{ text-align: right; }}
.tail {{ margin-top: 24pt; border-top: 1px solid black; border-bottom: 1px solid black; width: 100%;
         border-collapse: collapse; font-size: {s.body_size - 2}pt; }}
.tail td {{ border-top: 1px solid black; padding: 2pt 0; }}
.tail .run {{ text-align: right; }}
.tail .dist {{ padding-left: 2em; text-indent: -2em; }}
</style></head><body>
{_masthead(issue, style)}{_toc(issue, style)}{_body(issue, style)}{_tail(issue, style)}
</body></html>"""
