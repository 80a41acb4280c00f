"""The issue as a Word document (.docx) in the official layout, built from the same data as the PDF.

Everything is set through named styles (正文, 文章标题, 一级标题, …) so that an office can restyle
the document; the fonts are the licensed names offices have installed (仿宋_GB2312, 方正小标宋简体,
黑体, 楷体_GB2312, 宋体), on the East Asian slot (``w:eastAsia``) as well as the Latin ones. The
page follows GB/T 9704: A4, mirrored margins (37 mm top, 35 mm bottom, 28 mm inside, 26 mm
outside) and a document grid of 22 lines of 28 characters.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass

import docx
import lxml.html
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from bulletins.models import Issue
from bulletins.rendering.fetcher import BASE_URL, BulletinURLFetcher, RefusedURL
from bulletins.rendering.fonts import ROLES
from bulletins.rendering.html import (
    BLOCK_HEIGHT_MM,
    BLOCK_WIDTH_MM,
    CHARS_PER_LINE,
    LINES_PER_PAGE,
    TITLE_PT,
    PrintedIssue,
    _name_size_pt,
    document_metadata,
    printed_issue,
)

# The font names an office's Word knows, one per typographic role (see fonts.ROLES).
FONT_NAMES = {role.key: role.licensed_name for role in ROLES}
RED = RGBColor(0xE6, 0x00, 0x12)

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, INSIDE_MM, OUTSIDE_MM = 37, 35, 28, 26
BODY_PT = 16  # 三号
TAIL_PT = 14  # 四号
PAGE_NUMBER_PT = 14
# One grid line in twentieths of a point: 22 lines must fit in the 225 mm block, so round down.
LINE_TWIPS = int(BLOCK_HEIGHT_MM / 25.4 * 1440 / LINES_PER_PAGE)
BLOCK_WIDTH_TWIPS = round(BLOCK_WIDTH_MM / 25.4 * 1440)
# 28 characters of 三号 fill the 156 mm line when each is condensed by this much (twentieths of a
# point): 16 pt less 0.25 pt. A character grid (w:docGrid linesAndChars with a negative
# w:charSpace) would do the same in Word, but LibreOffice then gives every character two grid
# cells and doubles the page count, so the grid holds the lines and the styles the characters.
CONDENSE_TWIPS = math.floor((BLOCK_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE - BODY_PT) * 20)
# w:charSpace as Word's page set-up would write it for 28 characters a line (kept for its dialog).
CHAR_SPACE = round((BLOCK_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE - BODY_PT) * 4096)
# The footer's digits start 7 mm under the text block; Word measures to the footer's bottom.
FOOTER_DISTANCE = Mm(PAGE_HEIGHT_MM - (TOP_MM + BLOCK_HEIGHT_MM) - 7) - Pt(PAGE_NUMBER_PT)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Child order inside w:pPr and w:rPr (ECMA-376 §17.3.1.26, §17.3.2.28): Word refuses files whose
# properties come out of order.
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange")
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
# The elements of w:settings that may precede w:mirrorMargins (§17.15.1.78).
SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins")


def _put(parent, tag: str, order: tuple[str, ...], **attrs: str):
    """Replace the child `w:tag` of `parent`, inserted where the schema's sequence wants it."""
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    element = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    earlier = set(order[:order.index(tag) + 1])
    for index, child in enumerate(parent):
        if etree.QName(child).localname not in earlier:
            parent.insert(index, element)
            break
    else:
        parent.append(element)
    return element


def set_fonts(r_pr, name: str) -> None:
    """Name `name` for Latin, East Asian and complex script text, replacing theme fonts."""
    _put(r_pr, "rFonts", RPR_ORDER, ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia")


# --- styles ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class StyleSpec:
    name: str
    style_id: str
    font: str
    size_pt: float
    align: WD_ALIGN_PARAGRAPH | None = None
    first_indent_chars: int = 0
    line_pt: float | None = None  # exact line height; None: one grid line
    before_lines: int = 0
    after_lines: int = 0
    keep_with_next: bool = False
    outline_level: int | None = None
    color: RGBColor | None = None


def _style_specs(printed: PrintedIssue) -> list[StyleSpec]:
    f = FONT_NAMES
    j, c, left, right = (WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER,
                         WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT)
    name_pt = _name_size_pt(printed.name, 60)
    prefix_pt = _name_size_pt(printed.name_prefix, 22)
    return [
        StyleSpec("正文", "BulletinBody", f["body"], BODY_PT, j, 2),
        StyleSpec("版头标识", "BulletinMarking", f["heading1"], BODY_PT, left),
        StyleSpec("刊名上行", "BulletinNamePrefix", f["title"], prefix_pt, c, line_pt=prefix_pt * 1.6,
                  color=RED),
        StyleSpec("刊名", "BulletinName", f["title"], name_pt, c, line_pt=name_pt * 1.25, color=RED),
        StyleSpec("期号", "BulletinNumber", f["body"], BODY_PT, c),
        StyleSpec("发文机关和日期", "BulletinOfficeDate", f["body"], BODY_PT, left),
        StyleSpec("目录栏目", "BulletinTocColumn", f["heading1"], BODY_PT, left, keep_with_next=True),
        StyleSpec("目录条目", "BulletinTocEntry", f["heading2"], BODY_PT, left),
        StyleSpec("栏目标题", "BulletinColumn", f["heading1"], BODY_PT, left, before_lines=1,
                  keep_with_next=True, outline_level=0),
        StyleSpec("文章标题", "BulletinTitle", f["title"], TITLE_PT, c, before_lines=1, after_lines=1,
                  keep_with_next=True, outline_level=1),
        StyleSpec("副标题", "BulletinSubtitle", f["heading2"], BODY_PT, c, keep_with_next=True),
        StyleSpec("署名", "BulletinByline", f["heading2"], BODY_PT, c, keep_with_next=True),
        StyleSpec("编者按", "BulletinEditorNote", f["heading2"], BODY_PT, j, 2),
        StyleSpec("一级标题", "BulletinHeading1", f["heading1"], BODY_PT, j, 2, keep_with_next=True,
                  outline_level=2),
        StyleSpec("二级标题", "BulletinHeading2", f["heading2"], BODY_PT, j, 2, keep_with_next=True,
                  outline_level=3),
        StyleSpec("三级标题", "BulletinHeading3", f["body"], BODY_PT, j, 2, keep_with_next=True,
                  outline_level=4),
        StyleSpec("引文", "BulletinQuote", f["heading2"], BODY_PT, j),
        StyleSpec("列表", "BulletinList", f["body"], BODY_PT, j),
        StyleSpec("图片", "BulletinFigure", f["body"], BODY_PT, c),
        StyleSpec("图注", "BulletinCaption", f["body"], 14, c, line_pt=21),
        StyleSpec("表格文字", "BulletinTableText", f["body"], 12, left, line_pt=18),
        StyleSpec("来源", "BulletinSource", f["body"], BODY_PT, right),
        StyleSpec("版记", "BulletinTail", f["body"], TAIL_PT, j, line_pt=TAIL_PT * 1.6),
        StyleSpec("版记编辑信息", "BulletinTailEditorial", f["body"], 12, left, line_pt=18),
        StyleSpec("页码", "BulletinPageNumber", f["page_number"], PAGE_NUMBER_PT, None,
                  line_pt=PAGE_NUMBER_PT),
    ]


CHARACTER_STYLES = (("加粗", "BulletinStrong", "heading1"), ("楷体强调", "BulletinEmphasis", "heading2"))


def _setup_styles(document, printed: PrintedIssue) -> None:
    """Set the document defaults and create the named paragraph and character styles."""
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(r_pr, FONT_NAMES["body"])
    for tag in ("sz", "szCs"):
        _put(r_pr, tag, RPR_ORDER, val=str(BODY_PT * 2))
    _put(r_pr, "lang", RPR_ORDER, val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    p_pr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _put(p_pr, "spacing", PPR_ORDER, after="0", line="240", lineRule="auto")

    normal = styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element.get_or_add_rPr(), FONT_NAMES["body"])

    for spec in _style_specs(printed):
        style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), spec.style_id)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(spec.size_pt)
        set_fonts(style.element.get_or_add_rPr(), spec.font)
        if spec.size_pt == BODY_PT:
            _put(style.element.get_or_add_rPr(), "spacing", RPR_ORDER, val=str(CONDENSE_TWIPS))
        if spec.color is not None:
            style.font.color.rgb = spec.color
        fmt = style.paragraph_format
        if spec.align is not None:
            fmt.alignment = spec.align
        fmt.space_before = Twips(spec.before_lines * LINE_TWIPS)
        fmt.space_after = Twips(spec.after_lines * LINE_TWIPS)
        fmt.line_spacing = Pt(spec.line_pt) if spec.line_pt else Twips(LINE_TWIPS)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.widow_control = True
        fmt.keep_with_next = spec.keep_with_next or None
        pp = style.element.get_or_add_pPr()
        if spec.first_indent_chars:
            # firstLineChars (hundredths of a character) follows the grid; firstLine is the fallback.
            _put(pp, "ind", PPR_ORDER, firstLineChars=str(spec.first_indent_chars * 100),
                 firstLine=str(round(spec.first_indent_chars * spec.size_pt * 20)))
        if spec.outline_level is not None:
            _put(pp, "outlineLvl", PPR_ORDER, val=str(spec.outline_level))
        if spec.size_pt != BODY_PT:
            # Off the line grid: a 22 pt title line would otherwise take two grid lines (the
            # face's line height exceeds the pitch), and the 14 pt 版记 lines one each.
            _put(pp, "snapToGrid", PPR_ORDER, val="0")
    for name, style_id, role in CHARACTER_STYLES:
        style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.element.set(qn("w:styleId"), style_id)
        set_fonts(style.element.get_or_add_rPr(), FONT_NAMES[role])
    _indent_styles(styles)
    _masthead_rule(styles["发文机关和日期"])


def _indent_styles(styles) -> None:
    """Indents and tab stops of the contents, quotation and list styles."""
    toc = styles["目录条目"].element.get_or_add_pPr()
    _put(toc, "ind", PPR_ORDER, left=str(3 * BODY_PT * 20), hanging=str(BODY_PT * 20))
    tabs = _put(toc, "tabs", PPR_ORDER)
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:leader"), "dot")
    tab.set(qn("w:pos"), str(BLOCK_WIDTH_TWIPS))
    tabs.append(tab)
    for name in ("引文",):
        _put(styles[name].element.get_or_add_pPr(), "ind", PPR_ORDER,
             left=str(2 * BODY_PT * 20), right=str(2 * BODY_PT * 20), firstLineChars="200",
             firstLine=str(2 * BODY_PT * 20))
    _put(styles["列表"].element.get_or_add_pPr(), "ind", PPR_ORDER,
         left=str(2 * BODY_PT * 20), hanging=str(BODY_PT * 20))


def _masthead_rule(style) -> None:
    """The red rule under the issuing office and date: a thick and a thin line."""
    p_pr = style.element.get_or_add_pPr()
    border = _put(p_pr, "pBdr", PPR_ORDER)
    bottom = OxmlElement("w:bottom")
    # thickThinSmallGap: 1.2 mm and 0.35 mm in the PDF; w:sz is the total width in eighths of a point.
    for name, value in (("val", "thickThinSmallGap"), ("sz", "36"), ("space", "4"),
                        ("color", str(RED))):
        bottom.set(qn(f"w:{name}"), value)
    border.append(bottom)
    tabs = _put(p_pr, "tabs", PPR_ORDER)
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:pos"), str(BLOCK_WIDTH_TWIPS))
    tabs.append(tab)


# --- page set-up ----------------------------------------------------------------------------

def _setup_page(document, printed: PrintedIssue) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(INSIDE_MM), Mm(OUTSIDE_MM)  # inside, outside
    section.gutter = 0
    section.header_distance = Mm(15)
    section.footer_distance = FOOTER_DISTANCE
    grid = section._sectPr.find(qn("w:docGrid"))  # noqa: SLF001 - python-docx has no grid API
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)  # noqa: SLF001
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    settings = document.settings
    settings.odd_and_even_pages_header_footer = True
    _put(settings.element, "mirrorMargins", SETTINGS_ORDER)
    section.different_first_page_header_footer = not printed.number_first_page
    _footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT, numbered_last_page=printed.number_tail_page)
    _footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT,
            numbered_last_page=printed.number_tail_page)
    if not printed.number_first_page:
        section.first_page_footer.is_linked_to_previous = False


def _field(paragraph: Paragraph, instruction: str | list, result: str, style: str | None = None) -> None:
    """A complex field (PAGE, PAGEREF, IF …) with `result` shown until Word updates it.

    `instruction` is the field code, or a list of code text and (instruction, result) pairs
    for fields nested in it.
    """
    def run_with(child) -> None:
        run = paragraph.add_run(style=style)
        run._r.append(child)  # noqa: SLF001

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run_with(element)

    char("begin")
    for part in instruction if isinstance(instruction, list) else [f" {instruction} "]:
        if isinstance(part, tuple):
            code, shown = part
            _field(paragraph, code, shown, style=style)
            continue
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = part
        run_with(instr)
    char("separate")
    paragraph.add_run(result, style=style)
    char("end")


def _footer(footer, alignment: WD_ALIGN_PARAGRAPH, *, numbered_last_page: bool = True) -> None:
    """"— N —", one character in from the outer edge (not on the last page, which holds the
    版记, if the publication leaves it unnumbered)."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "页码"
    paragraph.alignment = alignment
    indent = Pt(PAGE_NUMBER_PT)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    if numbered_last_page:
        paragraph.add_run("— ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" —")
    else:
        _field(paragraph, [" IF ", ("PAGE", "1"), " = ", ("NUMPAGES", "2"), ' "" "— ', ("PAGE", "1"),
                           ' —" '], "— 1 —")


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


_SPACES = re.compile(r"[ \t\r\n]+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text)


def _bookmark_name(anchor: str) -> str:
    """Word bookmark names: letters, digits and underscores, at most 40 characters."""
    return "_" + anchor.replace("-", "_")[:39]


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
