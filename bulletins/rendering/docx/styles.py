"""The named styles (正文, 文章标题, 一级标题, …) and the page set-up of GB/T 9704: A4, mirrored
margins, a grid of 22 lines of 28 characters, page numbers in the footers."""

from __future__ import annotations

import math
from dataclasses import dataclass

from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from bulletins.rendering.docx.ooxml import (
    PPR_ORDER,
    RPR_ORDER,
    SETTINGS_ORDER,
    _field,
    _put,
    set_fonts,
)
from bulletins.rendering.fonts import ROLES
from bulletins.rendering.html import (
    BLOCK_HEIGHT_MM,
    BLOCK_WIDTH_MM,
    CHARS_PER_LINE,
    LINES_PER_PAGE,
    TITLE_PT,
    PrintedIssue,
    name_size_pt,
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
    name_pt = name_size_pt(printed.name, 60)
    prefix_pt = name_size_pt(printed.name_prefix, 22)
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
