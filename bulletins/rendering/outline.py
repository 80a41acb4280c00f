"""Read back from an issue's PDF on which page each article starts (its bookmarks)."""

from __future__ import annotations

import io

from pdfminer.pdfdocument import PDFDocument, PDFNoOutlines
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from bulletins.rendering.html import PrintedIssue

ARTICLE_LEVEL = 2  # columns are level 1, article titles level 2 (see issue.css)


def outline_pages(pdf: bytes) -> list[tuple[int, str, int]]:
    """(level, title, page number from 1) of every bookmark, in document order."""
    document = PDFDocument(PDFParser(io.BytesIO(pdf)))
    page_numbers = {page.pageid: number
                    for number, page in enumerate(PDFPage.create_pages(document), start=1)}
    entries = []
    try:
        outlines = list(document.get_outlines())
    except PDFNoOutlines:
        return []
    for level, title, dest, action, _ in outlines:
        target = resolve1(dest) if dest is not None else None
        if target is None and action is not None:
            target = resolve1(resolve1(action).get("D"))
        if isinstance(target, dict):
            target = resolve1(target.get("D"))
        if isinstance(target, list) and target:
            page = page_numbers.get(getattr(target[0], "objid", None))
            if page is not None:
                entries.append((level, title, page))
    return entries


def article_pages(pdf: bytes, printed: PrintedIssue) -> dict[str, int]:
    """Article anchor -> the page of the PDF on which its title stands."""
    pages = [page for level, _, page in outline_pages(pdf) if level == ARTICLE_LEVEL]
    articles = printed.articles
    if len(pages) != len(articles):
        return {}
    return {article.anchor: page for article, page in zip(articles, pages, strict=True)}
