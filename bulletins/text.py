"""Counting text as Chinese editors do: 字数 is the number of Chinese characters (汉字)."""

import re

from django.utils.html import strip_tags

# CJK Unified Ideographs, Extension A, compatibility ideographs and the supplementary planes;
# the editor's counter (frontend/src/hancount.js) uses the same ranges.
HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def han_count(text: str) -> int:
    """The number of Chinese characters in `text` (punctuation, Latin letters and digits excluded)."""
    return len(HAN_RE.findall(text))


def han_count_html(html: str) -> int:
    return han_count(strip_tags(html))
