"""The lines around an article's body as offices write them, read alike from archive files
(bulletins.archive) and from Word manuscripts (bulletins.manuscripts): the source in brackets,
the 编者按, a byline, and how long a title may be."""

import re

from bulletins.headings import H2_RE, H3_RE, H4_RE

SOURCE_RE = re.compile(r"^(?:（[^（）]{2,60}）|\([^()]{2,60}\))$")
EDITOR_NOTE_RE = re.compile(r"^(?:【编者按】|编者按\s*[：:]|按\s*[：:])")
BYLINE_TAIL_RE = re.compile(r"(?:\s[\u4e00-\u9fff·]{2,5}|[委部局办厅院团会处组室所站校队司社馆中心])$")
TITLE_MAX = 100


def looks_like_byline(text: str) -> bool:
    """A short line without a sentence's punctuation ending in a name or a unit."""
    return (len(text) <= 30 and not text.startswith("—")
            and not any(ch in "，。；：！？,;:!?“”" for ch in text)
            and not (H2_RE.match(text) or H3_RE.match(text) or H4_RE.match(text))
            and bool(BYLINE_TAIL_RE.search(text)))
