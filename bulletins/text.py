"""Text as Chinese editors read it: 字数 is the number of Chinese characters (汉字), and where a
sentence ends.

This module owns the Han ranges; the search's tokenizer and the proofreading checks build on them.
"""

import re
import unicodedata

from django.utils.html import strip_tags

# CJK Unified Ideographs, Extension A, compatibility ideographs and the supplementary planes;
# the editor's counter (frontend/src/hancount.js) uses the same ranges.
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN_RANGES}]")
# Characters that close a sentence; a paragraph whose text ends otherwise was cut by a page break.
SENTENCE_END = set("。！？!?；;：:…")
CLOSING = set("”’」』）)】》")


# Kangxi radicals and the CJK radicals supplement: some PDF producers (Chromium, through Skia)
# map an ideograph's glyph back to the radical of the same shape (⼯ U+2F2F for 工 U+5DE5).
RADICAL_RE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")
# The supplement's simplified forms, which Unicode gives no compatibility mapping, and the
# radicals whose compatibility mapping is a variant of another shape (⼾ is 戶, printed 户).
SUPPLEMENT_RADICALS = dict(zip("⺠⻁⻄⻅⻆⻉⻋⻑⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻬⻮⻰⻳⼾⾭",
                               "民虎西见角贝车長长门青韦页风飞食马骨鬼鱼鸟卤麦黄齐齿龙龟户青", strict=True))


def fold_radicals(text: str) -> str:
    """`text` with each radical that has an ideograph of the same shape replaced by it."""
    if not RADICAL_RE.search(text):
        return text
    return RADICAL_RE.sub(lambda match: SUPPLEMENT_RADICALS.get(match.group(0))
                          or unicodedata.normalize("NFKC", match.group(0)), text)


def is_han(character: str) -> bool:
    """An ideograph (CJK unified, extensions, compatibility) or 〇."""
    return len(character) == 1 and (character == "〇" or HAN_RE.match(character) is not None)


def han_count(text: str) -> int:
    """The number of Chinese characters in `text` (punctuation, Latin letters and digits excluded)."""
    return len(HAN_RE.findall(text))


def han_count_html(html: str) -> int:
    return han_count(strip_tags(html))


def ends_sentence(text: str) -> bool:
    text = text.replace("**", "").rstrip()
    if not text:
        return True
    if text[-1] in SENTENCE_END:
        return True
    return text[-1] in CLOSING and len(text) > 1 and text[-2] in SENTENCE_END
