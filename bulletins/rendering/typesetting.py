"""What a typesetter does to an article's sanitised HTML before it is laid out on paper."""

from __future__ import annotations

import lxml.html
from lxml.html import HtmlElement

TEXT_BLOCKS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote"}


def _is_picture(block: HtmlElement) -> bool:
    """A figure holding an image, or a paragraph holding nothing but images."""
    if block.tag == "figure":
        return block.find(".//img") is not None
    return (block.tag == "p" and not (block.text or "").strip() and len(block) > 0
            and all(child.tag == "img" and not (child.tail or "").strip() for child in block))


def _picture_after_first_paragraph(root: HtmlElement) -> None:
    """An article that opens with a picture prints its first paragraph first.

    The title is kept with two lines of text; kept with a whole picture instead, it would be
    pushed to the next page with it and leave most of a page empty.
    """
    blocks = list(root)
    if len(blocks) < 2 or not _is_picture(blocks[0]):
        return
    paragraph = next((block for block in blocks[1:] if block.tag in TEXT_BLOCKS
                      and not _is_picture(block)), None)
    if paragraph is not None and blocks.index(paragraph) == 1:
        root.remove(paragraph)
        root.insert(0, paragraph)


def _header_rows_in_thead(root: HtmlElement) -> None:
    """A table's first row made only of header cells becomes its <thead>, which the PDF
    repeats at the top of every page the table spans (pasted tables carry it in <tbody>)."""
    for table in root.iter("table"):
        if table.find("thead") is not None:
            continue
        body = table.find("tbody")
        rows = list(body if body is not None else table)
        if not rows or rows[0].tag != "tr" or len(rows) < 2:
            continue
        cells = list(rows[0])
        if not cells or any(cell.tag != "th" for cell in cells):
            continue
        thead = lxml.html.Element("thead")
        rows[0].getparent().remove(rows[0])
        thead.append(rows[0])
        table.insert(0, thead)


def typeset_body(html: str) -> str:
    """`html` (sanitised article body) arranged for the printed page."""
    if not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    _picture_after_first_paragraph(root)
    _header_rows_in_thead(root)
    return lxml.html.tostring(root, encoding="unicode").removeprefix("<div>").removesuffix("</div>")
