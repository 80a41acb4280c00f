"""Bulletins typeset in Word as offices keep them, to test the archive import of .docx files.

Each template builds a python-docx document from a parsed issue the way an office's own
template would: not our renderer's styles. ``red``: a red 版头 with a manual line break between
its prefix and name, 第N期 centred, office and date on one line through a tab stop, a red rule
as a paragraph border, 本期目录 with tab-led page numbers, titles in a restyled 标题 1 broken by
hand, 仿宋 body, the 版记 as a table with rules, a PAGE field in the footer. ``table``: a marking
above, the name over two paragraphs set large, 第N期（总第N期） on one line, office and date in
the two cells of a borderless table (date first), a TOC without page numbers, titles set large
and bold without a heading style, the 版记 as ruled paragraphs.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from bulletins.archive.types import ArchiveIssue

RED = RGBColor(0xE6, 0x00, 0x12)
BLOCK_RE = re.compile(r"<(?P<tag>p|h[2-4])>(?P<inner>.*?)</(?P=tag)>", re.S)
STRONG_RE = re.compile(r"<strong>(.*?)</strong>")
TAG_RE = re.compile(r"<[^>]+>")
CN_NUMERALS = "〇一二三四五六七八九"
SPACE = "\u3000"  # the ideographic space WPS users type to set things apart


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _para(document, text: str = "", *, size: float = 16, bold: bool = False, colour=None,
          align=None, style=None, font: str = "仿宋_GB2312"):
    paragraph = document.add_paragraph(style=style)
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, size=size, bold=bold, colour=colour, font=font)
    return paragraph


def _run(paragraph, text: str, *, size: float, bold: bool = False, colour=None, font: str = "仿宋_GB2312"):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _border(paragraph, *, colour: str = "E60012", side: str = "bottom") -> None:
    """A rule drawn as a paragraph border, as Word templates draw the red line."""
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", colour)):
        edge.set(qn(key), value)
    borders.append(edge)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_field(paragraph) -> None:
    """A PAGE field in the footer: — {PAGE} —."""
    _run(paragraph, "— ", size=14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _run(paragraph, " —", size=14)


def _body(document, body_html: str, *, size: float, typed_indent: bool = False) -> None:
    """Paragraphs indented by the first-line indent, or (`typed_indent`) by two ideographic
    spaces typed at their start."""
    for match in BLOCK_RE.finditer(body_html):
        paragraph = _para(document)
        if typed_indent:
            _run(paragraph, SPACE * 2, size=size)
        else:
            paragraph.paragraph_format.first_line_indent = Pt(size * 2)
        position = 0
        inner = match.group("inner")
        heading = match.group("tag") != "p"
        for strong in STRONG_RE.finditer(inner):
            if strong.start() > position:
                _run(paragraph, _unescape(TAG_RE.sub("", inner[position:strong.start()])), size=size,
                     font="黑体" if heading else "仿宋_GB2312")
            _run(paragraph, _unescape(TAG_RE.sub("", strong.group(1))), size=size, bold=True)
            position = strong.end()
        if position < len(inner):
            _run(paragraph, _unescape(TAG_RE.sub("", inner[position:])), size=size,
                 font="黑体" if heading else "仿宋_GB2312")


def _title_lines(title: str) -> list[str]:
    """A title broken by hand at its space, as editors break long titles."""
    return title.split(" ", 1) if " " in title and len(title) > 20 else [title]


def _cn_date(issue: ArchiveIssue) -> str:
    year = "".join(CN_NUMERALS[int(d)] for d in str(issue.date.year))

    def number(value: int) -> str:
        if value < 10:
            return CN_NUMERALS[value]
        tens, units = divmod(value, 10)
        return ("" if tens == 1 else CN_NUMERALS[tens]) + "十" + (CN_NUMERALS[units] if units else "")

    return f"{year}年{number(issue.date.month)}月{number(issue.date.day)}日"


def number_line(issue: ArchiveIssue, *, with_year: bool, with_total: bool = True,
                special_after: bool = False) -> str:
    """第N期 as offices write it: with the year or not, 增刊 before or after the number, the
    total number beside it or not."""
    year = f"{issue.year}年" if with_year else ""
    before = "增刊" if issue.special and not special_after else ""
    after = "（增刊）" if issue.special and special_after else ""
    total = f"（总第{issue.total_number}期）" if issue.total_number and with_total else ""
    return f"{year}{before}第{issue.number}期{after}{total}"


def docx_red(issue: ArchiveIssue) -> bytes:
    document = Document()
    heading = document.styles["Heading 1"]
    heading.font.size, heading.font.bold, heading.font.name = Pt(22), False, "方正小标宋简体"
    heading.font.color.rgb = RGBColor(0, 0, 0)
    if issue.marking:
        _para(document, issue.marking, size=14, font="黑体")
    name = _para(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    if issue.publication_prefix:
        _run(name, issue.publication_prefix, size=18, colour=RED, font="方正小标宋简体")
        name.runs[-1].add_break(WD_BREAK.LINE)
    _run(name, issue.publication, size=42, colour=RED, font="方正小标宋简体")
    _para(document, number_line(issue, with_year=False), align=WD_ALIGN_PARAGRAPH.CENTER)
    for line in issue.issuing_office[:-1]:
        _para(document, line)
    office = _para(document, f"{issue.issuing_office[-1]}\t{issue.date.year}年{issue.date.month}月"
                             f"{issue.date.day}日")
    _border(office)
    _para(document, "本期目录", size=16, font="黑体", align=WD_ALIGN_PARAGRAPH.CENTER)
    page = 1
    for column in issue.columns:
        _para(document, f"【{column.name}】", font="黑体")
        for article in column.articles:
            byline = f"{article.byline} " if article.byline else ""
            _para(document, f"{article.toc_title or article.title}\t{byline}{page}")
            page += 1
    for column in issue.columns:
        _para(document, f"【{column.name}】", font="黑体")
        for article in column.articles:
            title = document.add_paragraph(style="Heading 1")
            title.alignment = WD_ALIGN_PARAGRAPH.CENTER
            lines = _title_lines(article.title)
            for index, line in enumerate(lines):
                run = title.add_run(line)
                if index < len(lines) - 1:
                    run.add_break(WD_BREAK.LINE)
            if article.subtitle:
                _para(document, article.subtitle, size=16, font="楷体_GB2312",
                      align=WD_ALIGN_PARAGRAPH.CENTER)
            if article.byline:
                _para(document, article.byline, size=16, font="楷体_GB2312", align=WD_ALIGN_PARAGRAPH.CENTER)
            if article.editor_note:
                _para(document, article.editor_note, size=16, font="楷体_GB2312")
            _body(document, article.body_html, size=16)
            if article.source:
                _para(document, article.source, align=WD_ALIGN_PARAGRAPH.RIGHT)
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    for role, text in issue.distribution:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[1])
        merged.paragraphs[0].add_run(f"{role}：{text}").font.size = Pt(14)
    row = table.add_row()
    for index, line in enumerate(issue.issuing_office):
        paragraph = row.cells[0].paragraphs[0] if index == 0 else row.cells[0].add_paragraph()
        paragraph.add_run(line).font.size = Pt(14)
    if issue.print_run:
        row.cells[1].paragraphs[0].add_run(f"共印{issue.print_run}份").font.size = Pt(14)
    _page_field(document.sections[0].footer.paragraphs[0])
    return _save(document)


def docx_table(issue: ArchiveIssue) -> bytes:
    document = Document()
    if issue.marking:
        _para(document, issue.marking, size=14, font="黑体")
    if issue.publication_prefix:
        _para(document, issue.publication_prefix, size=26, bold=True, colour=RED,
              align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, issue.publication, size=40, bold=True, colour=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, number_line(issue, with_year=True, special_after=True), align=WD_ALIGN_PARAGRAPH.CENTER)
    masthead = document.add_table(rows=1, cols=2)  # borderless: the default table style
    masthead.cell(0, 0).paragraphs[0].add_run(_cn_date(issue)).font.size = Pt(15)
    office = masthead.cell(0, 1)
    for index, line in enumerate(issue.issuing_office):
        paragraph = office.paragraphs[0] if index == 0 else office.add_paragraph()
        paragraph.add_run(line).font.size = Pt(15)
    _border(_para(document))
    _para(document, "目  录", size=16, font="黑体")
    for column in issue.columns:
        _para(document, f"●{column.name}", font="黑体", size=15)
        for article in column.articles:
            _para(document, article.toc_title or article.title, size=15)
    for column in issue.columns:
        _para(document, f"●{column.name}", font="黑体", size=15)
        for article in column.articles:
            for line in _title_lines(article.title):
                _para(document, line, size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font="黑体")
            if article.subtitle:
                _para(document, article.subtitle, size=17, font="楷体", align=WD_ALIGN_PARAGRAPH.CENTER)
            if article.byline:
                _para(document, article.byline, size=15, font="楷体", align=WD_ALIGN_PARAGRAPH.CENTER)
            if article.editor_note:
                _para(document, article.editor_note, size=15, font="楷体")
            _body(document, article.body_html, size=15)
            if article.source:
                _para(document, article.source, size=15, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _border(_para(document), colour="000000")
    for role, text in issue.distribution:
        _para(document, f"{role}：{text}", size=14)
    for line in issue.issuing_office:
        office_line = _para(document, line, size=14)
    _border(office_line, colour="000000")
    if issue.print_run:
        _para(document, f"（共印{issue.print_run}份）", size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _save(document)


def _table_edges(table, *, colour: str = "000000") -> None:
    """Rules above and below a table and none inside it, as a 版记 is ruled."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        ruled = side in ("top", "bottom", "insideH")
        for key, value in (("w:val", "single" if ruled else "nil"), ("w:sz", "8"), ("w:color", colour)):
            edge.set(qn(key), value)
        borders.append(edge)
    table._tbl.tblPr.append(borders)


def docx_wps(issue: ArchiveIssue) -> bytes:
    """As WPS users set an issue: the marking at the right, the name spaced out with ideographic
    spaces, 第N期（增刊） with the total under it, office and date on one line set apart by
    ideographic spaces, a rule of ━, 要　目 with dotted leaders, ■ column headings, the byline
    above the title (in the Title style), the subtitle in the Subtitle style, paragraphs indented
    by two ideographic spaces typed at their start, the 版记 as a table ruled above and below
    with the office and 印发 date on one row."""
    document = Document()
    for name, size, font in (("Title", 22, "方正小标宋简体"), ("Subtitle", 16, "楷体_GB2312")):
        style = document.styles[name]
        style.font.size, style.font.name, style.font.italic = Pt(size), font, False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if issue.marking:
        _para(document, issue.marking, size=12, font="黑体", align=WD_ALIGN_PARAGRAPH.RIGHT)
    if issue.publication_prefix:
        _para(document, issue.publication_prefix, size=22, colour=RED, font="方正小标宋简体",
              align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, SPACE.join(issue.publication), size=48, colour=RED, font="方正小标宋简体",
          align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, number_line(issue, with_year=False, with_total=False, special_after=True),
          align=WD_ALIGN_PARAGRAPH.CENTER)
    if issue.total_number:
        _para(document, f"（总第{issue.total_number}期）", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    for line in issue.issuing_office[:-1]:
        _para(document, line)
    date = f"{issue.date.year}年{issue.date.month}月{issue.date.day}日"
    _para(document, f"{issue.issuing_office[-1]}{SPACE * 6}{date}")
    _para(document, "━" * 24, size=12, colour=RED)
    _para(document, f"要{SPACE}目", size=16, font="黑体", align=WD_ALIGN_PARAGRAPH.CENTER)
    page = 1
    for column in issue.columns:
        _para(document, f"■ {column.name}", font="黑体")
        for article in column.articles:
            _para(document, f"{article.toc_title or article.title}…………{page}")
            page += 1
    for column in issue.columns:
        _para(document, f"■ {column.name}", font="黑体")
        for article in column.articles:
            if article.byline:
                _para(document, article.byline, font="楷体_GB2312", align=WD_ALIGN_PARAGRAPH.CENTER)
            document.add_paragraph(article.title, style="Title")
            if article.subtitle:
                document.add_paragraph(article.subtitle, style="Subtitle")
            if article.editor_note:
                _para(document, article.editor_note, font="楷体_GB2312")
            _body(document, article.body_html, size=16, typed_indent=True)
            if article.source:
                _para(document, article.source, align=WD_ALIGN_PARAGRAPH.RIGHT)
    tail = document.add_table(rows=0, cols=1)
    _table_edges(tail)
    for role, text in issue.distribution:
        tail.add_row().cells[0].paragraphs[0].add_run(f"{role}：{text}").font.size = Pt(14)
    office = SPACE.join(issue.issuing_office)
    tail.add_row().cells[0].paragraphs[0].add_run(f"{office}{SPACE * 4}{date}印发").font.size = Pt(14)
    if issue.print_run:
        _para(document, f"（共印{issue.print_run}份）", size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _save(document)


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


TEMPLATES = {"red": docx_red, "table": docx_table, "wps": docx_wps}
