"""The writer: the masthead, the contents, the articles and the 版记 of an issue, in that order,
as a .docx."""

from __future__ import annotations

import datetime as dt
import io

import docx
import lxml.html
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips
from docx.text.paragraph import Paragraph

from bulletins.models import Issue
from bulletins.rendering.docx.ooxml import (
    PPR_ORDER,
    RPR_ORDER,
    _bookmark_name,
    _clean,
    _field,
    _put,
)
from bulletins.rendering.docx.styles import (
    BLOCK_WIDTH_TWIPS,
    BODY_PT,
    LINE_TWIPS,
    TAIL_PT,
    _setup_page,
    _setup_styles,
)
from bulletins.rendering.fetcher import BASE_URL, BulletinURLFetcher, RefusedURL
from bulletins.rendering.html import (
    BLOCK_WIDTH_MM,
    PrintedIssue,
    document_metadata,
    printed_issue,
)

# --- content --------------------------------------------------------------------------------

class _Writer:
    def __init__(self, document, printed: PrintedIssue, pages: dict[str, int]) -> None:
        self.document = document
        self.printed = printed
        self.pages = pages
        self.fetcher = BulletinURLFetcher()
        self._bookmark_id = 0

    def paragraph(self, text: str = "", style: str = "正文") -> Paragraph:
        paragraph = self.document.add_paragraph(style=style)
        if text:
            paragraph.add_run(text)
        return paragraph

    def bookmark(self, paragraph: Paragraph, name: str) -> None:
        self._bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_id))
        p = paragraph._p  # noqa: SLF001
        p_pr = p.find(qn("w:pPr"))
        p.insert(0 if p_pr is None else 1, start)
        p.append(end)

    # masthead, contents, notes

    def masthead(self) -> None:
        doc = self.printed
        if doc.marking:
            self.paragraph(doc.marking, "版头标识")
        if doc.name_prefix:
            self.paragraph(doc.name_prefix, "刊名上行").paragraph_format.space_before = Mm(4)
        name = self.paragraph(doc.name, "刊名")
        name.paragraph_format.space_before, name.paragraph_format.space_after = Mm(2), Mm(3)
        number = doc.number_label + (f"　{doc.total_number_label}" if doc.total_number_label else "")
        self.paragraph(number, "期号")
        lines = doc.office_lines or [""]
        for index, line in enumerate(lines):
            paragraph = self.paragraph(line, "发文机关和日期")
            if index == len(lines) - 1:
                paragraph.add_run("\t" + doc.date_label)
                paragraph.paragraph_format.space_after = Twips(LINE_TWIPS)

    def contents(self) -> None:
        doc = self.printed
        if not (doc.prints_toc and doc.columns):
            return
        last = None
        for column in doc.columns:
            self.paragraph(column.heading, "目录栏目")
            for article in column.articles:
                last = paragraph = self.paragraph("", "目录条目")
                paragraph.add_run("◆ ").font.size = Pt(BODY_PT * 0.6)
                paragraph.add_run(article.toc_title)
                if doc.toc_shows_pages:
                    paragraph.add_run("\t" + (f"{article.byline} " if article.byline else ""))
                    page = self.pages.get(article.anchor)
                    _field(paragraph, f'PAGEREF {_bookmark_name(article.anchor)} \\h \\# "00"',
                           f"{page:02d}" if page else "")
        if last is not None:
            last.paragraph_format.space_after = Twips(LINE_TWIPS)

    def editor_note(self, text: str) -> None:
        paragraph = self.paragraph("", "编者按")
        paragraph.add_run("编者按：", style="加粗")
        self.text_with_breaks(paragraph, text)

    @staticmethod
    def text_with_breaks(paragraph: Paragraph, text: str, style: str | None = None) -> None:
        for index, line in enumerate(text.splitlines()):
            run = paragraph.add_run(style=style)
            if index:
                run.add_break()
            run.add_text(line)

    # columns and articles

    def articles(self) -> None:
        first_column = True
        for column in self.printed.columns:
            heading = self.paragraph(column.heading, "栏目标题")
            if first_column:
                heading.paragraph_format.space_before = 0
                first_column = False
            for index, article in enumerate(column.articles):
                title = self.paragraph("", "文章标题")
                for line_index, line in enumerate(article.title_lines):
                    if line_index:
                        title.add_run().add_break()
                    title.add_run(line)
                self.bookmark(title, _bookmark_name(article.anchor))
                if index == 0:
                    title.paragraph_format.space_before = 0
                head = []
                if article.subtitle:
                    head.append(self.paragraph(article.subtitle, "副标题"))
                if article.byline:
                    head.append(self.paragraph(article.byline, "署名"))
                if head:
                    head[-1].paragraph_format.space_after = Twips(LINE_TWIPS)
                if article.editor_note:
                    self.editor_note(article.editor_note)
                self.body(str(article.body))
                if article.source:
                    self.paragraph(article.source, "来源")

    def body(self, html: str) -> None:
        if not html.strip():
            return
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        loose: Paragraph | None = None
        if root.text and root.text.strip():
            loose = self.paragraph()
            loose.add_run(root.text.strip())
        for element in root:
            tag = element.tag if isinstance(element.tag, str) else ""
            if tag in {"p", "h2", "h3", "h4"}:
                loose = None
                style = {"p": "正文", "h2": "一级标题", "h3": "二级标题", "h4": "三级标题"}[tag]
                self.inline(self.paragraph("", style), element, skip_tail=True)
            elif tag in {"ul", "ol"}:
                loose = None
                self.list(element)
            elif tag == "blockquote":
                loose = None
                self.blockquote(element)
            elif tag == "figure":
                loose = None
                self.figure(element)
            elif tag == "table":
                loose = None
                self.table(element)
            elif tag == "img":
                loose = None
                self.image(self.paragraph("", "图片"), element)
            else:  # inline content at the top level (strong, a, br …)
                loose = loose or self.paragraph()
                self.inline(loose, element)
                continue
            if element.tail and element.tail.strip():
                loose = self.paragraph()
                loose.add_run(element.tail.strip())

    def inline(self, paragraph: Paragraph, element, *, style: str | None = None,
               skip_tail: bool = False) -> None:
        """Add the runs of `element` (its text, children and, unless asked not to, its tail)."""
        tag = element.tag if isinstance(element.tag, str) else ""
        inner = style
        if tag in {"strong", "b"}:
            inner = "加粗"
        elif tag in {"em", "i"}:
            inner = "楷体强调"
        if tag == "br":
            paragraph.add_run().add_break(WD_BREAK.LINE)
        elif tag == "img":
            self.image(paragraph, element)
        elif element.text:
            paragraph.add_run(_clean(element.text), style=inner)
        for child in element:
            if isinstance(child.tag, str) and child.tag in {"ul", "ol", "table", "blockquote", "figure"}:
                continue  # block content nested in a paragraph: handled by the caller's structure
            self.inline(paragraph, child, style=inner)
        if not skip_tail and element.tail:
            paragraph.add_run(_clean(element.tail), style=style)

    def list(self, element, depth: int = 0) -> None:
        ordered = element.tag == "ol"
        number = 0
        for item in element:
            if not (isinstance(item.tag, str) and item.tag == "li"):
                continue
            number += 1
            paragraph = self.paragraph("", "列表")
            if depth:
                paragraph.paragraph_format.left_indent = Pt(BODY_PT * (2 + 2 * depth))
            paragraph.add_run(f"{number}." if ordered else "•")
            paragraph.add_run("\t")
            self.inline(paragraph, item, skip_tail=True)
            for child in item:
                if isinstance(child.tag, str) and child.tag in {"ul", "ol"}:
                    self.list(child, depth + 1)

    def blockquote(self, element) -> None:
        blocks = [child for child in element if isinstance(child.tag, str) and child.tag == "p"]
        if not blocks:
            self.inline(self.paragraph("", "引文"), element, skip_tail=True)
        for block in blocks:
            self.inline(self.paragraph("", "引文"), block, skip_tail=True)

    def figure(self, element) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "img":
                self.image(self.paragraph("", "图片"), child)
            elif child.tag == "table":
                self.table(child, centred=True)  # a figure centres its content (issue.css)
            elif child.tag == "figcaption":
                self.inline(self.paragraph("", "图注"), child, skip_tail=True)
            else:
                self.inline(self.paragraph("", "图片"), child, skip_tail=True)

    def image(self, paragraph: Paragraph, element) -> None:
        """An uploaded image, read through the same fetcher as the PDF, at most the block wide."""
        src = element.get("src") or ""
        try:
            response = self.fetcher.fetch(BASE_URL + src.lstrip("/"))
        except RefusedURL:
            return
        body = response.read()
        response.close()
        shape = paragraph.add_run().add_picture(io.BytesIO(body))
        limit = Mm(BLOCK_WIDTH_MM)
        if shape.width > limit:
            shape.height = Emu(int(shape.height * limit / shape.width))
            shape.width = limit
        # Exact line spacing would clip the picture: let its paragraph grow.
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    def table(self, element, *, centred: bool = False) -> None:
        rows = list(element.iter("tr"))
        if not rows:
            return
        width = max(sum(int(cell.get("colspan") or 1) for cell in row
                        if cell.tag in {"td", "th"}) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=max(width, 1))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        occupied: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                if cell.tag not in {"td", "th"}:
                    continue
                while (r, c) in occupied:
                    c += 1
                if c >= width:
                    break
                span_c = min(int(cell.get("colspan") or 1), width - c)
                span_r = min(int(cell.get("rowspan") or 1), len(rows) - r)
                target = table.cell(r, c)
                if span_c > 1 or span_r > 1:
                    target = target.merge(table.cell(r + span_r - 1, c + span_c - 1))
                for rr in range(r, r + span_r):
                    for cc in range(c, c + span_c):
                        occupied.add((rr, cc))
                paragraph = target.paragraphs[0]
                paragraph.style = "表格文字"
                if centred or cell.tag == "th":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self.inline(paragraph, cell, style="加粗" if cell.tag == "th" else None,
                            skip_tail=True)
                c += span_c
        self.document.add_paragraph(style="正文")  # Word needs a paragraph between two tables

    # the 版记

    def tail(self) -> None:
        """The 版记 as a table with rules, floated to the foot of the last page."""
        doc = self.printed
        author = "、".join(doc.office_lines)
        groups: list[list[tuple[str, str]]] = []
        if doc.distribution:
            groups.append([("distribution", f"{role}：{names}") for role, names in doc.distribution])
        groups.append([("issuer", author)])
        if doc.editorial_lines:
            groups.append([("editorial", line) for line in doc.editorial_lines])
        table = self.document.add_table(rows=len(groups), cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _tail_table_properties(table)
        for row_index, (group, row) in enumerate(zip(groups, table.rows, strict=True)):
            # The 版记 is never split: rows stay whole and each keeps with the next.
            _put(row._tr.get_or_add_trPr(), "cantSplit", ("cantSplit",))  # noqa: SLF001
            cell = row.cells[0]
            cell.width = Mm(BLOCK_WIDTH_MM)
            for index, (kind, text) in enumerate(group):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                paragraph.style = "版记编辑信息" if kind == "editorial" else "版记"
                if row_index < len(groups) - 1 or index < len(group) - 1:
                    paragraph.paragraph_format.keep_with_next = True
                if kind == "distribution":
                    role = text.split("：", 1)[0]
                    hang = Pt(TAIL_PT * (len(role) + 1))
                    paragraph.paragraph_format.left_indent = hang
                    paragraph.paragraph_format.first_line_indent = -hang
                    paragraph.add_run(text)
                elif kind == "issuer":
                    paragraph.add_run(text)
                    if doc.print_run:
                        stop = Mm(BLOCK_WIDTH_MM) - Pt(2 * TAIL_PT)
                        paragraph.paragraph_format.tab_stops.add_tab_stop(
                            stop, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.SPACES)
                        paragraph.add_run(f"\t共印{doc.print_run}份")
                else:
                    paragraph.add_run(text)
        # A floating table is anchored to the paragraph after it, and a document ends with one.
        anchor = self.document.add_paragraph(style="正文")
        anchor.paragraph_format.line_spacing = Pt(1)
        anchor.paragraph_format.first_line_indent = 0
        # Hidden, so that it never takes a page of its own after a full last page.
        mark = anchor._p.get_or_add_pPr()  # noqa: SLF001
        r_pr = _put(mark, "rPr", PPR_ORDER)
        _put(r_pr, "vanish", RPR_ORDER)
        _put(r_pr, "sz", RPR_ORDER, val="2")


def _tail_table_properties(table) -> None:
    """Full block width, rules above and below (thick) and between the groups (thin); floated to
    the bottom of the last page's text block, where the PDF puts it."""
    tbl_pr = table._tbl.tblPr  # noqa: SLF001
    position = OxmlElement("w:tblpPr")
    for name, value in (("vertAnchor", "margin"), ("horzAnchor", "margin"), ("tblpXSpec", "center"),
                        ("tblpYSpec", "bottom"), ("leftFromText", "0"), ("rightFromText", "0"),
                        ("topFromText", str(LINE_TWIPS)), ("bottomFromText", "0")):
        position.set(qn(f"w:{name}"), value)
    # tblpPr and tblOverlap come first in w:tblPr, after a table style only.
    style = tbl_pr.find(qn("w:tblStyle"))
    tbl_pr.insert(0 if style is None else 1, position)
    overlap = OxmlElement("w:tblOverlap")
    overlap.set(qn("w:val"), "never")
    position.addnext(overlap)
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        overlap.addnext(width)
    else:
        overlap.addnext(width)
    width.set(qn("w:w"), str(BLOCK_WIDTH_TWIPS))
    width.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    # 0.35 mm ≈ 1 pt (sz 8), 0.25 mm ≈ 0.75 pt (sz 6), in eighths of a point.
    for side, size in (("top", 8), ("left", 0), ("bottom", 8), ("right", 0), ("insideH", 6),
                       ("insideV", 0)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single" if size else "nil")
        if size:
            edge.set(qn("w:sz"), str(size))
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        borders.append(edge)
    # tblBorders follows tblW, jc, tblCellSpacing and tblInd in the schema.
    anchor = tbl_pr.find(qn("w:jc"))
    (anchor if anchor is not None else width).addnext(borders)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(TAIL_PT * 20))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    grid_col = table._tbl.find(qn("w:tblGrid")).find(qn("w:gridCol"))  # noqa: SLF001
    grid_col.set(qn("w:w"), str(BLOCK_WIDTH_TWIPS))


def _core_properties(document, printed: PrintedIssue) -> None:
    metadata = document_metadata(printed)
    props = document.core_properties
    props.title = printed.title
    props.author = metadata.author
    props.subject = metadata.subject[:255]  # Word's limit
    props.keywords = metadata.keyword_line
    props.language = "zh-CN"
    props.comments = "简报编辑印发系统"
    date = printed.issue.date
    props.created = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    props.modified = props.created
    props.last_modified_by = ""
    props.revision = 1


def render_printed_issue_docx(printed: PrintedIssue, *, pages: dict[str, int] | None = None) -> bytes:
    """The issue as .docx bytes; `pages` (article anchor -> page) fills the contents' page numbers."""
    document = docx.Document()
    _setup_styles(document, printed)
    _setup_page(document, printed)
    writer = _Writer(document, printed, pages or {})
    writer.masthead()
    writer.contents()
    if printed.editor_note:
        writer.editor_note(printed.editor_note)
    writer.articles()
    writer.tail()
    _core_properties(document, printed)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_issue_docx(issue: Issue) -> bytes:
    """The Word edition of an issue; the contents show the pages of its PDF."""
    from bulletins.rendering.outline import article_pages
    from bulletins.rendering.pdf import render_issue_pdf

    printed = printed_issue(issue)
    pages = {}
    if printed.toc_shows_pages:
        pages = article_pages(render_issue_pdf(issue, printed=printed), printed)
    return render_printed_issue_docx(printed, pages=pages)


def issue_docx_filename(issue: Issue) -> str:
    from bulletins.rendering.pdf import issue_pdf_filename

    return issue_pdf_filename(issue).removesuffix(".pdf") + ".docx"


def issue_docx_display_name(issue: Issue) -> str:
    from bulletins.rendering.pdf import issue_pdf_display_name

    return issue_pdf_display_name(issue).removesuffix(".pdf") + ".docx"
