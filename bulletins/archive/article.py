"""One article from its title lines and the lines under it: subtitle, byline, editor's note,
source, and the body as paragraphs and headings (一、 h2, （一） h3, 1. h4, **bold** strong),
with paragraphs cut by a page break joined again."""

from __future__ import annotations

import html
from dataclasses import dataclass

from bulletins.archive.boundaries import Anchor
from bulletins.archive.context import ParseContext
from bulletins.archive.rules import (
    BOLD_RE,
    SENTENCE_PUNCTUATION,
    Line,
    compact,
    is_artefact,
    without_tail,
)
from bulletins.archive.toc import TocEntry
from bulletins.archive.types import ArchiveArticle
from bulletins.article_parts import EDITOR_NOTE_RE, SOURCE_RE, TITLE_MAX, looks_like_byline
from bulletins.headings import HEADING_MAX, HEADING_TAGS, heading_level
from bulletins.text import ends_sentence


@dataclass
class Block:
    kind: str  # p, h2, h3, h4
    text: str
    lines: list[int]


def build_article(ctx: ParseContext, anchor: Anchor, lines: list[Line], *, has_toc: bool) -> ArchiveArticle:
    """The article whose title is `anchor` and whose text is `lines`."""
    title_lines = anchor.title_lines
    title = title_lines[0].plain
    entry = anchor.toc
    byline = ""
    if (len(title_lines) > 1 and entry is not None and not entry.byline
            and looks_like_byline(title_lines[-1].plain)):
        # A TOC that prints the byline after the title with no leader (`标题  署名`) matched
        # the title and the byline under it: the last line is the byline, not a subtitle.
        byline = title_lines[-1].plain
        title_lines = title_lines[:-1]
    subtitle_parts: list[str] = []
    for line in title_lines[1:]:
        subtitle_line = (line.plain.startswith("—") or line.level != title_lines[0].level
                       or subtitle_parts)
        if subtitle_line:
            subtitle_parts.append(line.plain)
        else:
            title += line.plain
    if anchor.byline_above is not None:
        byline = anchor.byline_above.plain
    article = ArchiveArticle(title=title, subtitle="".join(subtitle_parts), byline=byline,
                             line=title_lines[0].no)
    if entry is not None:
        entry_text = entry.text
        if byline and compact(entry_text).endswith(compact(byline)):
            entry_text = without_tail(entry_text, byline)
        if compact(entry_text) != compact(title):
            article.toc_title = entry_text
        elif ctx.one_entry_per_line and len(title.split()) < len(entry_text.split()):
            # The printed title was broken over lines where the TOC shows its spaces.
            article.title = entry_text
        article.toc_page = entry.page
    content = [line for line in lines if not line.blank]
    # Subtitle, byline and editor's note stand right under the title.
    if content and not article.subtitle and is_subtitle(content[0], entry):
        article.subtitle = content.pop(0).plain
    if article.byline:
        pass
    elif content and is_byline(content[0], entry):
        article.byline = content.pop(0).plain
    elif entry is not None and entry.byline:
        # Taking the TOC's byline would guess where the body's text of it went (glued to a
        # paragraph, set beside the subtitle): the editor must look.
        ctx.doubt(content[0] if content else None,
                  f"目录中《{entry.text}》的署名“{entry.byline}”在正文中未找到（标题下应是署名这一行），"
                  f"无法确定署名和正文的分界，未导入：{content[0].plain[:40] if content else ''}")
        article.byline = entry.byline
    if content and EDITOR_NOTE_RE.match(content[0].plain):
        article.editor_note = content.pop(0).plain
    # Artefacts anywhere are reported, not kept.
    kept: list[Line] = []
    for line in content:
        reason = is_artefact(line)
        if reason:
            ctx.skip(line, reason)
        else:
            kept.append(line)
    if kept and SOURCE_RE.match(kept[-1].plain) and len(kept) > 1:
        article.source = kept.pop().plain
    article.body_html = "".join(render_block(block) for block in blocks(ctx, kept, has_toc=has_toc))
    return article


def is_subtitle(line: Line, entry: TocEntry | None) -> bool:
    """A line right under the title that starts with a dash, or that the layout centres and
    that is neither a byline, an editor's note nor a sentence."""
    plain = line.plain
    if len(plain) > TITLE_MAX:
        return False
    return plain.startswith("——") or bool(
        line.centred and not is_byline(line, entry) and not ends_sentence(plain)
        and not EDITOR_NOTE_RE.match(plain))


def is_byline(line: Line, entry: TocEntry | None) -> bool:
    """The TOC's byline where it shows one; else a short line ending in a name or a unit."""
    if entry is not None and entry.byline:
        return compact(line.plain) == compact(entry.byline)
    return not line.level and not line.whole_bold and looks_like_byline(line.plain)


def blocks(ctx: ParseContext, lines: list[Line], *, has_toc: bool) -> list[Block]:
    """The body's paragraphs and headings; a paragraph that does not end a sentence was cut by a
    page break and continues in the next."""
    result: list[Block] = []
    for position, line in enumerate(lines):
        kind = heading_kind(line, lines, position)
        text = line.text
        if kind != "p":
            text = line.plain if line.whole_bold else text
            result.append(Block(kind=kind, text=text, lines=[line.no]))
            continue
        previous = result[-1] if result else None
        if (previous is not None and previous.kind == "p" and not ends_sentence(previous.text)
                and not text.startswith("**") and not ctx.keeps_paragraphs and not line.indented):
            # A page break cut the paragraph: join the halves without adding anything.
            if not has_toc and len(previous.lines) == 1 and looks_like_title(previous.text):
                ctx.doubt(ctx.by_no.get(previous.lines[0]),
                          f"“{previous.text}”像是一篇文章的标题，但没有目录可以对照，"
                          "已作为段落的开头并入下一段，请核对是否漏分了文章。")
            previous.text += text
            previous.lines.append(line.no)
        else:
            result.append(Block(kind="p", text=text, lines=[line.no]))
    return result


def heading_kind(line: Line, lines: list[Line], position: int) -> str:
    """p, or the level of heading the line is: numbered, marked (Markdown, bold) or a short line
    standing between sentences."""
    plain = line.plain
    if level := heading_level(plain):
        return HEADING_TAGS[level]
    if len(plain) > HEADING_MAX or any(ch in "。！？!?" for ch in plain[:-1]):
        return "p"
    marked = line.level > 0 or line.whole_bold
    if marked and not ends_sentence(plain) and not plain.endswith(("，", "、", ",")):
        return "h2"
    is_last = position == len(lines) - 1
    if (line.indented and not is_last and lines[position + 1].indented and not ends_sentence(plain)
            and not plain.endswith(("，", "、", "；", "：", ",", ";", ":"))):
        # A whole paragraph of its own (the layout indents it and the next) that ends without
        # punctuation is a heading whose face did not survive (黑体 printed without the font).
        return "h2"
    if (not marked and not is_last and position > 0 and len(plain) <= 25
            and not any(ch in SENTENCE_PUNCTUATION for ch in plain)
            and ends_sentence(lines[position - 1].plain)
            and len(lines[position + 1].plain) > len(plain)):
        return "h2"
    return "p"


def looks_like_title(text: str) -> bool:
    """A short line with no punctuation of a sentence in it."""
    plain = text.replace("**", "").strip()
    return 4 <= len(plain) <= TITLE_MAX and not any(ch in SENTENCE_PUNCTUATION for ch in plain)


def inline_html(text: str) -> str:
    parts: list[str] = []
    position = 0
    for match in BOLD_RE.finditer(text):
        parts.append(html.escape(text[position:match.start()], quote=False))
        parts.append(f"<strong>{html.escape(match.group('inner'), quote=False)}</strong>")
        position = match.end()
    parts.append(html.escape(text[position:], quote=False))
    return "".join(parts)


def render_block(block: Block) -> str:
    return f"<{block.kind}>{inline_html(block.text)}</{block.kind}>"
