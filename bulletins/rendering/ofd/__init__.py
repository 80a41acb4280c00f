"""The issue as an OFD document (GB/T 33190-2016), derived page by page from its PDF.

The PDF is read with pdfminer.six: every character with its font, size, colour and the origin of
its glyph, every painted path (the red masthead rules, the 版记 rules, table borders) and every
image. Each becomes the OFD object that says the same thing: ``TextObject``/``TextCode`` with the
character positions (so the text can be searched and copied), ``PathObject`` with the path in
``AbbreviatedData``, ``ImageObject`` over an embedded image. The fonts embedded are the subset
font programs the PDF itself embeds (sfnt files with the glyphs and cmap of the characters used);
a PDF font without a usable one is matched by name to a configured face, which fontTools subsets
to the characters used. Positions
are converted from PDF points (origin bottom left) to OFD millimetres (origin top left) without
any other rounding than to 1/1000 mm.

`reader` reads the PDF, `fonts` finds the font programs, `writer` writes the package; this module
turns an issue into its OFD edition.
"""

from __future__ import annotations

from bulletins.models import Issue
from bulletins.rendering.fonts import FontSet, current_fonts
from bulletins.rendering.html import PrintedIssue, document_metadata, printed_issue
from bulletins.rendering.ofd.fonts import EmbeddedFont, embedded_program, font_names, match_face
from bulletins.rendering.ofd.reader import PaintedPath, read_pdf, rgb
from bulletins.rendering.ofd.writer import (
    CREATOR,
    MM_PER_PT,
    NSMAP,
    OFD,
    OFD_CONTENT_TYPE,
    OFD_NS,
    OFDWriter,
    delta_x,
    fmt,
    mm,
    ring_bands,
)

__all__ = [
    "CREATOR", "MM_PER_PT", "NSMAP", "OFD", "OFD_CONTENT_TYPE", "OFD_NS", "OFD_VERSION", "EmbeddedFont",
    "OFDWriter", "PaintedPath", "delta_x", "embedded_program", "fmt", "font_names", "issue_ofd_display_name",
    "issue_ofd_filename", "match_face", "mm", "pdf_to_ofd", "read_pdf", "render_issue_ofd",
    "render_printed_issue_ofd", "rgb", "ring_bands",
]


def pdf_to_ofd(pdf: bytes, *, fonts: FontSet | None = None, title: str = "", author: str = "",
               subject: str = "", keywords: list[str] | None = None, created: str = "") -> bytes:
    """An OFD package with the pages, text, rules and images of `pdf`."""
    from bulletins.rendering.outline import outline_pages

    # The font programs are found through this package's name, so that replacing
    # ofd.embedded_program reaches the writer.
    writer = OFDWriter(fonts=fonts or current_fonts(), program_of=embedded_program)
    for page in read_pdf(pdf):
        writer.add_page(page)
    return writer.write(title=title, author=author, subject=subject, keywords=keywords or [],
                        created=created, outline=outline_pages(pdf))


def render_printed_issue_ofd(printed: PrintedIssue, pdf: bytes, *, fonts: FontSet | None = None) -> bytes:
    metadata = document_metadata(printed)
    return pdf_to_ofd(pdf, fonts=fonts, title=printed.title, author=metadata.author,
                      subject=metadata.subject, keywords=list(metadata.keywords),
                      created=printed.issue.date.isoformat())


# Part of the cache key: bump it when the OFD written for the same PDF changes.
OFD_VERSION = "1"


def render_issue_ofd(issue: Issue, *, use_cache: bool = True) -> bytes:
    """The OFD edition of an issue, from the cache when nothing it prints has changed.

    It is keyed like the PDF (the issue's HTML, the font files, the PDF options), so it is
    rebuilt exactly when the PDF is.
    """
    from bulletins.rendering.cache import cache_key, get_cached_pdf, set_cached_pdf
    from bulletins.rendering.html import render_issue_html
    from bulletins.rendering.pdf import render_issue_pdf

    fonts = current_fonts()
    printed = printed_issue(issue)
    key = f"{cache_key(render_issue_html(printed, fonts=fonts), fonts)}:ofd:{OFD_VERSION}"
    if use_cache and (ofd := get_cached_pdf(key)) is not None:
        return ofd
    ofd = render_printed_issue_ofd(printed, render_issue_pdf(issue, use_cache=use_cache, printed=printed),
                                   fonts=fonts)
    if use_cache:
        set_cached_pdf(key, ofd)
    return ofd


def issue_ofd_filename(issue: Issue) -> str:
    from bulletins.rendering.pdf import issue_pdf_filename

    return issue_pdf_filename(issue).removesuffix(".pdf") + ".ofd"


def issue_ofd_display_name(issue: Issue) -> str:
    from bulletins.rendering.pdf import issue_pdf_display_name

    return issue_pdf_display_name(issue).removesuffix(".pdf") + ".ofd"
