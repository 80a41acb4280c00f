"""Showing where a query matched: snippets for result lists, <mark> in article HTML.

Matching is done on the normalised text (NFKC, lower case) and mapped back to the original
characters, so that a full-width Ａ or a 〇 in the article is marked where the index found it.
"""

from __future__ import annotations

import html
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bulletins.search.text import _CJK, ParsedQuery, Term, normalise

# Between the runs of a term (党建 2021, covid 19) anything that is not a letter or digit.
_GAP = r"[\W_]*?"
_NOT_WORD_BEFORE = rf"(?<![^\W_{_CJK}])"
_NOT_WORD_AFTER = rf"(?![^\W_{_CJK}])"


def _term_pattern(term: Term) -> str:
    parts = []
    for kind, run in term.runs:
        if kind == "word":
            parts.append(_NOT_WORD_BEFORE + re.escape(run) + _NOT_WORD_AFTER)
        else:
            parts.append(re.escape(run))
    return _GAP.join(parts)


def query_pattern(query: ParsedQuery) -> re.Pattern:
    # Longer terms first, so that 党建工作 wins over 党建 where both start.
    terms = sorted(query.terms, key=lambda term: -len(term.text))
    return re.compile("|".join(f"(?:{_term_pattern(term)})" for term in terms))


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original one."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        normal = normalise(char)
        out.append(normal)
        where.extend([index] * len(normal))
    return "".join(out), where


def match_spans(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of every match in the original text."""
    normal, where = _normalised_with_map(text)
    spans = []
    for match in pattern.finditer(normal):
        if match.end() > match.start():
            spans.append((where[match.start()], where[match.end() - 1] + 1))
    return spans


def mark(text: str, spans: list[tuple[int, int]]) -> str:
    """Escaped text with <mark> around the spans."""
    out, last = [], 0
    for start, end in spans:
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def highlight_text(text: str, query: ParsedQuery | None) -> SafeString:
    if not query or not text:
        return escape(text or "")
    return mark_safe(mark(text, match_spans(text, query_pattern(query))))  # noqa: S308 - escaped


def snippet(text: str, query: ParsedQuery, *, width: int = 110) -> SafeString:
    """About `width` characters of `text` around its first match, the matches marked."""
    text = " ".join(text.split())
    spans = match_spans(text, query_pattern(query))
    if not spans:
        start, end = 0, min(len(text), width)
    else:
        first = spans[0][0]
        start = max(0, first - width // 3)
        end = min(len(text), start + width)
        start = max(0, min(start, end - width))
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    body = mark(text[start:end], inside)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))  # noqa: S308


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


def highlight_html(body: str, query: ParsedQuery | None) -> SafeString:
    """Article HTML with the matches in each run of text marked; tags are left as they are.

    A match that crosses a tag (<strong>党</strong>建) is marked in the pieces between tags.
    """
    if not query or not body:
        return mark_safe(body or "")  # noqa: S308 - stored bodies are sanitised
    pieces = _TAG_OR_TEXT.split(body)
    text_indices = [i for i, piece in enumerate(pieces) if piece and not piece.startswith("<")]
    plain = [html.unescape(pieces[i]) for i in text_indices]
    joined = "".join(plain)
    spans = match_spans(joined, query_pattern(query))
    offset = 0
    for index, text in zip(text_indices, plain, strict=True):
        end = offset + len(text)
        local = [(max(s, offset) - offset, min(e, end) - offset) for s, e in spans if s < end and e > offset]
        pieces[index] = mark(text, local)
        offset = end
    return mark_safe("".join(pieces))  # noqa: S308 - text re-escaped, tags from the sanitised body
