"""An article's text as the proofreader reads it: paragraphs of plain text.

Each paragraph (a `Segment`) keeps, for every character, where it came from in the stored
field, so a fix found in the plain text can be written back into the HTML at exactly that
spot, leaving tags and every other character as they were.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Tags that start and end a paragraph; inline tags (strong, em, a, ...) do not.
BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "figure",
    "figcaption", "table", "thead", "tbody", "tr", "th", "td", "div", "pre",
})
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|<!--.*?-->|&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);",
                    re.DOTALL)


@dataclass(frozen=True)
class Segment:
    """One paragraph of one field: its text and, per character, its span in the field."""

    field: str
    paragraph: int  # 1-based among the field's paragraphs
    text: str
    spans: tuple[tuple[int, int], ...]
    tag: str = ""  # the enclosing block tag for HTML fields: p, h2, li, ...
    is_html: bool = False

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The stored field's span covering plain-text characters start..end-1."""
        return self.spans[start][0], self.spans[end - 1][1]


def html_segments(field: str, value: str) -> list[Segment]:
    """The paragraphs of an HTML field; <br> becomes a line break inside its paragraph."""
    segments: list[Segment] = []
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    tags: list[str] = []

    def flush() -> None:
        if "".join(chars).strip():
            segments.append(Segment(field=field, paragraph=len(segments) + 1, text="".join(chars),
                                    spans=tuple(spans), tag=tags[-1] if tags else "",
                                    is_html=True))
        chars.clear()
        spans.clear()

    def text(start: int, end: int) -> None:
        for offset in range(start, end):
            chars.append(value[offset])
            spans.append((offset, offset + 1))

    position = 0
    for match in _TOKEN.finditer(value):
        text(position, match.start())
        position = match.end()
        token = match.group(0)
        if token.startswith("&"):
            decoded = html.unescape(token)
            for character in decoded:
                chars.append(character)
                spans.append((match.start(), match.end()))
            continue
        name = (match.group(2) or "").lower()
        if name == "br":
            chars.append("\n")
            spans.append((match.start(), match.end()))
        elif name in BLOCK_TAGS:
            flush()
            if match.group(1):
                if name in tags:
                    del tags[len(tags) - 1 - tags[::-1].index(name):]
            else:
                tags.append(name)
    text(position, len(value))
    flush()
    return segments


def plain_segments(field: str, value: str) -> list[Segment]:
    """The non-blank lines of a plain-text field, each a paragraph."""
    segments: list[Segment] = []
    offset = 0
    for line in value.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        if content.strip():
            segments.append(Segment(
                field=field, paragraph=len(segments) + 1, text=content,
                spans=tuple((offset + i, offset + i + 1) for i in range(len(content)))))
        offset += len(line)
    return segments


@dataclass(frozen=True)
class Edit:
    """Replace plain-text characters start..end-1 (at least one) of a paragraph by `text`."""

    start: int
    end: int
    text: str


def apply_edits(value: str, edits: Iterable[tuple[Segment, Edit]]) -> tuple[str, int]:
    """Write paragraph edits into the stored field value; return it and how many were applied.

    Each edited character is replaced in its own source span, so tags between edited
    characters stay where they are. An edit that overlaps one already taken is skipped.
    """
    # Source span -> new text; an entity standing for several characters is one span.
    replacements: dict[tuple[int, int], str] = {}
    applied = 0
    for segment, edit in edits:
        text = html.escape(edit.text, quote=False) if segment.is_html else edit.text
        spans = list(dict.fromkeys(segment.spans[index] for index in range(edit.start, edit.end)))
        if any(start < taken_end and taken_start < end for start, end in spans
               for taken_start, taken_end in replacements):
            continue
        for number, span in enumerate(spans):
            replacements[span] = text if number == 0 else ""
        applied += 1
    result = value
    for (start, end), text in sorted(replacements.items(), reverse=True):
        result = result[:start] + text + result[end:]
    return result, applied
