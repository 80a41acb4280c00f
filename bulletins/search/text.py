"""Text for the search index: article HTML to plain text, tokens, and parsed queries.

Chinese has no spaces, so words are not split out. Each Chinese character is indexed as the
two-character piece it starts (党建 建设 设) and the last character of a run as itself; Latin
words and numbers are kept whole. A query is the phrase of the pieces of what was typed, so any
string of two or more characters is found exactly where it occurs (党建 in 治党建设 too), and
a single character is a prefix (年 matches 年度, 年 and 年 at a run's end).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from bulletins.text import HAN_RANGES

# Characters written without spaces: Han (with extensions and compatibility forms), kana, hangul.
_CJK = (
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3100-\u312f"
    f"\u3190-\u31ff{HAN_RANGES}\uac00-\ud7af"
)
# After normalising: a run of CJK characters, or a word of other letters and digits.
TOKEN_RUN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)")
# A Latin word or number longer than this is cut, in documents and queries alike.
MAX_WORD = 60

QUERY_MAX_CHARACTERS = 100
QUERY_MAX_TERMS = 10
EMPTY_QUERY_MESSAGE = "请输入要检索的文字。"
NOTHING_TO_SEARCH_MESSAGE = "检索词中没有可检索的文字或数字，请换用汉字、字母或数字。"
TOO_LONG_MESSAGE = f"检索词过长（{{length}}个字），请不超过{QUERY_MAX_CHARACTERS}个字。"
TOO_MANY_TERMS_MESSAGE = f"检索词过多（{{count}}个），请不超过{QUERY_MAX_TERMS}个。"

_BLOCK_TAGS = re.compile(
    r"<\s*/?\s*(?:p|br|h[1-6]|li|ul|ol|blockquote|figure|figcaption|table|thead|tbody|tr|th|td|div)"
    r"\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(body: str) -> str:
    """Plain text of article HTML: blocks become lines, inline tags vanish without a gap.

    A paragraph joined at a page break reads on as one string, and `<strong>党</strong>建`
    is 党建.
    """
    if not body:
        return ""
    text = _BLOCK_TAGS.sub("\n", body)
    text = html.unescape(_ANY_TAG.sub("", text))
    return _BLANK_LINES.sub("\n", text).strip()


def normalise(text: str) -> str:
    """NFKC and lower case: full-width Ａ１ are a1, as in the queries."""
    return unicodedata.normalize("NFKC", text).lower()


def _run_tokens(run: str, *, kind: str, last_is_prefix: bool = False) -> list[str]:
    if kind == "word":
        return [run[:MAX_WORD]]
    if len(run) == 1:
        return [run]
    pieces = [run[i:i + 2] for i in range(len(run) - 1)]
    # In a document the run's last character also stands alone; in a query it is covered by
    # the piece before it unless another token follows in the same phrase.
    return pieces if last_is_prefix else [*pieces, run[-1]]


def document_tokens(text: str) -> list[str]:
    """The index tokens of a text, in order; positions count tokens."""
    tokens: list[str] = []
    for match in TOKEN_RUN.finditer(normalise(text)):
        kind = match.lastgroup or "word"
        tokens.extend(_run_tokens(match.group(), kind=kind))
    return tokens


@dataclass(frozen=True)
class Term:
    """One thing the user asked for: a phrase of tokens; the last may be a prefix."""

    text: str
    tokens: tuple[str, ...]
    prefix: bool = False
    runs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    terms: tuple[Term, ...]


_QUOTED = re.compile(r"[\"“”「」『』]([^\"“”「」『』]*)[\"“”「」『』]?")


def _term(text: str) -> Term | None:
    runs = [(m.lastgroup or "word", m.group()) for m in TOKEN_RUN.finditer(normalise(text))]
    if not runs:
        return None
    tokens: list[str] = []
    prefix = False
    for index, (kind, run) in enumerate(runs):
        last = index == len(runs) - 1
        if kind == "cjk" and last:
            if len(run) == 1:
                tokens.append(run)
                prefix = True
            else:
                tokens.extend(_run_tokens(run, kind=kind, last_is_prefix=True))
        else:
            tokens.extend(_run_tokens(run, kind=kind))
    return Term(text=" ".join(run for _, run in runs), tokens=tuple(tokens), prefix=prefix,
                runs=tuple(runs))


def parse_query(raw: str) -> ParsedQuery:
    """Split a query into terms: quoted phrases stay whole, spaces separate the rest.

    Raises ValidationError with a Chinese message for an empty, too long or empty-of-words query.
    """
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(EMPTY_QUERY_MESSAGE, code="empty")
    if len(raw) > QUERY_MAX_CHARACTERS:
        raise ValidationError(TOO_LONG_MESSAGE.format(length=len(raw)), code="too_long")
    pieces = [m.group(1) for m in _QUOTED.finditer(raw)]
    pieces += _QUOTED.sub(" ", raw).split()
    terms: list[Term] = []
    for piece in pieces:
        term = _term(piece)
        if term is not None and term not in terms:
            terms.append(term)
    if not terms:
        raise ValidationError(NOTHING_TO_SEARCH_MESSAGE, code="no_words")
    if len(terms) > QUERY_MAX_TERMS:
        raise ValidationError(TOO_MANY_TERMS_MESSAGE.format(count=len(terms)), code="too_many")
    return ParsedQuery(raw=raw, terms=tuple(terms))


def article_text(article) -> str:
    """Everything of an article a reader may search, one field a line."""
    fields = [article.title, article.toc_title, article.subtitle, article.byline,
              article.editor_note, html_to_text(article.body), article.source]
    return "\n".join(field for field in fields if field)
