"""Bulletins laid out as other programs print them, to test the archive import of PDFs.

Each style is plain HTML and CSS written here, not our print template: other margins, fonts
and sizes, another masthead, running heads, a TOC with dotted leaders and page numbers or
one without, the 版记 on a page of its own. WeasyPrint turns them into PDFs in the tests.
"""

from __future__ import annotations

import html
import re

import weasyprint

from bulletins.archive.types import ArchiveIssue

HEADING_RE = re.compile(r"<h[2-4]>")


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _tail(issue: ArchiveIssue) -> str:
    lines = "".join(f'<p class="dist">{_e(role)}：{_e(text)}</p>' for role, text in issue.distribution)
    run = f'<p class="run">{_e(" ".join(issue.issuing_office))}<span>共印{issue.print_run}份</span></p>' \
        if issue.print_run else ""
    block = "".join(f"<p>{_e(line)}</p>" for line in issue.editorial_block.splitlines())
    return f'<div class="tail">{lines}{run}<div class="editorial">{block}</div></div>'


def _article(article, anchor: str) -> str:
    parts = [f'<h1 id="{anchor}">{_e(article.title)}</h1>']
    if article.subtitle:
        parts.append(f'<p class="subtitle">{_e(article.subtitle)}</p>')
    if article.byline:
        parts.append(f'<p class="byline">{_e(article.byline)}</p>')
    parts.append(article.body_html)
    if article.source:
        parts.append(f'<p class="source">{_e(article.source)}</p>')
    return "".join(parts)


def word_style(issue: ArchiveIssue, *, toc_pages: bool = True) -> str:
    """Like a bulletin typed in Word: 2.54/3.17 cm margins, SimSun-like serif, the masthead as
    one large red line with number and date under it, a TOC with dotted leaders and page
    numbers, a running head on every page after the first, page numbers `- 2 -`, 版记 on its
    own last page."""
    toc = []
    anchors = []
    for c, column in enumerate(issue.columns):
        toc.append(f'<p class="toc-column">【{_e(column.name)}】</p>')
        for a, article in enumerate(column.articles):
            anchor = f"a{c}-{a}"
            anchors.append((column, article, anchor))
            title = article.toc_title or article.title
            toc.append(f'<p class="toc-entry"><a href="#{anchor}" data-by="{html.escape(article.byline)}">'
                       f'{_e(title)}</a></p>')
    body = []
    current = None
    for column, article, anchor in anchors:
        if column is not current:
            body.append(f'<p class="column">【{_e(column.name)}】</p>')
            current = column
        body.append(_article(article, anchor))
    leaders = ('content: leader(".") attr(data-by) " " target-counter(attr(href), page);' if toc_pages
               else 'content: "  " attr(data-by);')
    total = f"（总第{issue.total_number}期）" if issue.total_number else ""
    number = f"{issue.year}年第{issue.number}期{total}"
    return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 2.54cm 3.17cm; @bottom-center {{ content: "- " counter(page) " -";
        font: 10.5pt "Noto Serif CJK SC"; }} }}
@page :first {{ @top-center {{ content: none; }} }}
@page rest {{ @top-center {{ content: "{_e(issue.publication_prefix + issue.publication)}";
        font: 9pt "Noto Sans CJK SC"; color: #444; }} }}
body {{ font: 14pt/1.6 "Noto Serif CJK SC"; margin: 0; }}
.masthead {{ text-align: center; color: #d00; border-bottom: 3px solid #d00; padding-bottom: 6pt; }}
.masthead .marking {{ text-align: left; color: black; font: bold 12pt "Noto Sans CJK SC"; margin: 0; }}
.masthead .name {{ font: bold 40pt "Noto Serif CJK SC"; margin: 0; letter-spacing: 4pt; }}
.masthead .prefix {{ font: bold 16pt "Noto Serif CJK SC"; margin: 0; }}
.masthead .number {{ font-size: 13pt; color: black; margin: 4pt 0 0; }}
.issue-line {{ display: flex; justify-content: space-between; font-size: 12pt; color: black; margin: 2pt 0 0;
               white-space: nowrap; }}
.toc-column {{ font: bold 14pt "Noto Sans CJK SC"; margin: 8pt 0 0; }}
.toc-entry {{ margin: 0 0 0 2em; }}
.toc-entry a {{ color: black; text-decoration: none; }}
.toc-entry a::after {{ {leaders} }}
.content {{ page: rest; }}
.column {{ font: bold 14pt "Noto Sans CJK SC"; margin: 14pt 0 4pt; }}
h1 {{ font: bold 20pt/1.4 "Noto Serif CJK SC"; text-align: center; margin: 10pt 2em 6pt; }}
.subtitle {{ text-align: center; font-size: 15pt; margin: 0 0 4pt; }}
.byline {{ text-align: center; font: 14pt "LXGW WenKai"; margin: 0 0 6pt; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; }}
.toc-column, .toc-entry, .column, .subtitle, .byline, .tail p, .masthead p {{ text-indent: 0; }}
h2 {{ font: bold 14pt/1.6 "Noto Sans CJK SC"; text-indent: 2em; margin: 0; }}
h3 {{ font: 14pt/1.6 "LXGW WenKai"; text-indent: 2em; margin: 0; }}
strong {{ font-family: "Noto Sans CJK SC"; }}
.source {{ text-align: right; }}
.tail {{ break-before: page; margin-top: 14cm; border-top: 1px solid black; border-bottom: 1px solid black;
         font-size: 12pt; }}
.tail .dist {{ padding-left: 2.5em; text-indent: -2.5em; }}
.tail .run {{ display: flex; justify-content: space-between; border-top: 1px solid black; }}
.tail .editorial p {{ font-size: 10.5pt; }}
</style></head><body>
<div class="masthead">
  {f'<p class="marking">{_e(issue.marking)}</p>' if issue.marking else ""}
  <p class="prefix">{_e(issue.publication_prefix)}</p>
  <p class="name">{_e(issue.publication)}</p>
  <p class="number">{number}</p>
  <p class="issue-line"><span>{_e(" ".join(issue.issuing_office))}</span>
     <span>{issue.date.year}年{issue.date.month}月{issue.date.day}日</span></p>
</div>
<div class="toc">{"".join(toc)}</div>
<div class="content">{"".join(body)}{_tail(issue)}</div>
</body></html>"""


def plain_style(issue: ArchiveIssue) -> str:
    """Like a WPS bulletin: wide 3.7 cm margins, a Kai body face, the masthead on three centred
    lines, a TOC without page numbers, columns as ●…, page numbers 第 N 页 at the top right."""
    toc = []
    body = []
    for column in issue.columns:
        toc.append(f'<p class="toc-column">●{_e(column.name)}</p>')
        body.append(f'<p class="column">●{_e(column.name)}</p>')
        for article in column.articles:
            toc.append(f'<p class="toc-entry">{_e(article.toc_title or article.title)}</p>')
            body.append(_article(article, f"x{len(body)}"))
    total = f"（总第{issue.total_number}期）" if issue.total_number else ""
    return f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; @top-right {{ content: "第 " counter(page) " 页";
        font: 10pt "Noto Sans CJK SC"; }} }}
body {{ font: 15pt/1.75 "LXGW WenKai"; margin: 0; }}
.masthead p {{ text-align: center; margin: 0; text-indent: 0; }}
.masthead .name {{ font: 36pt "Noto Sans CJK SC"; color: rgb(200, 16, 46); font-weight: bold; }}
.masthead .prefix {{ font: 18pt "Noto Sans CJK SC"; color: rgb(200, 16, 46); }}
.masthead .number, .masthead .office, .masthead .date {{ font-size: 13pt; }}
.rule {{ border-top: 2pt solid rgb(200, 16, 46); margin: 6pt 0 12pt; }}
p {{ text-indent: 2em; margin: 0; }}
.toc-column, .column {{ text-indent: 0; font: bold 15pt "Noto Sans CJK SC"; margin-top: 6pt; }}
.toc-entry {{ text-indent: 0; padding-left: 2em; }}
.column {{ margin-top: 18pt; }}
h1 {{ font: 22pt/1.35 "Noto Sans CJK SC"; font-weight: bold; text-align: center; margin: 8pt 0; }}
.subtitle, .byline {{ text-indent: 0; text-align: center; }}
h2 {{ font: bold 15pt/1.75 "Noto Sans CJK SC"; text-indent: 2em; margin: 0; }}
h3 {{ font: 15pt/1.75 "Noto Serif CJK SC"; text-indent: 2em; margin: 0; }}
strong {{ font-family: "Noto Sans CJK SC"; }}
.source {{ text-indent: 0; text-align: right; }}
.tail {{ margin-top: 24pt; border-top: 1px solid black; border-bottom: 1px solid black; font-size: 13pt; }}
.tail p {{ text-indent: 0; }}
.tail .dist {{ padding-left: 2em; text-indent: -2em; }}
.tail .run {{ display: flex; justify-content: space-between; }}
</style></head><body>
<div class="masthead">
  {f'<p class="marking">{_e(issue.marking)}</p>' if issue.marking else ""}
  <p class="prefix">{_e(issue.publication_prefix)}</p>
  <p class="name">{_e(issue.publication)}</p>
  <p class="number">第{issue.number}期{total}</p>
  <p class="office">{_e(" ".join(issue.issuing_office))}</p>
  <p class="date">{issue.date.year}年{issue.date.month}月{issue.date.day}日</p>
</div>
<div class="rule"></div>
{"".join(toc)}
{"".join(body)}
{_tail(issue)}
</body></html>"""


def write_pdf(document: str) -> bytes:
    return weasyprint.HTML(string=document).write_pdf()
