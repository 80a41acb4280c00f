"""Line-level rules of a bulletin's text: what a line is (column heading, rule, page number,
TOC label, 版记 line) and whether its text ends a sentence. Each rule is a small function or
pattern, tested on its own in tests/bulletins/test_archive_rules.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bulletins.archive.types import where

# Owned by bulletins.article_parts (the Word manuscript reader uses them too).
from bulletins.article_parts import BYLINE_TAIL_RE, EDITOR_NOTE_RE, SOURCE_RE, TITLE_MAX  # noqa: F401

# Owned by bulletins.headings and bulletins.text; still importable from here.
from bulletins.headings import H2_RE, H3_RE, H4_RE, HEADING_MAX  # noqa: F401
from bulletins.text import CLOSING, SENTENCE_END, ends_sentence  # noqa: F401

SENTENCE_PUNCTUATION = set("，。；：！？、,;:!?")

MARKING_RE = re.compile(r"(内部资料|内部刊物|党内刊物|内部发行|内部交流|注意保存|妥善保存|秘密|机密|绝密)")
# 增刊 as offices write it: before the number (增刊第2期, 2023年增刊第2期) or after it (第2期（增刊）).
SPECIAL_AFTER = r"(?:\s*[（(]\s*(?P<special_after>增刊)\s*[）)])?"
TOTAL_AFTER = r"(?:\s*[（(]?\s*总第\s*(?P<total>\d+)\s*期\s*[）)]?)?"
NUMBER_RE = re.compile(rf"^(?P<special>增刊)?\s*第\s*(?P<number>\d+)\s*期{SPECIAL_AFTER}{TOTAL_AFTER}$")
YEAR_NUMBER_RE = re.compile(r"^(?P<year>(?:19|20)\d\d)\s*年\s*(?P<special>增刊)?"
                            rf"\s*第\s*(?P<number>\d+)\s*期{SPECIAL_AFTER}{TOTAL_AFTER}$")
SPECIAL_LINE_RE = re.compile(r"^[（(]?\s*增\s*刊\s*[）)]?$")
BARE_NUMBER_RE = re.compile(r"^(?P<special>增刊)?\s*(?P<number>\d{1,3})$")
BARE_YEAR_RE = re.compile(r"^(?P<year>(?:19|20)\d\d)\s*年?$")
TOTAL_RE = re.compile(r"^[（(]?\s*总第\s*(?P<total>\d+)\s*期\s*[）)]?$")
DATE_RE = re.compile(r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
# A date written in Chinese numerals, as official documents date themselves: 二〇二三年十一月二十五日.
CN_DATE_RE = re.compile(r"(?P<year>[〇○零一二三四五六七八九]{4})\s*年"
                        r"\s*(?P<month>十[一二]?|[一二三四五六七八九])\s*月"
                        r"\s*(?P<day>[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*日")
# What a masthead line may carry beside its name or office: a number (with year, 增刊, total),
# a total number, a date. Found anywhere in the line, each becomes a line of its own.
MASTHEAD_TOKEN_RE = re.compile(
    r"(?:(?:19|20)\d\d\s*年\s*)?(?:增刊\s*)?第\s*\d+\s*期(?:\s*[（(]\s*增刊\s*[）)])?"
    r"(?:\s*[（(]?\s*总第\s*\d+\s*期\s*[）)]?)?"
    r"|[（(]?\s*总第\s*\d+\s*期\s*[）)]?"
    rf"|{DATE_RE.pattern}|{CN_DATE_RE.pattern.replace('?P<', '?P<cn_')}")
COLUMN_RE = re.compile(r"^(?:【\s*(?P<bracketed>[^【】]{1,20}?)\s*】"
                       r"|(?P<bullet>[●■◆▲★])\s*(?P<name>\S.{0,19}))$")
RULE_RE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|={3,}|[-*_](?:\s+[-*_]){2,}|[—─━]{3,})$")
PAGE_NUMBER_RE = re.compile(r"^(?:[-—–－─]\s*\d{1,3}\s*[-—–－─]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?"
                            r"|\d{1,3}|·\s*\d{1,3}\s*·|\d{1,3}\s*/\s*\d{1,3})$")
TOC_LABEL_RE = re.compile(r"^(?:本期要目|本期目录|目\s*录|要\s*目)$")
TOC_LEADER_RE = re.compile(r"^(?P<text>.*?)\s*(?:[.．…·。]{2,}|\s{3,}"
                           r"|(?<=[^\s.．])\s?[.．](?=\s*(?:\S.*?\s)?\d{1,3}$))\s*(?P<rest>.*?)$")
GLUED_PAGE_RE = re.compile(r"^(?P<text>.*\D)(?P<page>\d{1,3})$")
SPACED_PAGE_RE = re.compile(r"^(?P<text>.*\S)\s+(?P<page>\d{1,3})$")
TOC_PAGE_RE = re.compile(r"^(?P<text>.*?)\s*(?P<page>\d{1,3})$")
TOC_LEADER_START_RE = re.compile(r"^[.．…·]{2,}")
TOC_LEADER_END_RE = re.compile(r"[.．…·]{3,}$")
# A TOC line that ends its entry: a leader or a wide gap, then the page number.
TOC_PAGE_END_RE = re.compile(r"(?:[.．…·。]{2,}|\s{2,}).*\d{1,3}$|\s\d{1,3}$")
BULLET_RE = re.compile(r"^[-*+•]\s+")
DISTRIBUTION_RE = re.compile(r"^(?P<role>本期增发|抄送|抄报|分送|报|送|发)\s*[：:]\s*(?P<text>.*)$")
# The date an issue was printed, at the end of the 版记's office line: 2023年11月25日印发.
PRINTED_ON_RE = re.compile(rf"(?:{DATE_RE.pattern}|{CN_DATE_RE.pattern.replace('?P<', '?P<cn_')})\s*印\s*发$")
PRINT_RUN_RE = re.compile(r"^[（(]?\s*共印\s*[：:]?\s*(?P<count>\d+)\s*份\s*[）)]?$")
CONTACT_RE = re.compile(r"(编辑|责任编辑|电话|地址|传真|邮编|邮箱|E-?mail|网址)\s*[：:]", re.IGNORECASE)
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+")
WHOLE_BOLD_RE = re.compile(r"^\*\*(?P<inner>[^*]+)\*\*$")
BOLD_RE = re.compile(r"\*\*(?P<inner>[^*]+?)\*\*")
WHITESPACE_RE = re.compile(r"\s+")

TAG_RE = re.compile(r"<[^>]+>")
LONG_ARTICLE_RATIO = 3
LONG_ARTICLE_MIN = 1500
FUZZY_TITLE_RATIO = 0.8


def compact(text: str) -> str:
    """Text without whitespace and Markdown markers: what two printings of a title share."""
    return WHITESPACE_RE.sub("", text.replace("**", ""))


def without_tail(text: str, tail: str) -> str:
    """`text` without its last characters that spell `tail` (whitespace not counted)."""
    remaining = len(compact(tail))
    end = len(text)
    while remaining and end:
        end -= 1
        if not text[end].isspace():
            remaining -= 1
    return text[:end].rstrip()


@dataclass
class Line:
    no: int
    raw: str
    text: str  # stripped, Markdown heading marker removed, inline ** kept
    level: int  # Markdown heading level, 0 for none
    page: int | None = None  # for a line read from a PDF: its page and its line on that page
    page_line: int | None = None
    # The layout starts it with a first-line indent: a paragraph of its own, never the rest of
    # the one before (which a page break may seem to have cut when it ends without punctuation).
    indented: bool = False
    # Centred on its page (Word's alignment, a PDF's position); None where the text cannot tell.
    centred: bool | None = None

    @property
    def where(self) -> str:
        return where(line=self.page_line if self.page else self.no, page=self.page)

    @property
    def plain(self) -> str:
        return self.text.replace("**", "").strip()

    @property
    def blank(self) -> bool:
        return not self.plain

    @property
    def whole_bold(self) -> bool:
        return bool(WHOLE_BOLD_RE.match(self.text))


def make_line(no: int, raw: str) -> Line:
    text = raw.strip()
    level = 0
    match = MD_HEADING_RE.match(text)
    if match:
        level = len(match.group(1))
        text = text[match.end():].strip()
    return Line(no=no, raw=raw, text=text, level=level)


def column_name(line: Line) -> tuple[str, str] | None:
    """Return (name, decoration) when the line is a column heading such as 【上情下达】 or ●学习动态."""
    plain = line.plain
    match = COLUMN_RE.match(plain)
    if not match:
        return None
    if match.group("bracketed"):
        name, decoration = match.group("bracketed"), "brackets"
    else:
        name, decoration = match.group("name"), "bullet"
    name = name.strip()
    if not name or any(ch in SENTENCE_PUNCTUATION for ch in name) or len(name) > 20:
        return None
    return name, decoration


def bulleted_column(text: str) -> bool:
    """A glyph set apart from a short name (■ 上情下达) heads a column; before a title it is a
    list bullet, which is dropped."""
    found = column_name(make_line(0, text))
    return found is not None and found[1] == "bullet" and len(found[0]) <= 10 \
        and not any(ch.isdigit() or ch in "“”\"" for ch in found[0])


def is_artefact(line: Line) -> str | None:
    """Return why the line is layout residue (rule, page number), or None when it is content."""
    plain = line.plain
    if RULE_RE.match(line.raw.strip()) or RULE_RE.match(plain):
        return "分隔线"
    if PAGE_NUMBER_RE.match(plain):
        return "页码"
    return None

# A 版记 line or an item of the editorial block starts with its label: it never continues the
# line above it, however wide that line is.
TAIL_LABEL_RE = re.compile(
    r"^(?:本期增发|抄送|抄报|分送|报|送|发|编辑|责任编辑|电话|地址|传真|邮编|邮箱|E-?mail|网址)\s*[：:]"
    r"|^[（(]?共印", re.IGNORECASE)
# Page numbers as they are printed at the foot or head of a page (not a bare number).
PRINTED_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–－─]+\s*\d{1,3}\s*[-—–－─]+|第\s*\d{1,3}\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?"
    r"|·\s*\d{1,3}\s*·|\d{1,3}\s*/\s*\d{1,3}|[（(]\s*\d{1,3}\s*[）)])$")
BARE_PAGE_NUMBER_RE = re.compile(r"^\d{1,3}$")
# Small glyphs set before a TOC entry or a list item.
BULLET_GLYPHS = "◆◇■□●○▪▫•►▶"
# The end of an issuing office's name (协调小组办公室, 中共河北省委宣传部), never of a bulletin's.
OFFICE_TAIL_RE = re.compile(r"(?:办公室|办|部|委|厅|局|团|处|室|中心|小组|委员会)$")
# A TOC line that ends with its leader and page number: the next line is another entry.
TOC_ENTRY_END_RE = re.compile(r"(?:[.．·]{3,}|…{2,}).*?\d{1,3}$|\s[.．…·]\s*\d{1,3}$")
# Things printed side by side on one row (an office and a date), as -layout text shows them.
SIDE_BY_SIDE_RE = re.compile(r"(?<=\S)(?:[ \u3000]{3,}|[ \u3000]*\t[\s]*)(?=\S)")
# A leader squeezed to one dot by a long title: `…大合唱”. 4`.
ONE_DOT_LEADER_RE = re.compile(r"[^\s.．]\s?[.．]\s*(?:\S.*?\s)?\d{1,3}$")
OFFICE_PUNCTUATION_RE = re.compile(r"[\s、，,；;]")
CJK_SPACE_RE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
