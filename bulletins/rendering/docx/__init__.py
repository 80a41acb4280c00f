"""The issue as a Word document (.docx) in the official layout, built from the same data as the PDF.

Everything is set through named styles (正文, 文章标题, 一级标题, …) so that an office can restyle
the document; the fonts are the licensed names offices have installed (仿宋_GB2312, 方正小标宋简体,
黑体, 楷体_GB2312, 宋体), on the East Asian slot (``w:eastAsia``) as well as the Latin ones. The
page follows GB/T 9704: A4, mirrored margins (37 mm top, 35 mm bottom, 28 mm inside, 26 mm
outside) and a document grid of 22 lines of 28 characters.

`ooxml` holds the plumbing python-docx lacks, `styles` the styles and the page, `writer` the document.
"""

from bulletins.rendering.docx.ooxml import DOCX_CONTENT_TYPE, set_fonts
from bulletins.rendering.docx.styles import (
    BLOCK_WIDTH_TWIPS,
    BODY_PT,
    CHAR_SPACE,
    CONDENSE_TWIPS,
    FONT_NAMES,
    LINE_TWIPS,
    PAGE_NUMBER_PT,
    TAIL_PT,
    StyleSpec,
)
from bulletins.rendering.docx.writer import (
    issue_docx_display_name,
    issue_docx_filename,
    render_issue_docx,
    render_printed_issue_docx,
)

__all__ = [
    "BLOCK_WIDTH_TWIPS", "BODY_PT", "CHAR_SPACE", "CONDENSE_TWIPS", "DOCX_CONTENT_TYPE", "FONT_NAMES",
    "LINE_TWIPS", "PAGE_NUMBER_PT", "TAIL_PT", "StyleSpec", "issue_docx_display_name",
    "issue_docx_filename", "render_issue_docx", "render_printed_issue_docx", "set_fonts",
]
