"""HTML to PDF with our fonts and fetcher; an issue to its print-ready PDF."""

from __future__ import annotations

import re
import threading
import unicodedata

import weasyprint
from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.text.fonts import FontConfiguration

from bulletins.models import Issue
from bulletins.rendering import MissingGlyphError
from bulletins.rendering.cache import cache_key, get_cached_pdf, set_cached_pdf
from bulletins.rendering.compression import deflate_pdf_streams_at_default_level
from bulletins.rendering.fetcher import BASE_URL, BulletinURLFetcher
from bulletins.rendering.fonts import FontSet, covered_codepoints, current_fonts
from bulletins.rendering.html import PrintedIssue, printed_issue, render_issue_html
from bulletins.rendering.target_counters import correct_target_counters

_local = threading.local()

deflate_pdf_streams_at_default_level()
correct_target_counters()

# Characters that print nothing and so need no glyph.
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def _font_config() -> FontConfiguration:
    """One font configuration per thread: @font-face files are loaded once, not per render."""
    font_config = getattr(_local, "font_config", None)
    if font_config is None:
        font_config = _local.font_config = FontConfiguration()
    return font_config


# The one plain <style> element our print templates put their whole stylesheet in.
_STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_PARSED_STYLESHEETS_KEPT = 8


def _parsed_stylesheet(css: str, fetcher: BulletinURLFetcher) -> CSS:
    """`css` parsed once per thread (with that thread's font configuration, which registers
    its @font-face files): parsing the issue stylesheet took some 11 ms of every render, and
    it is the same for every issue of a publication."""
    parsed = getattr(_local, "stylesheets", None)
    if parsed is None:
        parsed = _local.stylesheets = {}
    if css not in parsed:
        if len(parsed) >= _PARSED_STYLESHEETS_KEPT:
            del parsed[next(iter(parsed))]
        parsed[css] = CSS(string=css, base_url=BASE_URL, url_fetcher=fetcher,
                          font_config=_font_config())
    return parsed[css]


def _lift_stylesheet(html: str, fetcher: BulletinURLFetcher) -> tuple[str, list[CSS]]:
    """The document without its stylesheet, and that stylesheet parsed, when it has exactly
    one plain <style> element (as all our print documents do); otherwise unchanged.

    Given to WeasyPrint as `stylesheets=`, it applies as it does inline: it is the only
    stylesheet besides WeasyPrint's own, and style="" attributes still come after it.
    """
    match = _STYLE_ELEMENT.search(html)
    if match is None or html.count("<style") != 1:
        return html, []
    without = html[:match.start()] + html[match.end():]
    return without, [_parsed_stylesheet(match.group(1), fetcher)]


def pdf_options() -> dict:
    variant = getattr(settings, "BULLETIN_PDF_VARIANT", "") or None
    return {"pdf_variant": variant}


def render_document(html: str, *, fonts: FontSet | None = None) -> weasyprint.Document:
    """Lay out `html` (with our fonts; only our files can be fetched) without writing it."""
    fonts = fonts or current_fonts()
    fetcher = BulletinURLFetcher(font_files=fonts.file_paths)
    html, stylesheets = _lift_stylesheet(html, fetcher)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        font_config=_font_config(), stylesheets=stylesheets, **pdf_options())
    # Never embed files, whatever the HTML links with rel="attachment", even our own.
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    return document


def document_to_pdf(document: weasyprint.Document) -> bytes:
    return document.write_pdf(**pdf_options())


def write_pdf(html: str, *, fonts: FontSet | None = None) -> bytes:
    """Write any of our print documents (issue, mailroom sheet, ...) with the bulletin fonts."""
    return document_to_pdf(render_document(html, fonts=fonts))


def missing_glyphs(printed: PrintedIssue, fonts: FontSet) -> list[tuple[str, str]]:
    """Every (place, character) that no configured font covers, each once, in reading order."""
    covered = covered_codepoints(fonts)
    found: dict[tuple[str, str], None] = {}
    for where, text in printed.texts():
        for character in text or "":
            if ord(character) not in covered and unicodedata.category(character) not in _INVISIBLE:
                found[(where, character)] = None
    return list(found)


def check_glyphs(printed: PrintedIssue, fonts: FontSet) -> None:
    """Raise MissingGlyphError for the first character no configured font covers."""
    missing = missing_glyphs(printed, fonts)
    if missing:
        where, character = missing[0]
        raise MissingGlyphError(character=character, where=where)


def issue_missing_glyphs(issue: Issue) -> list[tuple[str, str]]:
    """What of this issue cannot be printed with the fonts configured now."""
    return missing_glyphs(printed_issue(issue), current_fonts())


def _tail_box(page: weasyprint.Page):
    root = page._page_box.children[0]  # noqa: SLF001 - the box tree has no public accessor
    for box in root.descendants():
        if box.element is not None and box.element.get("id") == "tail" and box.element_tag == "div":
            return box
    return None


def _page_has_text_outside(page: weasyprint.Page, tail) -> bool:
    root = page._page_box.children[0]  # noqa: SLF001
    tail_boxes = {id(box) for box in tail.descendants()}
    return any(isinstance(box, TextBox) and box.text.strip() and id(box) not in tail_boxes
               for box in root.descendants())


def _push_tail_to_foot(page: weasyprint.Page, tail) -> None:
    """Move the laid-out tail down so its last rule lies on the bottom of the text block."""
    page_box = page._page_box  # noqa: SLF001
    block_bottom = page_box.content_box_y() + page_box.height
    tail_bottom = tail.position_y + tail.margin_height() - tail.margin_bottom
    if block_bottom > tail_bottom:
        tail.translate(dy=block_bottom - tail_bottom)


def _anchor_pages(document: weasyprint.Document) -> dict[str, int]:
    return {anchor: number for number, page in enumerate(document.pages, start=1)
            for anchor in page.anchors}


def render_printed_issue(printed: PrintedIssue, *, fonts: FontSet | None = None,
                         html: str | None = None) -> bytes:
    fonts = fonts or current_fonts()
    check_glyphs(printed, fonts)
    html = html or render_issue_html(printed, fonts=fonts)
    document = render_document(html, fonts=fonts)
    last = document.pages[-1]
    tail = _tail_box(last)
    number = len(document.pages)
    if (tail is not None and printed.double_sided and number % 2 == 1 and number > 1
            and not _page_has_text_outside(last, tail)):
        # The tail did not fit and went to a page of its own, an odd one: double-sided
        # offices want it on an even page, so lay out again with a blank page before it.
        document = render_document(render_issue_html(
            printed, fonts=fonts, tail_on_even=True, toc_pages=_anchor_pages(document)),
            fonts=fonts)
        last = document.pages[-1]
        tail = _tail_box(last)
    if tail is not None:
        _push_tail_to_foot(last, tail)
    return document_to_pdf(document)


def render_issue_pdf(issue: Issue, *, use_cache: bool = True, printed: PrintedIssue | None = None) -> bytes:
    """The print-ready PDF of an issue, from the cache when nothing it prints has changed;
    `printed` is the issue's printed_issue() when the caller has loaded it already."""
    fonts = current_fonts()
    printed = printed or printed_issue(issue)
    html = render_issue_html(printed, fonts=fonts)
    key = cache_key(html, fonts)
    if use_cache and (pdf := get_cached_pdf(key)) is not None:
        return pdf
    pdf = render_printed_issue(printed, fonts=fonts, html=html)
    if use_cache:
        set_cached_pdf(key, pdf)
    return pdf


def issue_pdf_filename(issue: Issue) -> str:
    """<publication-slug>-<year>-<number>.pdf (a 增刊 number is prefixed with "zk")."""
    special = "zk" if issue.is_special else ""
    return f"{issue.publication.slug}-{issue.year}-{special}{issue.number}.pdf"


def issue_pdf_display_name(issue: Issue) -> str:
    """The Chinese file name offered on download, e.g. 工作简报2023年第454期.pdf."""
    name = "".join(issue.publication.full_name.split())
    return f"{name}{issue.number_label}.pdf"
