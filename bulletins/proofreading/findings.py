"""What a check reports: a finding at one spot of one paragraph, with an optional safe fix."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, replace

from bulletins.proofreading.text import Edit, Segment


class Severity(enum.StrEnum):
    ERROR = "错误"
    HINT = "提示"


class Code(enum.StrEnum):
    """The check codes; they are part of the interface (command output, dismissals)."""

    PUNCT_HALFWIDTH = "punct-halfwidth"
    PAIR_UNBALANCED = "pair-unbalanced"
    PUNCT_REPEATED = "punct-repeated"
    HEADING_SEQUENCE = "heading-sequence"
    DATE_FORMAT = "date-format"
    SPACE_IN_TEXT = "space-in-text"
    TRADITIONAL_CHAR = "traditional-char"
    WORDING = "wording"
    UNPRINTABLE_CHAR = "unprintable-char"


FIELD_LABELS = {
    "title": "标题",
    "toc_title": "目录标题",
    "subtitle": "副标题",
    "byline": "署名",
    "source": "来源",
    "editor_note": "编者按",
    "body": "正文",
    "masthead": "报头",
    "column": "栏目",
    "distribution": "版记",
}
# Fields that are one line: their location needs no paragraph number.
SINGLE_LINE_FIELDS = {"title", "toc_title", "subtitle", "byline", "source", "column"}
LINE_FIELDS = {"masthead", "distribution"}  # counted in lines, not paragraphs

EXCERPT_CONTEXT = 12  # characters shown either side of the spot
KEY_CONTEXT = 6  # characters either side that identify the spot for a dismissal


@dataclass(frozen=True)
class Finding:
    """One problem at one spot: characters start..end-1 of a paragraph's plain text."""

    code: Code
    severity: Severity
    message: str
    segment: Segment
    start: int
    end: int
    suggestion: str = ""  # what to write instead of the marked text, when there is one answer
    edits: tuple[Edit, ...] = ()  # the safe fix, if any; empty when the editor must decide
    identity: str = ""  # what makes the spot itself, when not its text (e.g. one character)
    article_id: int | None = None
    article_title: str = ""

    @property
    def field(self) -> str:
        return self.segment.field

    @property
    def paragraph(self) -> int:
        return self.segment.paragraph

    @property
    def fixable(self) -> bool:
        return bool(self.edits)

    @property
    def location(self) -> str:
        label = FIELD_LABELS.get(self.field, self.field)
        if self.field in SINGLE_LINE_FIELDS:
            return label
        return f"{label}第{self.paragraph}{'行' if self.field in LINE_FIELDS else '段'}"

    @property
    def marked(self) -> str:
        return self.segment.text[self.start:self.end]

    @property
    def before(self) -> str:
        start = max(0, self.start - EXCERPT_CONTEXT)
        return ("…" if start else "") + self.segment.text[start:self.start]

    @property
    def after(self) -> str:
        end = self.end + EXCERPT_CONTEXT
        return self.segment.text[self.end:end] + ("…" if end < len(self.segment.text) else "")

    @property
    def excerpt(self) -> str:
        """The excerpt as one line of text, the spot between ▶ and ◀."""
        return " ".join(f"{self.before}▶{self.marked}◀{self.after}".split())

    @property
    def key(self) -> str:
        """Names the spot across edits elsewhere in the article: code, field, text around it."""
        text = self.segment.text
        context = self.identity or "\x1f".join((
            text[max(0, self.start - KEY_CONTEXT):self.start], self.marked,
            text[self.end:self.end + KEY_CONTEXT]))
        digest = hashlib.sha256(f"{self.code}\x1e{self.field}\x1e{context}".encode()).hexdigest()
        return digest[:32]

    @property
    def token(self) -> str:
        """Names this finding exactly as found now (its paragraph and offset too), for a fix."""
        return f"{self.key}:{self.field}:{self.paragraph}:{self.start}"

    def with_article(self, article_id: int | None, title: str) -> Finding:
        return replace(self, article_id=article_id, article_title=title)
