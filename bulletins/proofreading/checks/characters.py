"""The characters the checks reason about: Chinese marks, spaces, and what is Chinese text."""

from __future__ import annotations

import re

from bulletins.text import is_han

# --- characters ----------------------------------------------------------------------------

OPENING_MARKS = set("“‘（《〈【〔「『")
CLOSING_MARKS = set("”’）》〉】〕」』")
SENTENCE_MARKS = set("，。、；：？！")
CHINESE_MARKS = OPENING_MARKS | CLOSING_MARKS | SENTENCE_MARKS | set("…—～·")
SPACES = " \t\u00a0\u3000"


def is_chinese(character: str) -> bool:
    """A Chinese character or a full-width (Chinese) punctuation mark."""
    if not character:
        return False
    return is_han(character) or character in CHINESE_MARKS


def _is_latin_letter(character: str) -> bool:
    return character.isascii() and character.isalpha()


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character, before (step -1) or after (step 1), that tells the language.

    Spaces are skipped, and so are curly quotes, which English uses too, on the side where
    they enclose the text looked at: in “don’t”. the full stop follows English, in
    “两个确立”. Chinese; in “Wait...”他说 the dots end the English quotation.
    """
    skipped = SPACES + ("”’" if step < 0 else "“‘")
    index += step
    while 0 <= index < len(text) and text[index] in skipped:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


# URLs and e-mail addresses keep their ASCII punctuation.
_URL = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.\-]*://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def _masked(text: str) -> set[int]:
    """Indexes inside URLs and e-mail addresses (a trailing . , ; : ? ! ) ends a URL)."""
    masked: set[int] = set()
    for pattern in (_URL, _EMAIL):
        for match in pattern.finditer(text):
            end = match.end()
            while end > match.start() and text[end - 1] in ".,;:?!)":
                end -= 1
            masked.update(range(match.start(), end))
    return masked
