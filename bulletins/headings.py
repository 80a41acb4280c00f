"""Heading levels of an article body read from the numbering text, as offices number them.

一、 is level 1 (<h2>), （一） level 2 (<h3>), 1. and （1） level 3 (<h4>). The text decides, not
the style a word processor attached: Word's 标题 1 may hold a （一） heading, and offices often
set headings with nothing but a font. The same rules are applied in the editor when text is
pasted (frontend/src/headings.js mirrors them) and to imported archives and manuscripts.

This module owns the heading patterns; the archive reader and the manuscript import use them.
"""

from __future__ import annotations

import re

from bulletins.text import ends_sentence

# The numbers of the three levels: 一、  （一）  1. or （1）.
H2_NUMBER = r"[一二三四五六七八九十]{1,3}、"
H3_NUMBER = r"[（(][一二三四五六七八九十]{1,3}[）)]"
H4_NUMBER = r"(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])"
HEADING_NUMBER = rf"(?:{H2_NUMBER}|{H3_NUMBER}|{H4_NUMBER})"
H2_RE = re.compile(rf"^{H2_NUMBER}")
H3_RE = re.compile(rf"^{H3_NUMBER}")
H4_RE = re.compile(rf"^{H4_NUMBER}")
HEADING_MAX = 60
HEADING_TAGS = {1: "h2", 2: "h3", 3: "h4"}


def heading_level(text: str) -> int:
    """Return 1, 2 or 3 when `text` is a numbered heading on its own line, else 0.

    A heading is short and holds no full stop before its end; 1./（1） headings, which offices
    also use to start ordinary paragraphs, must not end a sentence either.
    """
    plain = text.strip()
    if not plain or len(plain) > HEADING_MAX or any(ch in "。！？!?" for ch in plain[:-1]):
        return 0
    if H2_RE.match(plain):
        return 1
    if H3_RE.match(plain):
        return 2
    if H4_RE.match(plain) and not ends_sentence(plain):
        return 3
    return 0
